package identity

import (
	"context"
	"slices"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxyview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// The checks that capsule-proxy identifies the user as the API server does.
const (
	IDTokenProxyUsername engine.ID = "TOKEN-PROXY-USERNAME"
	IDReviewProxyIgnored engine.ID = "REVIEW-PROXY-IGNORED"
)

func tokenProxyChecks() []engine.Check {
	return []engine.Check{{
		ID: IDTokenProxyUsername, Title: "capsule-proxy finds the API server's user name in the token", Category: CategoryToken,
		Severity: engine.SeverityError, DependsOn: []engine.ID{IDTokenIdentity, proxy.IDDeployment},
		Needs: names(idExpect, idToken, proxyview.FactDeployment),
		Hint: "Run capsule-proxy with --oidc-username-claim=<claim> (Helm: options.oidcUsernameClaim), the claim the API server " +
			"maps to the user name, and have the IdP put it in the token",
		Explain: "capsule-proxy takes the user name from the token's --oidc-username-claim; the API server from its claim " +
			"mapping. With the user's token, doctor reads both and compares the names they give: a missing claim makes " +
			"capsule-proxy refuse the token, a different name makes it look up tenants for someone else.",
		Run: checkTokenProxyUsername,
	}}
}

func reviewProxyChecks() []engine.Check {
	return []engine.Check{{
		ID: IDReviewProxyIgnored, Title: "capsule-proxy filters this user's requests", Category: CategoryReview,
		Severity: engine.SeverityWarning, DependsOn: []engine.ID{IDReviewAPIServer, proxy.IDDeployment},
		Needs: names(idReview, proxyview.FactDeployment),
		Hint: "Remove the user's group from capsule-proxy's --ignored-user-group (or the user from --ignored-username), or sign in " +
			"as a tenant user: capsule-proxy passes requests of ignored users through unfiltered",
		Explain: "capsule-proxy passes the requests of users in its --ignored-user-group groups (and --ignored-username users) " +
			"straight to the API server without tenant filtering: meant for administrators, it gives a tenant 403 on " +
			"cluster-wide lists such as namespaces.",
		Run: checkReviewProxyIgnored,
	}}
}

func checkTokenProxyUsername(_ context.Context, f engine.Facts) engine.Result {
	exp, err := idExpect.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	t, err := idToken.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	d, err := proxyview.FactDeployment.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	claim := d.Flags.UsernameClaim
	proxyName, err := t.Parsed.Claims.StringClaim(claim)
	if err != nil {
		return engine.Problem("capsule-proxy %s reads the user name from claim %q (--oidc-username-claim), and it refuses this token: %v", d.Ref(), claim, err).
			With("proxyClaim", claim).WithVar("claim", mappedClaim(exp))
	}
	m, known := exp.Mapping()
	id, err := m.Apply(t.Parsed.Claims)
	if err != nil {
		return unknownFrom(err) // TOKEN-IDENTITY says why the API server gets no user name
	}
	r := engine.Pass("both name the user %q", proxyName).With("proxyClaim", claim).With("username", id.Username)
	if id.Username != proxyName {
		r = engine.Problem("capsule-proxy names the user %q (claim %q), the API server %q (claim %q)", proxyName, claim, id.Username, m.Username.Claim).
			With("proxyClaim", claim).With("apiServerClaim", m.Username.Claim).WithVar("claim", m.Username.Claim)
	}
	if !known {
		r = r.With("mapping", "assumed: username from email, no prefix (pass --authentication-config to use the real one)")
	}
	return r
}

func mappedClaim(exp Expectation) string {
	m, _ := exp.Mapping()
	return m.Username.Claim
}

func checkReviewProxyIgnored(_ context.Context, f engine.Facts) engine.Result {
	rf, err := idReview.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	d, err := proxyview.FactDeployment.Get(f)
	if err != nil {
		return unknownFrom(err)
	}
	fl := d.Flags
	if slices.Contains(fl.IgnoredUsernames, rf.Review.Username) {
		return engine.Problem("capsule-proxy %s ignores user %q (--ignored-username): its requests pass unfiltered", d.Ref(), rf.Review.Username)
	}
	var ignored []string
	for _, g := range rf.Review.Groups {
		if slices.Contains(fl.IgnoredUserGroups, g) {
			ignored = append(ignored, g)
		}
	}
	if len(ignored) > 0 {
		return engine.Problem("capsule-proxy %s ignores the user's group %s (--ignored-user-group): its requests pass unfiltered",
			d.Ref(), strings.Join(ignored, ", ")).With("ignoredGroups", ignored)
	}
	if len(fl.IgnoredUserGroups) == 0 && len(fl.IgnoredUsernames) == 0 {
		return engine.Pass("capsule-proxy ignores no user or group")
	}
	return engine.Pass("none of the user's groups is ignored (%s)", strings.Join(fl.IgnoredUserGroups, ", "))
}
