package e2e

import (
	"context"
	"errors"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestInstallRollsPodOnProxyCAChange starts from a certgen-style proxy Secret (CA under key "ca"),
// then rotates the proxy CA (new CA under "ca.crt", new certificate); the second install must
// project the new key and restart Headlamp, which reads its CA only at start.
func TestInstallRollsPodOnProxyCAChange(t *testing.T) {
	ns := stack.CapsuleNamespace
	restore, err := sb.ReplaceProxyCert(t.Context(), stack.ProxyCAUnderKeyCA)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := restore(context.Background()); err != nil {
			t.Errorf("restore the proxy certificate: %v", err)
		}
	})
	uninstallAtCleanup(t, ns)
	mustSucceed(t, runAsAdmin(t, installArgs(ns)...))
	first := waitAvailable(t, ns, "headlamp")
	if key := projectedProxyCAKey(t, ns); key != "ca" {
		t.Errorf("with a certgen Secret the pod projects key %q, want ca", key)
	}

	// The first restore puts the healthy Secret back; this one's is not needed.
	if _, err := sb.ReplaceProxyCert(t.Context(), stack.ProxyCertRotated); err != nil {
		t.Fatal(err)
	}
	run := runAsAdmin(t, installArgs(ns)...)
	mustSucceed(t, run)
	mustContain(t, "stderr", run.Stderr, "deployment.apps/headlamp configured")
	if key := projectedProxyCAKey(t, ns); key != "ca.crt" {
		t.Errorf("after the rotation the pod projects key %q, want ca.crt", key)
	}
	eventually(t, "a new Headlamp pod", func(ctx context.Context) error {
		pods, err := sb.Kube().CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=headlamp"})
		if err != nil {
			return err
		}
		for _, p := range pods.Items {
			if p.UID == first.UID {
				return errors.New("the old pod is still there")
			}
		}
		if len(pods.Items) != 1 || pods.Items[0].Status.Phase != corev1.PodRunning {
			return errors.New("the new pod is not running yet")
		}
		return nil
	})
}

func projectedProxyCAKey(t *testing.T, ns string) string {
	t.Helper()
	dep, err := sb.Kube().AppsV1().Deployments(ns).Get(t.Context(), "headlamp", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range dep.Spec.Template.Spec.Volumes {
		if v.Projected != nil {
			for _, src := range v.Projected.Sources {
				if src.Secret != nil {
					return src.Secret.Items[0].Key
				}
			}
		}
	}
	return ""
}
