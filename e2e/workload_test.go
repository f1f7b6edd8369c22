package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"strings"
	"testing"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

const webDeployment = `apiVersion: v1
kind: Namespace
metadata:
  name: e2e-web
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: e2e-web
spec:
  replicas: 2
  selector:
    matchLabels: {app.kubernetes.io/name: web}
  template:
    metadata:
      labels: {app.kubernetes.io/name: web}
    spec:
      containers:
      - name: web
        image: registry.invalid/web:1
        ports: [{containerPort: 8080}]
`

func TestDeploymentBecomesAvailableOnKwokNode(t *testing.T) {
	apply(t, webDeployment)
	pod := waitAvailable(t, "e2e-web", "web")
	if pod.Spec.NodeName != stack.FakeNodeName {
		t.Errorf("pod %s on node %q, want %q", pod.Name, pod.Spec.NodeName, stack.FakeNodeName)
	}
}

func TestPodSecurityRestrictedIsEnforced(t *testing.T) {
	apply(t, `apiVersion: v1
kind: Namespace
metadata:
  name: e2e-restricted
  labels: {pod-security.kubernetes.io/enforce: restricted}
`)
	_, err := sb.Apply(t.Context(), []byte(`apiVersion: v1
kind: Pod
metadata: {name: privileged, namespace: e2e-restricted}
spec:
  containers:
  - name: c
    image: registry.invalid/c:1
    securityContext: {privileged: true}
`))
	if err == nil || !apierrors.IsForbidden(err) || !strings.Contains(err.Error(), "restricted") {
		t.Errorf("privileged pod in a restricted namespace: %v, want forbidden by PodSecurity", err)
	}
}

// TestPortForwardReachesProxyStandin goes API server -> KWOK -> the stand-in behind the capsule-proxy
// pod, and checks the TLS certificate against the proxy CA on the way.
func TestPortForwardReachesProxyStandin(t *testing.T) {
	pods, err := sb.Kube().CoreV1().Pods(stack.CapsuleNamespace).List(t.Context(),
		metav1.ListOptions{LabelSelector: "app.kubernetes.io/component=proxy"})
	if err != nil || len(pods.Items) == 0 {
		t.Fatalf("capsule-proxy pod: %v (%d pods)", err, len(pods.Items))
	}
	local := portForward(t, stack.CapsuleNamespace, pods.Items[0].Name, stack.ProxyPort)
	ca, err := os.ReadFile(sb.ProxyCAFile())
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "capsule-proxy.capsule-system.svc"}}}
	code, body := get(t, c, "https://"+local+"/_healthz")
	if code != http.StatusOK || body != "ok" {
		t.Errorf("GET /_healthz through the port-forward: %d %q, want 200 ok", code, body)
	}
}
