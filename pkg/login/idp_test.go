package login

import (
	"encoding/pem"
	"fmt"
	"html"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// fakeIDP answers discovery and the authorization endpoint like Dex: /auth redirects to the only
// connector's page without looking at the request; that page sends a registered redirect URI on to the
// login form and answers an unregistered one with a 400 error page.
func fakeIDP(t *testing.T, registered ...string) *httptest.Server {
	t.Helper()
	return fakeIDPFunc(t, func(uri string) bool { return slices.Contains(registered, uri) })
}

// fakeIDPFunc is fakeIDP with a function deciding which redirect URIs are registered.
func fakeIDPFunc(t *testing.T, registered func(string) bool) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("/dex/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		discovery(w, srv.URL+"/dex", srv.URL+"/dex/auth")
	})
	mux.HandleFunc("/dex/auth", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/dex/auth/local?"+r.URL.RawQuery, http.StatusFound)
	})
	mux.HandleFunc("/dex/auth/local", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		switch {
		case q.Get("client_id") != "headlamp":
			http.Error(w, "Invalid client_id.", http.StatusBadRequest)
		case !registered(q.Get("redirect_uri")):
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `<html><head><title>dex</title><style>body{}</style></head><body>
<div class="theme-panel"><h2 class="theme-heading">Bad Request</h2>
<p>Unregistered redirect_uri (%q).</p></div><script>var x = 1;</script></body></html>`, html.EscapeString(q.Get("redirect_uri")))
		default:
			http.Redirect(w, r, "/dex/auth/local/login?state="+q.Get("state"), http.StatusFound)
		}
	})
	mux.HandleFunc("/dex/auth/local/login", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `<form><input name="login"><input name="password"></form>`)
	})
	// An IdP that hands the browser on to an upstream IdP at once, or loops.
	mux.HandleFunc("/upstream/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		discovery(w, srv.URL+"/upstream", srv.URL+"/upstream/auth")
	})
	mux.HandleFunc("/upstream/auth", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://accounts.example.com/o/oauth2/auth", http.StatusFound)
	})
	mux.HandleFunc("/loop/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		discovery(w, srv.URL+"/loop", srv.URL+"/loop/auth")
	})
	mux.HandleFunc("/loop/auth", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop/auth", http.StatusFound)
	})
	mux.HandleFunc("/broken/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		discovery(w, srv.URL+"/broken", srv.URL+"/broken/auth")
	})
	mux.HandleFunc("/broken/auth", func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "storage unavailable", http.StatusInternalServerError)
	})
	srv = httptest.NewUnstartedServer(mux)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusting client's handshake errors
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// discovery writes an OpenID provider's discovery document for issuer.
func discovery(w io.Writer, issuer, auth string) {
	fmt.Fprintf(w, `{"issuer":%q,"authorization_endpoint":%q,"token_endpoint":%q,"jwks_uri":%q}`, issuer, auth, issuer+"/token", issuer+"/keys")
}

func caOf(srv *httptest.Server) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
}

func TestCheckRedirectURI(t *testing.T) {
	const registered = "http://localhost:8080/oidc-callback"
	idp := fakeIDP(t, registered)
	client, err := IDPClient(caOf(idp), false)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, issuer, clientID, uri string
		want                        oidc.RedirectVerdict
		reason                      string
	}{
		{"registered: ends on the login form", idp.URL + "/dex", "headlamp", registered, oidc.RedirectVerdict{Checked: true, Accepted: true, Status: 200}, ""},
		{"issuer with a trailing slash", idp.URL + "/dex/", "headlamp", registered, oidc.RedirectVerdict{Checked: true, Accepted: true, Status: 200}, ""},
		{"handed on to an upstream IdP", idp.URL + "/upstream", "headlamp", registered, oidc.RedirectVerdict{Checked: true, Accepted: true, Status: 302}, ""},
		{"redirect loop inside the IdP", idp.URL + "/loop", "headlamp", registered, oidc.RedirectVerdict{}, "more than 5 redirects inside the IdP"},
		{"unregistered port", idp.URL + "/dex", "headlamp", "http://localhost:9999/oidc-callback",
			oidc.RedirectVerdict{Checked: true, Status: 400}, `Bad Request Unregistered redirect_uri ("http://localhost:9999/oidc-callback").`},
		{"unknown client", idp.URL + "/dex", "other", registered, oidc.RedirectVerdict{Checked: true, Status: 400}, "Invalid client_id."},
		{"IdP failing", idp.URL + "/broken", "headlamp", registered, oidc.RedirectVerdict{Status: 500}, "answered 500 Internal Server Error"},
		{"no discovery", idp.URL + "/nowhere", "headlamp", registered, oidc.RedirectVerdict{}, "404 Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := oidc.CheckRedirectURI(t.Context(), client, tt.issuer, tt.clientID, tt.uri)
			if got.Checked != tt.want.Checked || got.Accepted != tt.want.Accepted || got.Status != tt.want.Status {
				t.Errorf("CheckRedirectURI() = %+v, want %+v", got, tt.want)
			}
			if !strings.Contains(got.Reason, tt.reason) || (tt.reason == "" && got.Reason != "") {
				t.Errorf("reason = %q, want it to contain %q", got.Reason, tt.reason)
			}
		})
	}
}

func TestCheckRedirectURITrustsOnlyTheConfiguredCA(t *testing.T) {
	idp := fakeIDP(t, "http://localhost:8080/oidc-callback")
	untrusting, err := IDPClient(nil, false)
	if err != nil {
		t.Fatal(err)
	}
	got := oidc.CheckRedirectURI(t.Context(), untrusting, idp.URL+"/dex", "headlamp", "http://localhost:8080/oidc-callback")
	if got.Checked || !strings.Contains(got.Reason, "certificate") {
		t.Errorf("without the IdP CA: %+v, want an unchecked verdict naming the certificate", got)
	}
	insecure, _ := IDPClient(nil, true)
	if got := oidc.CheckRedirectURI(t.Context(), insecure, idp.URL+"/dex", "headlamp", "http://localhost:8080/oidc-callback"); !got.Accepted {
		t.Errorf("with Headlamp's own skip-verify: %+v, want accepted", got)
	}
	if _, err := IDPClient([]byte("not a certificate"), false); err == nil {
		t.Errorf("IDPClient() accepted a CA without a PEM certificate")
	}
}
