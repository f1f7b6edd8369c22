package doctor

import (
	"sync/atomic"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/doctortest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// becomingReady is a run on a world whose Headlamp has not rolled out (no pod available) until its
// Deployment was read three times, as after an install whose rollout is under way.
func becomingReady(t *testing.T) Config {
	t.Helper()
	w := doctortest.NewWorld(t)
	w.Rollout = &appsv1.DeploymentStatus{Replicas: 1, UpdatedReplicas: 1}
	c := config(w.Env(t))
	cs := c.Kube.(*fake.Clientset)
	dep, err := cs.AppsV1().Deployments(c.Namespace).Get(t.Context(), w.Settings.Name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var reads atomic.Int32
	cs.PrependReactor("*", "deployments", func(k8stesting.Action) (bool, runtime.Object, error) {
		if reads.Add(1) == 3 {
			ready := dep.DeepCopy()
			ready.Status.ReadyReplicas, ready.Status.AvailableReplicas = 1, 1
			if err := cs.Tracker().Update(ready.GroupVersionKind().GroupVersion().WithResource("deployments"), ready, c.Namespace); err != nil {
				t.Error(err)
			}
		}
		return false, nil, nil
	})
	c.Only, c.Timeout = []engine.ID{hlcheck.IDReady}, 30*time.Second
	return c
}

// TestWaitJudgesReadinessUntilItHolds: right after an install, HEADLAMP-READY judges again until the
// rollout completed; a plain doctor run says what it sees at once.
func TestWaitJudgesReadinessUntilItHolds(t *testing.T) {
	c := becomingReady(t)
	if o := byID(t, c)[hlcheck.IDReady]; o.Status != engine.StatusFail {
		t.Errorf("a plain run: HEADLAMP-READY = %s %q, want the failure it sees", o.Status, o.Message)
	}
	c = becomingReady(t)
	c.Wait = true
	if o := byID(t, c)[hlcheck.IDReady]; o.Status != engine.StatusPass {
		t.Errorf("a run that waits: HEADLAMP-READY = %s %q, want pass once ready", o.Status, o.Message)
	}
}
