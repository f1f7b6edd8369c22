package e2e

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// kubeadmAPIServerPod creates, until the test ends, the pod a kubeadm control plane shows for its
// kube-apiserver (kube-system, label component=kube-apiserver) with the given flags. The sandbox
// runs its API server as a process, so without this fixture AUTHN-APISERVER-FLAGS has nothing to
// read; the pod runs on the KWOK node and serves nothing, and doctor only reads its spec.
func kubeadmAPIServerPod(t *testing.T, flags ...string) {
	t.Helper()
	no := false
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			// A name of its own per test: KWOK finishes a deleted pod's stages by name, so a pod
			// made right after another of the same name could be deleted in its place.
			GenerateName: "kube-apiserver-" + stack.FakeNodeName + "-", Namespace: "kube-system",
			Labels: map[string]string{"component": "kube-apiserver", "tier": "control-plane"},
		},
		Spec: corev1.PodSpec{
			NodeName: stack.FakeNodeName, AutomountServiceAccountToken: &no,
			Containers: []corev1.Container{{
				Name: "kube-apiserver", Image: "registry.k8s.io/kube-apiserver:v1.37.2",
				Command: append([]string{"kube-apiserver", "--secure-port=6443"}, flags...),
			}},
		},
	}
	pods := sb.Kube().CoreV1().Pods(pod.Namespace)
	pod, err := pods.Create(t.Context(), pod, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		zero := int64(0)
		if err := pods.Delete(context.Background(), pod.Name, metav1.DeleteOptions{GracePeriodSeconds: &zero}); err != nil {
			t.Errorf("delete pod kube-system/%s: %v", pod.Name, err)
		}
	})
}
