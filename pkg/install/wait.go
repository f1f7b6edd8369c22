package install

import (
	"context"
	"fmt"
	"strings"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// pollInterval is how often the wait looks at the Deployment (and redraws the spinner).
const pollInterval = 200 * time.Millisecond

// WaitError says why the Deployment did not become available.
type WaitError struct {
	Namespace, Name string
	// Status is the last readiness status, like "0/1 pods available".
	Status string
	// Reasons come from the Deployment's conditions, its pods and recent warning events.
	Reasons []string
	// Failed is set when the rollout failed before the timeout (progress deadline exceeded).
	Failed  bool
	Timeout time.Duration
}

func (e *WaitError) Error() string {
	var b strings.Builder
	if e.Failed {
		fmt.Fprintf(&b, "deployment %s/%s failed to roll out (%s)", e.Namespace, e.Name, e.Status)
	} else {
		fmt.Fprintf(&b, "deployment %s/%s is not available after %s (%s)", e.Namespace, e.Name, e.Timeout, e.Status)
	}
	for _, r := range e.Reasons {
		fmt.Fprintf(&b, "\n  - %s", r)
	}
	fmt.Fprintf(&b, "\n  inspect it with: kubectl -n %s describe deployment %s", e.Namespace, e.Name)
	return b.String()
}

// WaitAvailable waits until the Deployment has rolled out: the controller observed the latest
// generation, every replica runs the latest template, no old pod is left, and all are available.
func WaitAvailable(ctx context.Context, cs kubernetes.Interface, ns, name string, timeout time.Duration, p *progress) error {
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	status := "waiting for the deployment"
	var dep *appsv1.Deployment
	for {
		got, err := cs.AppsV1().Deployments(ns).Get(wctx, name, metav1.GetOptions{})
		if err == nil {
			dep = got
			var ready, failed bool
			ready, failed, status = rolloutStatus(dep)
			if ready {
				p.line("deployment %s/%s is available", ns, name)
				return nil
			}
			if failed {
				p.clear()
				return &WaitError{Namespace: ns, Name: name, Status: status, Failed: true, Reasons: diagnose(ctx, cs, dep)}
			}
		} else if dep == nil && wctx.Err() == nil {
			status = "cannot read the deployment: " + err.Error() // later failures keep the last status
		}
		p.update(fmt.Sprintf("waiting for deployment %s/%s: %s", ns, name, status))
		select {
		case <-wctx.Done():
			p.clear()
			if ctx.Err() != nil {
				return fmt.Errorf("wait for deployment %s/%s: %w", ns, name, ctx.Err())
			}
			return &WaitError{Namespace: ns, Name: name, Status: status, Timeout: timeout, Reasons: diagnose(ctx, cs, dep)}
		case <-tick.C:
		}
	}
}

// rolloutStatus is kstatus's view of a Deployment: current, in progress (with why), or failed.
func rolloutStatus(dep *appsv1.Deployment) (ready, failed bool, status string) {
	want := int32(1)
	if dep.Spec.Replicas != nil {
		want = *dep.Spec.Replicas
	}
	st := dep.Status
	// The generation comes first, as in kubectl rollout status: until the controller has seen the new
	// spec, its conditions still describe the previous rollout, which the new spec may fix.
	if st.ObservedGeneration < dep.Generation {
		return false, false, "the controller has not seen the new spec yet"
	}
	for _, c := range st.Conditions {
		if c.Type == appsv1.DeploymentProgressing && c.Reason == "ProgressDeadlineExceeded" {
			return false, true, "progress deadline exceeded: " + c.Message
		}
	}
	switch {
	case st.UpdatedReplicas < want:
		return false, false, fmt.Sprintf("%d/%d pods updated", st.UpdatedReplicas, want)
	case st.Replicas > st.UpdatedReplicas:
		return false, false, fmt.Sprintf("%d old pods terminating", st.Replicas-st.UpdatedReplicas)
	case st.AvailableReplicas < want:
		return false, false, fmt.Sprintf("%d/%d pods available", st.AvailableReplicas, want)
	}
	return true, false, fmt.Sprintf("%d/%d pods available", st.AvailableReplicas, want)
}
