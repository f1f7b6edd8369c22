package kube

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

const testNS = "capsule-system"

var appLabels = map[string]string{"app.kubernetes.io/name": "headlamp"}

func testService(target intstr.IntOrString) *corev1.Service {
	return &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "headlamp", Namespace: testNS},
		Spec: corev1.ServiceSpec{
			Selector: appLabels,
			Ports:    []corev1.ServicePort{{Port: 80, TargetPort: target}},
		},
	}
}

// testPod returns a pod of the service; age orders pods (older first), ready sets its condition.
func testPod(name string, age int, ready bool) *corev1.Pod {
	status := corev1.ConditionFalse
	if ready {
		status = corev1.ConditionTrue
	}
	return &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{
			Name: name, Namespace: testNS, Labels: appLabels,
			CreationTimestamp: metav1.NewTime(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(-time.Duration(age) * time.Minute)),
		},
		Spec: corev1.PodSpec{Containers: []corev1.Container{{
			Name: "headlamp", Ports: []corev1.ContainerPort{{Name: "http", ContainerPort: 4466}},
		}}},
		Status: corev1.PodStatus{
			Phase:      corev1.PodRunning,
			Conditions: []corev1.PodCondition{{Type: corev1.PodReady, Status: status}},
		},
	}
}

func terminating(p *corev1.Pod) *corev1.Pod {
	now := metav1.Now()
	p.DeletionTimestamp = &now
	return p
}

func TestServicePodsPick(t *testing.T) {
	named := intstr.FromString("http")
	tests := []struct {
		name    string
		objects []runtime.Object
		want    Pod
		wantErr error
	}{
		{"oldest ready pod, named target port", []runtime.Object{testService(named),
			testPod("young", 1, true), testPod("old", 5, true), testPod("older-unready", 9, false)},
			Pod{testNS, "old", 4466}, nil},
		{"numeric target port", []runtime.Object{testService(intstr.FromInt32(8080)), testPod("a", 1, true)},
			Pod{testNS, "a", 8080}, nil},
		{"no target port means the service port", []runtime.Object{testService(intstr.IntOrString{}), testPod("a", 1, true)},
			Pod{testNS, "a", 80}, nil},
		{"terminating pods are skipped", []runtime.Object{testService(named),
			terminating(testPod("going", 5, true)), testPod("staying", 1, true)},
			Pod{testNS, "staying", 4466}, nil},
		{"no ready pod", []runtime.Object{testService(named), testPod("a", 1, false)}, Pod{}, ErrNoReadyPod},
		{"no pod at all", []runtime.Object{testService(named)}, Pod{}, ErrNoReadyPod},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := ServicePods{Client: fake.NewClientset(tt.objects...), Namespace: testNS, Service: "headlamp"}
			got, err := src.Pick(t.Context())
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Pick() error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("Pick() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestServicePodsPickErrors(t *testing.T) {
	tests := []struct {
		name    string
		objects []runtime.Object
		port    int32
		want    string
	}{
		{"missing service", nil, 0, `service capsule-system/headlamp not found`},
		{"unknown port name", []runtime.Object{testService(intstr.FromString("web")), testPod("a", 1, true)}, 0,
			`pod a has no container port named "web" (target of service headlamp port 80)`},
		{"unknown service port", []runtime.Object{testService(intstr.FromString("http")), testPod("a", 1, true)}, 443,
			`service capsule-system/headlamp has no port 443`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := ServicePods{Client: fake.NewClientset(tt.objects...), Namespace: testNS, Service: "headlamp", ServicePort: tt.port}
			_, err := src.Pick(t.Context())
			if err == nil || !containsText(err.Error(), tt.want) {
				t.Fatalf("Pick() error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestWaitGone(t *testing.T) {
	tests := []struct {
		name   string
		change func(context.Context, *fake.Clientset) error
	}{
		{"deleted", func(ctx context.Context, cs *fake.Clientset) error {
			return cs.CoreV1().Pods(testNS).Delete(ctx, "a", metav1.DeleteOptions{})
		}},
		{"no longer ready", func(ctx context.Context, cs *fake.Clientset) error {
			_, err := cs.CoreV1().Pods(testNS).UpdateStatus(ctx, testPod("a", 1, false), metav1.UpdateOptions{})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cs := fake.NewClientset(testService(intstr.FromString("http")), testPod("a", 1, true), testPod("b", 0, true))
			src := ServicePods{Client: cs, Namespace: testNS, Service: "headlamp"}
			done := make(chan error, 1)
			watching := make(chan struct{})
			cs.PrependWatchReactor("pods", watchStarted(cs, watching))
			go func() { done <- src.WaitGone(t.Context(), Pod{testNS, "a", 4466}) }()
			<-watching
			// A change to another pod does not count.
			if err := cs.CoreV1().Pods(testNS).Delete(t.Context(), "b", metav1.DeleteOptions{}); err != nil {
				t.Fatal(err)
			}
			if err := tt.change(t.Context(), cs); err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != nil {
				t.Fatalf("WaitGone() = %v, want nil", err)
			}
		})
	}
}

func TestWaitGoneForAMissingPod(t *testing.T) {
	src := ServicePods{Client: fake.NewClientset(), Namespace: testNS, Service: "headlamp"}
	if err := src.WaitGone(t.Context(), Pod{testNS, "a", 4466}); err != nil {
		t.Fatalf("WaitGone() = %v, want nil for a pod that does not exist", err)
	}
}

// watchStarted returns a watch reactor that opens the tracker's watch itself and then signals, so a
// test changes objects only once the watch can see the change.
func watchStarted(cs *fake.Clientset, started chan<- struct{}) k8stesting.WatchReactionFunc {
	var once sync.Once
	return func(action k8stesting.Action) (bool, watch.Interface, error) {
		w, err := cs.Tracker().Watch(action.GetResource(), action.GetNamespace())
		once.Do(func() { close(started) })
		return true, w, err
	}
}

func containsText(s, sub string) bool { return strings.Contains(s, sub) }
