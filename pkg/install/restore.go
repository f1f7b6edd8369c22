package install

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	jsonpatch "gopkg.in/evanphx/json-patch.v4"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// restoreOne puts one object back as before holds it (nil: it did not exist) and reports whether it
// had to change anything.
func restoreOne(ctx context.Context, c Clients, ns string, r ref, before metav1.Object) (bool, error) {
	cur, err := r.get(ctx, c, ns)
	switch {
	case apierrors.IsNotFound(err) && before == nil:
		return false, nil
	case apierrors.IsNotFound(err):
		return true, recreate(ctx, c, ns, r, before)
	case err != nil:
		return false, err
	case before == nil:
		return true, deleteCreated(ctx, c, ns, r, cur.GetUID())
	case cur.GetUID() != before.GetUID():
		// Taken over: deleted, then created anew by this run.
		if err := deleteCreated(ctx, c, ns, r, cur.GetUID()); err != nil {
			return true, err
		}
		if err := waitGone(ctx, c, ns, []ref{r}, restoreTimeout, newProgress(nil, false)); err != nil {
			return true, err
		}
		return true, recreate(ctx, c, ns, r, before)
	case cur.GetResourceVersion() != "" && cur.GetResourceVersion() == before.GetResourceVersion():
		return false, nil // never changed
	}
	return putBack(ctx, c, ns, r, cur, before)
}

// putBack gives an object its previous content with a merge patch (which needs only the patch
// permission install was checked for), then its previous field owners: our apply entry as it was,
// so that the next apply removes exactly what it would have. It reports whether anything differed.
func putBack(ctx context.Context, c Clients, ns string, r ref, cur, before metav1.Object) (bool, error) {
	patch, changed, err := contentPatch(cur, before)
	if err != nil {
		return false, err
	}
	rv := cur.GetResourceVersion()
	if changed {
		out, err := r.kind.patch(ctx, c, ns, r.name, types.MergePatchType, patch, metav1.PatchOptions{FieldManager: headlamp.ManagedBy})
		if err != nil {
			return true, err
		}
		rv = out.GetResourceVersion()
	} else if reflect.DeepEqual(cur.GetManagedFields(), before.GetManagedFields()) {
		return false, nil
	}
	return true, setManagedFields(ctx, c, ns, r, rv, before.GetManagedFields())
}

// contentPatch is the JSON merge patch from cur to before, leaving out what the API server sets, with
// cur's resourceVersion so that it fails rather than overwrite a change made meanwhile. changed is
// false when the contents are the same.
func contentPatch(cur, before metav1.Object) (patch []byte, changed bool, err error) {
	from, err := content(cur)
	if err != nil {
		return nil, false, err
	}
	to, err := content(before)
	if err != nil {
		return nil, false, err
	}
	raw, err := jsonpatch.CreateMergePatch(from, to)
	if err != nil {
		return nil, false, fmt.Errorf("compute the restore of %s: %w", cur.GetName(), err)
	}
	diff := map[string]any{}
	if err := json.Unmarshal(raw, &diff); err != nil {
		return nil, false, err
	}
	changed = len(diff) > 0
	meta, _ := diff["metadata"].(map[string]any)
	if meta == nil {
		meta = map[string]any{}
	}
	if rv := cur.GetResourceVersion(); rv != "" {
		meta["resourceVersion"] = rv
	}
	diff["metadata"] = meta
	patch, err = json.Marshal(diff)
	return patch, changed, err
}

// content is an object as JSON without its status and what the API server sets in its metadata.
func content(obj metav1.Object) ([]byte, error) {
	raw, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	delete(m, "status")
	if meta, ok := m["metadata"].(map[string]any); ok {
		for _, k := range []string{"resourceVersion", "uid", "creationTimestamp", "generation", "managedFields",
			"selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"} {
			delete(meta, k)
		}
	}
	return json.Marshal(m)
}

// recreate creates an object again from before, then gives it its previous field owners.
func recreate(ctx context.Context, c Clients, ns string, r ref, before metav1.Object) error {
	copied, ok := before.(runtime.Object)
	if !ok {
		return fmt.Errorf("cannot copy %s", r)
	}
	obj, ok := copied.DeepCopyObject().(metav1.Object)
	if !ok {
		return fmt.Errorf("cannot copy %s", r)
	}
	obj.SetResourceVersion("")
	obj.SetUID("")
	obj.SetCreationTimestamp(metav1.Time{})
	obj.SetGeneration(0)
	obj.SetManagedFields(nil)
	out, err := r.kind.create(ctx, c, ns, obj, metav1.CreateOptions{FieldManager: headlamp.ManagedBy})
	if err != nil {
		return err
	}
	return setManagedFields(ctx, c, ns, r, out.GetResourceVersion(), before.GetManagedFields())
}

// deleteCreated deletes the object this run created, and nothing else: the UID must match.
func deleteCreated(ctx context.Context, c Clients, ns string, r ref, uid types.UID) error {
	return r.kind.del(ctx, c, ns, r.name, metav1.DeleteOptions{
		Preconditions:     &metav1.Preconditions{UID: &uid},
		PropagationPolicy: ptr(metav1.DeletePropagationBackground),
	})
}

// setManagedFields replaces an object's managedFields, and nothing else, with a JSON patch that
// fails if the object changed since rv. Changing only managedFields adds no entry of its own.
func setManagedFields(ctx context.Context, c Clients, ns string, r ref, rv string, managed []metav1.ManagedFieldsEntry) error {
	if len(managed) == 0 {
		return nil // an object no manager was recorded for: an empty list would reset them
	}
	var ops []map[string]any
	if rv != "" {
		ops = append(ops, map[string]any{"op": "test", "path": "/metadata/resourceVersion", "value": rv})
	}
	ops = append(ops, map[string]any{"op": "add", "path": "/metadata/managedFields", "value": managed})
	patch, err := json.Marshal(ops)
	if err != nil {
		return err
	}
	if _, err := r.kind.patch(ctx, c, ns, r.name, types.JSONPatchType, patch, metav1.PatchOptions{FieldManager: headlamp.ManagedBy}); err != nil {
		return fmt.Errorf("give %s its field owners back: %w", r, err)
	}
	return nil
}
