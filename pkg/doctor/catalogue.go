package doctor

import "slices"

// Catalogue returns every check, in output order: by category, premises before what builds on them.
// A new area adds its list here (its checks may depend on any check listed before it). The identity
// checks come last: they follow the sign-in from the IdP to the tenant, on top of part 1's setup.
func Catalogue() []Check {
	return slices.Concat(
		clusterChecks(),
		capsuleChecks(),
		proxyChecks(),
		proxyCertChecks(),
		proxyLiveChecks(),
		headlampChecks(),
		headlampOIDCChecks(),
		authnChecks(),
		authnClusterChecks(),
		IdentityChecks(),
	)
}

// AllFacts returns the producers of every fact the catalogue's checks may need, bound to env.
func AllFacts(env Env) []Fact {
	return slices.Concat(
		clusterFacts(env),
		capsuleFacts(env),
		proxyFacts(env),
		dialerFacts(env),
		headlampFacts(env),
		authnFacts(env),
		apiserverFacts(env),
		joinedIdentityFacts(env),
	)
}

// joinedIdentityFacts are the identity facts of env.Identity where what Headlamp expects of the IdP, and
// the way to capsule-proxy, come from the facts above unless the command fixed them, and the Capsule
// users always do.
func joinedIdentityFacts(env Env) []Fact {
	facts := IdentityFacts(env.Identity)
	if env.Identity.Expect == nil {
		facts = replaceFact(facts, expectationFact(env))
	}
	if env.Identity.Proxy == nil {
		facts = replaceFact(facts, proxyEndpointFact(env.Identity.ProxyAddress))
	}
	return replaceFact(facts, capsuleUsersFact()) // CapsuleConfiguration is read once, by factCapsuleConfig
}

// replaceFact returns facts with the fact of the same name replaced by f.
func replaceFact(facts []Fact, f Fact) []Fact {
	out := slices.Clone(facts)
	for i := range out {
		if out[i].Name == f.Name {
			out[i] = f
		}
	}
	return out
}
