package kube

import (
	"context"
	"errors"
	"fmt"
	"sort"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/kubernetes"
)

// ErrNoReadyPod means no pod behind a Service is ready to take a port-forward.
var ErrNoReadyPod = errors.New("no ready pod")

// Pod is the end of a port-forward: a pod and the container port to reach in it.
type Pod struct {
	Namespace string
	Name      string
	Port      int
}

// PodSource chooses the pod a Forwarder reaches, and tells when that pod stops being usable.
type PodSource interface {
	// Pick returns a ready pod now, or an error wrapping ErrNoReadyPod.
	Pick(ctx context.Context) (Pod, error)
	// WaitGone blocks until pod is deleted, terminating or no longer ready (nil), or ctx ends
	// (ctx.Err()).
	WaitGone(ctx context.Context, pod Pod) error
}

// FixedPod always picks the same pod and port; its WaitGone only ends with ctx, so a lost
// connection is the only sign of trouble.
type FixedPod Pod

// Pick returns the pod.
func (p FixedPod) Pick(context.Context) (Pod, error) { return Pod(p), nil }

// WaitGone waits for ctx.
func (p FixedPod) WaitGone(ctx context.Context, _ Pod) error {
	<-ctx.Done()
	return ctx.Err()
}

// ServicePods picks a ready pod behind a Service, the way `kubectl port-forward svc/NAME` does, and
// resolves the Service port (0: its first port) to the container port of that pod.
type ServicePods struct {
	Client      kubernetes.Interface
	Namespace   string
	Service     string
	ServicePort int32
}

// Pick lists the pods matching the Service's selector and returns the oldest ready one, so that a
// rollout's new pods are only used once the old ones are gone.
func (s ServicePods) Pick(ctx context.Context) (Pod, error) {
	svc, err := s.Client.CoreV1().Services(s.Namespace).Get(ctx, s.Service, metav1.GetOptions{})
	if err != nil {
		if apierrors.IsNotFound(err) {
			return Pod{}, fmt.Errorf("service %s/%s not found: %w", s.Namespace, s.Service, err)
		}
		return Pod{}, fmt.Errorf("get service %s/%s: %w", s.Namespace, s.Service, err)
	}
	if len(svc.Spec.Selector) == 0 {
		return Pod{}, fmt.Errorf("service %s/%s has no selector, so it has no pods to forward to: %w",
			s.Namespace, s.Service, ErrNoReadyPod)
	}
	list, err := s.Client.CoreV1().Pods(s.Namespace).List(ctx, metav1.ListOptions{
		LabelSelector: labels.SelectorFromSet(svc.Spec.Selector).String(),
	})
	if err != nil {
		return Pod{}, fmt.Errorf("list pods of service %s/%s: %w", s.Namespace, s.Service, err)
	}
	pod := oldestReady(list.Items)
	if pod == nil {
		return Pod{}, fmt.Errorf("service %s/%s has %d pod(s), none ready: %w",
			s.Namespace, s.Service, len(list.Items), ErrNoReadyPod)
	}
	port, err := targetPort(svc, s.ServicePort, pod)
	if err != nil {
		return Pod{}, err
	}
	return Pod{Namespace: s.Namespace, Name: pod.Name, Port: port}, nil
}

// oldestReady returns the ready pod created first (ties broken by name), or nil.
func oldestReady(pods []corev1.Pod) *corev1.Pod {
	var ready []*corev1.Pod
	for i := range pods {
		if IsPodReady(&pods[i]) {
			ready = append(ready, &pods[i])
		}
	}
	if len(ready) == 0 {
		return nil
	}
	sort.Slice(ready, func(i, j int) bool {
		a, b := ready[i].CreationTimestamp, ready[j].CreationTimestamp
		if !a.Equal(&b) {
			return a.Before(&b)
		}
		return ready[i].Name < ready[j].Name
	})
	return ready[0]
}

// IsPodReady tells whether a pod runs, is not being deleted and has its Ready condition true.
func IsPodReady(pod *corev1.Pod) bool {
	if pod.DeletionTimestamp != nil || pod.Status.Phase != corev1.PodRunning {
		return false
	}
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// targetPort maps a Service port to the container port it targets in pod (by number or by name).
func targetPort(svc *corev1.Service, servicePort int32, pod *corev1.Pod) (int, error) {
	for _, sp := range svc.Spec.Ports {
		if servicePort != 0 && sp.Port != servicePort {
			continue
		}
		if sp.TargetPort.StrVal == "" {
			if sp.TargetPort.IntVal == 0 {
				return int(sp.Port), nil
			}
			return int(sp.TargetPort.IntVal), nil
		}
		for _, c := range pod.Spec.Containers {
			for _, cp := range c.Ports {
				if cp.Name == sp.TargetPort.StrVal {
					return int(cp.ContainerPort), nil
				}
			}
		}
		return 0, fmt.Errorf("pod %s has no container port named %q (target of service %s port %d)",
			pod.Name, sp.TargetPort.StrVal, svc.Name, sp.Port)
	}
	if servicePort == 0 {
		return 0, fmt.Errorf("service %s/%s has no ports", svc.Namespace, svc.Name)
	}
	return 0, fmt.Errorf("service %s/%s has no port %d", svc.Namespace, svc.Name, servicePort)
}
