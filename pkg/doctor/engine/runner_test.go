package engine

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// check builds a test check; run may be nil for a check that passes.
func check(id ID, deps []ID, run func(context.Context, Facts) Result) Check {
	if run == nil {
		run = func(context.Context, Facts) Result { return Pass("ok") }
	}
	return Check{ID: id, Title: string(id), Category: "Test", Severity: SeverityError, DependsOn: deps,
		Hint: "fix <thing>", Run: run}
}

func mustPlan(t *testing.T, checks []Check, facts []Fact, only, skip []ID) *Plan {
	t.Helper()
	p, err := NewPlan(checks, facts, only, skip)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func statuses(r Report) map[ID]Status {
	m := map[ID]Status{}
	for _, o := range r.Outcomes {
		m[o.ID] = o.Status
	}
	return m
}

func TestRunOrderIsCatalogueOrderWhateverTheCompletionOrder(t *testing.T) {
	slow := func(d time.Duration) func(context.Context, Facts) Result {
		return func(context.Context, Facts) Result { time.Sleep(d); return Pass("ok") }
	}
	checks := []Check{check("T-A", nil, slow(30*time.Millisecond)), check("T-B", nil, slow(0)), check("T-C", nil, slow(10*time.Millisecond))}
	r := Run(t.Context(), mustPlan(t, checks, nil, nil, nil), RunOptions{})
	var got []ID
	for _, o := range r.Outcomes {
		got = append(got, o.ID)
	}
	if want := []ID{"T-A", "T-B", "T-C"}; !equalIDs(got, want) {
		t.Fatalf("order = %v, want %v", got, want)
	}
}

func equalIDs(a, b []ID) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRunIndependentChecksRunConcurrently(t *testing.T) {
	// Both checks wait for each other: only a concurrent runner lets both pass.
	a, b := make(chan struct{}), make(chan struct{})
	meet := func(mine, theirs chan struct{}) func(context.Context, Facts) Result {
		return func(ctx context.Context, _ Facts) Result {
			close(mine)
			select {
			case <-theirs:
				return Pass("met")
			case <-ctx.Done():
				return Problem("ran alone")
			}
		}
	}
	checks := []Check{check("T-A", nil, meet(a, b)), check("T-B", nil, meet(b, a))}
	r := Run(t.Context(), mustPlan(t, checks, nil, nil, nil), RunOptions{CheckTimeout: 5 * time.Second})
	for id, st := range statuses(r) {
		if st != StatusPass {
			t.Errorf("%s = %s, want pass", id, st)
		}
	}
}

func TestRunDependentsWaitAndSkip(t *testing.T) {
	var aDone atomic.Bool
	checks := []Check{
		check("T-A", nil, func(context.Context, Facts) Result {
			time.Sleep(10 * time.Millisecond)
			aDone.Store(true)
			return Pass("")
		}),
		check("T-B", []ID{"T-A"}, func(context.Context, Facts) Result {
			if !aDone.Load() {
				return Problem("ran before its dependency")
			}
			return Warn("fine")
		}),
		check("T-C", nil, func(context.Context, Facts) Result { return Problem("broken") }),
		check("T-D", []ID{"T-B", "T-C"}, nil),
		check("T-E", []ID{"T-D"}, nil),
		check("T-F", nil, func(context.Context, Facts) Result { return Unknown("forbidden") }),
		check("T-G", []ID{"T-F"}, nil),
	}
	r := Run(t.Context(), mustPlan(t, checks, nil, nil, nil), RunOptions{})
	want := map[ID]Status{"T-A": StatusPass, "T-B": StatusWarn, "T-C": StatusFail, "T-D": StatusSkip,
		"T-E": StatusSkip, "T-F": StatusUnknown, "T-G": StatusSkip}
	got := statuses(r)
	for id, st := range want {
		if got[id] != st {
			t.Errorf("%s = %s, want %s", id, got[id], st)
		}
	}
	if m := r.Outcomes[3].Message; m != "needs T-C, which failed" {
		t.Errorf("T-D message = %q", m)
	}
	if m := r.Outcomes[6].Message; m != "needs T-F, which could not be checked" {
		t.Errorf("T-G message = %q", m)
	}
}

func TestRunCheckTimeoutIsUnknown(t *testing.T) {
	hang := func(ctx context.Context, _ Facts) Result {
		<-ctx.Done()
		time.Sleep(time.Second)
		return Pass("too late")
	}
	own := func(ctx context.Context, _ Facts) Result {
		<-ctx.Done()
		return Unknown("no answer from 10.0.0.1:9001")
	}
	checks := []Check{check("T-HANG", nil, hang), check("T-OWN", nil, own), check("T-NEXT", []ID{"T-HANG"}, nil)}
	r := Run(t.Context(), mustPlan(t, checks, nil, nil, nil), RunOptions{CheckTimeout: 20 * time.Millisecond})
	if o := r.Outcomes[0]; o.Status != StatusUnknown || o.Message != "did not finish within 20ms" {
		t.Errorf("hung check: %s %q", o.Status, o.Message)
	}
	if o := r.Outcomes[1]; o.Status != StatusUnknown || o.Message != "no answer from 10.0.0.1:9001" {
		t.Errorf("a check's own timeout message must be kept: %s %q", o.Status, o.Message)
	}
	if o := r.Outcomes[2]; o.Status != StatusSkip {
		t.Errorf("dependent of a timed-out check: %s", o.Status)
	}
}

func TestRunTimeoutStopsEverything(t *testing.T) {
	hang := func(ctx context.Context, _ Facts) Result { <-ctx.Done(); time.Sleep(time.Hour); return Pass("") }
	checks := []Check{check("T-A", nil, hang), check("T-B", []ID{"T-A"}, nil)}
	r := Run(t.Context(), mustPlan(t, checks, nil, nil, nil), RunOptions{Timeout: 30 * time.Millisecond, CheckTimeout: time.Hour})
	for _, o := range r.Outcomes {
		if o.Status != StatusUnknown || o.Message != "not finished when the run's --timeout of 30ms expired" {
			t.Errorf("%s: %s %q", o.ID, o.Status, o.Message)
		}
	}
	if r.Interrupted {
		t.Error("a run timeout is not an interruption")
	}
}

func TestRunInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	started := make(chan struct{})
	hang := func(ctx context.Context, _ Facts) Result { close(started); <-ctx.Done(); return Unknown("cancelled") }
	checks := []Check{check("T-A", nil, hang), check("T-B", []ID{"T-A"}, nil)}
	go func() { <-started; cancel() }()
	r := Run(ctx, mustPlan(t, checks, nil, nil, nil), RunOptions{CheckTimeout: time.Hour})
	if !r.Interrupted {
		t.Error("report not marked interrupted")
	}
	if o := r.Outcomes[1]; o.Status != StatusUnknown && o.Status != StatusSkip {
		t.Errorf("dependent after Ctrl-C: %s", o.Status)
	}
}

