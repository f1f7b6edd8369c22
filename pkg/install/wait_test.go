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
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
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

// TestWaitFollowsTheWatch: the wait shows each status the watch brings, in plain output once each,
// and ends as soon as the rollout completes.
func TestWaitFollowsTheWatch(t *testing.T) {
	cs := fake.NewClientset(deploymentWith(appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 2, UpdatedReplicas: 1, AvailableReplicas: 1}))
	fw := watch.NewFake()
	cs.PrependWatchReactor("deployments", func(k8stesting.Action) (bool, watch.Interface, error) { return true, fw, nil })
	go fw.Modify(deploymentWith(appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 1, UpdatedReplicas: 1, AvailableReplicas: 1}))
	var out bytes.Buffer
	if err := WaitAvailable(t.Context(), cs, "ns", "headlamp", 10*time.Second, newProgress(&out, false)); err != nil {
		t.Fatal(err)
	}
	want := "waiting for deployment ns/headlamp\nwaiting for deployment ns/headlamp: 1 old pods not replaced yet\ndeployment ns/headlamp is available\n"
	if out.String() != want {
		t.Errorf("progress:\n%s\nwant:\n%s", out.String(), want)
	}
}

// TestWaitSaysWhyItCouldNotRead: a Deployment that cannot be read for a passing reason is read again
// until the timeout, which then says why.
func TestWaitSaysWhyItCouldNotRead(t *testing.T) {
	cs := fake.NewClientset()
	cs.PrependReactor("get", "deployments", func(k8stesting.Action) (bool, runtime.Object, error) {
		return true, nil, apierrors.NewServiceUnavailable("the API server is restarting")
	})
	err := WaitAvailable(t.Context(), cs, "ns", "headlamp", 300*time.Millisecond, newProgress(nil, false))
	var we *WaitError
	if !errors.As(err, &we) || !strings.Contains(we.Status, "cannot read the deployment: the API server is restarting") {
		t.Errorf("err = %v", err)
	}
}
