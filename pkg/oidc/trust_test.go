package oidc

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestTrustPoolNamesTheView(t *testing.T) {
	_, err := Trust{Name: "headlamp", PEM: []byte("junk")}.Pool()
	if err == nil || !strings.Contains(err.Error(), "headlamp") {
		t.Fatalf("err = %v, want it to name the view", err)
	}
}

// TestHTTPClientProxyFromEnvironment: the IdP client goes through the proxy the environment names, as
// kubectl does, and not for hosts NO_PROXY lists.
func TestHTTPClientProxyFromEnvironment(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://proxy.example:3128")
	t.Setenv("NO_PROXY", "internal.example,10.0.0.0/8")
	c, err := Trust{Name: "this plugin"}.HTTPClient()
	if err != nil {
		t.Fatal(err)
	}
	proxy := c.Transport.(*http.Transport).Proxy
	for target, want := range map[string]string{
		"https://dex.example.com/dex/.well-known/openid-configuration": "http://proxy.example:3128",
		"https://dex.internal.example/dex":                             "",
		"https://10.1.2.3/dex":                                         "",
	} {
		req := httptest.NewRequestWithContext(t.Context(), http.MethodGet, target, nil)
		got, err := proxy(req)
		if err != nil {
			t.Fatal(err)
		}
		if (got == nil && want != "") || (got != nil && got.String() != want) {
			t.Errorf("proxy for %s = %v, want %q", target, got, want)
		}
	}
}
