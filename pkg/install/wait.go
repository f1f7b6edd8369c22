package install

import (
	"context"
	"fmt"
	"strings"
	"time"

	"k8s.io/client-go/kubernetes"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
)

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

// WaitAvailable waits, with a watch, until the Deployment has rolled out by the one readiness rule
// (kube.RolloutStatus: the controller observed the latest generation, every replica runs the latest
// template, no old pod is left, and all are available), showing each status it sees on p.
func WaitAvailable(ctx context.Context, cs kubernetes.Interface, ns, name string, timeout time.Duration, p *progress) error {
	wctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	status := "waiting for the deployment"
	read := false
	show := func(r kube.Rollout, err error) {
		switch {
		case err != nil && !read:
			status = "cannot read the deployment: " + err.Error() // later failures keep the last status
		case err == nil:
			read, status = true, r.Message
		}
		if err != nil || r.State == kube.RolloutProgressing {
			p.update(fmt.Sprintf("waiting for deployment %s/%s: %s", ns, name, status))
		}
	}
	p.update(fmt.Sprintf("waiting for deployment %s/%s", ns, name))
	stop := p.spin()
	dep, r, err := kube.RolloutWatch{Client: cs, Namespace: ns, Name: name, Seen: show}.Wait(wctx)
	stop()
	p.clear()
	switch {
	case err == nil && r.State == kube.RolloutComplete:
		p.line("deployment %s/%s is available", ns, name)
		return nil
	case err == nil:
		return &WaitError{Namespace: ns, Name: name, Status: r.Message, Failed: true, Reasons: diagnose(ctx, cs, dep)}
	case ctx.Err() != nil:
		return fmt.Errorf("wait for deployment %s/%s: %w", ns, name, ctx.Err())
	case wctx.Err() != nil:
		return &WaitError{Namespace: ns, Name: name, Status: status, Timeout: timeout, Reasons: diagnose(ctx, cs, dep)}
	}
	return fmt.Errorf("wait for deployment %s/%s: %w (pass --wait=false not to wait)", ns, name, err)
}
