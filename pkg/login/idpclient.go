package login

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"strings"

	"golang.org/x/net/html"
)

// IDPClient returns an HTTP client for the IdP that trusts the system roots plus caPEM (the IdP CA
// Headlamp is configured with, if any), skips verification only when Headlamp itself does
// (insecure), and never follows redirects: the first answer is the verdict.
func IDPClient(caPEM []byte, insecure bool) (*http.Client, error) {
	roots, err := x509.SystemCertPool()
	if err != nil || roots == nil {
		roots = x509.NewCertPool()
	}
	if len(caPEM) > 0 && !roots.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("the IdP CA holds no PEM certificate")
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: roots, InsecureSkipVerify: insecure, MinVersion: tls.VersionTLS12} //nolint:gosec // mirrors Headlamp's own -insecure-ssl / -oidc-skip-tls-verify
	return &http.Client{
		Transport: transport,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}, nil
}

// pageText is the visible text of an HTML (or plain text) error page, whitespace collapsed and cut
// to a length that fits a message.
func pageText(r io.Reader) string {
	var b strings.Builder
	z := html.NewTokenizer(r)
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return shorten(strings.Join(strings.Fields(b.String()), " "), 300)
		case html.StartTagToken:
			if name, _ := z.TagName(); string(name) == "script" || string(name) == "style" || string(name) == "title" {
				skip++
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); (string(name) == "script" || string(name) == "style" || string(name) == "title") && skip > 0 {
				skip--
			}
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
				b.WriteByte(' ')
			}
		}
	}
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
