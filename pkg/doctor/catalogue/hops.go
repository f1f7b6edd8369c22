package catalogue

import (
	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/chain"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// Hops follow a sign-in: the browser reaches Headlamp, Headlamp signs in at the IdP and gets a token,
// forwards it to capsule-proxy, which has the API server review it, and Capsule filters. Each check
// judges the hop whose failure it explains; whole areas by their IDs' prefix.
func Hops() []chain.Def {
	return []chain.Def{
		{From: "browser", To: "Headlamp", IDs: []engine.ID{hlcheck.IDFound, hlcheck.IDReady, hlcheck.IDReplicas, hlcheck.IDSAToken, hlcheck.IDRBAC}},
		{From: "Headlamp", To: "IdP", IDs: []engine.ID{hlcheck.IDOIDC, hlcheck.IDScopes, hlcheck.IDInsecureSSL,
			identity.IDIdPDiscovery, identity.IDIdPDiscoveryHeadlamp, identity.IDIdPIssuerMatch, identity.IDIdPKeys,
			identity.IDIdPGroupsScope, identity.IDIdPClient, identity.IDTokenObtained, identity.IDTokenSignature,
			identity.IDTokenIssuer, identity.IDTokenAudience, identity.IDTokenExpiry}},
		{From: "Headlamp", To: "capsule-proxy", IDs: []engine.ID{hlcheck.IDAPIHost, hlcheck.IDCA, hlcheck.IDRestart, identity.IDReviewProxy},
			Prefixes: []string{"PROXY-"}},
		{From: "capsule-proxy", To: "API server", IDs: []engine.ID{identity.IDIdPAPIServerTrust, identity.IDTokenEmailVerified,
			identity.IDTokenGroups, identity.IDTokenIdentity, identity.IDTokenProxyUsername, identity.IDReviewAPIServer}, Prefixes: []string{"CLUSTER-", "AUTHN-"}},
		{From: "API server", To: "Capsule tenant", IDs: []engine.ID{identity.IDTenantUserGroup, identity.IDTenantOwned,
			identity.IDTenantNamespaces, identity.IDReviewProxyIgnored}, Prefixes: []string{"CAPSULE-"}},
	}
}

// Chain judges the sign-in chain of a report.
func Chain(r engine.Report) []chain.Hop { return chain.Compute(r, Hops()) }
