// Package authn is the area of doctor's catalogue that checks the API server's authentication: the
// --authentication-config file (validated with the API server's own code) against Headlamp's issuer,
// audience and the Capsule groups, the kube-apiserver flags, and what /metrics says is loaded.
package authn

import (
	"context"
	"slices"
	"strings"

	apiserver "k8s.io/apiserver/pkg/apis/apiserver"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authconfig"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/capsule"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/cluster"
	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// Category groups the checks of the API server's authentication configuration.
const Category = "API server authentication"

// The API server authentication checks.
const (
	IDConfigValid    engine.ID = "AUTHN-CONFIG-VALID"
	IDIssuer         engine.ID = "AUTHN-ISSUER"
	IDAudience       engine.ID = "AUTHN-AUDIENCE"
	IDClaims         engine.ID = "AUTHN-CLAIMS"
	IDAPIServerFlags engine.ID = "AUTHN-APISERVER-FLAGS"
	IDMetrics        engine.ID = "AUTHN-METRICS"
)

// Checks are the API server authentication checks, in catalogue order.
func Checks() []engine.Check {
	return slices.Concat(configChecks(), proxyChecks(), clusterChecks(), metricsChecks())
}

func configChecks() []engine.Check {
	return []engine.Check{
		{
			ID: IDConfigValid, Title: "The AuthenticationConfiguration file is valid", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{cluster.IDAPI},
			Needs: []engine.FactName{authconfig.Fact.Name(), cluster.FactServerVersion.Name()},
			Hint: "Fix the file where the API server's validation points (field paths as in jwt[0].issuer.audiences): the API " +
				"server refuses to start with it. certificateAuthority belongs under jwt[].issuer; the flag is --authentication-config",
			Explain: "Decoded strictly with the API server's own scheme and checked with k8s.io/apiserver's " +
				"ValidateAuthenticationConfiguration: what kube-apiserver does at start. Skipped unless " +
				"--authentication-config FILE is given.",
			Run: checkAuthConfigValid,
		},
		{
			ID: IDIssuer, Title: "The API server trusts Headlamp's issuer", Category: Category, Severity: engine.SeverityError,
			DependsOn: []engine.ID{IDConfigValid, hlcheck.IDOIDC},
			Needs:     []engine.FactName{authconfig.Fact.Name(), headlampview.FactView.Name()},
			Hint: "Use the issuer the IdP's discovery document returns (its issuer field; " +
				"IDP-ISSUER-MATCH shows it) exactly, a trailing slash included, in jwt[].issuer.url and in Headlamp's -oidc-idp-issuer-url: " +
				"tokens whose iss differs are ignored by that authenticator",
			Explain: "The token's iss claim must equal an authenticator's issuer.url byte for byte.",
			Run:     checkAuthnIssuer,
		},
		{
			ID: IDAudience, Title: "The API server accepts tokens issued to Headlamp's client", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{IDIssuer},
			Needs: []engine.FactName{authconfig.Fact.Name(), headlampview.FactView.Name()},
			Hint:  "Add <client-id> to jwt[].issuer.audiences, with audienceMatchPolicy: MatchAny when there are several (e.g. audiences: [kubernetes, <client-id>])",
			Explain: "Headlamp forwards the ID token it received for its own client id, so its aud is that client id. " +
				"capsule-proxy reviews the token with the API server, which must list that audience.",
			Run: checkAuthnAudience,
		},
		{
			ID: IDClaims, Title: "Claim mappings give Capsule users their groups", Category: Category,
			Severity: engine.SeverityError, DependsOn: []engine.ID{IDIssuer, capsule.IDUsers},
			Needs: []engine.FactName{authconfig.Fact.Name(), headlampview.FactView.Name(), capsule.FactConfig.Name()},
			Hint: "Map the token's groups with claimMappings.groups {claim: groups, prefix: \"\"}, or name the prefixed groups " +
				"(<prefix><group>) in CapsuleConfiguration default spec.users",
			Explain: "capsule-proxy sees the groups the API server derives from the token (claim and prefix); " +
				"they must match a Group in CapsuleConfiguration default or tenants get no filtering.",
			Run: checkAuthnClaims,
		},
	}
}

func checkAuthConfigValid(_ context.Context, f engine.Facts) engine.Result {
	ac, err := authconfig.Fact.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	if ac == nil {
		return engine.NotApplicable("no --authentication-config FILE given")
	}
	if ac.DecodeErr != nil {
		return engine.Problem("the API server cannot load %s: %v", ac.Path, ac.DecodeErr)
	}
	if len(ac.Invalid) > 0 {
		var errs []string
		for _, e := range ac.Invalid {
			errs = append(errs, e.Error())
		}
		return engine.Problem("the API server would refuse %s: %s", ac.Path, strings.Join(errs, "; ")).With("errors", errs)
	}
	if v, err := cluster.FactServerVersion.Get(f); err == nil && ac.APIVersion == "apiserver.config.k8s.io/v1" {
		if _, minor, err := cluster.MinorVersion(v); err == nil && minor < 34 {
			return engine.Problem("%s uses %s, which the API server %s does not serve (v1beta1 until 1.34)", ac.Path, ac.APIVersion, v.GitVersion)
		}
	}
	return engine.Pass("%s: %s, %d JWT authenticator(s)", ac.Path, ac.APIVersion, len(ac.Config.JWT)).With("hash", ac.Hash)
}

// authnInputs are the authentication config and Headlamp's settings, when doctor could read those
// the check judges (the issuer Headlamp uses, say).
func authnInputs(f engine.Facts, settings ...headlamp.Setting) (*authconfig.Config, headlampview.View, error) {
	ac, err := authconfig.Fact.Get(f)
	if err != nil {
		return nil, headlampview.View{}, err
	}
	h, err := headlampview.Get(f, settings...)
	return ac, h, err
}

func checkAuthnIssuer(_ context.Context, f engine.Facts) engine.Result {
	ac, h, err := authnInputs(f, headlampview.IssuerSettings...)
	if err != nil {
		return area.CouldNotLook(err)
	}
	issuer := h.Issuer()
	if _, ok := ac.JWTFor(issuer); ok {
		return engine.Pass("%s", issuer)
	}
	var urls []string
	for _, j := range ac.Config.JWT {
		urls = append(urls, j.Issuer.URL)
	}
	return engine.Problem("no authenticator for Headlamp's issuer %s (configured: %s)", issuer, strings.Join(urls, ", ")).
		With("issuer", issuer).With("configured", urls)
}

func checkAuthnAudience(_ context.Context, f engine.Facts) engine.Result {
	ac, h, err := authnInputs(f, headlampview.AudienceSettings...)
	if err != nil {
		return area.CouldNotLook(err)
	}
	j, _ := ac.JWTFor(h.Issuer())
	id := h.OIDC.AudienceClientID()
	is := j.Issuer
	r := engine.Pass("%s is among the audiences %s", id, strings.Join(is.Audiences, ", "))
	switch {
	case !slices.Contains(is.Audiences, id):
		r = engine.Problem("Headlamp's tokens carry aud %s; the API server accepts only %s", id, strings.Join(is.Audiences, ", "))
	case len(is.Audiences) > 1 && is.AudienceMatchPolicy != apiserver.AudienceMatchPolicyMatchAny:
		r = engine.Problem("%d audiences need audienceMatchPolicy: MatchAny", len(is.Audiences))
	}
	return r.With("audiences", is.Audiences).WithVar("client-id", id)
}

func checkAuthnClaims(_ context.Context, f engine.Facts) engine.Result {
	ac, h, err := authnInputs(f, headlampview.IssuerSettings...)
	if err != nil {
		return area.CouldNotLook(err)
	}
	cfg, err := capsule.FactConfig.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	j, _ := ac.JWTFor(h.Issuer())
	return judgeGroups(j.ClaimMappings, cfg)
}

func judgeGroups(m apiserver.ClaimMappings, cfg capsule.Config) engine.Result {
	g := m.Groups
	groups := cfg.Groups()
	switch {
	case g.Expression != "":
		return engine.Pass("groups come from the expression %q: compare with the Capsule groups %s", g.Expression, strings.Join(groups, ", "))
	case g.Claim == "":
		if len(groups) > 0 {
			return engine.Problem("no groups mapping: tokens give no groups, so Capsule groups %s never match", strings.Join(groups, ", "))
		}
		return engine.Pass("no groups mapping; Capsule users are users, not groups")
	}
	prefix := ""
	if g.Prefix != nil {
		prefix = *g.Prefix
	}
	r := engine.Pass("groups from claim %q with prefix %q match Capsule groups %s", g.Claim, prefix, strings.Join(groups, ", "))
	if len(groups) > 0 && prefix != "" && !slices.ContainsFunc(groups, func(s string) bool { return strings.HasPrefix(s, prefix) }) {
		r = engine.Problem("groups get the prefix %q, but no Capsule group starts with it (%s)", prefix, strings.Join(groups, ", "))
	}
	return r.With("claim", g.Claim).With("prefix", prefix).With("capsuleGroups", groups).WithVar("prefix", prefix).
		WithVar("group", firstOf(groups))
}

func firstOf(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
