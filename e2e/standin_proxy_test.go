package e2e

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// proxyClient trusts the proxy's CA.
func proxyClient(t *testing.T) *http.Client {
	t.Helper()
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: proxyCAPool(t.Context(), t, "ca.crt")}}}
}

// statuses decodes the Status objects of a body, in order.
func statuses(t *testing.T, body string) []metav1.Status {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(body))
	var out []metav1.Status
	for {
		var st metav1.Status
		if err := dec.Decode(&st); errors.Is(err, io.EOF) {
			return out
		} else if err != nil {
			t.Fatalf("decode %q: %v", body, err)
		}
		out = append(out, st)
	}
}

// expectProxyRefusal checks capsule-proxy's answer to a caller it cannot identify: 403, then two Status
// objects, the first (403) saying why, the second the API server's 401.
func expectProxyRefusal(t *testing.T, code int, body string, why ...string) {
	t.Helper()
	got := statuses(t, body)
	if code != http.StatusForbidden || len(got) != 2 || got[0].Code != 403 || got[1].Code != 401 || got[1].Message != "Unauthorized" {
		t.Fatalf("answer %d %s, want 403 with a 403 and a 401 Status", code, body)
	}
	mustContain(t, "the first Status", got[0].Message, why...)
}

func TestProxyStandinRefusesUnidentifiedCallers(t *testing.T) {
	c := proxyClient(t)
	code, body := get(t, c, stack.ProxyURL+"/api/v1/namespaces")
	expectProxyRefusal(t, code, body, "cannot retrieve user and group: no authentication provider available")

	req := request(t, http.MethodGet, stack.ProxyURL+"/api/v1/namespaces", "")
	req.Header.Set("Authorization", "Bearer not-a-token")
	code, body = do(t, c, req)
	expectProxyRefusal(t, code, body, "cannot authenticate the token due to error: ")
}

// TestProxyStandinWithoutItsCRDs: without ProxySetting and GlobalProxySettings the proxy exits at
// start; its pod is not ready, kubectl logs says why, and nothing answers on its port.
func TestProxyStandinWithoutItsCRDs(t *testing.T) {
	restore, err := sb.RemoveProxyCRDs(t.Context())
	restoreAtEnd(t, restore)
	if err != nil {
		t.Fatal(err)
	}
	pods, err := sb.Kube().CoreV1().Pods(stack.CapsuleNamespace).List(t.Context(), metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=capsule-proxy"})
	if err != nil || len(pods.Items) != 1 {
		t.Fatalf("capsule-proxy pods: %v %v", pods, err)
	}
	pod := pods.Items[0]
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodReady && c.Status != corev1.ConditionFalse {
			t.Errorf("capsule-proxy pod Ready=%s without its CRDs", c.Status)
		}
	}
	if cs := pod.Status.ContainerStatuses; len(cs) != 1 || cs[0].State.Waiting == nil || cs[0].State.Waiting.Reason != "CrashLoopBackOff" {
		t.Errorf("container status %+v, want waiting in CrashLoopBackOff", cs)
	}
	log := podLog(t, stack.CapsuleNamespace, pod.Name, "capsule-proxy")
	mustContain(t, "capsule-proxy's log", log, `"msg":"cannot create new Field Indexer"`,
		`no matches for kind \"ProxySetting\" in version \"capsule.clastix.io/v1beta1\"`)
	_, err = proxyClient(t).Do(request(t, http.MethodGet, stack.ProxyURL+"/_healthz", ""))
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("GET /_healthz without the CRDs: %v, want connection refused", err)
	}
	if bytes.Contains([]byte(log), []byte("panic")) {
		t.Errorf("capsule-proxy's log shows a panic:\n%s", log)
	}
}
