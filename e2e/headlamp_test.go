package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

const (
	callbackURL = "http://127.0.0.1:8080/oidc-callback"
	hlNamespace = "e2e-headlamp"
)

// headlampSetup is a Headlamp deployed the way an installer would, with one thing varied per test.
type headlampSetup struct {
	ns      string // namespace; hlNamespace when empty (each test its own: a deleted one takes a while)
	secret  string // the client secret in Secret oidc
	issuer  string // -oidc-idp-issuer-url; the sandbox's issuer when empty
	scopes  string // HEADLAMP_CONFIG_OIDC_SCOPES; "email,groups,profile" when empty
	noIdPCA bool   // leave the IdP's CA out of Headlamp's trust
}

// manifest deploys "Headlamp" in hlNamespace: flags as args, OIDC settings as HEADLAMP_CONFIG_* env
// with the client secret from a Secret, the in-cluster client pointed at capsule-proxy with a copy of
// its CA projected as the service account's ca.crt, and the IdP's CA appended to the system roots
// (SSL_CERT_DIR). Objects are JSON documents, which Apply reads like YAML.
func (h headlampSetup) manifest(t *testing.T) string {
	t.Helper()
	read := func(file string) string {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	issuer, scopes := h.issuer, h.scopes
	if issuer == "" {
		issuer = stack.IssuerURL
	}
	if scopes == "" {
		scopes = "email,groups,profile"
	}
	ns := h.namespace()
	meta := func(name string) metav1.ObjectMeta { return metav1.ObjectMeta{Name: name, Namespace: ns} }
	labels := map[string]string{"app.kubernetes.io/name": "headlamp"}
	env := []corev1.EnvVar{
		{Name: "HEADLAMP_CONFIG_OIDC_CLIENT_ID", Value: stack.HeadlampClientID},
		{Name: "HEADLAMP_CONFIG_OIDC_IDP_ISSUER_URL", Value: issuer},
		{Name: "HEADLAMP_CONFIG_OIDC_SCOPES", Value: scopes},
		{Name: "HEADLAMP_CONFIG_OIDC_CLIENT_SECRET", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
			LocalObjectReference: corev1.LocalObjectReference{Name: "oidc"}, Key: "clientSecret"}}},
		{Name: "KUBERNETES_SERVICE_HOST", Value: stack.ProxyServiceName + "." + stack.CapsuleNamespace + ".svc"},
		{Name: "KUBERNETES_SERVICE_PORT", Value: "9001"},
	}
	mounts := []corev1.VolumeMount{{Name: "api", MountPath: "/var/run/secrets/kubernetes.io/serviceaccount", ReadOnly: true}}
	volumes := []corev1.Volume{{Name: "api", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{Sources: []corev1.VolumeProjection{
		{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token"}},
		{ConfigMap: &corev1.ConfigMapProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "proxy-ca"},
			Items: []corev1.KeyToPath{{Key: "ca.crt", Path: "ca.crt"}}}},
	}}}}}
	if !h.noIdPCA {
		env = append(env, corev1.EnvVar{Name: "SSL_CERT_DIR", Value: "/etc/ssl/certs:/etc/idp-ca"})
		mounts = append(mounts, corev1.VolumeMount{Name: "idp-ca", MountPath: "/etc/idp-ca", ReadOnly: true})
		volumes = append(volumes, corev1.Volume{Name: "idp-ca", VolumeSource: corev1.VolumeSource{
			ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "idp-ca"}}}})
	}
	no := false
	objs := []any{
		&corev1.Namespace{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"}, ObjectMeta: metav1.ObjectMeta{Name: ns}},
		&corev1.Secret{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "Secret"}, ObjectMeta: meta("oidc"), StringData: map[string]string{"clientSecret": h.secret}},
		&corev1.ConfigMap{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"}, ObjectMeta: meta("idp-ca"), Data: map[string]string{"ca.crt": read(sb.OIDCCAFile())}},
		&corev1.ConfigMap{TypeMeta: metav1.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"}, ObjectMeta: meta("proxy-ca"), Data: map[string]string{"ca.crt": read(sb.ProxyCAFile())}},
		&appsv1.Deployment{TypeMeta: metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
			ObjectMeta: metav1.ObjectMeta{Name: "headlamp", Namespace: ns, Labels: labels},
			Spec: appsv1.DeploymentSpec{Selector: &metav1.LabelSelector{MatchLabels: labels}, Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec: corev1.PodSpec{AutomountServiceAccountToken: &no, Volumes: volumes, Containers: []corev1.Container{{
					Name: "headlamp", Image: "ghcr.io/headlamp-k8s/headlamp:v0.45.0",
					Args: []string{"-in-cluster", "-in-cluster-context-name=main", "-oidc-callback-url=" + callbackURL},
					Env:  env, VolumeMounts: mounts,
					Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: stack.HeadlampPodPort}},
				}}},
			}}},
	}
	var docs []string
	for _, o := range objs {
		b, err := json.Marshal(o)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, string(b))
	}
	return strings.Join(docs, "\n")
}

