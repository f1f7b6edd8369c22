package headlamp

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRedirectURI(t *testing.T) {
	for _, tc := range []struct {
		name  string
		flags map[string]string
		fwd   string
		want  string
	}{
		{"request host", nil, "", "http://localhost:8080/oidc-callback"},
		{"forwarded proto and base url", map[string]string{"base-url": "/hl/"}, "https", "https://localhost:8080/hl/oidc-callback"},
		{"configured callback wins", map[string]string{"oidc-callback-url": "https://x/cb"}, "https", "https://x/cb"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequestWithContext(t.Context(), http.MethodGet, "http://localhost:8080/oidc?cluster=main", nil)
			if tc.fwd != "" {
				r.Header.Set("X-Forwarded-Proto", tc.fwd)
			}
			if got := redirectURI(Settings{Flags: tc.flags}, r); got != tc.want {
				t.Errorf("redirectURI = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestVerifyClaims(t *testing.T) {
	// header.payload.signature with payload {"iss":"https://idp","aud":["a","headlamp"],"email":"e@x"}
	tok := "e30.eyJpc3MiOiJodHRwczovL2lkcCIsImF1ZCI6WyJhIiwiaGVhZGxhbXAiXSwiZW1haWwiOiJlQHgifQ.sig"
	if c, err := verifyClaims(tok, "https://idp", "headlamp"); err != nil || c.Email != "e@x" {
		t.Errorf("valid token: %v %+v", err, c)
	}
	if _, err := verifyClaims(tok, "https://idp", "other"); err == nil {
		t.Error("wrong audience accepted")
	}
	if _, err := verifyClaims(tok, "https://other", "headlamp"); err == nil {
		t.Error("wrong issuer accepted")
	}
}
