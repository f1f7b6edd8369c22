package doctor

// IdentityChecks returns the identity checks (doctor part 2: the IdP, the user's token, and what the
// API server, capsule-proxy and Capsule make of it), in catalogue order. Their facts come from
// IdentityFacts.
func IdentityChecks() []Check {
	var checks []Check
	checks = append(checks, idpChecks()...)
	checks = append(checks, tokenChecks()...)
	checks = append(checks, reviewChecks()...)
	return checks
}

// IdentityCatalogue returns the identity checks and their facts for env.
func IdentityCatalogue(env IdentityEnv) ([]Check, []Fact) {
	return IdentityChecks(), IdentityFacts(env)
}
