package headlamp

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// cookieChunk is how much of the token one cookie holds.
const cookieChunk = 3800

// callback exchanges the code with the configured client secret (a wrong secret fails here, with a
// 500), checks the ID token's issuer and audience, stores the token in the session cookie
// headlamp-auth-<cluster>.<n> (HttpOnly, SameSite=Strict, Path <base>/clusters/<cluster>), and sends
// the browser on to /auth?cluster=<cluster>, as Headlamp does.
func (s *Server) callback(w http.ResponseWriter, r *http.Request) {
	st := s.settings
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
	token, err := s.exchange(r.Context(), st, q.Get("code"), p.redirectURI)
	if err != nil {
		page(w, http.StatusInternalServerError, "failed to exchange token: "+err.Error())
		return
	}
	cluster, base := st.Cluster(), trimSlash(st.Get("base-url", ""))
	for i := 0; i*cookieChunk < len(token); i++ {
		http.SetCookie(w, &http.Cookie{ //nolint:gosec // Secure only under TLS or X-Forwarded-Proto https, as Headlamp sets it
			Name: "headlamp-auth-" + cluster + "." + strconv.Itoa(i), Value: token[i*cookieChunk : min(len(token), (i+1)*cookieChunk)],
			Path: base + "/clusters/" + cluster, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: scheme(r) == "https",
		})
	}
	http.Redirect(w, r, base+"/auth?cluster="+url.QueryEscape(cluster), http.StatusSeeOther)
}

type idClaims struct {
	Issuer   string          `json:"iss"`
	Audience json.RawMessage `json:"aud"`
	Email    string          `json:"email"`
}

// exchange redeems the code at the IdP's token endpoint and returns the verified ID token.
func (s *Server) exchange(ctx context.Context, st Settings, code, redirect string) (string, error) {
	d, err := s.discover(ctx, st.Get("oidc-idp-issuer-url", ""))
	if err != nil {
		return "", err
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Token, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(st.Get("oidc-client-id", "")), url.QueryEscape(st.Get("oidc-client-secret", "")))
	resp, err := s.idp.Do(req)
	if err != nil {
		return "", err
	}
	defer func() { _ = resp.Body.Close() }()
	var body struct {
		IDToken string `json:"id_token"`
		Error   string `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("token endpoint answered %s %s", resp.Status, body.Error)
	}
	_, err = verifyClaims(body.IDToken, d.Issuer, st.Get("oidc-validator-client-id", st.Get("oidc-client-id", "")))
	return body.IDToken, err
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

func page(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintf(w, "<!doctype html><title>Headlamp</title><p>%s</p>\n", html.EscapeString(msg))
}
