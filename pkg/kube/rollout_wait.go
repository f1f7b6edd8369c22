package kube

import (
	"context"
	"errors"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes"
	typedappsv1 "k8s.io/client-go/kubernetes/typed/apps/v1"
	watchtools "k8s.io/client-go/tools/watch"
)

// RolloutWatch follows a Deployment until its rollout ends (RolloutStatus), the way `kubectl rollout
// status` does: it reads the Deployment, then watches it from that version; a watch the API server ends
// is opened again after a fresh read. A read that fails for a passing reason (a timeout, an API server
// restarting) is retried until the context ends; one the user cannot fix by waiting (forbidden, not
// found) ends the wait.
type RolloutWatch struct {
	Client          kubernetes.Interface
	Namespace, Name string
	// Seen is handed every status observed, and every passing error, for progress; it may be nil.
	Seen func(Rollout, error)
}

// Wait returns the last Deployment read and its status once the rollout completes or fails, or the
// context's error (with the last status seen) once it ends first.
func (w RolloutWatch) Wait(ctx context.Context) (*appsv1.Deployment, Rollout, error) {
	f := follower{RolloutWatch: w, deps: w.Client.AppsV1().Deployments(w.Namespace)}
	for {
		err := f.follow(ctx)
		switch {
		case ctx.Err() != nil:
			return f.last, f.status, ctx.Err()
		case err == nil && f.status.State != RolloutProgressing:
			return f.last, f.status, nil
		case err != nil && !passing(err):
			return f.last, f.status, err
		case err != nil:
			f.seen(f.status, err)
		}
		select {
		case <-ctx.Done():
			return f.last, f.status, ctx.Err()
		case <-time.After(rewatchDelay):
		}
	}
}

type follower struct {
	RolloutWatch
	deps   typedappsv1.DeploymentInterface
	last   *appsv1.Deployment
	status Rollout
}

func (f *follower) seen(r Rollout, err error) {
	if f.Seen != nil {
		f.Seen(r, err)
	}
}

// observe records dep and tells whether its rollout has ended.
func (f *follower) observe(dep *appsv1.Deployment) bool {
	f.last, f.status = dep, RolloutStatus(dep)
	f.seen(f.status, nil)
	return f.status.State != RolloutProgressing
}

// follow reads the Deployment and watches it until the rollout ends (nil) or the watch does.
func (f *follower) follow(ctx context.Context) error {
	dep, err := f.deps.Get(ctx, f.Name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	if f.observe(dep) {
		return nil
	}
	w, err := f.deps.Watch(ctx, metav1.ListOptions{
		FieldSelector:   fields.OneTermEqualSelector("metadata.name", f.Name).String(),
		ResourceVersion: dep.ResourceVersion,
	})
	if err != nil {
		return err
	}
	_, err = watchtools.UntilWithoutRetry(ctx, w, func(ev watch.Event) (bool, error) {
		switch ev.Type {
		case watch.Error:
			return false, apierrors.FromObject(ev.Object)
		case watch.Deleted:
			return false, apierrors.NewNotFound(appsv1.Resource("deployments"), f.Name)
		}
		d, ok := ev.Object.(*appsv1.Deployment)
		return ok && f.observe(d), nil
	})
	if errors.Is(err, watchtools.ErrWatchClosed) || apierrors.IsResourceExpired(err) || apierrors.IsGone(err) {
		return nil // read it again
	}
	return err
}

// passing tells whether waiting may fix err.
func passing(err error) bool {
	return !apierrors.IsForbidden(err) && !apierrors.IsUnauthorized(err) && !apierrors.IsNotFound(err)
}
