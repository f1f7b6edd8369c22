package install

import (
	"context"
	"fmt"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// write makes the plan's writes all or not at all. First the fields a take-over moves (with
// --force-conflicts: managedFields only, which Headlamp never sees), so that the dry run judges the
// objects as they will be; then one server-side dry run of every write, which refuses before
// anything else is stored (and gives those fields back); then the take-over deletes and the applies
// in write order. When a write fails, every object already written is put back as it was and the
// error says so. In a server dry run (--dry-run=server) the writes themselves are dry runs too.
func (pl plan) write(ctx context.Context, c Clients, opts Options, p *progress) ([]Applied, error) {
	j := &journal{namespace: pl.namespace, before: pl.before}
	if err := pl.takeFields(ctx, c, opts, j, p); err != nil {
		return nil, err
	}
	w := pl.writes(opts.ForceConflicts)
	w.fieldsTaken = opts.ForceConflicts && opts.DryRun.Writes()
	if problems := serverDryRun(ctx, c, w); len(problems) > 0 {
		refusal := &DryRunError{Problems: problems}
		if restored, failures := j.restore(ctx, c); len(failures) > 0 {
			return nil, j.report("the server-side dry run", refusal, restored, failures)
		}
		return nil, refusal // the fields taken over are given back: nothing was changed
	}
	if len(pl.restartFor) > 0 {
		p.line("%s restarts Headlamp: its pod may have started with other content of %s than install writes%s",
			ref{&deployments, pl.deployment}, joinNames(pl.restartFor), dryRunSuffix(opts.DryRun))
	}
	if err := pl.takeOver(ctx, c, opts, j, p); err != nil {
		return nil, err
	}
	return pl.apply(ctx, c, opts, j, p)
}

// takeFields moves to our field manager the fields other managers set in our objects, with
// --force-conflicts; a server dry run only says so.
func (pl plan) takeFields(ctx context.Context, c Clients, opts Options, j *journal, p *progress) error {
	if !opts.ForceConflicts {
		return nil
	}
	for _, t := range pl.fields {
		p.line("%s%s", t.describe(), dryRunSuffix(opts.DryRun))
		if !opts.DryRun.Writes() {
			continue
		}
		j.writing(t.ref)
		if err := setManagedFields(ctx, c, pl.namespace, t.ref, t.rv, t.managed); err != nil {
			return j.failed(ctx, c, "take over the fields of "+t.ref.String(), err)
		}
	}
	return nil
}

// apply server-side applies the objects in write order (headlamp.Objects.List) under our field manager, reporting each as
// kubectl apply does. What changed is told by the snapshot: an object it did not hold was created,
// one whose resourceVersion did not move is unchanged.
func (pl plan) apply(ctx context.Context, c Clients, opts Options, j *journal, p *progress) ([]Applied, error) {
	ao := metav1.ApplyOptions{FieldManager: headlamp.ManagedBy, Force: opts.ForceConflicts}
	if opts.DryRun == DryRunServer {
		ao.DryRun = []string{metav1.DryRunAll}
	}
	var done []Applied
	for _, obj := range pl.objects {
		r, err := refOf(obj)
		if err != nil {
			return done, err
		}
		j.writing(r)
		out, err := r.kind.apply(ctx, c, pl.namespace, obj, ao)
		if err != nil && opts.DryRun == DryRunServer && pl.deleted(r) && mergedInvalid(err) {
			p.line("%s would be created anew: the API server judges it once the old one is deleted (server dry run)", r)
			continue
		}
		if err != nil {
			err = fmt.Errorf("%w%s", err, conflictAdvice(err))
			if !opts.DryRun.Writes() {
				return done, fmt.Errorf("apply %s: %w", r, err)
			}
			return nil, j.failed(ctx, c, "apply "+r.String(), err)
		}
		a := Applied{Object: r.public(), Change: pl.change(r, out)}
		p.line("%s %s%s", a.Object, a.Change, dryRunSuffix(opts.DryRun))
		done = append(done, a)
	}
	return done, nil
}

// change says what applying did to an object, from the snapshot and the API server's answer.
func (pl plan) change(r ref, out metav1.Object) Change {
	before, existed := pl.before[r]
	switch {
	case !existed || pl.deleted(r):
		return Created
	case before.GetResourceVersion() == out.GetResourceVersion():
		return Unchanged
	}
	return Configured
}

// deleted reports whether the take-over deletes r before it is applied.
func (pl plan) deleted(r ref) bool {
	for _, f := range pl.deletes {
		if f.ref == r {
			return true
		}
	}
	return false
}
