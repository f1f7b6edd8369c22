package oidc

import (
	"context"
	"errors"
	"net/http"

	"golang.org/x/oauth2"
)

// ErrNoRefreshToken means there is no refresh token to redeem.
var ErrNoRefreshToken = errors.New("no refresh token")

// Refresh redeems a refresh token at the token endpoint as client c, the way Headlamp renews a
// session shortly before its ID token expires: an OAuth 2.0 refresh_token grant carrying nothing but
// the refresh token and the client's credentials. hc is the HTTP client of whoever refreshes, with
// its trust. The answer's refresh token is the one to use next (the old one when the IdP sent none).
func Refresh(ctx context.Context, hc *http.Client, c Client, refresh Secret) (Tokens, error) {
	if refresh.IsZero() {
		return Tokens{}, ErrNoRefreshToken
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, hc)
	// An expired token holding only the refresh token makes the token source refresh at once.
	tok, err := c.config(nil, "").TokenSource(ctx, &oauth2.Token{RefreshToken: refresh.Reveal()}).Token()
	if err != nil {
		return Tokens{}, tokenEndpointError("refresh grant", err)
	}
	return tokensOf(tok)
}
