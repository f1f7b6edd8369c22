package engine

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// RunTimeout is the cause of a run's context when --timeout expires. It carries the timeout, so that
// every check the run cut short says the same thing, however far it got.
type RunTimeout struct{ After time.Duration }

func (e RunTimeout) Error() string {
	return fmt.Sprintf("not finished when the run's --timeout of %s expired", e.After)
}

// Result is the outcome of a check the run's --timeout stopped: doctor could not look.
func (e RunTimeout) Result() Result { return Unknown("%s", e.Error()) }

// runCutShort returns the run's timeout when it is why ctx ended.
func runCutShort(ctx context.Context) (RunTimeout, bool) {
	var rt RunTimeout
	ok := ctx.Err() != nil && errors.As(context.Cause(ctx), &rt)
	return rt, ok
}

// CutShort returns the outcome of a check whose err (or the end of ctx) comes from the run's
// --timeout, and whether it does: the check could not look, whatever else err says.
func CutShort(ctx context.Context, err error) (Result, bool) {
	var rt RunTimeout
	if errors.As(err, &rt) {
		return rt.Result(), true
	}
	if err == nil {
		return Result{}, false
	}
	rt, ok := runCutShort(ctx)
	return rt.Result(), ok
}

// given tells whether every fact of names was known before the run (Fact.Absent): a check needing only
// those is judged at once, even when the run is cut short, so that a missing input is always a skip.
func (s *runState) given(names []FactName) bool {
	for _, n := range names {
		if s.plan.facts[n].Absent == nil {
			return false
		}
	}
	return len(names) > 0
}

// judge runs the check: at once on facts known before the run, else guarded by its timeout.
func (s *runState) judge(ctx context.Context, c Check, timeout time.Duration) Result {
	if s.given(c.Needs) {
		facts, _ := s.factsFor(ctx, c) // never waits: the facts are already there
		return c.Run(ctx, facts)
	}
	return s.guarded(ctx, c, timeout)
}

// guarded runs the check in its own goroutine so that a check ignoring its context cannot hold the
// run past its timeout.
func (s *runState) guarded(ctx context.Context, c Check, timeout time.Duration) Result {
	ch := make(chan Result, 1)
	go func() {
		facts, err := s.factsFor(ctx, c)
		if err != nil {
			ch <- s.stopped(ctx, timeout)
			return
		}
		ch <- c.Run(ctx, facts)
	}()
	select {
	case r := <-ch:
		return r
	case <-ctx.Done():
	}
	select {
	case r := <-ch:
		return r
	case <-time.After(gracePeriod):
		return s.stopped(ctx, timeout)
	}
}

// stopped explains why a check could not finish: interrupted, the run's --timeout, or its own timeout.
func (s *runState) stopped(ctx context.Context, timeout time.Duration) Result {
	if rt, ok := runCutShort(s.ctx); ok {
		return rt.Result()
	}
	switch {
	case s.ctx.Err() != nil:
		return Unknown("interrupted before it finished")
	case ctx.Err() != nil:
		return Unknown("did not finish within %s", timeout)
	}
	return Unknown("stopped: %v", ctx.Err())
}
