package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

const callbackURL = "http://127.0.0.1:8080/oidc-callback"

// headlampManifest deploys "Headlamp" the way an installer would: flags as args, OIDC settings as
// HEADLAMP_CONFIG_* env, the client secret from a Secret.
func headlampManifest(secret string) string {
	return `apiVersion: v1
kind: Namespace
metadata: {name: e2e-headlamp}
---
apiVersion: v1
kind: Secret
metadata: {name: oidc, namespace: e2e-headlamp}
stringData: {clientSecret: "` + secret + `"}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
  namespace: e2e-headlamp
  labels: {app.kubernetes.io/name: headlamp}
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: headlamp}
  template:
    metadata:
      labels: {app.kubernetes.io/name: headlamp}
    spec:
      containers:
      - name: headlamp
        image: ghcr.io/headlamp-k8s/headlamp:v0.45.0
        args: ["-in-cluster", "-in-cluster-context-name=main", "-oidc-callback-url=` + callbackURL + `"]
        env:
        - {name: HEADLAMP_CONFIG_OIDC_CLIENT_ID, value: headlamp}
        - {name: HEADLAMP_CONFIG_OIDC_IDP_ISSUER_URL, value: "` + stack.IssuerURL + `"}
        - {name: HEADLAMP_CONFIG_OIDC_SCOPES, value: "email,groups,profile"}
        - name: HEADLAMP_CONFIG_OIDC_CLIENT_SECRET
          valueFrom: {secretKeyRef: {name: oidc, key: clientSecret}}
        ports: [{name: http, containerPort: 4466}]
`
}

func TestHeadlampStandinThroughPortForward(t *testing.T) {
	secret, err := sb.ClientSecret()
	if err != nil {
		t.Fatal(err)
	}
	apply(t, headlampManifest(secret))
	pod := waitAvailable(t, "e2e-headlamp", "headlamp")
	base := "http://" + portForward(t, "e2e-headlamp", pod.Name, stack.HeadlampPodPort)

	if !assertOIDCConfig(t, base) {
		t.FailNow()
	}

	code, body := login(t, base)
	if code != http.StatusOK || !strings.Contains(body, "Signed in as "+stack.Alice.Email) {
		t.Errorf("login with the right secret: %d %q", code, body)
	}

	// A wrong client secret in the Secret is picked up at once and fails the code exchange visibly.
	apply(t, headlampManifest("wrong-secret"))
	code, body = login(t, base)
	if code == http.StatusOK || !strings.Contains(body, "failed to exchange token") {
		t.Errorf("login with a wrong secret: %d %q, want a failed exchange", code, body)
	}
}

// assertOIDCConfig checks that the Headlamp at base answers /config with one OIDC cluster named main,
// as Headlamp does when in-cluster OIDC is switched on.
func assertOIDCConfig(t *testing.T, base string) bool {
	t.Helper()
	code, body := get(t, http.DefaultClient, base+"/config")
	var cfg struct {
		Clusters []struct {
			Name     string `json:"name"`
			AuthType string `json:"auth_type"`
		} `json:"clusters"`
	}
	if code != http.StatusOK || json.Unmarshal([]byte(body), &cfg) != nil || len(cfg.Clusters) != 1 ||
		cfg.Clusters[0].Name != "main" || cfg.Clusters[0].AuthType != "oidc" {
		t.Errorf("GET /config: %d %s, want one oidc cluster named main", code, body)
		return false
	}
	return true
}

// login runs the browser's part of the flow: /oidc, Dex's password form as alice, then the callback.
func login(t *testing.T, base string) (int, string) {
	t.Helper()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Do(request(t, http.MethodGet, base+"/oidc?cluster=main", ""))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	auth, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound || !strings.HasPrefix(auth.String(), stack.IssuerURL+"/auth") {
		t.Fatalf("GET /oidc: %s to %q, want a redirect to the issuer", resp.Status, auth)
	}
	q := auth.Query()
	if q.Get("client_id") != "headlamp" || q.Get("redirect_uri") != callbackURL || q.Get("scope") != "openid email groups profile" {
		t.Fatalf("authorization request %v", q)
	}
	callback := dexPasswordLogin(t, auth.String(), stack.Alice)
	cb, err := url.Parse(callback)
	if err != nil {
		t.Fatal(err)
	}
	return get(t, http.DefaultClient, base+"/oidc-callback?"+cb.RawQuery)
}

// oidcBrowser is an HTTP client with cookies that trusts the OIDC CA and stops at the callback.
func oidcBrowser(t *testing.T) *http.Client {
	t.Helper()
	ca, err := os.ReadFile(sb.OIDCCAFile())
	if err != nil {
		t.Fatal(err)
	}
	return newBrowser(t, ca, func(u *url.URL) bool { return u.Host == "127.0.0.1:8080" })
}
