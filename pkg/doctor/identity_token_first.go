package doctor

import (
	"context"
	"fmt"
	"net/http"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// ObtainTokenFirst gets the user's token before a run, so that a person typing a password or signing
// in with the browser is not held to --check-timeout or --timeout. What the token source needs (what
// Headlamp expects, the plugin's HTTP client, the IdP's discovery) is read as a run reads it, each under
// opts.CheckTimeout and all under opts.Timeout; the token itself is obtained under ctx alone.
//
// The returned Env hands the run a source returning that token, or the error that prevented it, so
// TOKEN-OBTAINED judges it as if it had been obtained in the run. The error is also returned, for the
// caller to stop on an interruption. Without a token source, env is returned as is.
func ObtainTokenFirst(ctx context.Context, env Env, opts RunOptions) (Env, error) {
	if env.Identity.TokenSource == nil {
		return env, nil
	}
	got := obtainedToken{}
	src, err := sourceBeforeRun(ctx, env, opts)
	if err == nil {
		got.describe = src.Describe()
		got.token, err = src.Token(ctx)
	}
	got.err = err
	env.Identity.TokenSource = func(IDPExpectation, *oidc.Discovery, *http.Client) (oidc.Source, error) { return got, nil }
	env.Identity.TokenFromIDP = false // the run asks the IdP nothing more for the token
	return env, err
}

// sourceBeforeRun builds the token source from the facts it needs, produced outside a run.
func sourceBeforeRun(ctx context.Context, env Env, opts RunOptions) (oidc.Source, error) {
	if !env.Identity.TokenFromIDP {
		return env.Identity.TokenSource(IDPExpectation{}, nil, nil) // a file needs nothing from the IdP
	}
	in, err := produceFacts(ctx, AllFacts(env), opts, tokenNeeds(env.Identity))
	if err != nil {
		return nil, err
	}
	return tokenSource(env.Identity, in)
}

// obtainedToken is a token (or the error met getting it) obtained before the run.
type obtainedToken struct {
	describe string
	token    oidc.Secret
	err      error
}

func (o obtainedToken) Token(context.Context) (oidc.Secret, error) { return o.token, o.err }
func (o obtainedToken) Describe() string                           { return o.describe }

// produceFacts produces the named facts, and those they need, as a run would, but without checks.
func produceFacts(ctx context.Context, facts []Fact, opts RunOptions, names []FactName) (Facts, error) {
	in, err := engine.ProduceFacts(ctx, facts, opts, names)
	if err != nil {
		return in, fmt.Errorf("read what getting a token needs within --timeout %s: %w", opts.Timeout, err)
	}
	return in, nil
}
