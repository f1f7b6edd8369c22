package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"html"
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
	resp, err := b.Get(authURL)
	if err != nil {
		t.Fatalf("open dex login: %v", err)
	}
	page := readAll(resp)
	action := resp.Request.URL
	if m := formAction.FindStringSubmatch(page); m != nil {
		if a, err := action.Parse(html.UnescapeString(m[1])); err == nil {
			action = a
		}
	}
	form := url.Values{"login": {user.Email}, "password": {user.Password}}
	resp, err = b.Post(action.String(), "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if !errors.Is(err, errStop) {
		if err == nil {
			_ = readAll(resp)
		}
		t.Fatalf("dex login as %s did not reach the callback: %v", user.Email, err)
	}
	return resp.Header.Get("Location")
}

func readAll(resp *http.Response) string {
	defer func() { _ = resp.Body.Close() }()
	var sb strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			return sb.String()
		}
	}
}
