package preinstall

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
)

// FactPlan is the installation install is about to write, with what its preflight read.
const FactPlan engine.Key[install.Plan] = "install-plan"

// Facts is the plan's fact.
func Facts(p install.Plan) []engine.Fact {
	return []engine.Fact{engine.Define(FactPlan, nil, func(context.Context, engine.Facts) (install.Plan, error) { return p, nil })}
}

// judgeConcern reports what preflight found about concern c: each problem in the message, each fix
// in the hint.
func judgeConcern(c install.Concern) func(context.Context, engine.Facts) engine.Result {
	return func(_ context.Context, f engine.Facts) engine.Result {
		p, err := FactPlan.Get(f)
		if err != nil {
			return engine.Unknown("%v", err)
		}
		problems, looked := p.Facts.Findings[c]
		if !looked {
			return engine.NotApplicable("%s", notLooked(c))
		}
		if len(problems) == 0 {
			return passed(c, p)
		}
		var whats, fixes []string
		for _, pr := range problems {
			whats = append(whats, pr.What)
			if pr.Hint != "" && !slices.Contains(fixes, pr.Hint) {
				fixes = append(fixes, pr.Hint)
			}
		}
		if len(fixes) == 0 {
			fixes = []string{"fix what the message says, then run install again"}
		}
		r := engine.Problem("%s", strings.Join(whats, "; ")).WithVar("fix", strings.Join(fixes, "; "))
		if len(whats) > 1 {
			r = r.With("problems", whats) // each one, for JSON
		}
		return r
	}
}

// notLooked says why preflight did not look at concern c.
func notLooked(c install.Concern) string {
	switch c {
	case install.ConcernGateway:
		return "no --gateway"
	case install.ConcernNetworkPolicy:
		return "no --network-policy"
	}
	return "not looked at"
}

// passed says what holds for concern c.
func passed(c install.Concern, p install.Plan) engine.Result {
	s := p.Settings
	switch c {
	case install.ConcernNamespace:
		return engine.Pass("namespace %s exists", s.Namespace)
	case install.ConcernAccess:
		return engine.Pass("you may write every object in namespace %s", s.Namespace)
	case install.ConcernOwners:
		if n := len(p.Facts.Foreign); n > 0 {
			return engine.Pass("%d object(s) of another manager to take over (--force-conflicts)", n)
		}
		return engine.Pass("the objects are new or install's own")
	case install.ConcernPullSecrets:
		if len(s.ImagePullSecrets) == 0 {
			return engine.NotApplicable("no --image-pull-secret")
		}
		return engine.Pass("%s exist", strings.Join(s.ImagePullSecrets, ", "))
	case install.ConcernGateway:
		return engine.Pass("gateway %s/%s takes an HTTPRoute for %s", s.Gateway.Namespace, s.Gateway.Name, s.Gateway.Host)
	case install.ConcernQuota:
		return engine.Pass("the namespace admits Headlamp's pod")
	case install.ConcernNetworkPolicy:
		if np := p.Facts.NetworkPolicy; np != nil {
			return engine.Pass("capsule-proxy's pods and %d IdP address(es)", len(np.IDP))
		}
	}
	return engine.Pass("%s: no problem", c)
}

func checkIDPCA(_ context.Context, f engine.Facts) engine.Result {
	p, err := FactPlan.Get(f)
	if err != nil {
		return engine.Unknown("%v", err)
	}
	switch {
	case p.IDPCAErr != nil:
		return engine.Problem("%v", p.IDPCAErr)
	case p.Settings.OIDC.CA == nil:
		return engine.NotApplicable("no --oidc-ca-file: Headlamp trusts the system roots")
	}
	return engine.Pass("%s of PEM", byteSize(len(p.Material.IDPCA)))
}

func byteSize(n int) string {
	if n < 1<<10 {
		return fmt.Sprintf("%d bytes", n)
	}
	return fmt.Sprintf("%d KiB", n>>10)
}
