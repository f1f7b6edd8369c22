package engine

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRunAskedFactsAreProducedOnlyWhenAsked: a fact a check declares in Asks is produced when Run asks
// for it, once however many ask, and not at all in a run where no check asks.
func TestRunAskedFactsAreProducedOnlyWhenAsked(t *testing.T) {
	var produced atomic.Int32
	k := Key[int]("costly")
	facts := []Fact{Define(k, nil, func(context.Context, Facts) (int, error) { produced.Add(1); return 7, nil })}
	asking := func(ask bool) func(context.Context, Facts) Result {
		return func(ctx context.Context, f Facts) Result {
			if !ask {
				return Pass("did not ask")
			}
			n, err := k.Ask(ctx, f)
			if err != nil {
				return Problem("%v", err)
			}
			return Pass("%d", n)
		}
	}
	plan := func(ask bool) *Plan {
		var checks []Check
		for _, id := range []ID{"T-A", "T-B"} {
			c := check(id, nil, asking(ask))
			c.Asks = []FactName{k.Name()}
			checks = append(checks, c)
		}
		return mustPlan(t, checks, facts, nil, nil)
	}
	Run(t.Context(), plan(false), RunOptions{})
	if n := produced.Load(); n != 0 {
		t.Fatalf("produced %d times in a run where no check asked", n)
	}
	r := Run(t.Context(), plan(true), RunOptions{})
	for _, o := range r.Outcomes {
		if o.Status != StatusPass || o.Message != "7" {
			t.Errorf("%s: %s %q", o.ID, o.Status, o.Message)
		}
	}
	if n := produced.Load(); n != 1 {
		t.Errorf("produced %d times for two checks asking, want 1", n)
	}
}

// TestAskOfAnUndeclaredFactIsAnError: Ask produces only what the check declared in Asks.
func TestAskOfAnUndeclaredFactIsAnError(t *testing.T) {
	k, other := Key[int]("declared"), Key[int]("other")
	facts := []Fact{
		Define(k, nil, func(context.Context, Facts) (int, error) { return 1, nil }),
		Define(other, nil, func(context.Context, Facts) (int, error) { return 2, nil }),
	}
	c := check("T-A", nil, func(ctx context.Context, f Facts) Result {
		if _, err := other.Ask(ctx, f); err != nil {
			return Problem("%v", err)
		}
		return Pass("asked")
	})
	c.Asks = []FactName{k.Name()}
	r := Run(t.Context(), mustPlan(t, []Check{c}, facts, nil, nil), RunOptions{})
	if o := r.Outcomes[0]; o.Status != StatusFail || !strings.Contains(o.Message, "not declared") {
		t.Errorf("%s %q", o.Status, o.Message)
	}
}
