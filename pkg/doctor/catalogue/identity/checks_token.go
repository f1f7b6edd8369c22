package identity

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// CategoryToken groups the checks of the user's token.
const CategoryToken = "Identity token"

// The token checks.
const (
	IDTokenObtained      engine.ID = "TOKEN-OBTAINED"
	IDTokenSignature     engine.ID = "TOKEN-SIGNATURE"
	IDTokenIssuer        engine.ID = "TOKEN-ISSUER"
	IDTokenAudience      engine.ID = "TOKEN-AUDIENCE"
	IDTokenExpiry        engine.ID = "TOKEN-EXPIRY"         //nolint:gosec // a check ID, not a credential
	IDTokenEmailVerified engine.ID = "TOKEN-EMAIL-VERIFIED" //nolint:gosec // a check ID, not a credential
	IDTokenGroups        engine.ID = "TOKEN-GROUPS"
	IDTokenIdentity      engine.ID = "TOKEN-IDENTITY"
)

// tokenCheck is the shape of most token checks: they need the expectation, the token and the API
// server's clock, and judge one step of the verification.
func tokenCheck(id engine.ID, title, hint string, judge func(exp Expectation, t TokenFact, v oidc.Verification) engine.Result) engine.Check {
	return engine.Check{
		ID: id, Title: title, Category: CategoryToken, Severity: engine.SeverityError, Hint: hint,
		DependsOn: []engine.ID{IDTokenObtained}, Needs: names(idExpect, idToken, idServerTime),
		Run: func(ctx context.Context, f engine.Facts) engine.Result {
			exp, t, now, err := tokenInputs(f)
			if err != nil {
				return unknownFrom(err)
			}
			v := oidc.Verify(ctx, t.Token, t.Parsed.Claims, verifyInput(exp, nil, now))
			return judge(exp, t, v)
		},
	}
}

func tokenInputs(f engine.Facts) (Expectation, TokenFact, ServerClock, error) {
	exp, err := idExpect.Get(f)
	if err != nil {
		return exp, TokenFact{}, ServerClock{}, err
	}
	t, err := idToken.Get(f)
	if err != nil {
		return exp, t, ServerClock{}, err
	}
	now, err := idServerTime.Get(f)
	return exp, t, now, err
}

func verifyInput(exp Expectation, ks *oidc.KeySet, now ServerClock) oidc.VerifyInput {
	return oidc.VerifyInput{Issuer: exp.TokenIssuer(), ClientIDs: []string{exp.AudienceClientID()}, Keys: ks, Now: now.Now}
}

func tokenChecks() []engine.Check {
	return []engine.Check{{
		ID: IDTokenObtained, Title: "A token was obtained", Category: CategoryToken, Severity: engine.SeverityError,
		Needs: names(idToken),
		Hint:  "Pass an ID token with --token-file (or - for stdin), or sign in with --username or --browser.",
		Run:   checkTokenObtained,
	}, {
		ID: IDTokenSignature, Title: "The token's signature verifies against the IdP's keys", Category: CategoryToken,
		Severity: engine.SeverityError, DependsOn: []engine.ID{IDTokenObtained, IDIdPKeys}, Needs: names(idExpect, idToken, idKeySet, idServerTime),
		Hint: "Use an ID token issued by this IdP (<issuer>), not one of another IdP or an access token.",
		Run: func(ctx context.Context, f engine.Facts) engine.Result {
			exp, t, now, err := tokenInputs(f)
			if err != nil {
				return unknownFrom(err)
			}
			ks, err := idKeySet.Get(f)
			if err != nil {
				return unknownFrom(err)
			}
			v := oidc.Verify(ctx, t.Token, t.Parsed.Claims, verifyInput(exp, ks, now))
			if v.Signature != nil {
				return engine.Problem("%v", v.Signature).WithVar("issuer", exp.TokenIssuer())
			}
			return engine.Pass("%s signature, key %q", t.Parsed.Header.Algorithm, t.Parsed.Header.KeyID)
		},
	},
		tokenCheck(IDTokenIssuer, "The token's issuer is the expected one", "Use the issuer the IdP's discovery document returns (IDP-ISSUER-MATCH shows it; IdPs write it into every token's iss) "+
			"exactly, in Headlamp's -oidc-idp-issuer-url and the API server's jwt[].issuer.url; never change the IdP to match a client.",
			func(exp Expectation, t TokenFact, v oidc.Verification) engine.Result {
				if v.Issuer != nil {
					return engine.Problem("token %v", v.Issuer).With("token iss", t.Parsed.Claims.Issuer).With("expected", exp.TokenIssuer())
				}
				return engine.Pass("%q", t.Parsed.Claims.Issuer)
			}),
		tokenCheck(IDTokenAudience, "The token is for Headlamp's client",
			"Sign in with Headlamp's client (<client-id>): Headlamp verifies the ID token's aud against it (whether the API server accepts that audience is AUTHN-AUDIENCE's and REVIEW-APISERVER's to say).",
			judgeAudience),
		tokenCheck(IDTokenExpiry, "The token is valid now by the API server's clock", "Get a fresh token; if it is fresh, compare the clocks of the IdP and the API server.",
			func(_ Expectation, t TokenFact, v oidc.Verification) engine.Result {
				if v.Expiry != nil {
					return engine.Problem("%v", v.Expiry)
				}
				if v.IssuedAt != nil {
					return engine.Warn("%v", v.IssuedAt)
				}
				return engine.Pass("expires %s", t.Parsed.Claims.Expiry.Format("2006-01-02 15:04:05Z07:00"))
			}),
		tokenCheck(IDTokenEmailVerified, "email_verified is true when the username claim is email",
			"Verify the user's address at the IdP, or map the username from another claim (claimMappings.username).",
			judgeEmailVerified),
		tokenCheck(IDTokenGroups, "The groups claim is a list of strings", "Request the groups scope (Headlamp: -oidc-scopes=profile,email,groups) and have the IdP send groups.",
			judgeTokenGroups),
		tokenCheck(IDTokenIdentity, "The claim mappings give a username and groups", "Fix the claims above, or the AuthenticationConfiguration's claimMappings.",
			judgeIdentity),
	}
}

