package kube

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/watch"
)

// rewatchDelay spaces out watches that the API server ends early, so a flapping watch never spins.
const rewatchDelay = time.Second

// WaitGone watches pod until it is deleted, starts terminating or stops being ready. It returns an
// error when the pod cannot be read or watched (RBAC without get/watch pods, say): the caller then
// only learns of the loss from the port-forward connection closing.
func (s ServicePods) WaitGone(ctx context.Context, pod Pod) error {
	pods := s.Client.CoreV1().Pods(pod.Namespace)
	for {
		cur, err := pods.Get(ctx, pod.Name, metav1.GetOptions{})
		switch {
		case apierrors.IsNotFound(err):
			return nil
		case err != nil:
			return err
		case !IsPodReady(cur):
			return nil
		}
		w, err := pods.Watch(ctx, metav1.ListOptions{
			FieldSelector:   fields.OneTermEqualSelector("metadata.name", pod.Name).String(),
			ResourceVersion: cur.ResourceVersion,
		})
		if err != nil {
			return err
		}
		gone := untilGone(ctx, w, pod.Name)
		w.Stop()
		if gone {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(rewatchDelay):
		}
	}
}

// untilGone reads watch events until the named pod is gone (true) or the watch or ctx ends (false).
func untilGone(ctx context.Context, w watch.Interface, name string) bool {
	for {
		select {
		case <-ctx.Done():
			return false
		case ev, ok := <-w.ResultChan():
			if !ok {
				return false
			}
			p, isPod := ev.Object.(*corev1.Pod)
			if !isPod || p.Name != name {
				continue
			}
			if ev.Type == watch.Deleted || !IsPodReady(p) {
				return true
			}
		}
	}
}
