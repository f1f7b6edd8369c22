package install

import (
	"bytes"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// holdDeployment makes the fake API server keep the Deployment when it is deleted, marked for
// deletion and held by a finalizer, as a garbage collector still deleting its pods would; watched
// is closed once uninstall watches Deployments.
func holdDeployment(t *testing.T, cs *fake.Clientset) (watched chan struct{}) {
	t.Helper()
	cs.PrependReactor("delete", "deployments", func(a k8stesting.Action) (bool, runtime.Object, error) {
		obj, err := cs.Tracker().Get(appsv1.SchemeGroupVersion.WithResource("deployments"), a.GetNamespace(), a.(k8stesting.DeleteAction).GetName())
		if err != nil {
			return true, nil, err
		}
		dep := obj.(*appsv1.Deployment).DeepCopy()
		dep.DeletionTimestamp, dep.Finalizers = &metav1.Time{Time: time.Now()}, []string{"example.com/hold"}
		return true, nil, cs.Tracker().Update(appsv1.SchemeGroupVersion.WithResource("deployments"), dep, dep.Namespace)
	})
	watched = make(chan struct{})
	cs.PrependWatchReactor("deployments", func(a k8stesting.Action) (bool, watch.Interface, error) {
		w, err := cs.Tracker().Watch(appsv1.SchemeGroupVersion.WithResource("deployments"), a.GetNamespace())
		select {
		case <-watched:
		default:
			close(watched)
		}
		return true, w, err
	})
	return watched
}

// The wait learns from a watch that the last object went, and says meanwhile what holds it.
func TestUninstallWaitsForWhatAFinalizerHolds(t *testing.T) {
	cs := healthyCluster(t)
	if _, err := Install(t.Context(), clients(cs), testOptions()); err != nil {
		t.Fatal(err)
	}
	watched := holdDeployment(t, cs)
	go func() {
		<-watched
		_ = cs.Tracker().Delete(appsv1.SchemeGroupVersion.WithResource("deployments"), "capsule-system", "headlamp")
	}()
	var out bytes.Buffer
	_, err := Uninstall(t.Context(), clients(cs), UninstallOptions{Namespace: "capsule-system", Wait: true, Timeout: time.Minute, Progress: &out})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"deployment.apps/headlamp (finalizer example.com/hold)", "all 5 objects are gone"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("progress does not say %q:\n%s", want, out.String())
		}
	}
}

// What is still there when --timeout is up is named, with what to do.
func TestUninstallWaitEndsAtTheTimeout(t *testing.T) {
	cs := healthyCluster(t)
	if _, err := Install(t.Context(), clients(cs), testOptions()); err != nil {
		t.Fatal(err)
	}
	holdDeployment(t, cs)
	_, err := Uninstall(t.Context(), clients(cs), UninstallOptions{Namespace: "capsule-system", Wait: true, Timeout: 300 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "1 object(s) still present after 300ms: deployment.apps/headlamp") ||
		!strings.Contains(err.Error(), "--wait=false") {
		t.Errorf("err = %v", err)
	}
}
