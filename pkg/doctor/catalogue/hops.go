package catalogue

import (
	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/network"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/chain"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// Hops follow a sign-in: the browser reaches Headlamp, Headlamp signs in at the IdP and gets a token,
// forwards it to capsule-proxy, which has the API server review it, and Capsule filters. Each check
// judges the hop whose failure it explains; whole areas by their IDs' prefix. The live probes (requests
// to the running components) are marked, so the chain says which hops were probed and which were judged
// from configuration only.
func Hops() []chain.Def {
	return []chain.Def{
		{From: "browser", To: "Headlamp", IDs: []engine.ID{hlcheck.IDFound, hlcheck.IDReady, hlcheck.IDReplicas, hlcheck.IDHPA, hlcheck.IDStrategy, hlcheck.IDFlags,
			hlcheck.IDSAToken, hlcheck.IDRBAC, hlcheck.IDPodToken}},
		{From: "Headlamp", To: "IdP", IDs: []engine.ID{hlcheck.IDOIDC, hlcheck.IDScopes, hlcheck.IDInsecureSSL,
			identity.IDIdPDiscovery, identity.IDIdPDiscoveryHeadlamp, identity.IDIdPIssuerMatch, identity.IDIdPKeys,
			identity.IDIdPGroupsScope, identity.IDIdPClient, identity.IDIdPRedirectURIs, network.IDIdP, identity.IDTokenObtained, identity.IDTokenSignature,
			identity.IDTokenIssuer, identity.IDTokenAudience, identity.IDTokenExpiry,
			identity.IDSessionRefreshToken, identity.IDSessionRefresh, identity.IDSessionLifetime},
			Live: []engine.ID{identity.IDHeadlampOIDCLive}},
		{From: "Headlamp", To: "capsule-proxy", IDs: []engine.ID{hlcheck.IDAPIHost, hlcheck.IDCA, hlcheck.IDRestart, network.IDProxy, network.IDDNS,
			identity.IDHeadlampLog},
			Prefixes: []string{"PROXY-"}, Live: []engine.ID{identity.IDHeadlampAPILive, proxy.IDTLSLive, proxy.IDHealthz, identity.IDReviewProxy}},
		{From: "capsule-proxy", To: "API server", IDs: []engine.ID{identity.IDIdPAPIServerTrust, identity.IDIdPKeysAPIServer, identity.IDTokenEmailVerified,
			identity.IDTokenGroups, identity.IDTokenIdentity, identity.IDTokenProxyUsername}, Prefixes: []string{"CLUSTER-", "AUTHN-"},
			Live: []engine.ID{identity.IDReviewAPIServer}},
		{From: "API server", To: "Capsule tenant", IDs: []engine.ID{identity.IDTenantUserGroup, identity.IDTenantOwned, identity.IDReviewProxyIgnored},
			Prefixes: []string{"CAPSULE-"}, Live: []engine.ID{identity.IDTenantNamespaces, identity.IDTenantViews}},
	}
}

// Chain judges the sign-in chain of a report.
func Chain(r engine.Report) []chain.Hop { return chain.Compute(r, Hops()) }
