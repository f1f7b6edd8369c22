package identity

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc/oidctest"
)

// TestRedirectURIsAskTheIdPAboutEveryWayIn: one line per way Headlamp is reached; the IdP's refusal
// of one fails the check, naming that URI and the way in, and the accepted ones are listed beside it.
func TestRedirectURIsAskTheIdPAboutEveryWayIn(t *testing.T) {
	idp := oidctest.New(t)
	idp.RedirectURIs = []string{"http://localhost:8080/oidc-callback", "https://headlamp.example/oidc-callback"}
	hc, err := oidc.Trust{Name: "test", PEM: idp.CAPEM()}.HTTPClient()
	if err != nil {
		t.Fatal(err)
	}
	d := &oidc.Discovery{Issuer: idp.Server.URL + "/dex", AuthorizationEndpoint: idp.Server.URL + "/dex/auth"}
	run := func(ways ...headlampview.WayIn) engine.Result {
		exp := Expectation{Issuer: d.Issuer, ClientID: "headlamp", Ways: ways}
		f := engine.NewFacts(time.Now(), map[engine.FactName]any{idExpect.Name(): exp, idDiscovery.Name(): d, idPluginHTTP.Name(): hc}, nil)
		return checkRedirectURIs(context.Background(), f)
	}
	forward := headlampview.WayIn{Via: "a port-forward", URI: "http://localhost:8080/oidc-callback"}
	tls := headlampview.WayIn{Via: "Ingress headlamp", URI: "https://headlamp.example/oidc-callback"}
	plain := headlampview.WayIn{Via: "Ingress plain", URI: "http://plain.example/oidc-callback"}

	if r := run(tls, forward); r.Status != engine.StatusPass || !strings.HasPrefix(r.Message, "all 2: https://headlamp.example/oidc-callback (Ingress headlamp); http://localhost:8080") {
		t.Errorf("registered URIs: %s %q, want pass", r.Status, r.Message)
	}
	r := run(tls, plain, forward)
	lines := strings.Split(r.Message, "\n")
	if r.Status != engine.StatusFail || len(lines) != 4 || !strings.HasPrefix(lines[0], "the IdP refuses 1 of 3") {
		t.Fatalf("an unregistered host: %s %q, want a failure with one line per URI", r.Status, r.Message)
	}
	if !strings.HasPrefix(lines[2], "refused: http://plain.example/oidc-callback (Ingress plain): the IdP answered 400") ||
		!strings.Contains(lines[2], "Unregistered redirect_uri") || !strings.HasPrefix(lines[1], "accepted: https://headlamp.example") {
		t.Errorf("lines = %q", lines)
	}
	idp.Server.Close()
	if r := run(forward); r.Status != engine.StatusUnknown || !strings.Contains(r.Message, "not checked: http://localhost:8080/oidc-callback") {
		t.Errorf("an IdP that does not answer: %s %q, want unknown", r.Status, r.Message)
	}
}
