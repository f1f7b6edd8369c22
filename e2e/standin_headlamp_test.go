package e2e

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestHeadlampStandinOIDCLikeHeadlamp: /oidc is a live probe of Headlamp's trust of the IdP, as with
// the real backend. A failed discovery is a 500 with go-oidc's own text (and /config still answers);
// scopes are split on commas only, so spaces reach the IdP unchanged.
func TestHeadlampStandinOIDCLikeHeadlamp(t *testing.T) {
	secret := headlampClientSecret(t)
	for _, tc := range []struct {
		name  string
		setup headlampSetup
		code  int
		want  string // the 500's body, or the scope of the 302
	}{
		{"issuer with a trailing slash", headlampSetup{ns: "e2e-hl-slash", issuer: stack.IssuerURL + "/"}, http.StatusInternalServerError,
			`oidc: issuer URL provided to client ("` + stack.IssuerURL + `/") did not match the issuer URL returned by provider ("` + stack.IssuerURL + `")`},
		{"no CA for the IdP", headlampSetup{ns: "e2e-hl-noca", noIdPCA: true}, http.StatusInternalServerError,
			`Get "` + stack.IssuerURL + `/.well-known/openid-configuration": tls: failed to verify certificate: x509: certificate signed by unknown authority`},
		{"scopes with spaces", headlampSetup{ns: "e2e-hl-spaces", scopes: "profile email groups"}, http.StatusFound,
			"openid profile email groups"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.setup.secret = secret
			base, _ := deployHeadlamp(t, tc.setup)
			resp, err := noFollow.Do(request(t, http.MethodGet, base+"/oidc?cluster=main", ""))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			code, body := resp.StatusCode, strings.TrimSpace(string(b))
			switch {
			case code != tc.code:
				t.Errorf("GET /oidc: %d %q, want %d", code, body, tc.code)
			case code == http.StatusFound:
				loc, _ := url.Parse(resp.Header.Get("Location"))
				if got := loc.Query().Get("scope"); got != tc.want || !strings.HasPrefix(loc.String(), stack.IssuerURL+"/auth?") {
					t.Errorf("redirect to %q with scope %q, want Dex with %q", loc, got, tc.want)
				}
			case body != tc.want || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain"):
				t.Errorf("GET /oidc: %s %q,\nwant text/plain %q", resp.Header.Get("Content-Type"), body, tc.want)
			}
			assertOIDCConfig(t, base)
		})
	}
}

// TestHeadlampStandinKeepsItsProxyCAUntilRestarted: Headlamp reads the projected proxy CA when its pod
// starts. After the CA in the Secret is rotated, requests through the running pod fail with an empty
// 502 and the TLS error in the pod's log (kubectl logs); a restarted pod trusts the new CA.
func TestHeadlampStandinKeepsItsProxyCAUntilRestarted(t *testing.T) {
	ns := stack.CapsuleNamespace
	pod := installHeadlamp(t)
	if log := podLog(t, ns, pod, "headlamp"); !strings.Contains(log, `"context":"main","clusterURL":"https://capsule-proxy.capsule-system.svc:9001"`) ||
		!strings.Contains(log, `"message":"Proxy setup"`) {
		t.Errorf("Headlamp's log at start:\n%s\nwant the Proxy setup entry with the cluster URL", log)
	}
	restore, err := sb.ReplaceProxyCert(t.Context(), stack.ProxyCertRotated)
	restoreAtEnd(t, restore)
	if err != nil {
		t.Fatal(err)
	}
	_, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
	base := "http://" + portForward(t, ns, pod, stack.HeadlampPodPort)
	if code, body := headlampGet(t, base+"/clusters/main/version", tok, nil); code != http.StatusBadGateway || body != "" {
		t.Errorf("through Headlamp after the CA rotation: %d %q, want 502 with an empty body", code, body)
	}
	want := "http: proxy error: tls: failed to verify certificate: x509: certificate signed by unknown authority"
	if log := podLog(t, ns, pod, "headlamp"); !strings.Contains(log, want) {
		t.Errorf("Headlamp's log after the 502:\n%s\nwant %q", log, want)
	}

	restartDeployment(t, ns, "headlamp")
	pod = waitAvailable(t, ns, "headlamp").Name
	base = "http://" + portForward(t, ns, pod, stack.HeadlampPodPort)
	if code, body := headlampGet(t, base+"/clusters/main/version", tok, nil); code != http.StatusOK {
		t.Errorf("through a restarted Headlamp: %d %q, want 200", code, body)
	}
	eventually(t, "the uninstall to find a settled Deployment", func(ctx context.Context) error { return sb.RolledOut(ctx, ns, "headlamp") })
}

// TestHeadlampStandinHangs: HangComponent(HeadlampStand) leaves every Headlamp pod's port answering
// nothing; its restore starts the containers again, reached through a new port-forward.
func TestHeadlampStandinHangs(t *testing.T) {
	base, pod := deployHeadlamp(t, headlampSetup{ns: "e2e-hl-hang", secret: headlampClientSecret(t)})
	restore, err := sb.HangComponent(t.Context(), stack.HeadlampStand)
	if err != nil {
		_ = restore(t.Context())
		t.Fatal(err)
	}
	c := &http.Client{Timeout: 500 * time.Millisecond}
	if resp, err := c.Do(request(t, http.MethodGet, base+"/config", "")); err == nil {
		_ = resp.Body.Close()
		t.Errorf("GET /config from a hung Headlamp: %s, want no answer", resp.Status)
	}
	if err := restore(t.Context()); err != nil {
		t.Fatalf("restore: %v", err)
	}
	assertOIDCConfig(t, "http://"+portForward(t, pod.Namespace, pod.Name, stack.HeadlampPodPort))
}
