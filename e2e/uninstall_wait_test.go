package e2e

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
)

const holdFinalizer = "e2e.example.com/hold"

// uninstall waits for what a finalizer holds: at --timeout it names the object and the finalizer and
// exits 1; once the finalizer goes while it waits, it ends with every object gone.
func TestUninstallWaitsForAFinalizer(t *testing.T) {
	ns := "uninstall-wait"
	newTestNamespace(t, ns, nil)
	labels := map[string]string{"app.kubernetes.io/managed-by": "kubectl-capsule-headlamp"}
	for _, cm := range []*corev1.ConfigMap{
		{ObjectMeta: metav1.ObjectMeta{Name: "held", Labels: labels, Finalizers: []string{holdFinalizer}}},
		{ObjectMeta: metav1.ObjectMeta{Name: "free", Labels: labels}},
	} {
		if _, err := sb.Kube().CoreV1().ConfigMaps(ns).Create(t.Context(), cm, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { releaseHold(context.Background(), t, ns, "held") })

	run := runAsAdmin(t, "uninstall", "-n", ns, "--timeout", "3s")
	if run.Code != 1 {
		t.Fatalf("exit code %d, want 1 while a finalizer holds an object", run.Code)
	}
	mustContain(t, "stderr", run.Stderr, "configmap/free deleted", "configmap/held deleted",
		"1 object(s) still present after 3s: configmap/held (finalizer "+holdFinalizer+")", "--wait=false")

	// Again, and the finalizer goes once uninstall says it waits for it.
	cmd := exec.CommandContext(t.Context(), pluginBinary(t), "uninstall", "-n", ns, "--timeout", "2m")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "KUBECONFIG=" + sb.AdminKubeconfig()}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var seen bytes.Buffer
	lines := bufio.NewScanner(stderr)
	for lines.Scan() {
		seen.WriteString(lines.Text() + "\n")
		if strings.Contains(lines.Text(), "waiting for 1 object(s) to go: configmap/held (finalizer "+holdFinalizer+")") {
			releaseHold(t.Context(), t, ns, "held")
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("uninstall: %v\nstderr:\n%s", err, seen.String())
	}
	mustContain(t, "stderr", seen.String(), "(finalizer "+holdFinalizer+")", "all 1 objects are gone")
	if _, err := sb.Kube().CoreV1().ConfigMaps(ns).Get(t.Context(), "held", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("configmap/held after uninstall: %v, want it gone", err)
	}
}

// releaseHold removes the test's finalizer from a ConfigMap, if it is still there.
func releaseHold(ctx context.Context, t *testing.T, ns, name string) {
	patch := []byte(`{"metadata":{"finalizers":null}}`)
	_, err := sb.Kube().CoreV1().ConfigMaps(ns).Patch(ctx, name, types.MergePatchType, patch, metav1.PatchOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		t.Errorf("remove the finalizer of configmap/%s: %v", name, err)
	}
}
