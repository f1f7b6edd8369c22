package install

import (
	"context"
	"errors"
	"fmt"
	"strings"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/kube"
)

// writes are the writes install is about to make: the deletes of a take-over, then the objects to
// apply, in order.
type writes struct {
	namespace string
	deletes   []ref
	objects   []any
	force     bool
	// othersFields names, per object, the managers whose fields a take-over of fields moves to us;
	// fieldsTaken is set once they were (not in a server dry run, which only says it would).
	othersFields map[ref][]string
	fieldsTaken  bool
	// sizeHints say, per object, what makes it large.
	sizeHints map[ref]string
}

// DryRunError lists the writes the API server refused in a server-side dry run; nothing was written.
type DryRunError struct {
	Problems []Problem
}

func (e *DryRunError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the API server refused %d of the objects install would write (a server-side dry run of every write); nothing was changed:", len(e.Problems))
	writeProblems(&b, e.Problems)
	return b.String()
}

// serverDryRun sends every write of w once with dryRun=All, so that the API server's validation,
// size limits and admission (policies, quotas, webhooks) judge the whole set before anything is
// stored: a refusal of the fifth object must not come after four were written. It returns one
// problem per refused write, in preflight's shape; none means every write would be accepted as it
// stands now. A delete of an object already gone is no problem.
//
// An object a take-over deletes is judged as the existing object merged with ours, since the dry
// run of the delete leaves it in place: a field of the other tool's that contradicts one of ours
// (the chart's rollingUpdate beside our Recreate) makes it invalid although the object created
// anew would not be. Its validation is therefore left to the real write, which restore backs;
// admission, size and permission refusals count as for any object.
func serverDryRun(ctx context.Context, c Clients, w writes) []Problem {
	var problems []Problem
	deleted := map[ref]bool{}
	for _, r := range w.deletes {
		deleted[r] = true
		err := deleteRef(ctx, c, w.namespace, r, DryRunServer)
		if err != nil && !apierrors.IsNotFound(err) {
			problems = append(problems, Problem{What: fmt.Sprintf("delete %s: %s", r, err), Hint: w.hint(r, err)})
		}
	}
	ao := metav1.ApplyOptions{FieldManager: headlamp.ManagedBy, Force: w.force, DryRun: []string{metav1.DryRunAll}}
	for _, obj := range w.objects {
		r, err := refOf(obj)
		if err == nil {
			_, err = r.kind.apply(ctx, c, w.namespace, obj, ao)
		}
		if deleted[r] && mergedInvalid(err) {
			continue // judged by the real write, once the old object is gone
		}
		if err != nil {
			problems = append(problems, Problem{What: fmt.Sprintf("%s: %s", r, err), Hint: w.hint(r, err)})
		}
	}
	return problems
}

// mergedInvalid reports a refusal of validation alone, which for an object a take-over deletes may
// come from the other tool's fields.
func mergedInvalid(err error) bool {
	return apierrors.IsInvalid(err) && !admission(err.Error()) && !tooLong(err)
}

// hint says what to do about a refused write.
func (w writes) hint(r ref, err error) string {
	msg := err.Error()
	switch {
	case !kube.Answered(err):
		return "the API server did not answer: check the connection and run install again"
	case apierrors.IsRequestEntityTooLargeError(err) || tooLong(err) || strings.Contains(msg, "request is too large"):
		return "the object is larger than the API server stores: " + w.sizeHint(r)
	case apierrors.IsConflict(err):
		return "another manager owns these fields: pass --force-conflicts to take them over"
	case admission(msg):
		return "an admission policy or webhook refuses it: ask the cluster administrator what it requires"
	case apierrors.IsInvalid(err):
		return w.invalidHint(r)
	case apierrors.IsForbidden(err) && strings.Contains(msg, "exceeded quota"):
		return fmt.Sprintf("a ResourceQuota of namespace %s refuses it: raise the quota or free what it counts (kubectl -n %[1]s describe resourcequota)", w.namespace)
	case apierrors.IsForbidden(err):
		return "ask a cluster administrator for this permission, or run install as a user who has it"
	}
	return "run install again; if the API server keeps refusing, run it with --dry-run=server to see the answer for each object"
}

// invalidHint says what to do about an object the API server's validation refuses: often the
// fields another manager set beside install's.
func (w writes) invalidHint(r ref) string {
	others := strings.Join(w.othersFields[r], ", ")
	switch {
	case others != "" && !w.force:
		return others + " changed fields of it that install does not set: pass --force-conflicts to take them over (install then removes them)"
	case others != "" && !w.fieldsTaken:
		return "a server dry run leaves the fields " + others + " set in place; install with --force-conflicts takes them over first and removes them"
	}
	return "the API server's validation refuses it as install would write it: change the flag behind the field it names"
}

// admission reports a refusal by an admission policy or webhook, which the API server words as
// forbidden or invalid.
func admission(msg string) bool {
	for _, s := range []string{"ValidatingAdmissionPolicy", "admission webhook", "denied request", "denied the request", "violates PodSecurity"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func (w writes) sizeHint(r ref) string {
	if h := w.sizeHints[r]; h != "" {
		return h
	}
	return "make the input that fills it smaller"
}

// tooLong reports an invalid object whose fields exceed a size limit (a ConfigMap over 1 MiB, say).
func tooLong(err error) bool {
	var status apierrors.APIStatus
	if !apierrors.IsInvalid(err) || !errors.As(err, &status) || status.Status().Details == nil {
		return false
	}
	for _, cause := range status.Status().Details.Causes {
		if cause.Type == metav1.CauseTypeTooLong {
			return true
		}
	}
	return false
}

// writeProblems lists problems below an error's first line, each with its fix indented under it.
func writeProblems(b *strings.Builder, problems []Problem) {
	for _, p := range problems {
		fmt.Fprintf(b, "\n  - %s", p.What)
		if p.Hint != "" {
			fmt.Fprintf(b, "\n    %s", p.Hint)
		}
	}
}
