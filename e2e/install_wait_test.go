package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// blockedNamespace is a namespace where no pod may be created, so a Deployment never becomes available.
func blockedNamespace(t *testing.T, name string) {
	t.Helper()
	newTestNamespace(t, name, nil)
	quota := &corev1.ResourceQuota{
		ObjectMeta: metav1.ObjectMeta{Name: "no-pods", Namespace: name},
		Spec:       corev1.ResourceQuotaSpec{Hard: corev1.ResourceList{corev1.ResourcePods: resource.MustParse("0")}},
	}
	if _, err := sb.Kube().CoreV1().ResourceQuotas(name).Create(t.Context(), quota, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

func TestInstallExplainsTimeout(t *testing.T) {
	ns := "e2e-install-timeout"
	blockedNamespace(t, ns)
	run := runAsAdmin(t, installArgs(ns, "--timeout", "5s")...)
	if run.Code != 1 {
		t.Fatalf("exit code %d, want 1", run.Code)
	}
	mustContain(t, "stderr", run.Stderr, "deployment e2e-install-timeout/headlamp is not available after 5s",
		"FailedCreate", "quota", "kubectl -n e2e-install-timeout describe deployment headlamp")
	if strings.Contains(run.Stderr, "is installed") {
		t.Error("a timed-out install claims success")
	}
}

// lockedBuffer is a bytes.Buffer safe for a writer goroutine and a reading test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *lockedBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *lockedBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestInstallInterruptedDuringWait(t *testing.T) {
	ns := "e2e-install-interrupt"
	blockedNamespace(t, ns)
	cmd := exec.CommandContext(t.Context(), pluginBinary(t), installArgs(ns)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "KUBECONFIG=" + sb.AdminKubeconfig()}
	var stdout, stderr lockedBuffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the wait to start", func(context.Context) error {
		if !strings.Contains(stderr.String(), "waiting for deployment") {
			return errors.New("not waiting yet: " + stderr.String())
		}
		return nil
	})
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute):
		t.Fatal("the plugin did not stop after SIGINT")
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.ExitCode() != 130 {
		t.Errorf("exit: %v, want code 130", err)
	}
	out := stderr.String()
	mustContain(t, "stderr", out, "error: interrupted", "the objects were applied but Headlamp may not be ready")
	if strings.Contains(out, "is installed") {
		t.Error("an interrupted install claims success")
	}
	assertNoSecret(t, pluginRun{Stdout: stdout.String(), Stderr: out}, headlampClientSecret(t))
}
