package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/doctortest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc/oidctest"
)

// slowSignIn is a person signing in for longer than a check may take.
type slowSignIn struct {
	tok  oidc.Secret
	err  error
	wait time.Duration
}

func (s slowSignIn) Token(ctx context.Context) (oidc.Tokens, error) {
	select {
	case <-time.After(s.wait):
		return oidc.Tokens{ID: s.tok}, s.err
	case <-ctx.Done():
		return oidc.Tokens{}, ctx.Err()
	}
}

func (s slowSignIn) Describe() string {
	return "browser sign-in on http://localhost:8080/oidc-callback"
}

// tokenFirstRun runs TOKEN-OBTAINED with a sign-in longer than --check-timeout and --timeout: through
// Diagnose, which obtains the token first, or, with inRun, inside a plain run.
func tokenFirstRun(t *testing.T, inRun bool, signInErr error) (engine.Outcome, error) {
	t.Helper()
	w := doctortest.NewWorld(t)
	c := config(w.Env(t))
	c.CheckTimeout, c.Timeout, c.Only = 1500*time.Millisecond, 2*time.Second, []engine.ID{identity.IDTokenObtained}
	var sawDiscovery atomic.Bool // written by the fact's goroutine, which a cut-short run leaves behind
	c.Identity = identity.Env{TokenFromIDP: true, TokenSource: func(_ identity.Expectation, d *oidc.Discovery, _ *http.Client) (oidc.Source, error) {
		sawDiscovery.Store(d != nil && d.TokenEndpoint != "")
		tok := oidctest.Sign(t, oidctest.Key, "k1", oidctest.AliceClaims(w.IDP.Issuer, time.Now()))
		return slowSignIn{tok: oidc.NewSecret(tok), err: signInErr, wait: c.Timeout + 500*time.Millisecond}, nil
	}}
	rep, err := Diagnose(t.Context(), c)
	if inRun {
		e := c.env()
		p, perr := engine.NewPlan(catalogue.Checks(), catalogue.Facts(e, c.Identity), c.Only, nil)
		if perr != nil {
			t.Fatal(perr)
		}
		rep = engine.Run(t.Context(), p, c.runOptions(e))
	}
	if !sawDiscovery.Load() {
		t.Error("the token source was built without the IdP's discovery document")
	}
	for _, o := range rep.Outcomes {
		if o.ID == identity.IDTokenObtained {
			return o, err
		}
	}
	t.Fatal("TOKEN-OBTAINED did not run")
	return engine.Outcome{}, err
}

// TestObtainTokenFirst: a sign-in slower than the timeouts still gives the run its token, and a failed
// one still fails TOKEN-OBTAINED with its error; obtained inside the run, the slow one is cut short.
func TestObtainTokenFirst(t *testing.T) {
	if o, err := tokenFirstRun(t, false, nil); err != nil || o.Status != engine.StatusPass || !strings.Contains(o.Message, "browser sign-in") {
		t.Errorf("slow sign-in first: %s %q (%v)", o.Status, o.Message, err)
	}
	refused := errors.New("the IdP refused the sign-in: access_denied")
	if o, err := tokenFirstRun(t, false, refused); err != nil || o.Status != engine.StatusFail || !strings.Contains(o.Message, "access_denied") {
		t.Errorf("refused sign-in first: %s %q (%v)", o.Status, o.Message, err)
	}
	if o, _ := tokenFirstRun(t, true, nil); o.Status == engine.StatusPass {
		t.Errorf("slow sign-in in the run: %s %q, want it cut short (the case obtaining it first exists for)", o.Status, o.Message)
	}
}

// TestInterruptedSignInStopsTheRun: Ctrl-C at the password prompt ends the command, with no report.
func TestInterruptedSignInStopsTheRun(t *testing.T) {
	w := doctortest.NewWorld(t)
	c := config(w.Env(t))
	stopped := fmt.Errorf("interrupted at the password prompt: %w", ErrInterrupted)
	c.Identity = identity.Env{TokenSource: func(identity.Expectation, *oidc.Discovery, *http.Client) (oidc.Source, error) {
		return slowSignIn{err: stopped}, nil
	}}
	r, err := Diagnose(t.Context(), c)
	if !errors.Is(err, ErrInterrupted) || len(r.Outcomes) != 0 {
		t.Errorf("Diagnose = %d outcomes, %v; want no report and the interruption", len(r.Outcomes), err)
	}
}
