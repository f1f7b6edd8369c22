package engine

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// converging is a check on a fact that becomes ready on its third reading.
func converging(t *testing.T, retry *Retry) (Check, []Fact, *atomic.Int32) {
	t.Helper()
	var reads atomic.Int32
	ready := Key[bool]("ready")
	facts := []Fact{Define(ready, nil, func(context.Context, Facts) (bool, error) { return reads.Add(1) >= 3, nil })}
	c := check("T-READY", nil, func(_ context.Context, f Facts) Result {
		if ok, _ := ready.Get(f); !ok {
			return Problem("0 of 1 replicas ready")
		}
		return Pass("1 of 1 replicas ready")
	})
	c.Needs, c.Retry = []FactName{ready.Name()}, retry
	return c, facts, &reads
}

func TestRetryJudgesAgainOnFreshFactsUntilItPasses(t *testing.T) {
	c, facts, reads := converging(t, &Retry{Interval: time.Millisecond})
	after := check("T-AFTER", []ID{"T-READY"}, nil)
	r := Run(t.Context(), mustPlan(t, []Check{c, after}, facts, nil, nil), RunOptions{Retry: true, Timeout: 10 * time.Second})
	if o := r.Outcomes[0]; o.Status != StatusPass || reads.Load() != 3 {
		t.Errorf("T-READY = %s %q after %d readings, want pass on the third", o.Status, o.Message, reads.Load())
	}
	if o := r.Outcomes[1]; o.Status != StatusPass {
		t.Errorf("T-AFTER = %s %q, want it run after the retried check passed", o.Status, o.Message)
	}
}

func TestRetryOnlyInARunThatWaits(t *testing.T) {
	c, facts, reads := converging(t, &Retry{Interval: time.Millisecond})
	r := Run(t.Context(), mustPlan(t, []Check{c}, facts, nil, nil), RunOptions{})
	if o := r.Outcomes[0]; o.Status != StatusFail || reads.Load() != 1 {
		t.Errorf("T-READY = %s after %d readings, want one failing judgement", o.Status, reads.Load())
	}
}

// TestRetryKeepsTheLastVerdictWhenTheRunEnds: a check that never converges reports what it last saw,
// not that the run's --timeout cut it short.
func TestRetryKeepsTheLastVerdictWhenTheRunEnds(t *testing.T) {
	c, facts, reads := converging(t, &Retry{Interval: time.Millisecond})
	const never = -1 << 20
	reads.Store(never)
	r := Run(t.Context(), mustPlan(t, []Check{c}, facts, nil, nil), RunOptions{Retry: true, Timeout: 300 * time.Millisecond})
	if o := r.Outcomes[0]; o.Status != StatusFail || o.Message != "0 of 1 replicas ready" || reads.Load() < never+2 {
		t.Errorf("T-READY = %s %q after %d readings, want the last failure after more than one", o.Status, o.Message, reads.Load()-never)
	}
}
