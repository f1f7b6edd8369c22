package stack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
)

// Token returns an ID token for a static user from Dex's password grant. clientID is HeadlampClientID
// (confidential: the secret is sent with basic auth) or KubernetesClientID (public). Nil scopes mean
// DefaultScopes. The token is a credential: never print it.
func (s *Stack) Token(ctx context.Context, user, clientID string, scopes []string) (string, error) {
	t, err := s.Tokens(ctx, user, clientID, scopes)
	return t.IDToken, err
}

// Tokens are what Dex's token endpoint answers. Both are credentials: never print them.
type Tokens struct {
	IDToken      string
	RefreshToken string // with offline_access (in DefaultScopes)
}

// Tokens is Token with the refresh token as well.
func (s *Stack) Tokens(ctx context.Context, user, clientID string, scopes []string) (Tokens, error) {
	u, ok := userByEmail(user)
	if !ok {
		return Tokens{}, fmt.Errorf("unknown sandbox user %q: use %s or %s", user, Alice.Email, Bob.Email)
	}
	if scopes == nil {
		scopes = DefaultScopes
	}
	return s.tokenRequest(ctx, clientID, url.Values{
		"grant_type": {"password"}, "username": {u.Email}, "password": {u.Password},
		"scope": {strings.Join(scopes, " ")}, "client_id": {clientID},
	})
}

// Refresh redeems a refresh token at Dex as clientID, as Headlamp does when a session's ID token is
// about to expire.
func (s *Stack) Refresh(ctx context.Context, clientID, refreshToken string) (Tokens, error) {
	return s.tokenRequest(ctx, clientID, url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}, "client_id": {clientID},
	})
}

func (s *Stack) tokenRequest(ctx context.Context, clientID string, form url.Values) (Tokens, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, IssuerURL+"/token", strings.NewReader(form.Encode()))
	if err != nil {
		return Tokens{}, fmt.Errorf("build token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if clientID == HeadlampClientID {
		secret, err := s.ClientSecret()
		if err != nil {
			return Tokens{}, err
		}
		req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	}
	c, err := oidcClient(s.layout)
	if err != nil {
		return Tokens{}, err
	}
	return doTokenRequest(c, req, form.Get("grant_type"))
}

func doTokenRequest(c *http.Client, req *http.Request, grant string) (Tokens, error) {
	resp, err := c.Do(req)
	if err != nil {
		return Tokens{}, fmt.Errorf("ask dex for a token (is the sandbox up?): %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	var body struct {
		IDToken      string `json:"id_token"`
		RefreshToken string `json:"refresh_token"`
		Error        string `json:"error"`
		Desc         string `json:"error_description"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return Tokens{}, fmt.Errorf("decode dex token answer (%s): %w", resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK || body.IDToken == "" {
		return Tokens{}, fmt.Errorf("dex refused the %s grant: %s %s %s", grant, resp.Status, body.Error, body.Desc)
	}
	return Tokens{IDToken: body.IDToken, RefreshToken: body.RefreshToken}, nil
}

// ClientSecret reads the headlamp client secret from its 0600 file.
func (s *Stack) ClientSecret() (string, error) {
	b, err := os.ReadFile(s.layout.ClientSecretFile())
	if err != nil {
		return "", fmt.Errorf("read the headlamp client secret: %w", err)
	}
	if len(b) == 0 {
		return "", errors.New("the headlamp client secret file is empty: recreate the sandbox")
	}
	return strings.TrimSpace(string(b)), nil
}
