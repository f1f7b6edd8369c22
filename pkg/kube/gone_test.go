package kube

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
)

var notFound = apierrors.NewNotFound(schema.GroupResource{Resource: "configmaps"}, "headlamp")

func configMap(name string, uid types.UID, finalizers ...string) *corev1.ConfigMap {
	return &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "ns", UID: uid, ResourceVersion: "7", Finalizers: finalizers}}
}

// goneAPI answers Get from a script (the last answer repeats) and Watch with fresh fake watchers it
// hands to the test.
type goneAPI struct {
	mu       sync.Mutex
	gets     []func() (metav1.Object, error)
	getCalls int
	watches  chan *watch.FakeWatcher
	watchErr error
	opts     []metav1.ListOptions
}

func (a *goneAPI) get(context.Context) (metav1.Object, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	i := min(a.getCalls, len(a.gets)-1)
	a.getCalls++
	return a.gets[i]()
}

func (a *goneAPI) watch(_ context.Context, o metav1.ListOptions) (watch.Interface, error) {
	a.mu.Lock()
	a.opts = append(a.opts, o)
	a.mu.Unlock()
	if a.watchErr != nil {
		return nil, a.watchErr
	}
	w := watch.NewFake()
	a.watches <- w
	return w, nil
}

func present(obj metav1.Object) func() (metav1.Object, error) {
	return func() (metav1.Object, error) { return obj, nil }
}

func absent() (metav1.Object, error) { return nil, notFound }

func waitGone(t *testing.T, a *goneAPI, seen func(metav1.Object, error)) chan error {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	done := make(chan error, 1)
	go func() {
		defer cancel()
		done <- GoneWatch{Name: "headlamp", Get: a.get, Watch: a.watch, Seen: seen}.Wait(ctx)
	}()
	return done
}

// The wait learns of the removal from the watch, started at the version read, and sees what holds
// the object meanwhile.
func TestGoneWatchFollowsTheWatch(t *testing.T) {
	a := &goneAPI{gets: []func() (metav1.Object, error){present(configMap("headlamp", "u1"))}, watches: make(chan *watch.FakeWatcher, 1)}
	var mu sync.Mutex
	var finalizers [][]string
	done := waitGone(t, a, func(o metav1.Object, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err == nil {
			finalizers = append(finalizers, o.GetFinalizers())
		}
	})
	w := <-a.watches
	w.Modify(configMap("other", "u9")) // another object where the field selector is not applied
	w.Modify(configMap("headlamp", "u1", "foregroundDeletion"))
	w.Delete(configMap("headlamp", "u1"))
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if a.getCalls != 1 || a.opts[0].ResourceVersion != "7" || a.opts[0].FieldSelector != "metadata.name=headlamp" {
		t.Errorf("%d reads, watch options %+v; want one read, then a watch of the name from version 7", a.getCalls, a.opts)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(finalizers) != 2 || len(finalizers[1]) != 1 || finalizers[1][0] != "foregroundDeletion" {
		t.Errorf("seen finalizers %v, want none then foregroundDeletion", finalizers)
	}
}

func TestGoneWatchEnds(t *testing.T) {
	forbidden := apierrors.NewForbidden(schema.GroupResource{Resource: "configmaps"}, "headlamp", errors.New("no"))
	cases := []struct {
		name  string
		api   *goneAPI
		watch func(*watch.FakeWatcher)
		want  func(error) bool
	}{
		{"already gone", &goneAPI{gets: []func() (metav1.Object, error){absent}}, nil, isNil},
		{"watch closed, then gone on the fresh read", &goneAPI{gets: []func() (metav1.Object, error){present(configMap("headlamp", "u1")), absent}},
			func(w *watch.FakeWatcher) { w.Stop() }, isNil},
		{"made anew by someone else", &goneAPI{gets: []func() (metav1.Object, error){present(configMap("headlamp", "u1"))}},
			func(w *watch.FakeWatcher) { w.Add(configMap("headlamp", "u2")) }, isNil},
		{"watch forbidden", &goneAPI{gets: []func() (metav1.Object, error){present(configMap("headlamp", "u1"))}, watchErr: forbidden},
			nil, apierrors.IsForbidden},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.api.watches = make(chan *watch.FakeWatcher, 1)
			done := waitGone(t, tc.api, nil)
			if tc.watch != nil {
				tc.watch(<-tc.api.watches)
			}
			if err := <-done; !tc.want(err) {
				t.Errorf("Wait() = %v", err)
			}
		})
	}
}

// An object held by a finalizer is waited for until the context ends, and the wait says so.
func TestGoneWatchUntilTheDeadline(t *testing.T) {
	a := &goneAPI{gets: []func() (metav1.Object, error){present(configMap("headlamp", "u1", "example.com/hold"))}, watches: make(chan *watch.FakeWatcher, 1)}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- GoneWatch{Name: "headlamp", Get: a.get, Watch: a.watch}.Wait(ctx) }()
	<-a.watches
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Wait() = %v, want the context's error", err)
	}
}

func isNil(err error) bool { return err == nil }
