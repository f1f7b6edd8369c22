package oidc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/oauth2"
)

// Client is a confidential OAuth 2.0 client at the IdP: Headlamp's.
type Client struct {
	ID     string
	Secret Secret
	// TokenURL and AuthURL come from the discovery document.
	TokenURL string
	AuthURL  string
}

// ErrClientRejected means the token endpoint refused the client's credentials (OAuth 2.0
// invalid_client): a wrong client secret, or a client the IdP does not know.
var ErrClientRejected = errors.New("the IdP rejected the client credentials (invalid_client): check the client id and the client secret Headlamp uses")

func (c Client) config(scopes []string, redirect string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     c.ID,
		ClientSecret: c.Secret.Reveal(),
		Endpoint:     oauth2.Endpoint{TokenURL: c.TokenURL, AuthURL: c.AuthURL, AuthStyle: oauth2.AuthStyleInHeader},
		Scopes:       scopes,
		RedirectURL:  redirect,
	}
}

// PasswordGrant obtains an ID token with the resource owner password grant, as Headlamp's client.
type PasswordGrant struct {
	Client   Client
	Username string
	Password Secret
	Scopes   []string
	HTTP     *http.Client
}

// Token asks the token endpoint for an ID token (and the refresh token, when the IdP issues one).
func (g PasswordGrant) Token(ctx context.Context) (Tokens, error) {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, g.HTTP)
	tok, err := g.Client.config(g.Scopes, "").PasswordCredentialsToken(ctx, g.Username, g.Password.Reveal())
	if err != nil {
		return Tokens{}, tokenEndpointError("password grant", err)
	}
	return tokensOf(tok)
}

// Describe names the grant and the user.
func (g PasswordGrant) Describe() string { return "password grant for " + g.Username }

// ProbeClient checks the client's credentials at the token endpoint without any user credential: it
// redeems a code that cannot exist. An IdP authenticates the client before it looks at the code
// (RFC 6749 §5.2), so invalid_client means wrong credentials and invalid_grant means they were accepted.
func ProbeClient(ctx context.Context, hc *http.Client, c Client, redirect string) error {
	ctx = context.WithValue(ctx, oauth2.HTTPClient, hc)
	_, err := c.config(nil, redirect).Exchange(ctx, "capsule-headlamp-doctor-probe")
	var re *oauth2.RetrieveError
	switch {
	case err == nil:
		return errors.New("the token endpoint accepted a made-up code: it does not check codes")
	case !errors.As(err, &re):
		return fmt.Errorf("probe the token endpoint: %w", err)
	case clientRejected(re):
		return ErrClientRejected
	case re.ErrorCode == "invalid_grant" || re.ErrorCode == "invalid_request":
		return nil
	}
	return tokenEndpointError("client probe", err)
}

// tokenEndpointError keeps the OAuth error code and description and drops the rest of the answer.
func tokenEndpointError(what string, err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return fmt.Errorf("%s: %w", what, err)
	}
	if clientRejected(re) {
		return fmt.Errorf("%s: %w", what, ErrClientRejected)
	}
	e := &OAuthError{What: what, Code: re.ErrorCode, Description: re.ErrorDescription}
	if re.Response != nil {
		e.Status = re.Response.Status
	}
	return e
}

// OAuthError is the IdP's refusal at its token endpoint: the OAuth error code and description, nothing
// else of the answer (which might echo a credential).
type OAuthError struct {
	What        string // the grant: "refresh grant", "password grant"
	Status      string
	Code        string // unsupported_grant_type, invalid_grant, ...
	Description string
}

func (e *OAuthError) Error() string {
	return strings.TrimSpace(fmt.Sprintf("%s: the IdP answered %s: %s %s", e.What, e.Status, e.Code, e.Description))
}

// tokensOf takes the ID token and the refresh token out of a token response.
func tokensOf(tok *oauth2.Token) (Tokens, error) {
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Tokens{}, errors.New("the token response holds no id_token: request the openid scope")
	}
	return Tokens{ID: NewSecret(raw), Refresh: NewSecret(tok.RefreshToken)}, nil
}

// clientRejected reads an OAuth error answer: invalid_client, or a bare 401 without an error code (a
// 401 with another code, such as a wrong password's, is about the user).
func clientRejected(re *oauth2.RetrieveError) bool {
	return re.ErrorCode == "invalid_client" || re.ErrorCode == "unauthorized_client" ||
		(re.ErrorCode == "" && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized)
}
