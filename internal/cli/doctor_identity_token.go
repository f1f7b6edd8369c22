package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor"
)

// obtainToken gets the user's token before the checks run, under ctx alone: a password prompt or a
// browser sign-in takes a person's time, which --check-timeout and --timeout are not meant to bound.
// A token that could not be obtained is reported by TOKEN-OBTAINED; an interruption stops the command.
func (o *doctorOptions) obtainToken(ctx context.Context, env doctor.Env, opts doctor.RunOptions) (doctor.Env, error) {
	if env.Identity.TokenSource == nil {
		return env, nil
	}
	if o.identity.browser {
		_, _ = fmt.Fprintln(o.root.streams.ErrOut, "Waiting for the browser sign-in before the checks run (Ctrl-C to stop)...")
	}
	env, err := doctor.ObtainTokenFirst(ctx, env, opts)
	var exit *ExitError
	switch {
	case ctx.Err() != nil:
		return env, ctx.Err()
	case errors.As(err, &exit) && exit.Code == ExitInterrupted:
		return env, exit
	}
	return env, nil
}
