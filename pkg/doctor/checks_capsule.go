package doctor

import (
	"context"
	"fmt"
	"strings"
)

// CategoryCapsule groups the checks of Capsule itself.
const CategoryCapsule = "Capsule"

func capsuleChecks() []Check {
	return []Check{
		{
			ID: "CAPSULE-CRDS", Title: "Capsule's API is served", Category: CategoryCapsule, Severity: SeverityError,
			DependsOn: []ID{"CLUSTER-API"}, Needs: []FactName{factCapsuleAPI.Name()},
			Hint:    "Install Capsule (its Helm chart installs the CRDs), then check with: kubectl api-resources --api-group=capsule.clastix.io",
			Explain: "Tenants and CapsuleConfiguration must be served in capsule.clastix.io/v1beta2 for capsule-proxy to filter anything.",
			Run:     checkCapsuleCRDs,
		},
		{
			ID: "CAPSULE-USERS", Title: "CapsuleConfiguration default names the Capsule users", Category: CategoryCapsule,
			Severity: SeverityError, DependsOn: []ID{"CAPSULE-CRDS"}, Needs: []FactName{factCapsuleConfig.Name()},
			Hint: "Name the tenant owners' group in the configuration, e.g.: kubectl patch capsuleconfiguration default --type=merge -p '{\"spec\":{\"users\":[{\"kind\":\"Group\",\"name\":\"projectcapsule.dev\"}]}}'",
			Explain: "capsule-proxy filters only for Capsule users: identities whose user or groups appear in " +
				"CapsuleConfiguration default (status.users, computed from spec.users). Later checks compare the " +
				"groups the API server derives from tokens with this list.",
			Run: checkCapsuleUsers,
		},
	}
}

func checkCapsuleCRDs(_ context.Context, f Facts) Result {
	served, err := factCapsuleAPI.Get(f)
	if err != nil {
		return couldNotLook(err)
	}
	var missing []string
	for _, r := range []string{"tenants", "capsuleconfigurations"} {
		if !served[r] {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		return Problem("%s not served in %s: Capsule is not installed", strings.Join(missing, " and "), capsuleGroupVersion)
	}
	return Pass("tenants and capsuleconfigurations served in %s", capsuleGroupVersion)
}

func checkCapsuleUsers(_ context.Context, f Facts) Result {
	cfg, err := factCapsuleConfig.Get(f)
	if notFound(err) {
		return Problem("CapsuleConfiguration %s does not exist", CapsuleConfigName)
	}
	if err != nil {
		return couldNotLook(err)
	}
	if len(cfg.Users) == 0 {
		return Problem("CapsuleConfiguration %s names no users or groups: capsule-proxy filters for nobody", CapsuleConfigName)
	}
	var names []string
	for _, u := range cfg.Users {
		names = append(names, fmt.Sprintf("%s %s", u.Kind, u.Name))
	}
	return Pass("%s (from %s)", strings.Join(names, ", "), cfg.Source).With("users", names).With("source", cfg.Source)
}
