package install

import (
	"fmt"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/structured-merge-diff/v6/fieldpath"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// othersKeep is what a take-over of fields leaves to the other managers: the object's own labels and
// annotations (another tool's bookkeeping) and its status. Everything else decides how Headlamp runs.
var othersKeep = fieldpath.MakePrefixMatcherOrDie("metadata").Merge(fieldpath.MakePrefixMatcherOrDie("status"))

// fieldTakeover moves to our field manager the fields other managers set in one of our objects.
//
// Server-side apply with force takes over only the fields install sets. A field another manager
// added beside them stays: after `kubectl set env ... VAR=literal` on an entry install fills from a
// ConfigMap, the entry holds kubectl's `value` and our `valueFrom`, which the API server refuses
// ("may not be specified when value is not empty"); an env entry or an init container added by hand
// would survive every install. Once those fields are ours, the next apply removes the ones install
// does not set, like any field it stopped applying, and the object is exactly install's.
//
// The fields move by rewriting metadata.managedFields alone, as Flux does before it applies: the
// write changes nothing Headlamp runs with (no rollout, nothing for a pod to read), and the apply
// that follows changes the object once. A JSON patch removing `value` would have been the narrower
// fix, but it writes the pod template twice (two rollouts) and leaves the patch's own manager owning
// `valueFrom` next to us, so that a later install could no longer remove the entry.
type fieldTakeover struct {
	ref  ref
	rv   string
	from []string
	// fields are the leaf fields taken over, for the progress line.
	fields *fieldpath.Set
	// managed are the object's managedFields after the take-over.
	managed []metav1.ManagedFieldsEntry
}

// planFieldTakeover finds the fields of obj that another manager set outside metadata and status,
// and the managedFields that give them to our apply entry. It returns nil when there are none.
func planFieldTakeover(r ref, obj metav1.Object) (*fieldTakeover, error) {
	t := &fieldTakeover{ref: r, rv: obj.GetResourceVersion(), fields: &fieldpath.Set{}}
	ours := -1
	var version string
	for _, e := range obj.GetManagedFields() {
		if e.Manager == headlamp.ManagedBy && e.Operation == metav1.ManagedFieldsOperationApply && e.Subresource == "" {
			ours, version = len(t.managed), e.APIVersion
		}
		t.managed = append(t.managed, e)
	}
	taken := &fieldpath.Set{}
	var keep []metav1.ManagedFieldsEntry
	for i, e := range t.managed {
		set, err := decodeFields(e)
		if i == ours || e.Subresource != "" || err != nil || (version != "" && e.APIVersion != version) {
			// Not another manager's, a subresource's (status, scale), or of another version: left alone.
			keep = append(keep, e)
			continue
		}
		theirs := set.Difference(set.FilterIncludeMatches(othersKeep))
		if theirs.Empty() {
			keep = append(keep, e)
			continue
		}
		version, taken = e.APIVersion, taken.Union(theirs)
		t.from = append(t.from, e.Manager)
		if rest := set.Difference(theirs); !rest.Empty() {
			if e.FieldsV1, err = encodeFields(rest); err != nil {
				return nil, err
			}
			keep = append(keep, e)
		}
	}
	if taken.Empty() {
		return nil, nil
	}
	return t.withOurs(keep, ours, taken, version)
}

// withOurs adds the taken fields to our apply entry, creating it when the object has none.
func (t *fieldTakeover) withOurs(keep []metav1.ManagedFieldsEntry, ours int, taken *fieldpath.Set, version string) (*fieldTakeover, error) {
	entry := metav1.ManagedFieldsEntry{Manager: headlamp.ManagedBy, Operation: metav1.ManagedFieldsOperationApply,
		APIVersion: version, FieldsType: "FieldsV1"}
	all := taken
	if ours >= 0 {
		entry = t.managed[ours]
		set, err := decodeFields(entry)
		if err != nil {
			return nil, err
		}
		all = set.Union(taken)
	}
	raw, err := encodeFields(all)
	if err != nil {
		return nil, err
	}
	entry.FieldsV1 = raw
	keep = slices.DeleteFunc(keep, func(e metav1.ManagedFieldsEntry) bool {
		return e.Manager == entry.Manager && e.Operation == entry.Operation && e.Subresource == ""
	})
	t.managed, t.fields = append(keep, entry), taken.Leaves()
	slices.Sort(t.from)
	t.from = slices.Compact(t.from)
	return t, nil
}

func decodeFields(e metav1.ManagedFieldsEntry) (*fieldpath.Set, error) {
	set := &fieldpath.Set{}
	if e.FieldsV1 == nil {
		return set, nil
	}
	if err := set.FromJSON(e.FieldsV1.GetRawReader()); err != nil {
		return nil, fmt.Errorf("read the fields %s manages: %w", e.Manager, err)
	}
	return set, nil
}

func encodeFields(s *fieldpath.Set) (*metav1.FieldsV1, error) {
	raw, err := s.ToJSON()
	if err != nil {
		return nil, err
	}
	return metav1.NewFieldsV1(string(raw)), nil
}

// maxFieldsShown bounds the fields a progress line names.
const maxFieldsShown = 3

// describe says whose fields are taken over and names the first few.
func (t *fieldTakeover) describe() string {
	var names []string
	t.fields.Iterate(func(p fieldpath.Path) { names = append(names, p.String()) })
	shown := names[:min(len(names), maxFieldsShown)]
	more := ""
	if len(names) > len(shown) {
		more = fmt.Sprintf(" and %d more", len(names)-len(shown))
	}
	return fmt.Sprintf("%s: taking over what %s set (%s%s), so that install leaves exactly its own spec",
		t.ref, strings.Join(t.from, ", "), strings.Join(shown, ", "), more)
}
