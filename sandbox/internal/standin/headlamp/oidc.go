package headlamp

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

type discovery struct {
	Issuer        string `json:"issuer"`
	Authorization string `json:"authorization_endpoint"`
	Token         string `json:"token_endpoint"`
}

// idpClient is Headlamp's HTTP client for the IdP, with the trust it built at start, over the pod's
// network.
func idpClient(f files, st Settings, dial func(ctx context.Context, network, addr string) (net.Conn, error)) *http.Client {
	pool, insecure := idpTrust(f, st)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, InsecureSkipVerify: insecure, MinVersion: tls.VersionTLS12} //nolint:gosec // Headlamp's -oidc-skip-tls-verify / -insecure-ssl
	if dial != nil {
		tr.DialContext = dial
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// discover fetches the discovery document like go-oidc's NewProvider, with its error texts.
func (s *Server) discover(ctx context.Context, issuer string) (discovery, error) {
	var d discovery
	wellKnown := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, wellKnown, nil)
	if err != nil {
		return d, err
	}
	resp, err := s.idp.Do(req)
	if err != nil {
		return d, err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return d, fmt.Errorf("unable to read response body: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return d, fmt.Errorf("%s: %s", resp.Status, body)
	}
	if err := json.Unmarshal(body, &d); err != nil {
		return d, fmt.Errorf("oidc: failed to decode provider discovery object: %w", err)
	}
	if d.Issuer != issuer {
		return d, fmt.Errorf("oidc: issuer URL provided to client (%q) did not match the issuer URL returned by provider (%q)", issuer, d.Issuer)
	}
	return d, nil
}

// oidc answers GET /oidc?cluster=<name> like Headlamp: discovery, then 302 to the IdP's authorization
// endpoint; a failed discovery is a 500 with the error's text, logged as "failed to get provider".
func (s *Server) oidc(w http.ResponseWriter, r *http.Request) {
	st := s.settings
	if !st.InCluster() || !st.OIDC() || r.URL.Query().Get("cluster") != st.Cluster() {
		http.Error(w, "invalid request: no OIDC configuration for cluster "+r.URL.Query().Get("cluster"), http.StatusBadRequest)
		return
	}
	issuer := st.Get("oidc-idp-issuer-url", "")
	d, err := s.discover(r.Context(), issuer)
	if err != nil {
		logEntry(s.cfg.Log, "error", [][2]string{{"idpIssuerURL", issuer}, {"error", err.Error()}}, "failed to get provider")
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	state := hex.EncodeToString(b)
	cb := redirectURI(st, r)
	s.remember(state, pending{redirectURI: cb, created: time.Now()})
	q := url.Values{"client_id": {st.Get("oidc-client-id", "")}, "redirect_uri": {cb}, "response_type": {"code"},
		"scope": {strings.Join(st.RequestScopes(), " ")}, "state": {state}}
	http.Redirect(w, r, d.Authorization+"?"+q.Encode(), http.StatusFound)
}

// redirectURI follows Headlamp: the configured callback URL, else the request's scheme (TLS, then
// X-Forwarded-Proto, else http) and Host, plus the base URL.
func redirectURI(st Settings, r *http.Request) string {
	if cb := st.Get("oidc-callback-url", ""); cb != "" {
		return cb
	}
	return scheme(r) + "://" + r.Host + trimSlash(st.Get("base-url", "")) + "/oidc-callback"
}

func scheme(r *http.Request) string {
	switch {
	case r.TLS != nil:
		return "https"
	case r.Header.Get("X-Forwarded-Proto") != "":
		return r.Header.Get("X-Forwarded-Proto")
	}
	return "http"
}

func (s *Server) remember(state string, p pending) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.states {
		if time.Since(v.created) > time.Hour {
			delete(s.states, k)
		}
	}
	s.states[state] = p
}

func (s *Server) take(state string) (pending, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.states[state]
	delete(s.states, state)
	return p, ok
}
