package doctor

import (
	"context"
	"errors"
	"fmt"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// obtainToken gets the user's token before the checks run: what the sign-in needs is read as the run
// would read it (under the run's timeouts), the token itself under ctx alone. It returns the identity
// inputs that hand the run that token, or the error that prevented it (TOKEN-OBTAINED reports it); it
// fails only when the user stopped the sign-in.
func obtainToken(ctx context.Context, e area.Env, id identity.Env, opts engine.RunOptions) (identity.Env, error) {
	facts := catalogue.Facts(e, id)
	produce := func(ctx context.Context, names []engine.FactName) (engine.Facts, error) {
		in, err := engine.ProduceFacts(ctx, facts, opts, names)
		if err != nil {
			return in, fmt.Errorf("read what getting a token needs within --timeout %s: %w", opts.Timeout, err)
		}
		return in, nil
	}
	id, err := identity.ObtainFirst(ctx, id, produce)
	switch {
	case ctx.Err() != nil:
		return id, ctx.Err()
	case errors.Is(err, ErrInterrupted):
		return id, err
	}
	return id, nil
}
