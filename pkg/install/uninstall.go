package install

import (
	"context"
	"fmt"
	"io"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
)

// UninstallOptions are the typed input of Uninstall.
type UninstallOptions struct {
	Namespace string
	DryRun    DryRun
	// Wait until every deleted object is gone, at most Timeout.
	Wait     bool
	Timeout  time.Duration
	Progress io.Writer
	Terminal bool
}

// Uninstall deletes exactly the objects in the namespace that carry our managed-by label, and
// nothing else: not the proxy Secret, not the namespace, not objects another tool manages. The
// Deployment goes with foreground propagation, so once it is gone its pods are too. It returns the
// objects it deleted (or, in a dry run, would delete).
func Uninstall(ctx context.Context, c Clients, opts UninstallOptions) ([]ObjectRef, error) {
	p := newProgress(opts.Progress, opts.Terminal)
	if _, err := c.Kube.CoreV1().Namespaces().Get(ctx, opts.Namespace, metav1.GetOptions{}); err != nil {
		if !kube.Answered(err) {
			return nil, kube.Reach(err)
		}
		return nil, fmt.Errorf("read namespace %s: %w", opts.Namespace, err)
	}
	refs, err := ours(ctx, c, opts.Namespace)
	if err != nil || len(refs) == 0 || opts.DryRun == DryRunClient {
		return publicRefs(refs), err
	}
	for _, r := range refs {
		if err := deleteRef(ctx, c, opts.Namespace, r, opts.DryRun); err != nil && !apierrors.IsNotFound(err) {
			return publicRefs(refs), fmt.Errorf("delete %s: %w", r, err)
		}
		p.line("%s deleted%s", r, dryRunSuffix(opts.DryRun))
	}
	if !opts.Wait || !opts.DryRun.Writes() {
		return publicRefs(refs), nil
	}
	return publicRefs(refs), waitGone(ctx, c, opts.Namespace, refs, opts.Timeout, p)
}

func ptr[T any](v T) *T { return &v }

// ours lists the objects carrying our managed-by label, in deletion order.
func ours(ctx context.Context, c Clients, ns string) ([]ref, error) {
	selector := labels.SelectorFromSet(labels.Set{headlamp.LabelManagedBy: headlamp.ManagedBy}).String()
	var refs []ref
	for _, k := range allKinds {
		objs, err := listRefs(ctx, c, ns, k, selector)
		if err != nil {
			return refs, err
		}
		refs = append(refs, objs...)
	}
	return refs, nil
}

// listRefs lists the objects of one kind that match a label selector.
func listRefs(ctx context.Context, c Clients, ns string, k *kind, selector string) ([]ref, error) {
	objs, err := k.list(ctx, c, ns, metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return nil, fmt.Errorf("list %s in namespace %s: %w", k.resource, ns, err)
	}
	refs := make([]ref, len(objs))
	for i, o := range objs {
		refs[i] = ref{k, o.GetName()}
	}
	return refs, nil
}

func publicRefs(refs []ref) []ObjectRef {
	out := make([]ObjectRef, len(refs))
	for i, r := range refs {
		out[i] = r.public()
	}
	return out
}
