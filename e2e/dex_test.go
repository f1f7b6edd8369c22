package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

var errStop = errors.New("stop at callback")

// newBrowser is a cookie-keeping client trusting caPEM that does not follow a redirect to stop(url).
func newBrowser(t *testing.T, caPEM []byte, stop func(*url.URL) bool) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("no CA certificate")
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar:       jar,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
		CheckRedirect: func(req *http.Request, _ []*http.Request) error {
			if stop(req.URL) {
				return errStop
			}
			return nil
		},
	}
}

var formAction = regexp.MustCompile(`<form[^>]*action="([^"]*)"`)

// dexPasswordLogin fills Dex's password form as user and returns the callback URL Dex redirects to.
func dexPasswordLogin(t *testing.T, authURL string, user stack.User) string {
	t.Helper()
	b := oidcBrowser(t)
	resp, err := b.Do(request(t, http.MethodGet, authURL, ""))
	if err != nil {
		t.Fatalf("open dex login: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		t.Fatalf("read dex login page: %v", err)
	}
	page, action := string(body), resp.Request.URL
	if m := formAction.FindStringSubmatch(page); m != nil {
		if a, err := action.Parse(html.UnescapeString(m[1])); err == nil {
			action = a
		}
	}
	form := url.Values{"login": {user.Email}, "password": {user.Password}}
	resp, err = b.Do(request(t, http.MethodPost, action.String(), form.Encode()))
	if resp != nil {
		_ = resp.Body.Close() // already closed when the redirect was stopped; the header is what counts
	}
	if !errors.Is(err, errStop) {
		t.Fatalf("dex login as %s did not reach the callback: %v", user.Email, err)
	}
	return resp.Header.Get("Location")
}

// request builds a request bound to the test's context; a body is sent as a form.
func request(t *testing.T, method, url, form string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return req
}