func checkTokenObtained(_ context.Context, f engine.Facts) engine.Result {
	t, err := idToken.Get(f)
	switch {
	case errors.Is(err, ErrNoTokenSource):
		return engine.NeedsInput(MissingUserToken, "%v", err)
	case errors.Is(err, errNoHeadlampOIDC):
		return engine.NotApplicable("%v", err)
	case couldNotReadClient(err):
		return unknownFrom(err)
	case err != nil && t.Source != "":
		return engine.Problem("%s: %v", t.Source, err).With("source", t.Source)
	case err != nil:
		return engine.Problem("%v", err)
	}
	return engine.Pass("from %s: %s", t.Source, claimsLine(t.Parsed.Claims)).With("source", t.Source).With("claims", t.Parsed.Claims.View())
}

// couldNotReadClient tells whether a sign-in could not start because reading Headlamp's client met a
// missing permission or an API server that did not answer.
func couldNotReadClient(err error) bool {
	var needs *tokenNeedsError
	if !errors.As(err, &needs) {
		return false
	}
	_, named := area.AccessOf(err)
	return named || apierrors.IsForbidden(err) || apierrors.IsUnauthorized(err) || errors.Is(err, context.DeadlineExceeded)
}

// claimsLine shows a human the claims a sign-in turns on (the full redacted view is in the evidence):
// the token itself never.
func claimsLine(c oidc.Claims) string {
	parts := []string{fmt.Sprintf("iss %q", c.Issuer), fmt.Sprintf("aud %q", c.Audience)}
	for _, name := range []string{"email", "email_verified", "groups"} {
		if raw, ok := c.Raw[name]; ok {
			parts = append(parts, name+" "+string(raw))
		}
	}
	if !c.Expiry.IsZero() {
		parts = append(parts, "expires "+c.Expiry.UTC().Format(time.RFC3339))
	}
	return strings.Join(parts, ", ")
}

func judgeAudience(exp Expectation, t TokenFact, v oidc.Verification) engine.Result {
	aud := t.Parsed.Claims.Audience
	if v.Audience != nil {
		return engine.Problem("token %v", v.Audience).With("token aud", aud).WithVar("client-id", exp.AudienceClientID())
	}
	return engine.Pass("%q", aud)
}

func judgeEmailVerified(exp Expectation, t TokenFact, _ oidc.Verification) engine.Result {
	m, _ := exp.Mapping()
	if m.Username.Claim != "email" {
		return engine.NotApplicable("the username claim is %q", m.Username.Claim)
	}
	_, err := m.Apply(t.Parsed.Claims)
	if errors.Is(err, oidc.ErrEmailNotVerified) || (err != nil && strings.Contains(err.Error(), "email_verified")) {
		return engine.Problem("%v", err)
	}
	if !t.Parsed.Claims.Has("email_verified") {
		return engine.Pass("email_verified absent: the API server accepts that")
	}
	return engine.Pass("email_verified: true")
}

func judgeTokenGroups(exp Expectation, t TokenFact, _ oidc.Verification) engine.Result {
	m, _ := exp.Mapping()
	groups, shape := m.GroupsOf(t.Parsed.Claims)
	switch shape {
	case oidc.GroupsAbsent:
		return engine.Problem("the token has no %q claim: the user is in no group, so in no Capsule tenant", m.Groups.Claim)
	case oidc.GroupsInvalid:
		return engine.Problem("claim %q is neither a string nor a list of strings: the API server rejects the token", m.Groups.Claim)
	case oidc.GroupsString:
		return engine.Warn("%q is a single string, not a list: the API server accepts it as one group, other consumers may not", m.Groups.Claim).With("groups", groups)
	}
	return engine.Pass("%d groups", len(groups)).With("groups", groups)
}

func judgeIdentity(exp Expectation, t TokenFact, _ oidc.Verification) engine.Result {
	m, known := exp.Mapping()
	id, err := m.Apply(t.Parsed.Claims)
	if err != nil {
		return engine.Problem("%v", err)
	}
	r := engine.Pass("username %q, groups %q", id.Username, id.Groups).With("username", id.Username).With("groups", id.Groups)
	if !known {
		r = r.With("mapping", "assumed: username from email, groups from groups, no prefixes (pass --authentication-config to use the real one)")
	}
	return r
}
