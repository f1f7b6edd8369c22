package e2e

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	admissionv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// blockedNamespace is a namespace where no pod may be created, so a Deployment never becomes
// available: a ValidatingAdmissionPolicy denies pods there (quotas need a controller the sandbox
// does not run). It returns once the API server enforces the policy.
func blockedNamespace(t *testing.T, name string) {
	t.Helper()
	newTestNamespace(t, name, nil)
	blockPods(t, name)
}

// blockPods denies the creation of pods in namespace name from now on, until the test ends.
func blockPods(t *testing.T, name string) {
	t.Helper()
	policy := &admissionv1.ValidatingAdmissionPolicy{
		ObjectMeta: metav1.ObjectMeta{Name: "e2e-no-pods-" + name},
		Spec: admissionv1.ValidatingAdmissionPolicySpec{
			MatchConstraints: &admissionv1.MatchResources{ResourceRules: []admissionv1.NamedRuleWithOperations{{
				RuleWithOperations: admissionv1.RuleWithOperations{
					Operations: []admissionv1.OperationType{admissionv1.Create},
					Rule:       admissionv1.Rule{APIGroups: []string{""}, APIVersions: []string{"v1"}, Resources: []string{"pods"}},
				},
			}}},
			Validations: []admissionv1.Validation{{Expression: "false", Message: "pods are blocked in this namespace by the e2e test"}},
		},
	}
	bindPolicy(t, policy, name)
	probe := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "probe", Namespace: name},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "probe"}}}}
	eventually(t, "the policy to block pods", func(ctx context.Context) error {
		_, err := sb.Kube().CoreV1().Pods(name).Create(ctx, probe, metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
		if err == nil {
			return errors.New("a pod was still admitted")
		}
		return nil
	})
}

func TestInstallExplainsTimeout(t *testing.T) {
	ns := "e2e-install-timeout"
	blockedNamespace(t, ns)
	run := runAsAdmin(t, installArgs(ns, "--timeout", "5s")...)
	if run.Code != 1 {
		t.Fatalf("exit code %d, want 1", run.Code)
	}
	mustContain(t, "stderr", run.Stderr, "deployment e2e-install-timeout/headlamp is not available after 5s",
		"FailedCreate", "pods are blocked in this namespace", "kubectl -n e2e-install-timeout describe deployment headlamp")
	if strings.Contains(run.Stderr, "is installed") {
		t.Error("a timed-out install claims success")
	}
}

func TestInstallInterruptedDuringWait(t *testing.T) {
	ns := "e2e-install-interrupt"
	blockedNamespace(t, ns)
	cmd := exec.CommandContext(t.Context(), pluginBinary(t), installArgs(ns)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "KUBECONFIG=" + sb.AdminKubeconfig()}
	var stdout, stderr outputBuffer
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

// TestInstallWithoutWait: a Headlamp that is not ready yet (here: never) is what --wait=false asks
// for, so it is no failure of the post-install doctor.
func TestInstallWithoutWait(t *testing.T) {
	ns := "e2e-install-nowait"
	blockedNamespace(t, ns)
	run := runAsAdmin(t, installArgs(ns, "--wait=false")...)
	mustSucceed(t, run)
	mustContain(t, "stderr", run.Stderr, "not waiting for Headlamp to be ready (the doctor leaves out HEADLAMP-READY)",
		"running the doctor checks", "Headlamp is installed behind capsule-proxy")
}
