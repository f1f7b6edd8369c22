// Package capsule is the area of doctor's catalogue that checks Capsule itself: its API is served and
// CapsuleConfiguration default names the Capsule users capsule-proxy filters for.
package capsule

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/cluster"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxyview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// Category groups the checks of Capsule itself.
const Category = "Capsule"

// The Capsule checks.
const (
	IDCRDs       engine.ID = "CAPSULE-CRDS"
	IDUsers      engine.ID = "CAPSULE-USERS"
	IDUsersField engine.ID = "CAPSULE-USERS-FIELD"
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
			ID: IDUsers, Title: "The CapsuleConfiguration capsule-proxy reads names the Capsule users", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{IDCRDs}, Needs: []engine.FactName{FactConfig.Name(), proxyview.FactDeployment.Name()},
			Hint: "Create the CapsuleConfiguration capsule-proxy names with --capsule-configuration-name (default: default), or point the flag at " +
				"the existing one; then name the tenant owners' group in it, e.g.: kubectl patch capsuleconfiguration <configuration> --type=merge " +
				"-p '{\"spec\":{\"users\":[{\"kind\":\"Group\",\"name\":\"projectcapsule.dev\"}]}}'",
			Explain: "capsule-proxy filters only for Capsule users: identities whose user or groups appear in the " +
				"CapsuleConfiguration named by its --capsule-configuration-name flag (default: default), in status.users, " +
				"which the Capsule controller computes from spec.users. Later checks compare the groups the API server " +
				"derives from tokens with this list.",
			Run: checkCapsuleUsers,
		},
		{
			ID: IDUsersField, Title: "Capsule users are listed in spec.users and computed into status.users", Category: Category,
			Severity: engine.SeverityWarning, DependsOn: []engine.ID{IDUsers}, Needs: []engine.FactName{FactConfig.Name()},
			Hint: "Move the entries of the deprecated fields to spec.users (kind Group for userGroups, User for userNames) and remove " +
				"the old fields: kubectl edit capsuleconfiguration <configuration>. If status.users stays empty, check that the Capsule " +
				"controller runs: kubectl -n capsule-system logs deploy/capsule-controller-manager",
			Explain: "Capsule v0.14 merges spec.users with the deprecated spec.userGroups and spec.userNames into status.users, " +
				"which is what capsule-proxy reads; its admission webhook warns on the old fields, which a future release removes. " +
				"An empty status.users while spec lists users means the controller has not reconciled the configuration: capsule-proxy " +
				"then filters for nobody.",
			Run: checkCapsuleUsersField,
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
	name, by := ConfigName, "the default name"
	if d, err := proxyview.FactDeployment.Get(f); err == nil {
		name, by = d.Flags.ConfigurationName, "capsule-proxy "+d.Ref()+"'s default"
		if slices.Contains(d.Flags.Set, "capsule-configuration-name") {
			by = "named by --capsule-configuration-name of capsule-proxy " + d.Ref()
		}
	}
	cfg, err := FactConfig.Get(f)
	if area.NotFound(err) {
		return engine.Problem("CapsuleConfiguration %s (%s) does not exist: capsule-proxy filters for nobody", name, by).WithVar("configuration", name)
	}
	if err != nil {
		return area.CouldNotLook(err)
	}
	if len(cfg.Users) == 0 {
		return engine.Problem("CapsuleConfiguration %s names no users or groups: capsule-proxy filters for nobody", cfg.Name).WithVar("configuration", cfg.Name)
	}
	var names []string
	for _, u := range cfg.Users {
		names = append(names, fmt.Sprintf("%s %s", u.Kind, u.Name))
	}
	return engine.Pass("%s (from %s of %s)", engine.Summarize(names), cfg.Source, cfg.Name).With("users", names).With("source", cfg.Source).
		With("configuration", cfg.Name).WithVar("configuration", cfg.Name)
}

func checkCapsuleUsersField(_ context.Context, f engine.Facts) engine.Result {
	cfg, err := FactConfig.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	var findings []string
	for _, field := range slices.Sorted(maps.Keys(cfg.Deprecated)) {
		findings = append(findings, fmt.Sprintf("deprecated %s lists %s", field, strings.Join(cfg.Deprecated[field], ", ")))
	}
	if cfg.Source != "status.users" {
		findings = append(findings, "status.users is empty: the Capsule controller has not computed the users capsule-proxy reads")
	}
	if len(findings) > 0 {
		return engine.Problem("CapsuleConfiguration %s: %s", cfg.Name, strings.Join(findings, "; ")).WithVar("configuration", cfg.Name)
	}
	return engine.Pass("status.users computed, no deprecated field in use").WithVar("configuration", cfg.Name)
}
