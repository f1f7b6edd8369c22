package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// BenchmarkInstallVersusKubectl compares the wall time of `install` (checks before writing, apply, wait) with
// `kubectl apply --server-side -f` of the same objects followed by `kubectl rollout status`. It
// reports the ratio (install/kubectl); it asserts no time.
//
//	unshare --net bash -c 'ip link set lo up && go test -run '^$' -bench InstallVersusKubectl -benchtime 5x'
func BenchmarkInstallVersusKubectl(b *testing.B) {
	ns := fmt.Sprintf("e2e-install-bench-%d", b.N) // the probe run's namespace may still be terminating
	if _, err := sb.Kube().CoreV1().Namespaces().Create(b.Context(), &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = sb.Kube().CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{}) })
	bin := filepath.Join(b.TempDir(), "kubectl-capsule_headlamp")
	build := exec.Command("go", "build", "-o", bin, "./cmd/kubectl-capsule-headlamp")
	build.Dir = repoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build the plugin: %v\n%s", err, out)
	}
	install := []string{"install", "-n", ns, "--oidc-issuer-url", stack.IssuerURL, "--oidc-client-secret-file", sb.ClientSecretFile(), "--oidc-ca-file", sb.OIDCCAFile()}
	manifest := filepath.Join(b.TempDir(), "headlamp.yaml")
	objects := benchExec(b, bin, append(install, "--dry-run=client", "-o", "yaml")...)
	if err := os.WriteFile(manifest, objects, 0o600); err != nil {
		b.Fatal(err)
	}

	var plugin, kubectl time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		benchExec(b, bin, install...)
		plugin += time.Since(start)
		benchExec(b, bin, "uninstall", "-n", ns)

		start = time.Now()
		benchExec(b, sb.KubectlPath(), "apply", "--server-side", "--field-manager=bench", "-f", manifest)
		benchExec(b, sb.KubectlPath(), "-n", ns, "rollout", "status", "deployment/headlamp", "--timeout=2m")
		kubectl += time.Since(start)
		benchExec(b, bin, "uninstall", "-n", ns)
	}
	b.StopTimer()
	b.ReportMetric(float64(plugin.Milliseconds())/float64(b.N), "install-ms/op")
	b.ReportMetric(float64(kubectl.Milliseconds())/float64(b.N), "kubectl-ms/op")
	b.ReportMetric(float64(plugin)/float64(kubectl), "install/kubectl")
}

// run executes a command as the sandbox admin and returns its stdout; a failure stops the benchmark.
func benchExec(b *testing.B, name string, args ...string) []byte {
	b.Helper()
	cmd := exec.CommandContext(b.Context(), name, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + b.TempDir(), "KUBECONFIG=" + sb.AdminKubeconfig()}
	var stderr []byte
	out, err := cmd.Output()
	if exitErr, ok := err.(*exec.ExitError); ok {
		stderr = exitErr.Stderr
	}
	if err != nil {
		b.Fatalf("%s %v: %v\n%s", filepath.Base(name), args, err, stderr)
	}
	return out
}
