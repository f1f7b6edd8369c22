package engine

import (
	"context"
	"testing"
	"time"
)

// recorder is an Observer that keeps what it was told; it has no lock, as the runner promises.
type recorder struct {
	begun []ID
	seen  []ID
	calls int
}

func (r *recorder) Begin(checks []Check) {
	for _, c := range checks {
		r.begun = append(r.begun, c.ID)
	}
}

func (r *recorder) Observe(o Outcome) {
	r.calls++
	r.seen = append(r.seen, o.ID)
}

// TestObserverSeesResultsAsTheyFinish: the observer hears of a fast check before a slow one listed
// earlier, of every check once, and the report keeps catalogue order.
func TestObserverSeesResultsAsTheyFinish(t *testing.T) {
	release := make(chan struct{})
	slow := func(ctx context.Context, _ Facts) Result {
		select {
		case <-release:
		case <-ctx.Done():
		}
		return Pass("slow")
	}
	fast := func(context.Context, Facts) Result { return Pass("fast") }
	checks := []Check{check("T-SLOW", nil, slow), check("T-FAST", nil, fast), check("T-AFTER", []ID{"T-FAST"}, fast)}
	for i := range 20 { // many concurrent observations, for the race detector
		checks = append(checks, check(ID("T-MANY-"+string(rune('A'+i))), nil, fast))
	}
	rec := &recorder{}
	obs := &releasing{recorder: rec, after: "T-AFTER", release: release}
	r := Run(t.Context(), mustPlan(t, checks, nil, nil, nil), RunOptions{Observer: obs, CheckTimeout: 5 * time.Second})
	if len(rec.begun) != len(checks) || rec.begun[0] != "T-SLOW" {
		t.Errorf("Begin got %v, want the %d checks in catalogue order", rec.begun, len(checks))
	}
	if rec.calls != len(checks) {
		t.Errorf("Observe called %d times, want %d", rec.calls, len(checks))
	}
	if rec.seen[len(rec.seen)-1] != "T-SLOW" {
		t.Errorf("observed %v: the slow check was not last although it waited for the others", rec.seen)
	}
	if r.Outcomes[0].ID != "T-SLOW" || r.Outcomes[0].Status != StatusPass {
		t.Errorf("report starts with %s %s, want T-SLOW pass: catalogue order", r.Outcomes[0].ID, r.Outcomes[0].Status)
	}
}

// releasing lets the slow check finish once every other check was observed.
type releasing struct {
	*recorder
	after   ID
	release chan struct{}
	n       int
}

func (r *releasing) Begin(checks []Check) {
	r.recorder.Begin(checks)
	r.n = len(checks)
}

func (r *releasing) Observe(o Outcome) {
	r.recorder.Observe(o)
	if r.calls == r.n-1 {
		close(r.release)
	}
}
