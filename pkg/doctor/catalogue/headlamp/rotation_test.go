package headlamp

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// TestStaleCA: a pod that started with the Secret's CA is current whatever changed in the Secret since
// (a renewed tls.crt); otherwise what counts is whether it started before the Secret's data changed,
// never the CA's NotBefore.
func TestStaleCA(t *testing.T) {
	changed := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	pod := func(digest string, started time.Time) corev1.Pod {
		p := corev1.Pod{Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{{
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: metav1.NewTime(started)}}}}}}
		if digest != "" {
			p.Annotations = map[string]string{headlamp.AnnotationProxyCA: digest}
		}
		return p
	}
	before, after := changed.Add(-time.Minute), changed.Add(time.Minute)
	for _, tt := range []struct {
		name  string
		pod   corev1.Pod
		stale bool
	}{
		{"installed with the current CA, tls.crt renewed since", pod("new", before), false},
		{"installed with the old CA, started before the rotation", pod("old", before), true},
		{"installed with the old CA, restarted after the rotation", pod("old", after), false},
		{"another install, started before the Secret changed", pod("", before), true},
		{"another install, started after", pod("", after), false},
		{"another install, started in the second the Secret changed", pod("", changed), true},
	} {
		if got := staleCA(tt.pod, "new", changed) != ""; got != tt.stale {
			t.Errorf("%s: stale %v, want %v", tt.name, got, tt.stale)
		}
	}
}
