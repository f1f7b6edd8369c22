package stack

import (
	"context"
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// settledSelector picks the Deployments in capsule-system whose pods must be Ready again after an API
// server restart: the capsule-proxy stand-in's, and a Headlamp that a test installed.
const settledSelector = "app.kubernetes.io/name in (capsule-proxy,headlamp)"

// settleTimeout bounds the wait for those pods.
const settleTimeout = 2 * time.Minute

// settle makes the cluster prompt again after the API server restarted. The components that watch it
// are restarted: kube-controller-manager's clients otherwise remember resource versions the restarted
// API server has not caught up with ("read version ... is not as new as written version"), and
// informers sit in reconnect backoff for many seconds; the pod runtime's and the proxy stand-in's
// watches are renewed for the same reason. Then the proxy's and Headlamp's Deployments
// must be rolled out with every pod Ready, as they were before.
func (s *Stack) settle(ctx context.Context) error {
	if err := s.restartWatchers(ctx); err != nil {
		return err
	}
	if err := s.rewatchPods(ctx); err != nil {
		return err
	}
	if err := s.rewatchProxy(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, settleTimeout)
	defer cancel()
	var last error
	for {
		if last = s.workloadsReady(ctx); last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("pods not ready again after the API server restart: %w", last)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// restartWatchers restarts the components that watch the API server.
func (s *Stack) restartWatchers(ctx context.Context) error {
	watchers := []string{ControllerMgr, Scheduler, Kwok, Capsule}
	for _, name := range watchers {
		s.stopComponent(name)
		if err := s.launch(name); err != nil {
			return err
		}
	}
	for _, name := range watchers {
		if err := s.waitReady(ctx, name); err != nil {
			return err
		}
	}
	return nil
}

func (s *Stack) workloadsReady(ctx context.Context) error {
	deps, err := s.kube.AppsV1().Deployments(CapsuleNamespace).List(ctx, metav1.ListOptions{LabelSelector: settledSelector})
	if err != nil {
		return err
	}
	for i := range deps.Items {
		if d := &deps.Items[i]; d.DeletionTimestamp == nil {
			if err := s.rolledOut(ctx, d); err != nil {
				return fmt.Errorf("deployment %s/%s: %w", d.Namespace, d.Name, err)
			}
		}
	}
	return nil
}

// RolledOut reports, as an error saying what is missing, whether Deployment ns/name has rolled out:
// see rolledOut. Tests wait on it after changing a Deployment, so that the next step sees one settled state.
func (s *Stack) RolledOut(ctx context.Context, ns, name string) error {
	d, err := s.kube.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	return s.rolledOut(ctx, d)
}

// rolledOut: the controller saw the current spec, every replica runs it and is Ready, and no other pod
// of the Deployment is left.
func (s *Stack) rolledOut(ctx context.Context, d *appsv1.Deployment) error {
	want := int32(1)
	if d.Spec.Replicas != nil {
		want = *d.Spec.Replicas
	}
	st := d.Status
	if st.ObservedGeneration < d.Generation || st.UpdatedReplicas != want || st.ReadyReplicas != want || st.Replicas != want {
		return fmt.Errorf("generation %d/%d, %d updated, %d ready, %d in all, want %d",
			st.ObservedGeneration, d.Generation, st.UpdatedReplicas, st.ReadyReplicas, st.Replicas, want)
	}
	pods, err := s.kube.CoreV1().Pods(d.Namespace).List(ctx, metav1.ListOptions{LabelSelector: metav1.FormatLabelSelector(d.Spec.Selector)})
	if err != nil {
		return err
	}
	ready := int32(0)
	for _, p := range pods.Items {
		if p.DeletionTimestamp != nil {
			return fmt.Errorf("pod %s is still terminating", p.Name)
		}
		if podReady(p) {
			ready++
		}
		if err := s.standinStarted(ctx, &p); err != nil {
			return err
		}
	}
	if ready != want || len(pods.Items) != int(want) {
		return fmt.Errorf("%d of %d pods ready, want %d", ready, len(pods.Items), want)
	}
	return nil
}

func podReady(p corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
