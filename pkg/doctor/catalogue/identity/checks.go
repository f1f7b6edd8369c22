// Package identity is the last area of doctor's catalogue: it follows a user's sign-in the way Headlamp,
// the API server, capsule-proxy and Capsule see it. The IdP (discovery and TLS as each party trusts it,
// issuer strings, keys, scopes, Headlamp's client), the user's token (signature, issuer, audience,
// expiry by the API server's clock, claims after the mappings), and what the API server and
// capsule-proxy make of it, down to the tenant's namespaces. What Headlamp expects comes from the
// facts the earlier areas read; the checks build on theirs.
package identity

import (
	"slices"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// Checks returns the identity checks (the IdP, the user's token, and what the API server,
// capsule-proxy and Capsule make of it), in catalogue order.
func Checks() []engine.Check {
	return slices.Concat(idpChecks(), idpKeysChecks(), tokenChecks(), tokenProxyChecks(), sessionChecks(), reviewChecks(), reviewProxyChecks(),
		viewChecks(), headlampLiveChecks())
}

// Facts are the facts of the identity checks, produced with id. What Headlamp expects of the IdP, and
// the way to capsule-proxy, come from the facts of the earlier areas (the Headlamp Deployment, the
// authentication config, the proxy's endpoints, read with e) unless id fixes them; the Capsule users
// are those of CapsuleConfiguration default, read once by the capsule area.
func Facts(e area.Env, id Env) []engine.Fact {
	facts := slices.Concat(idpFacts(id), sessionFacts(), clusterFacts(id), viewFacts(id), []engine.Fact{headlampConnFact(id.Expect != nil)}, headlampProbeFacts(e))
	if id.Expect == nil {
		facts = replaceFact(facts, expectationFact(e, id))
	}
	if id.Proxy == nil {
		facts = replaceFact(facts, proxyEndpointFact(id.ProxyAddress))
	}
	return facts
}

// replaceFact returns facts with the fact of the same name replaced by f.
func replaceFact(facts []engine.Fact, f engine.Fact) []engine.Fact {
	out := slices.Clone(facts)
	for i := range out {
		if out[i].Name == f.Name {
			out[i] = f
		}
	}
	return out
}
