package login

import (
	"io"
	"net/http"
	"strings"

	"golang.org/x/net/html"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// IDPClient returns the one IdP client of pkg/oidc with the plugin's trust (the system roots plus
// caPEM, the IdP CA Headlamp is configured with, if any), skipping verification only when Headlamp
// itself does (insecure). It never follows redirects: followWithinIDP decides which to follow.
func IDPClient(caPEM []byte, insecure bool) (*http.Client, error) {
	c, err := oidc.Trust{Name: "this plugin", SystemRoots: true, PEM: caPEM, Insecure: insecure}.HTTPClient()
	if err != nil {
		return nil, err
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c, nil
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
