// Package preinstall is the area of doctor's catalogue that only install runs, before it writes: what
// install's preflight read in the cluster (the namespace, the user's permissions, who owns the
// objects, pull Secrets, the Gateway, the namespace's LimitRanges and ResourceQuotas, the IdP's
// addresses for the NetworkPolicy) and the IdP CA given, judged as checks of the one engine. The rest
// of the pre-install plan are doctor's own checks judging the installation as planned
// (catalogue.PreInstall).
package preinstall

import (
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/cluster"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
)

// Category groups the checks install runs before it writes.
const Category = "Install"

// The pre-install checks.
const (
	IDNamespace     engine.ID = "INSTALL-NAMESPACE"
	IDPermissions   engine.ID = "INSTALL-PERMISSIONS"
	IDOwners        engine.ID = "INSTALL-OWNERS"
	IDPullSecrets   engine.ID = "INSTALL-PULL-SECRETS"
	IDGateway       engine.ID = "INSTALL-GATEWAY"
	IDQuota         engine.ID = "INSTALL-QUOTA"
	IDNetworkPolicy engine.ID = "INSTALL-NETWORK-POLICY"
	IDIdPCA         engine.ID = "INSTALL-IDP-CA"
)

// fixHint is the hint of a check whose findings each carry their own fix.
const fixHint = "<fix>"

// Checks are the pre-install checks, in catalogue order.
func Checks() []engine.Check {
	api := []engine.ID{cluster.IDAPI}
	inNamespace := []engine.ID{IDNamespace}
	return []engine.Check{
		concernCheck(IDNamespace, "The namespace exists", install.ConcernNamespace, api,
			"Install writes into an existing namespace; it never creates one."),
		concernCheck(IDPermissions, "You may write every object install writes", install.ConcernAccess, api,
			"Asked with SelfSubjectAccessReviews for each kind: get, create and patch (server-side apply), "+
				"and delete for the objects --force-conflicts takes over."),
		concernCheck(IDOwners, "No other manager owns the objects", install.ConcernOwners, api,
			"An object of the same name written by Helm or another tool is taken over only with --force-conflicts, "+
				"which deletes it and creates it anew."),
		concernCheck(IDPullSecrets, "The image pull Secrets exist", install.ConcernPullSecrets, inNamespace,
			"Each --image-pull-secret must exist in the namespace as a docker-registry Secret, or the pod cannot pull its image."),
		concernCheck(IDGateway, "The Gateway takes Headlamp's HTTPRoute", install.ConcernGateway, inNamespace,
			"With --gateway: the cluster serves HTTPRoutes, the Gateway exists and one of its listeners admits a route "+
				"for the host from Headlamp's namespace."),
		concernCheck(IDQuota, "The namespace's LimitRanges and ResourceQuotas admit the pod", install.ConcernQuota, inNamespace,
			"A pod refused at creation leaves install waiting for a Headlamp that never starts; the pod being "+
				"replaced gives its share back first (strategy Recreate)."),
		concernCheck(IDNetworkPolicy, "The NetworkPolicy can name capsule-proxy's pods and the IdP", install.ConcernNetworkPolicy, inNamespace,
			"With --network-policy: capsule-proxy's Service selects its pods, and the IdP's host resolves from where "+
				"install runs (the policy lets Headlamp reach it by address)."),
		{
			ID: IDIdPCA, Title: "The IdP CA given holds certificates that fit in a ConfigMap", Category: Category,
			Severity: engine.SeverityError, Needs: []engine.FactName{FactPlan.Name()},
			Hint: "Give --oidc-ca-file the IdP's CA certificate alone (PEM), not a whole trust store; Headlamp keeps the system roots " +
				"with --oidc-ca-trust append",
			Explain: "The CA goes into a ConfigMap the pod mounts, which holds at most 1 MiB; it is read with a limit, " +
				"certificates only, duplicates dropped.",
			Run: checkIDPCA,
		},
	}
}

func concernCheck(id engine.ID, title string, c install.Concern, deps []engine.ID, explain string) engine.Check {
	return engine.Check{
		ID: id, Title: title, Category: Category, Severity: engine.SeverityError, DependsOn: deps,
		Needs: []engine.FactName{FactPlan.Name()}, Hint: fixHint, Explain: explain, Run: judgeConcern(c),
	}
}
