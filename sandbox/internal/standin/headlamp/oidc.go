package headlamp

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

type discovery struct {
	Issuer        string `json:"issuer"`
	Authorization string `json:"authorization_endpoint"`
	Token         string `json:"token_endpoint"`
}

func (s *Server) discover(ctx context.Context, issuer string) (discovery, error) {
	var d discovery
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(issuer, "/")+"/.well-known/openid-configuration", nil)
	if err != nil {
		return d, err
	}
	resp, err := s.cfg.IDP.Do(req)
	if err != nil {
		return d, fmt.Errorf("oidc discovery: %w", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return d, fmt.Errorf("oidc discovery: %s", resp.Status)
	}
	return d, json.NewDecoder(resp.Body).Decode(&d)
}

// oidc redirects to the IdP's authorization endpoint, like Headlamp's /oidc handler.
func (s *Server) oidc(w http.ResponseWriter, r *http.Request) {
	st, ok := s.settings(w, r)
	if !ok {
		return
	}
	if r.URL.Query().Get("cluster") != st.Cluster() || !st.OIDC() || st.Get("in-cluster", "false") != "true" {
		http.Error(w, "invalid request: no OIDC configuration for cluster "+r.URL.Query().Get("cluster"), http.StatusBadRequest)
		return
	}
	d, err := s.discover(r.Context(), st.Get("oidc-idp-issuer-url", ""))
	if err != nil {
		http.Error(w, "failed to get provider: "+err.Error(), http.StatusInternalServerError)
		return
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	state := hex.EncodeToString(b)
	cb := redirectURI(st, r)
	s.remember(state, pending{redirectURI: cb, created: time.Now()})
	scopes := []string{"openid"}
	for _, sc := range strings.Split(st.Scopes(), ",") {
		if sc = strings.TrimSpace(sc); sc != "" {
			scopes = append(scopes, sc)
		}
	}
	q := url.Values{"client_id": {st.Get("oidc-client-id", "")}, "redirect_uri": {cb}, "response_type": {"code"},
		"scope": {strings.Join(scopes, " ")}, "state": {state}}
	http.Redirect(w, r, d.Authorization+"?"+q.Encode(), http.StatusFound)
}

// callback exchanges the code with the configured client secret (a wrong secret fails here, visibly)
// and checks the ID token's issuer and audience.
func (s *Server) callback(w http.ResponseWriter, r *http.Request) {
	st, ok := s.settings(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	p, found := s.take(q.Get("state"))
	if !found {
		page(w, http.StatusBadRequest, "invalid request: unknown state")
		return
	}
	if e := q.Get("error"); e != "" {
		page(w, http.StatusBadRequest, "identity provider error: "+e+" "+q.Get("error_description"))
		return
	}
	claims, err := s.exchange(r.Context(), st, q.Get("code"), p.redirectURI)
	if err != nil {
		page(w, http.StatusInternalServerError, "failed to exchange token: "+err.Error())
		return
	}
	page(w, http.StatusOK, "Signed in as "+claims.Email)
}

type idClaims struct {
	Issuer   string          `json:"iss"`
	Audience json.RawMessage `json:"aud"`
	Email    string          `json:"email"`
}

func (s *Server) exchange(ctx context.Context, st Settings, code, redirect string) (idClaims, error) {
	issuer := st.Get("oidc-idp-issuer-url", "")
	d, err := s.discover(ctx, issuer)
	if err != nil {
		return idClaims{}, err
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Token, strings.NewReader(form.Encode()))
	if err != nil {
		return idClaims{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(st.Get("oidc-client-id", "")), url.QueryEscape(st.Get("oidc-client-secret", "")))
	resp, err := s.cfg.IDP.Do(req)
	if err != nil {
		return idClaims{}, err
	}
	defer func() { _ = resp.Body.Close() }()
	var body struct {
		IDToken string `json:"id_token"`
		Error   string `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		return idClaims{}, fmt.Errorf("token endpoint answered %s %s", resp.Status, body.Error)
	}
	return verifyClaims(body.IDToken, d.Issuer, st.Get("oidc-validator-client-id", st.Get("oidc-client-id", "")))
}

// verifyClaims checks issuer and audience. The signature is not checked: the token came straight from
// the IdP's token endpoint over TLS, which OpenID Connect accepts in place of a signature check.
func verifyClaims(token, issuer, clientID string) (idClaims, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return idClaims{}, fmt.Errorf("id token is not a JWT")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return idClaims{}, fmt.Errorf("decode id token: %w", err)
	}
	var c idClaims
	if err := json.Unmarshal(payload, &c); err != nil {
		return idClaims{}, fmt.Errorf("decode id token claims: %w", err)
	}
	var auds []string
	if json.Unmarshal(c.Audience, &auds) != nil {
		var one string
		_ = json.Unmarshal(c.Audience, &one)
		auds = []string{one}
	}
	if c.Issuer != issuer {
		return c, fmt.Errorf("id token issued by %q, expected %q", c.Issuer, issuer)
	}
	if !slices.Contains(auds, clientID) {
		return c, fmt.Errorf("expected audience %q got %q", clientID, auds)
	}
	return c, nil
}
