package login

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

const ns = "capsule-system"

var podLabels = map[string]string{"app.kubernetes.io/name": "headlamp", "app.kubernetes.io/instance": "headlamp"}

// installation returns our Headlamp Deployment (OIDC with issuer), its Service, and one pod.
func installation(issuer string, podReady bool) []runtime.Object {
	dep := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "headlamp", Namespace: ns,
			Labels: map[string]string{"app.kubernetes.io/managed-by": "kubectl-capsule-headlamp"}},
		Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{
			ObjectMeta: metav1.ObjectMeta{Labels: podLabels},
			Spec: corev1.PodSpec{Containers: []corev1.Container{{
				Name: "headlamp",
				Args: []string{"-in-cluster", "-in-cluster-context-name=main", "-oidc-client-id=headlamp",
					"-oidc-idp-issuer-url=" + issuer, "-oidc-scopes=email,groups"},
				Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 4466}},
			}}},
		}},
	}
	svc := &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "headlamp", Namespace: ns},
		Spec: corev1.ServiceSpec{Selector: podLabels,
			Ports: []corev1.ServicePort{{Name: "http", Port: 80, TargetPort: intstr.FromString("http")}}},
	}
	status := corev1.ConditionFalse
	if podReady {
		status = corev1.ConditionTrue
	}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "headlamp-1", Namespace: ns, Labels: podLabels},
		Spec:       dep.Spec.Template.Spec,
		Status: corev1.PodStatus{Phase: corev1.PodRunning,
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: status}}},
	}
	return []runtime.Object{dep, svc, pod}
}

// headlampPod answers every HTTP request on a forwarded connection with "<pod> <path>".
func headlampPod() *kube.MemoryDialer {
	return &kube.MemoryDialer{Serve: func(pod kube.Pod, conn net.Conn) {
		req, err := http.ReadRequest(bufio.NewReader(conn))
		if err != nil {
			return
		}
		body := pod.Name + " " + req.URL.Path
		fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
	}}
}

// fakeBrowser records the URLs it is asked to open.
type fakeBrowser struct {
	opened chan string
	err    error
}

func newFakeBrowser() *fakeBrowser { return &fakeBrowser{opened: make(chan string, 4)} }

func (b *fakeBrowser) Open(_ context.Context, url string) error {
	b.opened <- url
	return b.err
}

// syncBuffer is a bytes.Buffer safe for the goroutines of Run.
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

// testEnv wires Run to a fake cluster, dialer, IdP client and browser; ready receives the session.
func testEnv(t *testing.T, client kubernetes.Interface, dialer kube.StreamDialer, caPEM []byte, b *fakeBrowser) (Env, chan Session, *syncBuffer) {
	t.Helper()
	ready := make(chan Session, 1)
	status := &syncBuffer{}
	return Env{
		Client:  client,
		Dialer:  dialer,
		Browser: b,
		IDPClient: func(_ []byte, insecure bool) (*http.Client, error) {
			return IDPClient(caPEM, insecure)
		},
		Status:  status,
		Palette: style.NewPalette(style.Never, func(string) string { return "" }, status),
		Ready: func(s Session) error {
			ready <- s
			return nil
		},
	}, ready, status
}