func (h headlampSetup) namespace() string {
	if h.ns == "" {
		return hlNamespace
	}
	return h.ns
}

// deployHeadlamp applies h and returns the address of a port-forward to its pod, once rolled out.
func deployHeadlamp(t *testing.T, h headlampSetup) (base string, pod corev1.Pod) {
	t.Helper()
	apply(t, h.manifest(t))
	ns := h.namespace()
	eventually(t, "Headlamp rolled out", func(ctx context.Context) error { return sb.RolledOut(ctx, ns, "headlamp") })
	pod = waitAvailable(t, ns, "headlamp")
	return "http://" + portForward(t, ns, pod.Name, stack.HeadlampPodPort), pod
}

func TestHeadlampStandinThroughPortForward(t *testing.T) {
	secret, err := sb.ClientSecret()
	if err != nil {
		t.Fatal(err)
	}
	base, _ := deployHeadlamp(t, headlampSetup{secret: secret})
	if !assertOIDCConfig(t, base) {
		t.FailNow()
	}

	resp := login(t, base)
	cookie := sessionCookie(t, resp)
	if code, body := headlampGet(t, base+"/clusters/main/version", "", cookie); code != http.StatusOK || !strings.Contains(body, "v1.37") {
		t.Errorf("GET /clusters/main/version with the session cookie: %d %q", code, body)
	}
	_, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
	code, body := headlampGet(t, base+"/clusters/main/api/v1/namespaces", tok, nil)
	if code != http.StatusOK || !strings.Contains(body, stack.TenantNamespaces[0]) || strings.Contains(body, stack.CapsuleNamespace) {
		t.Errorf("alice's namespaces through Headlamp with her bearer token: %d %q, want tenant-a's only", code, body)
	}
	code, body = headlampGet(t, base+"/clusters/main/version", "", nil)
	if code != http.StatusForbidden || !strings.Contains(body, "cannot retrieve user and group: no authentication provider available") {
		t.Errorf("through Headlamp without a credential: %d %q, want capsule-proxy's 403", code, body)
	}

	// The client secret is read when the container starts: a changed Secret takes effect only in a
	// new pod, where the code exchange then fails.
	apply(t, headlampSetup{secret: "wrong-secret"}.manifest(t))
	if resp := login(t, base); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("login after the Secret changed, same pod: %s, want the sign-in to still work", resp.Status)
	}
	restartDeployment(t, hlNamespace, "headlamp")
	pod := waitAvailable(t, hlNamespace, "headlamp")
	base = "http://" + portForward(t, hlNamespace, pod.Name, stack.HeadlampPodPort)
	if resp := login(t, base); resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("login in a pod started with the wrong secret: %s, want 500", resp.Status)
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

// noFollow is an HTTP client that returns redirects instead of following them.
var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// login runs the browser's part of the flow: /oidc, Dex's password form as alice, then the callback,
// whose answer it returns (its body already closed).
func login(t *testing.T, base string) *http.Response {
	t.Helper()
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
	cb, err := url.Parse(dexPasswordLogin(t, auth.String(), stack.Alice))
	if err != nil {
		t.Fatal(err)
	}
	resp, err = noFollow.Do(request(t, http.MethodGet, base+"/oidc-callback?"+cb.RawQuery, ""))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp
}

// sessionCookie checks the callback's answer: 303 to /auth?cluster=main with the session cookie, as
// Headlamp sets it.
func sessionCookie(t *testing.T, resp *http.Response) []*http.Cookie {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/auth?cluster=main" {
		t.Fatalf("callback: %s to %q, want 303 to /auth?cluster=main", resp.Status, resp.Header.Get("Location"))
	}
	var out []*http.Cookie
	for _, c := range resp.Cookies() {
		if strings.HasPrefix(c.Name, "headlamp-auth-main.") {
			if c.Path != "/clusters/main" || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
				t.Errorf("cookie %s: path %q httpOnly %v sameSite %v", c.Name, c.Path, c.HttpOnly, c.SameSite)
			}
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		t.Fatalf("the callback set no headlamp-auth-main.* cookie: %v", resp.Header["Set-Cookie"])
	}
	return out
}

// headlampGet sends a GET through Headlamp with a bearer token and/or cookies.
func headlampGet(t *testing.T, u, token string, cookies []*http.Cookie) (int, string) {
	t.Helper()
	req := request(t, http.MethodGet, u, "")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for _, c := range cookies {
		req.AddCookie(c)
	}
	return do(t, http.DefaultClient, req)
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
