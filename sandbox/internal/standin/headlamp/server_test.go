package headlamp

import (
	"bytes"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/pki"
)

// syncBuffer is a log that the test reads while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// headlampPod projects Secret "proxy-ca" as ca.crt into the service account folder and points the
// in-cluster client at api.
func headlampPod(api string) *corev1.Pod {
	host, port, _ := net.SplitHostPort(api)
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "headlamp-1", Namespace: "hl"},
		Spec: corev1.PodSpec{
			Containers: []corev1.Container{{Name: "headlamp", Args: []string{"-in-cluster"},
				Env:          []corev1.EnvVar{{Name: "KUBERNETES_SERVICE_HOST", Value: host}, {Name: "KUBERNETES_SERVICE_PORT", Value: port}},
				VolumeMounts: []corev1.VolumeMount{{Name: "api", MountPath: serviceAccountDir}}}},
			Volumes: []corev1.Volume{{Name: "api", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
				Sources: []corev1.VolumeProjection{{Secret: &corev1.SecretProjection{
					LocalObjectReference: corev1.LocalObjectReference{Name: "proxy-ca"},
					Items:                []corev1.KeyToPath{{Key: "ca.crt", Path: "ca.crt"}}}}},
			}}}},
		},
	}
}

func caSecret(pemData []byte) *corev1.Secret {
	return &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "proxy-ca", Namespace: "hl"}, Data: map[string][]byte{"ca.crt": pemData}}
}

func startHeadlamp(t *testing.T, kube *fake.Clientset, api string, log io.Writer) *Server {
	t.Helper()
	s, err := Start(t.Context(), Config{Addr: "127.0.0.1:0", Kube: kube, Pod: headlampPod(api), Container: "headlamp", Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestClusterRequestsUseTheCAReadAtStart(t *testing.T) {
	var gotAuth, gotPath string
	api := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth, gotPath = r.Header.Get("Authorization"), r.URL.Path
		_, _ = io.WriteString(w, `{"gitVersion":"v1.37.2"}`)
	}))
	defer api.Close()
	apiCA := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: api.Certificate().Raw})
	other, err := pki.NewCA("other")
	if err != nil {
		t.Fatal(err)
	}
	otherCA := other.CertPEM()

	kube := fake.NewClientset(caSecret(apiCA))
	var log syncBuffer
	hl := startHeadlamp(t, kube, api.Listener.Addr().String(), &log)
	if !strings.Contains(log.String(), `"context":"main","clusterURL":"https://`+api.Listener.Addr().String()+`"`) ||
		!strings.Contains(log.String(), `"message":"Proxy setup"`) {
		t.Errorf("start log %q, want the Proxy setup entry", log.String())
	}
	// The Secret changes while the container runs: what it trusts does not.
	if _, err := kube.CoreV1().Secrets("hl").Update(t.Context(), caSecret(otherCA), metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://"+hl.Addr()+"/clusters/main/version", nil)
	req.Header.Set("Authorization", "Bearer user-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || gotAuth != "Bearer user-token" || gotPath != "/version" {
		t.Errorf("GET /clusters/main/version: %s, API saw %q %q", resp.Status, gotAuth, gotPath)
	}

	// A container started now reads the other CA and cannot verify the API endpoint.
	log = syncBuffer{}
	restarted := startHeadlamp(t, kube, api.Listener.Addr().String(), &log)
	resp, err = http.Get("http://" + restarted.Addr() + "/clusters/main/version") //nolint:noctx // test
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusBadGateway || len(body) != 0 {
		t.Errorf("with the other CA: %s %q, want 502 with an empty body", resp.Status, body)
	}
	if want := "http: proxy error: tls: failed to verify certificate: x509: certificate signed by unknown authority"; !strings.Contains(log.String(), want) {
		t.Errorf("log %q, want %q", log.String(), want)
	}
}

func TestOIDCDiscoveryErrorsAreHeadlampsText(t *testing.T) {
	var idpURL string
	idp := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, `{"issuer":"`+idpURL+`","authorization_endpoint":"`+idpURL+`/auth"}`)
	}))
	defer idp.Close()
	idpURL = idp.URL
	pod := headlampPod("127.0.0.1:1")
	pod.Spec.Containers[0].Args = append(pod.Spec.Containers[0].Args,
		"-oidc-client-id=headlamp", "-oidc-idp-issuer-url="+idp.URL+"/", "-oidc-scopes=profile email,groups", "-oidc-skip-tls-verify")
	var log syncBuffer
	hl, err := Start(t.Context(), Config{Addr: "127.0.0.1:0", Kube: fake.NewClientset(caSecret(nil)), Pod: pod, Container: "headlamp", Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = hl.Close() }()
	resp, err := http.Get("http://" + hl.Addr() + "/oidc?cluster=main") //nolint:noctx // test
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	want := `oidc: issuer URL provided to client ("` + idp.URL + `/") did not match the issuer URL returned by provider ("` + idp.URL + `")`
	if resp.StatusCode != http.StatusInternalServerError || strings.TrimSpace(string(body)) != want ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("GET /oidc with a trailing slash: %s %q, want 500 %q", resp.Status, body, want)
	}
	// Headlamp logs the same error as an entry of its own: level, the issuer, the error, the message.
	entry := `{"level":"error","idpIssuerURL":"` + idp.URL + `/","error":` + strconv.Quote(want)
	if !strings.Contains(log.String(), entry) || !strings.Contains(log.String(), `"message":"failed to get provider"}`) {
		t.Errorf("log %q, want %s... \"message\":\"failed to get provider\"", log.String(), entry)
	}
}
