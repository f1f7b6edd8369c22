package install

import (
	"context"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// Result is what Install did.
type Result struct {
	// Settings as installed, with the proxy CA source decided.
	Settings headlamp.Settings `json:"settings"`
	// Objects as built, with the client secret redacted: safe to print.
	Objects headlamp.Objects `json:"-"`
	// Applied lists each object and what applying changed; empty for a client dry run.
	Applied []Applied `json:"applied,omitempty"`
	// Pruned lists what an earlier install created and this one no longer does, deleted (or, in a
	// dry run, that would be).
	Pruned []ObjectRef `json:"pruned,omitempty"`
	// Warnings name what install leaves alone but the user should remove: cluster role bindings for
	// Headlamp's ServiceAccount, the record of a Helm release whose objects were taken over.
	Warnings []string `json:"warnings,omitempty"`
}

// Install runs preflight, has opts.Check judge the plan (doctor's pre-install checks), builds the
// objects and writes them all or none (unless a client dry run): when told to take over, the fields
// other managers set in our objects first (so that the dry run sees them gone), a server-side dry run
// of every write, the deletes of objects another manager owns, then the applies in an order that
// never starts Headlamp with a mix of old and new settings, putting back what was written when a
// write fails. It then prunes those of ours it no longer builds and, when asked, waits for Headlamp
// to be available. Status lines go to opts.Progress. A problem the checks found is a *CheckError
// (unless Force) and a refusal in the dry run a *DryRunError: nothing was written. A failed write
// is a *WriteError saying what was restored; a failed wait is a *WaitError.
func Install(ctx context.Context, c Clients, opts Options) (Result, error) {
	p := newProgress(opts.Progress, opts.Terminal)
	facts, err := Preflight(ctx, c, opts)
	if err != nil {
		return Result{}, err
	}
	s := opts.Settings
	s.TrustProxyCA(facts.ProxyCAKey, opts.ProxyCABundle)
	if s.NetworkPolicy != nil {
		s.NetworkPolicy = facts.NetworkPolicy
	}
	material := headlamp.Material{ClientSecret: opts.ClientSecret, ProxyCA: facts.ProxyCA, IDPCA: opts.IDPCA}
	// The decision to write: the pre-install checks judge the plan before any object is built or sent.
	plan := Plan{Settings: s, Material: material, IDPCAErr: opts.IDPCAErr, ForceConflicts: opts.ForceConflicts, Facts: facts}
	if err := check(ctx, opts, plan, p); err != nil {
		return Result{Settings: s}, err
	}
	objs, err := headlamp.Build(s, material)
	if err != nil {
		return Result{}, err
	}
	res := Result{Settings: s, Objects: objs.Redacted(s), Warnings: leftovers(ctx, c.Kube, s, facts.Foreign)}
	if opts.DryRun == DryRunClient {
		describeTakeOver(facts.Foreign, p)
	} else {
		pl, err := planWrites(ctx, c, opts, objs, facts, time.Now())
		if err != nil {
			return res, err
		}
		if res.Applied, err = pl.write(ctx, c, opts, p); err != nil {
			return res, err
		}
	}
	var warnings []string
	res.Pruned, warnings, err = prune(ctx, c, opts, objs, p)
	res.Warnings = append(res.Warnings, warnings...)
	if err != nil || !opts.Wait || !opts.DryRun.Writes() {
		return res, err
	}
	return res, WaitAvailable(ctx, c.Kube, s.Namespace, s.Name, opts.Timeout, p)
}
