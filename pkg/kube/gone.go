package kube

import (
	"context"
	"errors"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	watchtools "k8s.io/client-go/tools/watch"
)

// GoneWatch follows one object until the API server has removed it, the way `kubectl wait
// --for=delete` does: it reads the object, then watches it by name from the version read, so that a
// removal between the read and the watch is not missed; a watch the API server ends is opened again
// after a fresh read. An object of the same name with another UID (made anew by a controller) counts
// as gone. Reads and watches that fail for a passing reason are retried until the context ends, as
// RolloutWatch does; one the user cannot fix by waiting (forbidden) ends the wait.
type GoneWatch struct {
	// Name is the object's name; Get and Watch are the calls of its kind in its namespace.
	Name string
	// Get reads the object, and answers the API's NotFound once it is gone.
	Get func(ctx context.Context) (metav1.Object, error)
	// Watch watches objects of the kind in the namespace with o.
	Watch func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error)
	// Seen is handed every version of the object observed (its finalizers say what holds it) and
	// every passing error, for progress; it may be nil.
	Seen func(metav1.Object, error)
}

// Wait returns nil once the object is gone, else the context's error once it ends, or an error
// waiting cannot fix.
func (w GoneWatch) Wait(ctx context.Context) error {
	g := goneFollower{GoneWatch: w}
	for {
		gone, err := g.follow(ctx)
		switch {
		case gone:
			return nil
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil && (apierrors.IsForbidden(err) || apierrors.IsUnauthorized(err)):
			return err
		case err != nil && g.Seen != nil:
			g.Seen(nil, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(rewatchDelay):
		}
	}
}

type goneFollower struct {
	GoneWatch
	uid types.UID
}

// observe tells whether obj is another object than the one followed, and hands it to Seen if not.
func (g *goneFollower) observe(obj metav1.Object) (replaced bool) {
	if g.uid == "" {
		g.uid = obj.GetUID()
	}
	if obj.GetUID() != g.uid {
		return true
	}
	if g.Seen != nil {
		g.Seen(obj, nil)
	}
	return false
}

// follow reads the object and watches it until it is gone (true) or the watch ends.
func (g *goneFollower) follow(ctx context.Context) (bool, error) {
	obj, err := g.Get(ctx)
	switch {
	case apierrors.IsNotFound(err):
		return true, nil
	case err != nil:
		return false, err
	case g.observe(obj):
		return true, nil
	}
	w, err := g.Watch(ctx, metav1.ListOptions{
		FieldSelector:   fields.OneTermEqualSelector("metadata.name", g.Name).String(),
		ResourceVersion: obj.GetResourceVersion(),
	})
	if err != nil {
		return false, err
	}
	_, err = watchtools.UntilWithoutRetry(ctx, w, func(ev watch.Event) (bool, error) {
		if ev.Type == watch.Error {
			return false, apierrors.FromObject(ev.Object)
		}
		o, ok := ev.Object.(metav1.Object)
		if !ok || o.GetName() != g.Name {
			return false, nil // not the object followed: a bookmark, or another name where the field selector is not applied
		}
		if ev.Type == watch.Deleted {
			return o.GetUID() == g.uid || g.uid == "", nil
		}
		return g.observe(o), nil
	})
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, watchtools.ErrWatchClosed), apierrors.IsResourceExpired(err), apierrors.IsGone(err):
		return false, nil // read it again
	}
	return false, err
}
