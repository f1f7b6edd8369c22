package e2e

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
)

// A settings change reaches Headlamp only through a new pod: the ConfigMap is written before the
// Deployment, the old pod is gone before the new one is created, and the new one is created after
// every settings write. The order is read from the API server's own record of the writes (watches
// replayed from before the install), not from install's output.
func TestInstallWritesTheSettingsBeforeTheDeploymentThatReadsThem(t *testing.T) {
	ns := "e2e-atomic-order"
	old := installedIn(t, ns)
	oldTemplate := podTemplate(t, ns)
	pods, err := sb.Kube().CoreV1().Pods(ns).List(t.Context(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	from := pods.ResourceVersion

	mustSucceed(t, runAsAdmin(t, installArgs(ns, "--oidc-scopes", "profile,email,groups")...))
	pod := waitAvailable(t, ns, "headlamp")
	ctx, kube := t.Context(), sb.Kube()
	cm, err := kube.CoreV1().ConfigMaps(ns).Get(ctx, "headlamp-oidc", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cm.Data["scopes"] != "profile,email,groups" {
		t.Fatalf("the ConfigMap holds scopes %q", cm.Data["scopes"])
	}
	newTemplate := podTemplate(t, ns)
	if newTemplate == oldTemplate {
		t.Fatal("the settings change did not change the pod template")
	}

	settings := replay(t, "configmaps", from, func(opts metav1.ListOptions) (watch.Interface, error) {
		return kube.CoreV1().ConfigMaps(ns).Watch(ctx, opts)
	}, func(e watch.Event) bool { return e.Object.(*corev1.ConfigMap).ResourceVersion == cm.ResourceVersion })
	rollout := replay(t, "deployments", from, func(opts metav1.ListOptions) (watch.Interface, error) {
		return kube.AppsV1().Deployments(ns).Watch(ctx, opts)
	}, func(e watch.Event) bool { return templateJSON(t, e.Object.(*appsv1.Deployment)) == newTemplate })
	started := replay(t, "pods", from, func(opts metav1.ListOptions) (watch.Interface, error) {
		return kube.CoreV1().Pods(ns).Watch(ctx, opts)
	}, func(e watch.Event) bool { return e.Type == watch.Added && e.Object.(*corev1.Pod).UID == pod.UID })

	settingsAt := rvAt(t, settings[len(settings)-1])
	deploymentAt := rvAt(t, rollout[len(rollout)-1])
	if deploymentAt < settingsAt {
		t.Errorf("the Deployment was written (revision %d) before the ConfigMap it reads (revision %d)", deploymentAt, settingsAt)
	}
	var oldGone uint64
	for _, e := range started {
		p := e.Object.(*corev1.Pod)
		switch {
		case string(p.UID) == old && e.Type == watch.Deleted:
			oldGone = rvAt(t, e)
		case string(p.UID) != old && e.Type == watch.Added:
			at := rvAt(t, e)
			if at < deploymentAt || at < settingsAt {
				t.Errorf("pod %s was created (revision %d) before the last settings write (%d) or the Deployment's (%d)",
					p.Name, at, settingsAt, deploymentAt)
			}
			if oldGone == 0 {
				t.Errorf("pod %s was created while the pod of the old settings still existed", p.Name)
			}
		}
	}
	if oldGone == 0 {
		t.Errorf("the pod of the old settings %s was never deleted", old)
	}
}

// replay watches a kind in the test's namespace from revision from, as the API server recorded the
// changes, and returns the events up to and including the one last accepts.
func replay(t *testing.T, what, from string, open func(metav1.ListOptions) (watch.Interface, error), last func(watch.Event) bool) []watch.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	w, err := open(metav1.ListOptions{ResourceVersion: from})
	if err != nil {
		t.Fatalf("watch %s: %v", what, err)
	}
	defer w.Stop()
	var events []watch.Event
	for {
		select {
		case <-ctx.Done():
			t.Fatalf("watch %s: the write looked for never came (%d events)", what, len(events))
		case e, ok := <-w.ResultChan():
			if !ok {
				t.Fatalf("watch %s ended after %d events", what, len(events))
			}
			if e.Type == watch.Error {
				t.Fatalf("watch %s: %v", what, e.Object)
			}
			events = append(events, e)
			if last(e) {
				return events
			}
		}
	}
}

// rvAt is an event's resourceVersion as a number. The sandbox's API server keeps everything in one
// etcd, whose revisions order every write; a client of a real cluster must not compare them.
func rvAt(t *testing.T, e watch.Event) uint64 {
	t.Helper()
	m, err := meta.Accessor(e.Object)
	if err != nil {
		t.Fatal(err)
	}
	rv, err := strconv.ParseUint(m.GetResourceVersion(), 10, 64)
	if err != nil {
		t.Fatalf("resourceVersion %q: %v", m.GetResourceVersion(), err)
	}
	return rv
}

// templateJSON is a Deployment's pod template as podTemplate returns it.
func templateJSON(t *testing.T, d *appsv1.Deployment) string {
	t.Helper()
	raw, err := json.Marshal(d.Spec.Template)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}
