package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/portforward"
	"k8s.io/client-go/transport/spdy"
)

// eventually polls cond until it holds; the test fails with cond's last error after a generous limit
// (a safety net against hangs, not a speed assertion).
func eventually(t testing.TB, what string, cond func(ctx context.Context) error) {
	t.Helper()
	eventuallyWithin(t, 2*time.Minute, what, cond)
}

// eventuallyWithin is eventually with its own limit, for waits whose length grows with the work
// (a controller catching up with thousands of objects).
func eventuallyWithin(t testing.TB, limit time.Duration, what string, cond func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), limit)
	defer cancel()
	var last error
	for {
		if last = cond(ctx); last == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: %v", what, last)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// apply server-side applies a manifest as cluster admin and deletes its namespace at cleanup.
func apply(t *testing.T, manifest string) {
	t.Helper()
	objs, err := sb.Apply(t.Context(), []byte(manifest))
	if err != nil {
		t.Fatalf("apply: %v", err)
	}
	for _, o := range objs {
		if o.GetKind() == "Namespace" {
			name := o.GetName()
			t.Cleanup(func() {
				_ = sb.Kube().CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
			})
		}
	}
}

// waitAvailable waits for a Deployment's Available condition and returns one of its ready pods.
func waitAvailable(t testing.TB, ns, name string) corev1.Pod {
	t.Helper()
	eventually(t, "deployment "+ns+"/"+name+" available", func(ctx context.Context) error {
		d, err := sb.Kube().AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return err
		}
		for _, c := range d.Status.Conditions {
			if c.Type == appsv1.DeploymentAvailable && c.Status == corev1.ConditionTrue {
				return nil
			}
		}
		return fmt.Errorf("conditions %v; pods: %s", d.Status.Conditions, podSummary(ctx, ns))
	})
	var pod corev1.Pod
	eventually(t, "a ready pod of "+ns+"/"+name, func(ctx context.Context) error {
		pods, err := sb.Kube().CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=" + name})
		if err != nil {
			return err
		}
		for _, p := range pods.Items {
			if p.Status.Phase == corev1.PodRunning && p.DeletionTimestamp == nil {
				if err := sb.StandinStarted(ctx, &p); err != nil {
					return err
				}
				pod = p
				return nil
			}
		}
		return errors.New("no running pod yet")
	})
	return pod
}

// portForward forwards a local port to a pod's port through the API server (client-go SPDY) and
// returns the local address.
func portForward(t *testing.T, ns, pod string, port int) string {
	t.Helper()
	cfg := sb.AdminConfig()
	tr, upgrader, err := spdy.RoundTripperFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	url := sb.Kube().CoreV1().RESTClient().Post().Resource("pods").Namespace(ns).Name(pod).SubResource("portforward").URL()
	dialer := spdy.NewDialer(upgrader, &http.Client{Transport: tr}, http.MethodPost, url)
	stop, ready := make(chan struct{}), make(chan struct{})
	fw, err := portforward.NewOnAddresses(dialer, []string{"127.0.0.1"}, []string{fmt.Sprintf("0:%d", port)}, stop, ready, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	errCh := make(chan error, 1)
	go func() { errCh <- fw.ForwardPorts() }()
	t.Cleanup(func() { close(stop) })
	select {
	case <-ready:
	case err := <-errCh:
		t.Fatalf("port-forward to %s/%s:%d: %v", ns, pod, port, err)
	}
	ports, err := fw.GetPorts()
	if err != nil || len(ports) == 0 {
		t.Fatalf("port-forward ports: %v", err)
	}
	return fmt.Sprintf("127.0.0.1:%d", ports[0].Local)
}

// get fetches a URL and returns status and body.
func get(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, c, req)
}

// do sends req and returns status and body.
func do(t *testing.T, c *http.Client, req *http.Request) (int, string) {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

// restartDeployment does what kubectl rollout restart does and waits for the new pods.
func restartDeployment(t *testing.T, ns, name string) {
	t.Helper()
	patch := fmt.Sprintf(`{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":%q}}}}}`,
		time.Now().Format(time.RFC3339Nano))
	if _, err := sb.Kube().AppsV1().Deployments(ns).Patch(t.Context(), name, types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{}); err != nil {
		t.Fatalf("restart %s/%s: %v", ns, name, err)
	}
	eventually(t, "deployment "+ns+"/"+name+" rolled out after the restart", func(ctx context.Context) error {
		return sb.RolledOut(ctx, ns, name)
	})
}

// podLog is what kubectl logs shows for a container.
func podLog(t *testing.T, ns, pod, container string) string {
	t.Helper()
	b, err := sb.Kube().CoreV1().Pods(ns).GetLogs(pod, &corev1.PodLogOptions{Container: container}).DoRaw(t.Context())
	if err != nil {
		t.Fatalf("logs of %s/%s %s: %v", ns, pod, container, err)
	}
	return string(b)
}

// podSummary describes a namespace's pods for failure messages.
func podSummary(ctx context.Context, ns string) string {
	pods, err := sb.Kube().CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return err.Error()
	}
	var out []string
	for _, p := range pods.Items {
		s := fmt.Sprintf("%s phase=%s node=%q", p.Name, p.Status.Phase, p.Spec.NodeName)
		for _, c := range p.Status.Conditions {
			s += fmt.Sprintf(" %s=%s(%s)", c.Type, c.Status, c.Message)
		}
		out = append(out, s)
	}
	return "[" + strings.Join(out, "; ") + "]"
}
