package install

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// snapshot holds the objects install is about to write as they were before it wrote anything: what
// restore puts back, what tells created from configured, and what the restart stamp compares with.
// An object that does not exist has no entry.
type snapshot map[ref]metav1.Object

// takeSnapshot reads each of refs once. What preflight already read is taken from known, where a nil
// object is one preflight did not find.
func takeSnapshot(ctx context.Context, c Clients, ns string, refs []ref, known map[ref]metav1.Object) (snapshot, error) {
	snap := snapshot{}
	for _, r := range refs {
		if obj, ok := known[r]; ok {
			if obj != nil {
				snap[r] = obj
			}
			continue
		}
		obj, err := r.get(ctx, c, ns)
		switch {
		case apierrors.IsNotFound(err):
		case err != nil:
			return nil, fmt.Errorf("read %s before writing it: %w", r, err)
		default:
			snap[r] = obj
		}
	}
	return snap, nil
}

// refsOf names each object, in order.
func refsOf(objs []any) ([]ref, error) {
	refs := make([]ref, 0, len(objs))
	for _, obj := range objs {
		r, err := refOf(obj)
		if err != nil {
			return nil, err
		}
		refs = append(refs, r)
	}
	return refs, nil
}
