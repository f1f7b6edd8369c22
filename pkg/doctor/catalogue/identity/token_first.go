package identity

import (
	"context"
	"net/http"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// Produce reads the named facts, and those they need, as a run would, outside a run.
type Produce func(ctx context.Context, names []engine.FactName) (engine.Facts, error)

// ObtainFirst gets the user's token before a run, so that a person typing a password or signing in
// with the browser is not held to --check-timeout or --timeout. What the token source needs (what
// Headlamp expects, the plugin's HTTP client, the IdP's discovery) is read with produce, as a run reads
// it; the token itself is obtained under ctx alone.
//
// The returned Env hands the run a source returning that token, or the error that prevented it, so
// TOKEN-OBTAINED judges it as if it had been obtained in the run. The error is also returned, for the
// caller to stop on an interruption. Without a token source, id is returned as is.
func ObtainFirst(ctx context.Context, id Env, produce Produce) (Env, error) {
	if id.TokenSource == nil {
		return id, nil
	}
	got := obtainedToken{}
	src, err := sourceBeforeRun(ctx, id, produce)
	if err == nil {
		got.describe = src.Describe()
		got.tokens, err = src.Token(ctx)
	}
	got.err = err
	id.TokenSource = func(Expectation, *oidc.Discovery, *http.Client) (oidc.Source, error) { return got, nil }
	id.signedIn = id.signedIn || id.TokenFromIDP
	id.TokenFromIDP = false // the run asks the IdP nothing more for the token
	return id, err
}

// sourceBeforeRun builds the token source from the facts it needs, produced outside a run.
func sourceBeforeRun(ctx context.Context, id Env, produce Produce) (oidc.Source, error) {
	if !id.TokenFromIDP {
		return id.TokenSource(Expectation{}, nil, nil) // a file needs nothing from the IdP
	}
	in, err := produce(ctx, tokenNeeds(id))
	if err != nil {
		return nil, err
	}
	return tokenSource(id, in)
}

// obtainedToken is a token (or the error met getting it) obtained before the run.
type obtainedToken struct {
	describe string
	tokens   oidc.Tokens
	err      error
}

func (o obtainedToken) Token(context.Context) (oidc.Tokens, error) { return o.tokens, o.err }
func (o obtainedToken) Describe() string                           { return o.describe }
