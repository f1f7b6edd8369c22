// Package cluster is the first area of doctor's catalogue: the API server answers, is recent enough
// for structured authentication, and lets doctor read what the other areas check.
package cluster

import (
	"context"
	"slices"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// Category groups the checks of the cluster itself.
const Category = "Cluster"

// The cluster checks.
const (
	IDAPI         engine.ID = "CLUSTER-API"
	IDVersion     engine.ID = "CLUSTER-VERSION"
	IDPermissions engine.ID = "CLUSTER-PERMISSIONS"
)

// Checks are the cluster checks, in catalogue order.
func Checks() []engine.Check {
	return []engine.Check{
		{
			ID: IDAPI, Title: "The API server answers", Category: Category, Severity: engine.SeverityError,
			Needs: []engine.FactName{FactServerVersion.Name()},
			Hint: "When the API server rejected the credentials, pass valid ones (a fresh --token, or sign in again for the context's user); " +
				"otherwise check the kubeconfig context (kubectl config current-context) and that `kubectl version` works, and pass --context or --kubeconfig to doctor",
			Explain: "Everything else needs the API server. A failure here skips every other check.",
			Run:     checkAPI,
		},
		{
			ID: IDVersion, Title: "The API server supports structured authentication (1.30+)",
			Category: Category, Severity: engine.SeverityError, DependsOn: []engine.ID{IDAPI},
			Needs: []engine.FactName{FactServerVersion.Name()},
			Hint:  "Upgrade the cluster to Kubernetes 1.30 or later (1.34+ for apiserver.config.k8s.io/v1): legacy --oidc-* flags accept a single audience, so Headlamp's confidential client and a public CLI client cannot both sign in",
			Explain: "A Headlamp client and a kubectl client need two audiences, which only the structured " +
				"AuthenticationConfiguration (--authentication-config) allows: beta in 1.30 (v1beta1), GA in 1.34 (v1).",
			Run: checkVersion,
		},
		{
			ID: IDPermissions, Title: "Doctor may read everything it checks", Category: Category,
			Severity: engine.SeverityWarning, DependsOn: []engine.ID{IDAPI}, Needs: []engine.FactName{FactPermissions.Name()},
			Hint: "Run doctor as a cluster administrator, or grant the missing permissions (<missing>); checks that need them report unknown, not failed",
			Explain: "Asked once with SelfSubjectAccessReviews, so that a missing permission is named here rather " +
				"than guessed from a dozen unknown results.",
			Run: checkPermissions,
		},
	}
}

func checkAPI(ctx context.Context, f engine.Facts) engine.Result {
	v, err := FactServerVersion.Get(f)
	if r, ok := engine.CutShort(ctx, err); ok {
		return r
	}
	if err != nil {
		return engine.Problem("%v", err)
	}
	return engine.Pass("%s", v.GitVersion).With("version", v.GitVersion)
}

func checkVersion(_ context.Context, f engine.Facts) engine.Result {
	v, err := FactServerVersion.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	major, minor, err := MinorVersion(v)
	if err != nil {
		return engine.Unknown("%v", err)
	}
	switch {
	case major == 1 && minor < 30:
		return engine.Problem("%s has no beta structured authentication configuration", v.GitVersion).With("version", v.GitVersion)
	case major == 1 && minor < 34:
		return engine.Pass("%s: AuthenticationConfiguration apiserver.config.k8s.io/v1beta1 (v1 from 1.34)", v.GitVersion)
	}
	return engine.Pass("%s: AuthenticationConfiguration apiserver.config.k8s.io/v1", v.GitVersion)
}

func checkPermissions(_ context.Context, f engine.Facts) engine.Result {
	perms, err := FactPermissions.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	var missing []string
	for _, p := range perms {
		if a := p.access.String(); !p.allowed && !slices.Contains(missing, a) {
			missing = append(missing, a)
		}
	}
	if len(missing) > 0 {
		return engine.Problem("doctor may not %s", strings.Join(missing, "; ")).
			With("missing", missing).WithVar("missing", strings.Join(missing, "; "))
	}
	return engine.Pass("all %d permissions granted", len(perms))
}
