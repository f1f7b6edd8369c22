package identity

import (
	"context"
	"errors"
	"slices"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// idRefresh is the answer to one refresh grant made the way Headlamp renews a session: with the
// refresh token doctor's sign-in got, Headlamp's client credentials and what Headlamp trusts.
const idRefresh engine.Key[oidc.Tokens] = "identity-session-refresh"

// errTokenFromFile is the refresh fact's error for a token that did not come from a sign-in at the IdP.
var errTokenFromFile = errors.New("a token file holds no refresh token: sign in with --username or --browser to try Headlamp's refresh")

// errNoOfflineAccess means Headlamp does not ask for offline_access: the IdP gives it no refresh token.
var errNoOfflineAccess = errors.New("offline_access is not among Headlamp's scopes, so the IdP gives it no refresh token (HEADLAMP-SCOPES)")

// errNoRefreshIssued means doctor's sign-in with Headlamp's client and scopes got no refresh token.
var errNoRefreshIssued = errors.New("the IdP issued no refresh token to Headlamp's client")

func sessionFacts() []engine.Fact {
	return []engine.Fact{
		engine.Define(idRefresh, names(idExpect, idDiscovery, idToken), func(ctx context.Context, in engine.Facts) (oidc.Tokens, error) {
			exp, t, err := refreshInputs(in)
			if err != nil {
				return oidc.Tokens{}, err
			}
			d, err := idDiscovery.Get(in)
			if err != nil {
				return oidc.Tokens{}, err
			}
			if exp.ClientSecret.IsZero() {
				return oidc.Tokens{}, clientSecretMissing(exp)
			}
			hc, err := exp.HeadlampTrust.HTTPClient()
			if err != nil {
				return oidc.Tokens{}, err
			}
			ctx, cancel := answerWithin(ctx)
			defer cancel()
			c := oidc.Client{ID: exp.ClientID, Secret: exp.ClientSecret, TokenURL: d.TokenEndpoint, AuthURL: d.AuthorizationEndpoint}
			return oidc.Refresh(ctx, hc, c, t.Refresh)
		}),
	}
}

// refreshInputs are the expectation and the token with its refresh token, or why there is no refresh
// token to redeem.
func refreshInputs(in engine.Facts) (Expectation, TokenFact, error) {
	exp, err := idExpect.Get(in)
	if err != nil {
		return exp, TokenFact{}, err
	}
	if !asksOfflineAccess(exp) {
		return exp, TokenFact{}, errNoOfflineAccess
	}
	t, err := idToken.Get(in)
	switch {
	case err != nil:
		return exp, t, err
	case !t.FromIDP:
		return exp, t, errTokenFromFile
	case t.Refresh.IsZero():
		return exp, t, errNoRefreshIssued
	}
	return exp, t, nil
}

// asksOfflineAccess reads the scopes as Headlamp sends them (comma or space separated).
func asksOfflineAccess(exp Expectation) bool {
	asked, err := headlamp.WireScopes(exp.Scopes)
	return err == nil && slices.Contains(asked, "offline_access")
}

// clientSecretMissing says why the refresh grant could not be made without Headlamp's client secret.
func clientSecretMissing(exp Expectation) error {
	if exp.ClientSecretErr != nil {
		return exp.ClientSecretErr
	}
	return errors.New("the client secret Headlamp uses could not be read: pass --oidc-client-secret-file to try its refresh")
}

// refreshImpossible tells whether err proves that Headlamp cannot renew sessions (no refresh token,
// or the IdP refused the grant or could not be verified), as against doctor not being able to tell.
func refreshImpossible(err error) bool {
	var oe *oidc.OAuthError
	switch {
	case errors.Is(err, errNoOfflineAccess), errors.Is(err, errNoRefreshIssued), errors.Is(err, oidc.ErrClientRejected), errors.As(err, &oe):
		return true
	}
	return trustFailure(err)
}

// trustFailure tells whether err is a certificate the client would not accept.
func trustFailure(err error) bool {
	switch oidc.Classify(err) {
	case oidc.ReasonUntrusted, oidc.ReasonHostname, oidc.ReasonExpired:
		return true
	}
	return false
}
