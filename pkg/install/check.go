package install

import (
	"context"
	"errors"
	"fmt"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// Plan is the installation install is about to write, for the pre-install checks to judge: the
// settings (proxy CA source decided), what goes into the objects besides them, and what preflight
// read in the cluster. It holds the client secret: never print it.
type Plan struct {
	Settings headlamp.Settings
	Material headlamp.Material
	// IDPCAErr is why the IdP CA given could not be taken.
	IDPCAErr error
	// ForceConflicts tells whether objects another manager owns are taken over.
	ForceConflicts bool
	Facts          Facts
}

// Checker judges a Plan before anything is written. It returns a *CheckError when the checks found
// problems (it has shown them), or another error when they could not run.
type Checker func(ctx context.Context, p Plan) error

// CheckError means the pre-install checks found problems: nothing was written (unless Forced).
type CheckError struct {
	// Problems is how many checks failed.
	Problems int
	// Forced is true when --force wrote anyway.
	Forced bool
}

func (e *CheckError) Error() string {
	if e.Forced {
		return fmt.Sprintf("the pre-install checks found %d problem(s) (above); --force wrote anyway", e.Problems)
	}
	return fmt.Sprintf("the pre-install checks found %d problem(s) (above); nothing was changed: fix them and run install again, "+
		"or pass --force to write anyway", e.Problems)
}

// check runs the pre-install checks on the plan unless this is a client dry run: a refusal stops
// install before its first write, unless Force, which says so and goes on. The IdP CA that could not
// be taken stops it even then: there is nothing to write in its place.
func check(ctx context.Context, opts Options, plan Plan, p *progress) error {
	if opts.Check == nil || opts.DryRun == DryRunClient {
		return nil
	}
	err := opts.Check(ctx, plan)
	var ce *CheckError
	if !errors.As(err, &ce) || !opts.Force {
		return err
	}
	if plan.IDPCAErr != nil {
		return fmt.Errorf("--force cannot write an IdP CA that could not be read (%w); nothing was changed", plan.IDPCAErr)
	}
	forced := *ce
	forced.Forced = true
	p.line("warning: %v", &forced)
	return nil
}
