package login

import (
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

func oidcSettings(mod func(*headlamp.Settings)) headlamp.Settings {
	s := headlamp.Settings{
		InClusterContextName: "main",
		OIDC:                 headlamp.OIDC{ClientID: "headlamp", IssuerURL: "https://idp.example.com", Scopes: []string{"email"}},
		Sources:              headlamp.Sources{},
	}
	if mod != nil {
		mod(&s)
	}
	return s
}

func TestRedirectURIAndDeepLink(t *testing.T) {
	tests := []struct {
		name       string
		origin     string
		path       string
		settings   headlamp.Settings
		wantLink   string
		wantRedire string
	}{
		{"port-forward", "http://localhost:8080", "", oidcSettings(nil),
			"http://localhost:8080/oidc?cluster=main", "http://localhost:8080/oidc-callback"},
		{"ingress with TLS and a base URL", "https://headlamp.example.com", "",
			oidcSettings(func(s *headlamp.Settings) { s.BaseURL = "/headlamp/" }),
			"https://headlamp.example.com/headlamp/oidc?cluster=main", "https://headlamp.example.com/headlamp/oidc-callback"},
		{"configured callback URL wins", "http://localhost:9000", "",
			oidcSettings(func(s *headlamp.Settings) { s.OIDC.CallbackURL = "https://h.example.com/oidc-callback" }),
			"http://localhost:9000/oidc?cluster=main", "https://h.example.com/oidc-callback"},
		{"other context name, escaped", "http://localhost:8080", "",
			oidcSettings(func(s *headlamp.Settings) { s.InClusterContextName = "a b" }),
			"http://localhost:8080/oidc?cluster=a+b", "http://localhost:8080/oidc-callback"},
		{"no context name means main", "http://localhost:8080", "",
			oidcSettings(func(s *headlamp.Settings) { s.InClusterContextName = "" }),
			"http://localhost:8080/oidc?cluster=main", "http://localhost:8080/oidc-callback"},
		{"--path", "http://localhost:8080", "/c/main/token", oidcSettings(nil),
			"http://localhost:8080/c/main/token", "http://localhost:8080/oidc-callback"},
		{"no OIDC: token sign-in page", "http://localhost:8080", "",
			oidcSettings(func(s *headlamp.Settings) { s.OIDC = headlamp.OIDC{} }),
			"http://localhost:8080/c/main/login", "http://localhost:8080/oidc-callback"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := headlamp.SiteURL(tt.origin, tt.settings)
			if got := DeepLink(site, tt.path, tt.settings); got != tt.wantLink {
				t.Errorf("DeepLink() = %q, want %q", got, tt.wantLink)
			}
			got, err := headlamp.RedirectURI(site, tt.settings)
			if err != nil || got != tt.wantRedire {
				t.Errorf("RedirectURI() = %q, %v; want %q", got, err, tt.wantRedire)
			}
		})
	}
}

func TestRedirectURIFromAURLGivenWithItsBasePath(t *testing.T) {
	s := oidcSettings(func(s *headlamp.Settings) { s.BaseURL = "/headlamp" })
	// --url may include the base path: the redirect URI uses only its scheme and host.
	got, err := headlamp.RedirectURI("https://h.example.com/headlamp", s)
	if err != nil || got != "https://h.example.com/headlamp/oidc-callback" {
		t.Errorf("RedirectURI() = %q, %v", got, err)
	}
	if _, err := headlamp.RedirectURI("localhost:8080", s); err == nil {
		t.Errorf("RedirectURI() accepted a URL without scheme")
	}
}

func TestOIDCSignIn(t *testing.T) {
	secretRef := headlamp.Source{From: &headlamp.KeyRef{Kind: headlamp.KindSecret, Name: "oidc", Key: "issuerURL"}}
	tests := []struct {
		name                  string
		settings              headlamp.Settings
		wantConfigured, known bool
	}{
		{"all set", oidcSettings(nil), true, true},
		{"scopes not given: Headlamp's default applies", oidcSettings(func(s *headlamp.Settings) { s.OIDC.Scopes = nil }), true, true},
		{"scopes given empty", oidcSettings(func(s *headlamp.Settings) {
			s.OIDC.Scopes = nil
			s.Sources[headlamp.FlagOIDCScopes] = headlamp.Source{Arg: "-oidc-scopes"}
		}), false, true},
		{"issuer in an unreadable Secret", oidcSettings(func(s *headlamp.Settings) {
			s.OIDC.IssuerURL = ""
			s.Sources[headlamp.FlagOIDCIssuerURL] = secretRef
		}), true, false},
		{"no OIDC", oidcSettings(func(s *headlamp.Settings) { s.OIDC = headlamp.OIDC{} }), false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			configured, known := OIDCSignIn(tt.settings)
			if configured != tt.wantConfigured || known != tt.known {
				t.Errorf("OIDCSignIn() = %v, %v; want %v, %v", configured, known, tt.wantConfigured, tt.known)
			}
		})
	}
}
