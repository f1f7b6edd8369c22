package e2e

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestLoginForwardsToHeadlampAndFollowsItsPod: after install, `login --no-browser -o json` reaches the
// Headlamp pod through its port-forward, moves to the new pod when the pod is deleted, and ends
// cleanly on Ctrl-C.
func TestLoginForwardsToHeadlampAndFollowsItsPod(t *testing.T) {
	pod := installHeadlamp(t)
	p := startPlugin(t, adminEnv(), "login", "--no-browser", "-o", "json")
	s := p.session(t)
	accepted := s.RedirectURIAccepted != nil && *s.RedirectURIAccepted
	if s.ReachedBy != "port-forward" || s.Pod != pod || s.LocalPort != 8080 || !accepted ||
		s.URL != "http://localhost:8080/oidc?cluster=main" || s.RedirectURI != "http://localhost:8080/oidc-callback" {
		t.Errorf("session = %+v", s)
	}
	p.waitStderr(t, "Forwarding 127.0.0.1:8080 to pod "+pod)
	mustContain(t, "stderr", p.stderr.String(), "ok: the IdP accepts redirect URI http://localhost:8080/oidc-callback for client headlamp")
	assertHeadlampConfig(t)

	if err := sb.Kube().CoreV1().Pods(stack.CapsuleNamespace).Delete(t.Context(), pod, metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	p.waitStderr(t, "Pod "+pod+" replaced: now forwarding to pod ")
	assertHeadlampConfig(t)

	if code := p.interrupt(t); code != 0 {
		t.Errorf("exit code after Ctrl-C = %d, want 0", code)
	}
	assertPortFree(t, loginPort)
	assertNoSecret(t, pluginRun{Stdout: p.stdout.String(), Stderr: p.stderr.String()}, headlampClientSecret(t))
}

// assertHeadlampConfig fetches /config through login's port-forward: the Headlamp stand-in answers.
func assertHeadlampConfig(t *testing.T) {
	t.Helper()
	code, body := get(t, http.DefaultClient, "http://127.0.0.1:"+loginPort+"/config")
	var cfg struct {
		Clusters []struct {
			Name string `json:"name"`
		} `json:"clusters"`
	}
	if code != http.StatusOK || json.Unmarshal([]byte(body), &cfg) != nil || len(cfg.Clusters) != 1 || cfg.Clusters[0].Name != "main" {
		t.Errorf("GET /config through login's port-forward: %d %s", code, body)
	}
}

// TestLoginRefusesAnUnregisteredRedirectURI: on a port whose callback Dex does not know, login names
// the URI to register and exits 1 before printing a URL.
func TestLoginRefusesAnUnregisteredRedirectURI(t *testing.T) {
	installHeadlamp(t)
	p := startPlugin(t, adminEnv(), "login", "--no-browser", "--port", "8099")
	if code := p.wait(t); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	mustContain(t, "stderr", p.stderr.String(),
		"error: the identity provider refuses the redirect URI http://localhost:8099/oidc-callback for client headlamp",
		"register http://localhost:8099/oidc-callback as a redirect URI of client headlamp at "+stack.IssuerURL)
	if out := p.stdout.String(); out != "" {
		t.Errorf("a refused login printed %q", out)
	}
	assertPortFree(t, "8099")
}

// TestLoginErrors: each failure is a clear message and exit code 1, with nothing on stdout.
func TestLoginErrors(t *testing.T) {
	t.Run("no Headlamp installed", func(t *testing.T) {
		run := runPlugin(t, nil, adminEnv(), "login", "--no-browser", "-n", stack.TenantNamespaces[0])
		assertLoginFailed(t, run, "no Headlamp deployment found in namespace "+stack.TenantNamespaces[0])
	})
	t.Run("no ready pod", func(t *testing.T) {
		apply(t, unschedulableHeadlamp)
		run := runPlugin(t, nil, adminEnv(), "login", "--no-browser", "-n", "e2e-login-noready")
		assertLoginFailed(t, run, "service e2e-login-noready/headlamp has ", "none ready: no ready pod")
	})
	installHeadlamp(t)
	t.Run("port busy", func(t *testing.T) {
		ln, err := net.Listen("tcp4", "127.0.0.1:"+loginPort)
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		run := runPlugin(t, nil, adminEnv(), "login", "--no-browser")
		assertLoginFailed(t, run, "listen on 127.0.0.1:8080: local port in use", "choose another --port")
	})
	t.Run("port-forward forbidden", func(t *testing.T) {
		grantReadOnly(t, "viewer@example.com")
		run := runPlugin(t, nil, adminEnv(), "login", "--no-browser", "--as", "viewer@example.com")
		// "cannot create" comes from the SPDY dial: refused over websocket (verb get), login fell back, as kubectl does.
		assertLoginFailed(t, run, "forbidden: you need permission to create pods/portforward in namespace capsule-system",
			`cannot create resource "pods/portforward"`)
		assertPortFree(t, loginPort)
	})
	t.Run("user without any RBAC", func(t *testing.T) {
		run := runPlugin(t, nil, adminEnv(), "login", "--no-browser", "--as", "nobody@example.com")
		assertLoginFailed(t, run, `User "nobody@example.com" cannot list resource "deployments"`)
	})
}

func assertLoginFailed(t *testing.T, run pluginRun, want ...string) {
	t.Helper()
	if run.Code != 1 || run.Stdout != "" {
		t.Errorf("exit %d, stdout %q; want exit 1 and nothing on stdout", run.Code, run.Stdout)
	}
	mustContain(t, "stderr", run.Stderr, want...)
}

// unschedulableHeadlamp is a Headlamp whose pod can never be scheduled, so never ready.
const unschedulableHeadlamp = `
apiVersion: v1
kind: Namespace
metadata: {name: e2e-login-noready}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: headlamp, namespace: e2e-login-noready, labels: {app.kubernetes.io/name: headlamp}}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: headlamp}}
  template:
    metadata: {labels: {app.kubernetes.io/name: headlamp}}
    spec:
      nodeSelector: {e2e/nowhere: "true"}
      containers:
      - {name: headlamp, image: ghcr.io/headlamp-k8s/headlamp:v0.45.0, args: [-in-cluster], ports: [{name: http, containerPort: 4466}]}
---
apiVersion: v1
kind: Service
metadata: {name: headlamp, namespace: e2e-login-noready}
spec:
  selector: {app.kubernetes.io/name: headlamp}
  ports: [{name: http, port: 80, targetPort: http}]
`

// grantReadOnly lets user read Headlamp's objects in capsule-system, but not port-forward.
func grantReadOnly(t *testing.T, user string) {
	t.Helper()
	manifest := `
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: e2e-login-viewer, namespace: capsule-system}
rules:
- {apiGroups: [apps], resources: [deployments], verbs: [get, list, watch]}
- {apiGroups: [""], resources: [services, pods, secrets, configmaps], verbs: [get, list, watch]}
- {apiGroups: [networking.k8s.io], resources: [ingresses], verbs: [get, list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: e2e-login-viewer, namespace: capsule-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: e2e-login-viewer}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "` + user + `"}]
`
	if _, err := sb.Apply(t.Context(), []byte(manifest)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		rbac := sb.Kube().RbacV1()
		_ = rbac.RoleBindings(stack.CapsuleNamespace).Delete(context.Background(), "e2e-login-viewer", metav1.DeleteOptions{})
		_ = rbac.Roles(stack.CapsuleNamespace).Delete(context.Background(), "e2e-login-viewer", metav1.DeleteOptions{})
	})
	eventually(t, "the viewer role to apply", func(ctx context.Context) error {
		_, err := sb.Kube().RbacV1().RoleBindings(stack.CapsuleNamespace).Get(ctx, "e2e-login-viewer", metav1.GetOptions{})
		return err
	})
}

