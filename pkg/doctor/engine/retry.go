package engine

import (
	"context"
	"time"
)

// Retry is a check's policy for state that converges: in a run that waits for it (RunOptions.Retry),
// a verdict other than pass or warn is judged again every Interval, on facts read anew, until the check
// passes or the run ends. The last complete verdict is the check's outcome.
type Retry struct {
	Interval time.Duration
}

// retry judges c until it passes or warns, or until the run ends. Each attempt has the check's own
// timeout; the first uses the run's facts, the others facts produced anew for the attempt alone, so
// that what the attempt reads is the cluster of now.
func (s *runState) retry(c Check, timeout time.Duration) Result {
	r := s.attempt(s, c, timeout)
	for !settled(r.Status) {
		select {
		case <-s.ctx.Done():
			return r
		case <-time.After(c.Retry.Interval):
		}
		fresh := newRunState(s.ctx, s.plan, s.opts, s.now)
		next := s.attempt(fresh, c, timeout)
		if s.ctx.Err() != nil {
			return r // the run ended during the attempt: keep the last verdict the check gave
		}
		r = next
	}
	return r
}

// attempt judges c once with the facts of state st, under the check's timeout.
func (s *runState) attempt(st *runState, c Check, timeout time.Duration) Result {
	ctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	return st.judge(ctx, c, timeout)
}

// settled tells whether a verdict is final: a pass or a warning does not get better by waiting.
func settled(st Status) bool { return st == StatusPass || st == StatusWarn || st == StatusSkip }
