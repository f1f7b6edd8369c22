package oidc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// fakeBrowser plays the user at the IdP: it reads the authorization request, has the test IdP hand out
// a code bound to its PKCE challenge and nonce, and follows the redirect to the loopback listener.
type fakeBrowser struct {
	idp      *testIDP
	state    string // overrides the state sent back when not empty
	opened   string
	redirect string
}

func (b *fakeBrowser) Open(ctx context.Context, authURL string) error {
	b.opened = authURL
	u, err := url.Parse(authURL)
	if err != nil {
		return err
	}
	q := u.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("client_id") != "headlamp" {
		return fmt.Errorf("authorization request without PKCE S256 or client: %s", u.RawQuery)
	}
	b.idp.Codes["code-1"] = pendingCode{Challenge: q.Get("code_challenge"), Nonce: q.Get("nonce"), Scopes: q.Get("scope")}
	state := q.Get("state")
	if b.state != "" {
		state = b.state
	}
	b.redirect = q.Get("redirect_uri")
	cb := strings.Replace(b.redirect, "localhost", "127.0.0.1", 1) + "?code=code-1&state=" + url.QueryEscape(state)
	go func() { // the browser follows the redirect after the page is served
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, cb, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = resp.Body.Close()
		}
	}()
	return nil
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := new(net.ListenConfig).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestAuthCodeWithPKCE(t *testing.T) {
	idp := newTestIDP(t)
	hc, _ := Trust{PEM: idp.CAPEM()}.HTTPClient()
	browser := &fakeBrowser{idp: idp}
	var progress bytes.Buffer
	a := AuthCode{Client: testClient(idp, testClientSecret), Scopes: []string{"openid", "groups", "offline_access"}, Port: freePort(t), Browser: browser, HTTP: hc, Progress: &progress}
	tok, err := a.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseToken(tok.ID); err != nil {
		t.Fatal(err)
	}
	if tok.Refresh.IsZero() {
		t.Error("no refresh token from a sign-in that asked for offline_access")
	}
	if browser.redirect != a.RedirectURL() || !strings.HasPrefix(browser.redirect, "http://localhost:") || !strings.HasSuffix(browser.redirect, "/oidc-callback") {
		t.Errorf("redirect_uri = %q, want %q", browser.redirect, a.RedirectURL())
	}
	if strings.Contains(progress.String()+browser.opened, testClientSecret) {
		t.Error("the client secret appears in the authorization URL or the progress line")
	}
}

func TestAuthCodeRejectsAForeignState(t *testing.T) {
	idp := newTestIDP(t)
	hc, _ := Trust{PEM: idp.CAPEM()}.HTTPClient()
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	a := AuthCode{Client: testClient(idp, testClientSecret), Port: freePort(t), Browser: &fakeBrowser{idp: idp, state: "forged"}, HTTP: hc}
	if _, err := a.Token(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("forged state: %v, want the flow to keep waiting until the deadline", err)
	}
}

func TestAuthCodePortInUse(t *testing.T) {
	ln, err := new(net.ListenConfig).Listen(t.Context(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	a := AuthCode{Port: ln.Addr().(*net.TCPAddr).Port, Browser: &fakeBrowser{}}
	if _, err := a.Token(t.Context()); err == nil || !strings.Contains(err.Error(), "--port") {
		t.Fatalf("port in use: %v", err)
	}
}
