package doctor

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc/oidctest"
)

// slowSignIn is a person signing in for longer than a check may take.
type slowSignIn struct {
	tok  oidc.Secret
	err  error
	wait time.Duration
}

func (s slowSignIn) Token(ctx context.Context) (oidc.Secret, error) {
	select {
	case <-time.After(s.wait):
		return s.tok, s.err
	case <-ctx.Done():
		return oidc.Secret{}, ctx.Err()
	}
}

func (s slowSignIn) Describe() string {
	return "browser sign-in on http://localhost:8080/oidc-callback"
}

// tokenFirstRun runs TOKEN-OBTAINED with a sign-in longer than --check-timeout and --timeout,
// obtaining the token first when first is set. The timeouts leave discovery (a local TLS server) time
// to answer on a loaded machine: only the sign-in is meant to outlast them.
func tokenFirstRun(t *testing.T, first bool, signInErr error) (Outcome, error) {
	t.Helper()
	w := newWorld(t)
	opts := RunOptions{CheckTimeout: 2 * time.Second, Timeout: 3 * time.Second}
	env := w.env(t)
	var sawDiscovery atomic.Bool // written by the fact's goroutine, which a cut-short run leaves behind
	env.Identity = IdentityEnv{TokenFromIDP: true, TokenSource: func(_ IDPExpectation, d *oidc.Discovery, _ *http.Client) (oidc.Source, error) {
		sawDiscovery.Store(d != nil && d.TokenEndpoint != "")
		tok := oidctest.Sign(t, oidctest.Key, "k1", oidctest.AliceClaims(w.idp.Issuer, time.Now()))
		return slowSignIn{tok: oidc.NewSecret(tok), err: signInErr, wait: opts.Timeout + time.Second}, nil
	}}
	var err error
	if first {
		env, err = ObtainTokenFirst(t.Context(), env, opts)
	}
	p, perr := NewPlan(Catalogue(), AllFacts(env), []ID{IDTokenObtained}, nil)
	if perr != nil {
		t.Fatal(perr)
	}
	rep := Run(t.Context(), p, opts)
	if !sawDiscovery.Load() {
		t.Error("the token source was built without the IdP's discovery document")
	}
	for _, o := range rep.Outcomes {
		if o.ID == IDTokenObtained {
			return o, err
		}
	}
	t.Fatal("TOKEN-OBTAINED did not run")
	return Outcome{}, err
}

// TestObtainTokenFirst: a sign-in slower than the timeouts still gives the run its token, and a failed
// one still fails TOKEN-OBTAINED with its error; obtained inside the run, the slow one is cut short.
func TestObtainTokenFirst(t *testing.T) {
	if o, err := tokenFirstRun(t, true, nil); err != nil || o.Status != StatusPass || !strings.Contains(o.Message, "browser sign-in") {
		t.Errorf("slow sign-in first: %s %q (%v)", o.Status, o.Message, err)
	}
	refused := errors.New("the IdP refused the sign-in: access_denied")
	if o, err := tokenFirstRun(t, true, refused); !errors.Is(err, refused) || o.Status != StatusFail || !strings.Contains(o.Message, "access_denied") {
		t.Errorf("refused sign-in first: %s %q (%v)", o.Status, o.Message, err)
	}
	if o, _ := tokenFirstRun(t, false, nil); o.Status == StatusPass {
		t.Errorf("slow sign-in in the run: %s %q, want it cut short (the case ObtainTokenFirst exists for)", o.Status, o.Message)
	}
}
