package identity

import (
	"context"
	"slices"
	"sort"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// causeNotListed names a user who owns a Tenant that capsule-proxy does not list for them.
const causeNotListed = "not-listed"

// tenantOwnedCheck is TENANT-OWNED. capsule-proxy's own list of the user's tenants (the tenants view
// of TENANT-VIEWS) is the verdict; every Tenant is read, as the admin, only to explain a list that
// shows none: at 200 tenants that read is a megabyte the API server encodes on every run.
// capsule-proxy lists the Tenants it found for the user (internal/modules/tenants/list.go): those its
// owner index finds by status.owners, and those of a namespace holding a ProxySetting that names the
// user (kubeFilter.getProxyTenantsForOwnerKind).
func tenantOwnedCheck() engine.Check {
	return engine.Check{
		ID: IDTenantOwned, Title: "The user has a tenant", Category: CategoryReview, Severity: engine.SeverityWarning,
		DependsOn: []engine.ID{IDTenantUserGroup}, Needs: names(idReview, idClusterViews), Asks: names(idTenants),
		Hint: "Add the user or one of its groups to a Tenant's spec.owners.",
		Causes: []engine.Cause{{Name: causeNotListed, When: "the user owns a Tenant that capsule-proxy does not list for the user",
			Hint: "capsule-proxy finds a user's tenants by each Tenant's status.owners, which the Capsule controller fills from " +
				"spec.owners: check that the status names the user (kubectl get tenant <tenant> -o jsonpath='{.status.owners}'), " +
				"that the Capsule controller runs, and capsule-proxy's log (kubectl -n capsule-system logs deploy/capsule-proxy)"}},
		Explain: "Reads the Tenants capsule-proxy lists to the user (the tenants view of TENANT-VIEWS): those whose " +
			"status.owners name the user or one of its groups, and those a ProxySetting grants. When the list shows none or " +
			"could not be asked, reads every Tenant to say whether the user owns one, by the owners capsule-proxy reads " +
			"(status.owners; spec.owners while the Capsule controller has not filled the status).",
		Run: checkTenantsOwned,
	}
}

func checkTenantsOwned(ctx context.Context, f engine.Facts) engine.Result {
	rf, err := idReview.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	views, _ := idClusterViews.Get(f) // without the views, the list counts as not asked
	listed := tenantsView(views)
	if listed.Verdict == VerdictWorks {
		if len(listed.names) == 0 { // a list that counts its tenants without naming them
			return engine.Pass("capsule-proxy lists %s", listed.label())
		}
		return engine.Pass("capsule-proxy lists %s", engine.Summarize(listed.names)).With("tenants", listed.names)
	}
	owners, ownersErr := idTenants.Ask(ctx, f)
	switch {
	case ownersErr != nil && listed.Verdict == VerdictEmpty:
		return engine.Problem("capsule-proxy lists no tenant for the user (reading the Tenants to say why: %v)", ownersErr)
	case ownersErr != nil:
		return unknownFrom(ownersErr)
	}
	owned := ownedTenants(rf.Review, owners)
	switch {
	case len(owned) == 0:
		return engine.Problem("the user owns no tenant among %d", len(owners))
	case listed.Verdict == VerdictEmpty:
		return engine.Problem("the user owns %s, but capsule-proxy lists none of them", engine.Summarize(owned)).
			With("tenants", owned).WithVar("tenant", owned[0]).Because(causeNotListed)
	}
	// capsule-proxy's list did not answer (TENANT-VIEWS says why): the Tenants' owners answer for it.
	return engine.Pass("%s", engine.Summarize(owned)).With("tenants", owned)
}

// tenantsView is capsule-proxy's answer to the list of tenants, or a view that was not asked.
func tenantsView(views []View) View {
	i := slices.IndexFunc(views, func(v View) bool { return v.Path == viewTenants.Path })
	if i < 0 {
		return View{View: viewTenants.Name, Verdict: VerdictNotAsked}
	}
	return views[i]
}

// ownedTenants are the Tenants whose owners name the user or one of its groups, sorted.
func ownedTenants(r Review, owners map[string][]rbacv1.Subject) []string {
	var owned []string
	for tenant, subs := range owners {
		if slices.ContainsFunc(subs, func(s rbacv1.Subject) bool {
			return (s.Kind == rbacv1.UserKind && s.Name == r.Username) || (s.Kind == rbacv1.GroupKind && slices.Contains(r.Groups, s.Name))
		}) {
			owned = append(owned, tenant)
		}
	}
	sort.Strings(owned)
	return owned
}
