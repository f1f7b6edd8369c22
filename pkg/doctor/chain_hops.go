package doctor

import (
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/chain"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// chainHops follow a sign-in: the browser reaches Headlamp, Headlamp signs in at the IdP and gets a
// token, forwards it to capsule-proxy, which has the API server review it, and Capsule filters. Each
// check judges the hop whose failure it explains.
var chainHops = []chain.Def{
	{From: "browser", To: "Headlamp", IDs: []ID{"HEADLAMP-FOUND", "HEADLAMP-READY", "HEADLAMP-REPLICAS", "HEADLAMP-SA-TOKEN", "HEADLAMP-RBAC"}},
	{From: "Headlamp", To: "IdP", IDs: []ID{"HEADLAMP-OIDC", "HEADLAMP-SCOPES", "HEADLAMP-INSECURE-SSL",
		IDIdPDiscovery, IDIdPDiscoveryHeadlamp, IDIdPIssuerMatch, IDIdPKeys, IDIdPGroupsScope,
		IDIdPClient, IDTokenObtained, IDTokenSignature, IDTokenIssuer, IDTokenAudience, IDTokenExpiry}},
	{From: "Headlamp", To: "capsule-proxy", IDs: []ID{"HEADLAMP-API-HOST", "HEADLAMP-CA", "HEADLAMP-RESTART", IDReviewProxy},
		Prefixes: []string{"PROXY-"}},
	{From: "capsule-proxy", To: "API server", IDs: []ID{IDIdPAPIServerTrust, IDTokenEmailVerified, IDTokenGroups, IDTokenIdentity, IDReviewAPIServer},
		Prefixes: []string{"CLUSTER-", "AUTHN-"}},
	{From: "API server", To: "Capsule tenant", IDs: []ID{IDTenantUserGroup, IDTenantOwned, IDTenantNamespaces}, Prefixes: []string{"CAPSULE-"}},
}

// Chain judges the sign-in chain of a report.
func Chain(r engine.Report) []chain.Hop { return chain.Compute(r, chainHops) }