// TestLoginPrefersAnIngress: with an Ingress to Headlamp's Service, login uses its https address and
// no port-forward; the sandbox's Dex does not know that callback, so login names it, and --force
// prints the deep link anyway and exits at once.
func TestLoginPrefersAnIngress(t *testing.T) {
	installHeadlamp(t)
	ing := `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: e2e-login-headlamp, namespace: capsule-system}
spec:
  tls: [{hosts: [headlamp.example.test], secretName: headlamp-tls}]
  rules:
  - host: headlamp.example.test
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: headlamp, port: {name: http}}}}]}
`
	if _, err := sb.Apply(t.Context(), []byte(ing)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = sb.Kube().NetworkingV1().Ingresses(stack.CapsuleNamespace).Delete(context.Background(), "e2e-login-headlamp", metav1.DeleteOptions{})
	})
	run := runPlugin(t, nil, adminEnv(), "login", "--no-browser")
	assertLoginFailed(t, run, "register https://headlamp.example.test/oidc-callback as a redirect URI of client headlamp")

	run = runPlugin(t, nil, adminEnv(), "login", "--no-browser", "--force", "-o", "json")
	var s session
	if run.Code != 0 || json.Unmarshal([]byte(run.Stdout), &s) != nil {
		t.Fatalf("exit %d, stdout %q", run.Code, run.Stdout)
	}
	if s.ReachedBy != "ingress" || s.URL != "https://headlamp.example.test/oidc?cluster=main" || s.Pod != "" || s.LocalPort != 0 {
		t.Errorf("session = %+v, want the Ingress's https address and no port-forward", s)
	}
	mustContain(t, "stderr", run.Stderr, "warning: the IdP refuses redirect URI https://headlamp.example.test/oidc-callback")
}
