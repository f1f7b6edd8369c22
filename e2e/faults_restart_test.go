package e2e

import (
	"context"
	"fmt"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	apiserverv1 "k8s.io/apiserver/pkg/apis/apiserver/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestFaultAPIServerRestartSettles: an API server restart, the fault's and the restore's, returns only
// once the controllers work again and the proxy's and Headlamp's pods are Ready, so a test can go on
// at once, with no settling of its own.
func TestFaultAPIServerRestartSettles(t *testing.T) {
	installHeadlamp(t)
	restore, err := sb.RestartAPIServerWithAuth(t.Context(), func(c *apiserverv1.AuthenticationConfiguration) {
		c.JWT[0].Issuer.Audiences = []string{stack.KubernetesClientID}
	})
	restored := false
	t.Cleanup(func() {
		if !restored {
			ctx, cancel := cleanupCtx()
			defer cancel()
			if err := restore(ctx); err != nil {
				t.Errorf("restore: %v", err)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	assertPodsReady(t, "after the fault")
	apply(t, `apiVersion: v1
kind: Namespace
metadata: {name: e2e-after-restart}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: e2e-after-restart}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: web}}
  template:
    metadata: {labels: {app.kubernetes.io/name: web}}
    spec:
      containers: [{name: web, image: registry.invalid/web:1}]
`)
	waitAvailable(t, "e2e-after-restart", "web") // the controller manager rolls out new work again

	restored = true
	if err := restore(t.Context()); err != nil {
		t.Fatalf("restore: %v", err)
	}
	assertPodsReady(t, "after the restore")
	if _, err := sb.WhoAmI(t.Context(), stack.Alice.Email, stack.HeadlampClientID, stack.APIServerURL); err != nil {
		t.Errorf("alice after the restore: %v", err)
	}
}

// assertPodsReady checks, without waiting, that capsule-proxy and Headlamp each have one Ready pod.
func assertPodsReady(t *testing.T, when string) {
	t.Helper()
	for _, name := range []string{"capsule-proxy", "headlamp"} {
		pods, err := sb.Kube().CoreV1().Pods(stack.CapsuleNamespace).List(t.Context(),
			metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=" + name})
		if err != nil {
			t.Fatal(err)
		}
		if err := oneReady(pods.Items); err != nil {
			t.Errorf("%s: %s pods: %v (%s)", when, name, err, podSummary(context.Background(), stack.CapsuleNamespace))
		}
	}
}

func oneReady(pods []corev1.Pod) error {
	if len(pods) != 1 {
		return fmt.Errorf("%d pods, want 1", len(pods))
	}
	for _, c := range pods[0].Status.Conditions {
		if c.Type == corev1.PodReady && c.Status == corev1.ConditionTrue {
			return nil
		}
	}
	return fmt.Errorf("pod %s is not Ready", pods[0].Name)
}
