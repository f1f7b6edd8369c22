package authn

import (
	"context"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authconfig"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxyview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// IDProxyUsername is the check that capsule-proxy and the API server take the user name from one claim.
const IDProxyUsername engine.ID = "AUTHN-PROXY-USERNAME"

func proxyChecks() []engine.Check {
	return []engine.Check{{
		ID: IDProxyUsername, Title: "capsule-proxy takes the user name from the claim the API server maps", Category: Category,
		Severity: engine.SeverityError, DependsOn: []engine.ID{IDIssuer, proxy.IDDeployment},
		Needs: []engine.FactName{authconfig.Fact.Name(), headlampview.FactView.Name(), proxyview.FactDeployment.Name()},
		Hint: "Run capsule-proxy with --oidc-username-claim=<claim> (Helm: options.oidcUsernameClaim), the claim of " +
			"jwt[].claimMappings.username in the AuthenticationConfiguration",
		Explain: "capsule-proxy reads the user name from the token's --oidc-username-claim (default preferred_username), the API " +
			"server from claimMappings.username. When they differ, the two name the user differently: tenants owned by " +
			"the API server's user name are not found for the proxy's, and a token without the proxy's claim is refused " +
			"(\"missing ... claim in JWT\"). Judged from the file given with --authentication-config; TOKEN-PROXY-USERNAME " +
			"checks the user's token itself.",
		Run: checkProxyUsername,
	}}
}

func checkProxyUsername(_ context.Context, f engine.Facts) engine.Result {
	ac, h, err := authnInputs(f, headlampview.IssuerSettings...)
	if err != nil {
		return area.CouldNotLook(err)
	}
	d, err := proxyview.FactDeployment.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	j, _ := ac.JWTFor(h.Issuer())
	u := j.ClaimMappings.Username
	proxyClaim := d.Flags.UsernameClaim
	switch {
	case u.Expression != "":
		return engine.Unknown("the API server computes the user name with the expression %q: compare it with capsule-proxy's claim %q", u.Expression, proxyClaim).
			WithVar("claim", proxyClaim)
	case u.Claim != proxyClaim:
		return engine.Problem("capsule-proxy %s reads the user name from claim %q, the API server from %q", d.Ref(), proxyClaim, u.Claim).
			With("proxyClaim", proxyClaim).With("apiServerClaim", u.Claim).WithVar("claim", u.Claim)
	}
	return engine.Pass("both read claim %q", u.Claim).With("claim", u.Claim)
}
