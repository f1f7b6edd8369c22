package doctor

// IdentityCatalogue returns the identity checks (doctor part 2: the IdP, the user's token, and what
// the API server, capsule-proxy and Capsule make of it) and the facts they need. The command appends
// them to the rest of the catalogue.
func IdentityCatalogue(env IdentityEnv) ([]Check, []Fact) {
	var checks []Check
	checks = append(checks, idpChecks()...)
	checks = append(checks, tokenChecks()...)
	checks = append(checks, reviewChecks(env)...)
	return checks, identityFacts(env)
}
