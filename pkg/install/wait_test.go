package install

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func deploymentWith(status appsv1.DeploymentStatus) *appsv1.Deployment {
	one := int32(1)
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "headlamp", Namespace: "ns", Generation: 2},
		Spec: appsv1.DeploymentSpec{Replicas: &one, Selector: &metav1.LabelSelector{
			MatchLabels: map[string]string{"app": "headlamp"}}},
		Status: status,
	}
}

func TestRolloutStatus(t *testing.T) {
	tests := []struct {
		name          string
		status        appsv1.DeploymentStatus
		ready, failed bool
		says          string
	}{
		{"old generation", appsv1.DeploymentStatus{ObservedGeneration: 1, UpdatedReplicas: 1, AvailableReplicas: 1, Replicas: 1}, false, false, "not seen the new spec"},
		{"not updated", appsv1.DeploymentStatus{ObservedGeneration: 2}, false, false, "0/1 pods updated"},
		{"old pod left", appsv1.DeploymentStatus{ObservedGeneration: 2, UpdatedReplicas: 1, Replicas: 2, AvailableReplicas: 1}, false, false, "1 old pods terminating"},
		{"not available", appsv1.DeploymentStatus{ObservedGeneration: 2, UpdatedReplicas: 1, Replicas: 1}, false, false, "0/1 pods available"},
		{"available", appsv1.DeploymentStatus{ObservedGeneration: 2, UpdatedReplicas: 1, Replicas: 1, AvailableReplicas: 1}, true, false, "1/1"},
		{"deadline", appsv1.DeploymentStatus{ObservedGeneration: 2, Conditions: []appsv1.DeploymentCondition{
			{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse, Reason: "ProgressDeadlineExceeded", Message: "too slow"}}}, false, true, "too slow"},
		// Right after a re-install the controller has not yet reset the condition of the failed
		// rollout the new spec fixes.
		{"stale deadline", appsv1.DeploymentStatus{ObservedGeneration: 1, Conditions: []appsv1.DeploymentCondition{
			{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse, Reason: "ProgressDeadlineExceeded", Message: "too slow"}}}, false, false, "not seen the new spec"},
	}
	for _, tt := range tests {
		ready, failed, says := rolloutStatus(deploymentWith(tt.status))
		if ready != tt.ready || failed != tt.failed || !strings.Contains(says, tt.says) {
			t.Errorf("%s: ready %v failed %v %q", tt.name, ready, failed, says)
		}
	}
}

func TestWaitAvailable(t *testing.T) {
	cs := fake.NewClientset(deploymentWith(appsv1.DeploymentStatus{ObservedGeneration: 2, UpdatedReplicas: 1, Replicas: 1, AvailableReplicas: 1}))
	var out bytes.Buffer
	if err := WaitAvailable(t.Context(), cs, "ns", "headlamp", time.Second, newProgress(&out, false)); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "deployment ns/headlamp is available") {
		t.Errorf("progress: %q", out.String())
	}
}

func TestWaitExplainsTimeout(t *testing.T) {
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "headlamp-abc-123", Namespace: "ns", Labels: map[string]string{"app": "headlamp"}},
		Status: corev1.PodStatus{
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionFalse, Reason: "ContainersNotReady"}},
			ContainerStatuses: []corev1.ContainerStatus{{Name: "headlamp", State: corev1.ContainerState{
				Waiting: &corev1.ContainerStateWaiting{Reason: "CreateContainerConfigError", Message: `secret "headlamp-oidc" not found`}}}},
		},
	}
	event := &corev1.Event{
		ObjectMeta:     metav1.ObjectMeta{Name: "e1", Namespace: "ns"},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "headlamp-abc-123"},
		Type:           corev1.EventTypeWarning, Reason: "FailedMount", Message: "configmap missing", Count: 3,
	}
	normal := &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: "e2", Namespace: "ns"},
		InvolvedObject: corev1.ObjectReference{Kind: "Pod", Name: "headlamp-abc-123"}, Type: corev1.EventTypeNormal, Reason: "Scheduled"}
	rsEvent := func(name string, at time.Time) *corev1.Event {
		return &corev1.Event{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns"}, LastTimestamp: metav1.NewTime(at),
			InvolvedObject: corev1.ObjectReference{Kind: "ReplicaSet", Name: "headlamp-abc"}, Type: corev1.EventTypeWarning,
			Reason: "FailedCreate", Message: "forbidden: " + name}
	}
	now := time.Now()
	cs := fake.NewClientset(deploymentWith(appsv1.DeploymentStatus{ObservedGeneration: 2, UpdatedReplicas: 1, Replicas: 1}), pod, event, normal,
		rsEvent("older", now.Add(-time.Minute)), rsEvent("newer", now))
	var out bytes.Buffer
	err := WaitAvailable(t.Context(), cs, "ns", "headlamp", 300*time.Millisecond, newProgress(&out, false))
	var we *WaitError
	if !errors.As(err, &we) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"not available after 300ms (0/1 pods available)", "CreateContainerConfigError", `secret "headlamp-oidc" not found`,
		"event on pod/headlamp-abc-123: FailedMount: configmap missing (3 times)", "kubectl -n ns describe deployment headlamp",
		"event on replicaset/headlamp-abc: FailedCreate: forbidden: newer (and 1 similar)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%s", want, err)
		}
	}
	if strings.Contains(err.Error(), "Scheduled") {
		t.Error("normal events are quoted")
	}
	if strings.Count(out.String(), "waiting for deployment ns/headlamp: 0/1 pods available") != 1 {
		t.Errorf("plain progress repeats unchanged lines:\n%s", out.String())
	}
}

func TestWaitInterrupted(t *testing.T) {
	cs := fake.NewClientset(deploymentWith(appsv1.DeploymentStatus{}))
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(100*time.Millisecond, cancel)
	err := WaitAvailable(ctx, cs, "ns", "headlamp", time.Minute, newProgress(nil, false))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled so the command exits 130", err)
	}
}

func TestProgressOnTerminal(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, true)
	p.update("a")
	p.update("a")
	p.line("done")
	if got := out.String(); strings.Count(got, "\r\033[K") != 3 || !strings.HasSuffix(got, "\r\033[Kdone\n") {
		t.Errorf("terminal progress = %q", got)
	}
}