func TestRunSeverityWarningTurnsProblemsIntoWarnings(t *testing.T) {
	c := check("T-A", nil, func(context.Context, Facts) Result { return Problem("replicas: %d", 2).With("replicas", 2) })
	c.Severity = SeverityWarning
	c.Hint = "scale <deployment> to 1 (now <replicas>)"
	r := Run(t.Context(), mustPlan(t, []Check{c}, nil, nil, nil), RunOptions{})
	o := r.Outcomes[0]
	if o.Status != StatusWarn {
		t.Fatalf("status %s, want warn", o.Status)
	}
	if o.Hint != "scale <deployment> to 1 (now 2)" {
		t.Errorf("hint %q", o.Hint)
	}
}

func TestRunFactsAreProducedOnceAndOnlyWhenNeeded(t *testing.T) {
	var base, derived, unused atomic.Int32
	kBase, kDerived, kUnused := Key[int]("base"), Key[string]("derived"), Key[int]("unused")
	facts := []Fact{
		Define(kBase, nil, func(context.Context, Facts) (int, error) { base.Add(1); return 41, nil }),
		Define(kDerived, []FactName{kBase.Name()}, func(_ context.Context, in Facts) (string, error) {
			derived.Add(1)
			n, err := kBase.Get(in)
			if n != 41 || err != nil {
				return "", errors.New("base fact missing")
			}
			return "forty-two", nil
		}),
		Define(kUnused, nil, func(context.Context, Facts) (int, error) { unused.Add(1); return 0, nil }),
	}
	read := func(_ context.Context, f Facts) Result {
		s, err := kDerived.Get(f)
		if err != nil {
			return Problem("%v", err)
		}
		if _, err := kUnused.Get(f); err == nil {
			return Problem("an undeclared fact was visible")
		}
		return Pass("%s", s)
	}
	var checks []Check
	for _, id := range []ID{"T-A", "T-B", "T-C", "T-D"} {
		c := check(id, nil, read)
		c.Needs = []FactName{kDerived.Name()}
		checks = append(checks, c)
	}
	r := Run(t.Context(), mustPlan(t, checks, facts, nil, nil), RunOptions{})
	for _, o := range r.Outcomes {
		if o.Status != StatusPass || o.Message != "forty-two" {
			t.Errorf("%s: %s %q", o.ID, o.Status, o.Message)
		}
	}
	if base.Load() != 1 || derived.Load() != 1 || unused.Load() != 0 {
		t.Errorf("produced base %d, derived %d, unused %d times; want 1, 1, 0", base.Load(), derived.Load(), unused.Load())
	}
}

func TestRunFactErrorReachesTheCheck(t *testing.T) {
	k := Key[string]("secret")
	facts := []Fact{Define(k, nil, func(context.Context, Facts) (string, error) { return "", errors.New("not found") })}
	c := check("T-A", nil, func(_ context.Context, f Facts) Result {
		if _, err := k.Get(f); err != nil {
			return Problem("%v", err)
		}
		return Pass("")
	})
	c.Needs = []FactName{k.Name()}
	r := Run(t.Context(), mustPlan(t, []Check{c}, facts, nil, nil), RunOptions{})
	if o := r.Outcomes[0]; o.Status != StatusFail || o.Message != "not found" {
		t.Errorf("%s %q", o.Status, o.Message)
	}
}
