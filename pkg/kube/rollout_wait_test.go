package kube

import (
	"context"
	"errors"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

var (
	rolling = appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 2, UpdatedReplicas: 1, AvailableReplicas: 1}
	done    = appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 1, UpdatedReplicas: 1, AvailableReplicas: 1}
)

// TestRolloutWatchFollowsTheWatch: the wait reads the Deployment once and then learns of its progress
// from the watch, not by reading it again.
func TestRolloutWatchFollowsTheWatch(t *testing.T) {
	cs := fake.NewClientset(deploymentWith(1, rolling))
	fw := watch.NewFake()
	cs.PrependWatchReactor("deployments", func(k8stesting.Action) (bool, watch.Interface, error) { return true, fw, nil })
	go fw.Modify(deploymentWith(1, done)) // blocks until the wait reads the watch
	var seen []string
	w := RolloutWatch{Client: cs, Namespace: "ns", Name: "headlamp", Seen: func(r Rollout, err error) {
		if err == nil {
			seen = append(seen, r.Message)
		}
	}}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	dep, r, err := w.Wait(ctx)
	if err != nil || r.State != RolloutComplete || dep == nil {
		t.Fatalf("Wait() = %v, %+v", err, r)
	}
	if len(seen) != 2 || seen[0] != "1 old pods not replaced yet" || seen[1] != "1/1 pods available" {
		t.Errorf("seen %q", seen)
	}
	gets := 0
	for _, a := range cs.Actions() {
		if a.GetVerb() == "get" {
			gets++
		}
	}
	if gets != 1 {
		t.Errorf("%d reads of the Deployment, want 1 and then the watch", gets)
	}
}

func TestRolloutWatchEnds(t *testing.T) {
	forbidden := apierrors.NewForbidden(schema.GroupResource{Group: "apps", Resource: "deployments"}, "headlamp", errors.New("no"))
	cases := []struct {
		name    string
		status  appsv1.DeploymentStatus
		react   func(*fake.Clientset)
		want    RolloutState
		wantErr func(error) bool
	}{
		{"already rolled out", done, nil, RolloutComplete, nil},
		{"failed", appsv1.DeploymentStatus{ObservedGeneration: 2, Conditions: []appsv1.DeploymentCondition{
			{Type: appsv1.DeploymentProgressing, Reason: "ProgressDeadlineExceeded"}}}, nil, RolloutFailed, nil},
		{"watch forbidden", rolling, func(cs *fake.Clientset) {
			cs.PrependWatchReactor("deployments", func(k8stesting.Action) (bool, watch.Interface, error) { return true, nil, forbidden })
		}, RolloutProgressing, apierrors.IsForbidden},
		{"never rolls out", rolling, nil, RolloutProgressing, func(err error) bool { return errors.Is(err, context.DeadlineExceeded) }},
		{"read failing for a passing reason", rolling, func(cs *fake.Clientset) {
			cs.PrependReactor("get", "deployments", func(k8stesting.Action) (bool, runtime.Object, error) {
				return true, nil, apierrors.NewServiceUnavailable("restarting")
			})
		}, "", func(err error) bool { return errors.Is(err, context.DeadlineExceeded) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs := fake.NewClientset(deploymentWith(1, tc.status))
			if tc.react != nil {
				tc.react(cs)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
			defer cancel()
			_, r, err := RolloutWatch{Client: cs, Namespace: "ns", Name: "headlamp"}.Wait(ctx)
			if r.State != tc.want || (tc.wantErr == nil) != (err == nil) || (tc.wantErr != nil && !tc.wantErr(err)) {
				t.Errorf("Wait() = %+v, %v; want %s", r, err, tc.want)
			}
		})
	}
}
