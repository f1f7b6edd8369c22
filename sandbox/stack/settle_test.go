package stack

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
)

func deployment(name string, generation int64, status appsv1.DeploymentStatus) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: CapsuleNamespace, Generation: generation,
			Labels: map[string]string{"app.kubernetes.io/name": name}},
		Spec:   appsv1.DeploymentSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app.kubernetes.io/name": name}}},
		Status: status,
	}
}

func pod(name, app string, ready corev1.ConditionStatus) *corev1.Pod {
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: CapsuleNamespace, Labels: map[string]string{"app.kubernetes.io/name": app}},
		Status:     corev1.PodStatus{Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: ready}}},
	}
}

func TestWorkloadsReady(t *testing.T) {
	done := appsv1.DeploymentStatus{ObservedGeneration: 2, UpdatedReplicas: 1, ReadyReplicas: 1, Replicas: 1}
	tests := []struct {
		name    string
		objects []runtime.Object
		want    string // "" when ready
	}{
		{"rolled out", []runtime.Object{deployment("capsule-proxy", 2, done), pod("p", "capsule-proxy", corev1.ConditionTrue),
			deployment("headlamp", 2, done), pod("h", "headlamp", corev1.ConditionTrue)}, ""},
		{"no Headlamp installed", []runtime.Object{deployment("capsule-proxy", 2, done), pod("p", "capsule-proxy", corev1.ConditionTrue)}, ""},
		{"new spec not seen", []runtime.Object{deployment("headlamp", 3, done), pod("h", "headlamp", corev1.ConditionTrue)}, "generation 2/3"},
		{"pod not ready", []runtime.Object{deployment("headlamp", 2, done), pod("h", "headlamp", corev1.ConditionFalse)}, "0 of 1 pods ready"},
		{"old pod left", []runtime.Object{deployment("headlamp", 2, done), pod("h", "headlamp", corev1.ConditionTrue),
			pod("old", "headlamp", corev1.ConditionTrue)}, "2 of 2 pods ready, want 1"},
		{"other workloads ignored", []runtime.Object{deployment("web", 2, appsv1.DeploymentStatus{})}, ""},
	}
	for _, tt := range tests {
		s := &Stack{kube: fake.NewClientset(tt.objects...)}
		err := s.workloadsReady(t.Context())
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}
