package install

import (
	"context"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// defaultDeleteTimeout bounds the wait for taken-over objects to go when no --timeout applies.
const defaultDeleteTimeout = 2 * time.Minute

// takeOver deletes the objects another manager owns, so that applying creates them anew with exactly
// our fields. Server-side apply with force would take over only the fields we set: everything else the
// other manager wrote (the chart's literal OIDC_CLIENT_SECRET env entry, its init container, Helm's
// annotations) would stay. Only objects of the installation are ever deleted; the Deployment goes with
// foreground propagation, so the old pod is gone before the new one starts. Each delete is recorded
// in the journal, so that a later failure creates the object again.
func (pl plan) takeOver(ctx context.Context, c Clients, opts Options, j *journal, p *progress) error {
	var refs []ref
	for _, f := range pl.deletes {
		p.line("%s is %s: deleting it to create it anew with only our settings%s%s",
			f.Object, describeOwner(f.Owner), restartNote(f), dryRunSuffix(opts.DryRun))
		if opts.DryRun.Writes() {
			j.writing(f.ref)
		}
		if err := deleteRef(ctx, c, pl.namespace, f.ref, opts.DryRun); err != nil {
			return j.failed(ctx, c, "delete "+f.ref.String()+" to take it over", err)
		}
		refs = append(refs, f.ref)
	}
	if len(refs) == 0 || !opts.DryRun.Writes() {
		return nil
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = defaultDeleteTimeout
	}
	if err := waitGone(ctx, c, pl.namespace, refs, timeout, p); err != nil {
		return j.failed(ctx, c, "take over", err)
	}
	return nil
}

// describeTakeOver says what a take-over would do, for a client dry run.
func describeTakeOver(foreign []ForeignObject, p *progress) {
	for _, f := range foreign {
		p.line("%s is %s: install would delete it and create it anew%s", f.Object, describeOwner(f.Owner), restartNote(f))
	}
}

func restartNote(f ForeignObject) string {
	if f.ref.kind == &deployments {
		return ", which restarts Headlamp"
	}
	return ""
}

// deleteRef deletes one object; a Deployment in the foreground, so that it is gone only after its
// pods are.
func deleteRef(ctx context.Context, c Clients, ns string, r ref, dry DryRun) error {
	do := metav1.DeleteOptions{PropagationPolicy: ptr(metav1.DeletePropagationBackground)}
	if r.kind == &deployments {
		do.PropagationPolicy = ptr(metav1.DeletePropagationForeground)
	}
	if dry == DryRunServer {
		do.DryRun = []string{metav1.DryRunAll}
	}
	return r.kind.del(ctx, c, ns, r.name, do)
}

// dryRunSuffix marks progress lines of a server dry run.
func dryRunSuffix(dry DryRun) string {
	if dry == DryRunServer {
		return " (server dry run)"
	}
	return ""
}
