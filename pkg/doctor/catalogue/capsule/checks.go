// Package capsule is the area of doctor's catalogue that checks Capsule itself: its API is served and
// CapsuleConfiguration default names the Capsule users capsule-proxy filters for.
package capsule

import (
	"context"
	"fmt"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/cluster"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// Category groups the checks of Capsule itself.
const Category = "Capsule"

// The Capsule checks.
const (
	IDCRDs  engine.ID = "CAPSULE-CRDS"
	IDUsers engine.ID = "CAPSULE-USERS"
)

// Checks are the Capsule checks, in catalogue order.
func Checks() []engine.Check {
	return []engine.Check{
		{
			ID: IDCRDs, Title: "Capsule's API is served", Category: Category, Severity: engine.SeverityError,
			DependsOn: []engine.ID{cluster.IDAPI}, Needs: []engine.FactName{FactAPI.Name()},
			Hint:    "Install Capsule (its Helm chart installs the CRDs), then check with: kubectl api-resources --api-group=capsule.clastix.io",
			Explain: "Tenants and CapsuleConfiguration must be served in capsule.clastix.io/v1beta2 for capsule-proxy to filter anything.",
			Run:     checkCapsuleCRDs,
		},
		{
			ID: IDUsers, Title: "CapsuleConfiguration default names the Capsule users", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{IDCRDs}, Needs: []engine.FactName{FactConfig.Name()},
			Hint: "Name the tenant owners' group in the configuration, e.g.: kubectl patch capsuleconfiguration default --type=merge -p '{\"spec\":{\"users\":[{\"kind\":\"Group\",\"name\":\"projectcapsule.dev\"}]}}'",
			Explain: "capsule-proxy filters only for Capsule users: identities whose user or groups appear in " +
				"CapsuleConfiguration default (status.users, computed from spec.users). Later checks compare the " +
				"groups the API server derives from tokens with this list.",
			Run: checkCapsuleUsers,
		},
	}
}

func checkCapsuleCRDs(_ context.Context, f engine.Facts) engine.Result {
	served, err := FactAPI.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	var missing []string
	for _, r := range []string{"tenants", "capsuleconfigurations"} {
		if !served[r] {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		return engine.Problem("%s not served in %s: Capsule is not installed", strings.Join(missing, " and "), GroupVersion)
	}
	return engine.Pass("tenants and capsuleconfigurations served in %s", GroupVersion)
}

func checkCapsuleUsers(_ context.Context, f engine.Facts) engine.Result {
	cfg, err := FactConfig.Get(f)
	if area.NotFound(err) {
		return engine.Problem("CapsuleConfiguration %s does not exist", ConfigName)
	}
	if err != nil {
		return area.CouldNotLook(err)
	}
	if len(cfg.Users) == 0 {
		return engine.Problem("CapsuleConfiguration %s names no users or groups: capsule-proxy filters for nobody", ConfigName)
	}
	var names []string
	for _, u := range cfg.Users {
		names = append(names, fmt.Sprintf("%s %s", u.Kind, u.Name))
	}
	return engine.Pass("%s (from %s)", engine.Summarize(names), cfg.Source).With("users", names).With("source", cfg.Source)
}
