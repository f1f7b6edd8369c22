package doctor

import "slices"

// Catalogue returns every check, in output order: by category, premises before what builds on them.
// A new area adds its list here (its checks may depend on any check listed before it).
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
	)
}
