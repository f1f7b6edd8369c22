package doctor

import (
	"context"
	"fmt"
	"slices"
	"strings"

	apiserver "k8s.io/apiserver/pkg/apis/apiserver"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// CategoryAuthn groups the checks of the API server's authentication configuration.
const CategoryAuthn = "API server authentication"

func authnChecks() []Check {
	return []Check{
		{
			ID: "AUTHN-CONFIG-VALID", Title: "The AuthenticationConfiguration file is valid", Category: CategoryAuthn,
			Severity: SeverityError, DependsOn: []ID{"CLUSTER-API"},
			Needs: []FactName{factAuthConfig.Name(), factServerVersion.Name()},
			Hint: "Fix the file where the API server's validation points (field paths as in jwt[0].issuer.audiences): the API " +
				"server refuses to start with it. certificateAuthority belongs under jwt[].issuer; the flag is --authentication-config",
			Explain: "Decoded strictly with the API server's own scheme and checked with k8s.io/apiserver's " +
				"ValidateAuthenticationConfiguration: what kube-apiserver does at start. Skipped unless " +
				"--authentication-config FILE is given.",
			Run: checkAuthConfigValid,
		},
		{
			ID: "AUTHN-ISSUER", Title: "The API server trusts Headlamp's issuer", Category: CategoryAuthn, Severity: SeverityError,
			DependsOn: []ID{"AUTHN-CONFIG-VALID", "HEADLAMP-OIDC"},
			Needs:     []FactName{factAuthConfig.Name(), factHeadlamp.Name()},
			Hint:      "Make jwt[].issuer.url exactly Headlamp's issuer URL <issuer> (scheme, host, path, no trailing slash difference): tokens whose iss differs are ignored by that authenticator",
			Explain:   "The token's iss claim must equal an authenticator's issuer.url byte for byte.",
			Run:       checkAuthnIssuer,
		},
		{
			ID: "AUTHN-AUDIENCE", Title: "The API server accepts tokens issued to Headlamp's client", Category: CategoryAuthn,
			Severity: SeverityError, DependsOn: []ID{"AUTHN-ISSUER"},
			Needs: []FactName{factAuthConfig.Name(), factHeadlamp.Name()},
			Hint:  "Add <client-id> to jwt[].issuer.audiences, with audienceMatchPolicy: MatchAny when there are several (e.g. audiences: [kubernetes, <client-id>])",
			Explain: "Headlamp forwards the ID token it received for its own client id, so its aud is that client id. " +
				"capsule-proxy reviews the token with the API server, which must list that audience.",
			Run: checkAuthnAudience,
		},
		{
			ID: "AUTHN-CLAIMS", Title: "Claim mappings give Capsule users their groups", Category: CategoryAuthn,
			Severity: SeverityError, DependsOn: []ID{"AUTHN-ISSUER", "CAPSULE-USERS"},
			Needs: []FactName{factAuthConfig.Name(), factHeadlamp.Name(), factCapsuleConfig.Name()},
			Hint: "Map the token's groups with claimMappings.groups {claim: groups, prefix: \"\"}, or name the prefixed groups " +
				"(<prefix><group>) in CapsuleConfiguration default spec.users",
			Explain: "capsule-proxy sees the groups the API server derives from the token (claim and prefix); " +
				"they must match a Group in CapsuleConfiguration default or tenants get no filtering.",
			Run: checkAuthnClaims,
		},
	}
}

func checkAuthConfigValid(_ context.Context, f Facts) Result {
	ac, err := factAuthConfig.Get(f)
	if err != nil {
		return couldNotLook(err)
	}
	if ac == nil {
		return NotApplicable("no --authentication-config FILE given")
	}
	if ac.DecodeErr != nil {
		return Problem("the API server cannot load %s: %v", ac.Path, ac.DecodeErr)
	}
	if len(ac.Invalid) > 0 {
		var errs []string
		for _, e := range ac.Invalid {
			errs = append(errs, e.Error())
		}
		return Problem("the API server would refuse %s: %s", ac.Path, strings.Join(errs, "; ")).With("errors", errs)
	}
	if v, err := factServerVersion.Get(f); err == nil && ac.APIVersion == "apiserver.config.k8s.io/v1" {
		if _, minor, err := minorVersion(v); err == nil && minor < 34 {
			return Problem("%s uses %s, which the API server %s does not serve (v1beta1 until 1.34)", ac.Path, ac.APIVersion, v.GitVersion)
		}
	}
	return Pass("%s: %s, %d JWT authenticator(s)", ac.Path, ac.APIVersion, len(ac.Config.JWT)).With("hash", ac.Hash)
}

// headlampIssuer is the issuer Headlamp's tokens carry: the validator issuer when set, else the IdP's.
func headlampIssuer(h HeadlampView) string {
	if h.OIDC.ValidatorIssuerURL != "" {
		return h.OIDC.ValidatorIssuerURL
	}
	return h.OIDC.IssuerURL
}

// authnInputs are the authentication config and Headlamp's settings, when doctor could read those
// the check judges (the issuer Headlamp uses, say).
func authnInputs(f Facts, settings ...headlamp.Setting) (*AuthConfig, HeadlampView, error) {
	ac, err := factAuthConfig.Get(f)
	if err != nil {
		return nil, HeadlampView{}, err
	}
	h, err := headlampSettings(f, settings...)
	return ac, h, err
}

func checkAuthnIssuer(_ context.Context, f Facts) Result {
	ac, h, err := authnInputs(f, issuerSettings...)
	if err != nil {
		return couldNotLook(err)
	}
	issuer := headlampIssuer(h)
	if _, ok := ac.jwtFor(issuer); ok {
		return Pass("%s", issuer)
	}
	var urls []string
	for _, j := range ac.Config.JWT {
		urls = append(urls, j.Issuer.URL)
	}
	return Problem("no authenticator for Headlamp's issuer %s (configured: %s)", issuer, strings.Join(urls, ", ")).
		With("issuer", issuer).With("configured", urls)
}

func checkAuthnAudience(_ context.Context, f Facts) Result {
	ac, h, err := authnInputs(f, audienceSettings...)
	if err != nil {
		return couldNotLook(err)
	}
	j, _ := ac.jwtFor(headlampIssuer(h))
	id := h.OIDC.AudienceClientID()
	is := j.Issuer
	r := Pass("%s is among the audiences %s", id, strings.Join(is.Audiences, ", "))
	switch {
	case !slices.Contains(is.Audiences, id):
		r = Problem("Headlamp's tokens carry aud %s; the API server accepts only %s", id, strings.Join(is.Audiences, ", "))
	case len(is.Audiences) > 1 && is.AudienceMatchPolicy != apiserver.AudienceMatchPolicyMatchAny:
		r = Problem("%d audiences need audienceMatchPolicy: MatchAny", len(is.Audiences))
	}
	return r.With("audiences", is.Audiences).WithVar("client-id", id)
}

func checkAuthnClaims(_ context.Context, f Facts) Result {
	ac, h, err := authnInputs(f, issuerSettings...)
	if err != nil {
		return couldNotLook(err)
	}
	cfg, err := factCapsuleConfig.Get(f)
	if err != nil {
		return couldNotLook(err)
	}
	j, _ := ac.jwtFor(headlampIssuer(h))
	return judgeGroups(j.ClaimMappings, cfg)
}

func judgeGroups(m apiserver.ClaimMappings, cfg CapsuleConfig) Result {
	g := m.Groups
	groups := cfg.Groups()
	switch {
	case g.Expression != "":
		return Pass("groups come from the expression %q: compare with the Capsule groups %s", g.Expression, strings.Join(groups, ", "))
	case g.Claim == "":
		if len(groups) > 0 {
			return Problem("no groups mapping: tokens give no groups, so Capsule groups %s never match", strings.Join(groups, ", "))
		}
		return Pass("no groups mapping; Capsule users are users, not groups")
	}
	prefix := ""
	if g.Prefix != nil {
		prefix = *g.Prefix
	}
	r := Pass("groups from claim %q with prefix %q match Capsule groups %s", g.Claim, prefix, strings.Join(groups, ", "))
	if len(groups) > 0 && prefix != "" && !slices.ContainsFunc(groups, func(s string) bool { return strings.HasPrefix(s, prefix) }) {
		r = Problem("groups get the prefix %q, but no Capsule group starts with it (%s)", prefix, strings.Join(groups, ", "))
	}
	return r.With("claim", g.Claim).With("prefix", prefix).With("capsuleGroups", groups).WithVar("prefix", prefix).
		WithVar("group", fmt.Sprint(first(groups)))
}
