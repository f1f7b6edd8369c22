package render

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// Progress is an engine.Observer that says, on a progress stream (a terminal's standard error), which
// check a run is waiting for when no result has come for a while: a slow peer shows as progress, not
// as a silent wait. It hands every call on to next (which may be nil), and stops noting by itself once
// every check finished.
type Progress struct {
	next  engine.Observer
	w     io.Writer
	after time.Duration

	mu     sync.Mutex
	checks []engine.Check
	done   map[engine.ID]bool
	last   time.Time // when the last result came (or the run began)
	noted  bool      // whether this silence was noted already
}

// NewProgress notes on w a silence of after or more.
func NewProgress(next engine.Observer, w io.Writer, after time.Duration) *Progress {
	return &Progress{next: next, w: w, after: after, done: map[engine.ID]bool{}}
}

// Begin starts watching the run's checks.
func (p *Progress) Begin(checks []engine.Check) {
	p.mu.Lock()
	p.checks, p.last = checks, time.Now()
	p.mu.Unlock()
	if p.next != nil {
		p.next.Begin(checks)
	}
	go p.watch()
}

// Observe records a result: the silence, if any, is over.
func (p *Progress) Observe(o engine.Outcome) {
	p.mu.Lock()
	p.done[o.ID], p.last, p.noted = true, time.Now(), false
	p.mu.Unlock()
	if p.next != nil {
		p.next.Observe(o)
	}
}

// watch notes each silence once, until every check finished.
func (p *Progress) watch() {
	tick := time.NewTicker(max(p.after/4, 10*time.Millisecond))
	defer tick.Stop()
	for range tick.C {
		if !p.note() {
			return
		}
	}
}

// note writes what the run waits for when it has been silent long enough; false once all is done.
func (p *Progress) note() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.done) == len(p.checks) {
		return false
	}
	if p.noted || time.Since(p.last) < p.after {
		return true
	}
	p.noted = true
	for _, c := range p.checks { // the first unfinished check holds back the output; its premises are done
		if !p.done[c.ID] {
			_, _ = fmt.Fprintf(p.w, "waiting for %s (%s)...\n", c.ID, c.Title)
			break
		}
	}
	return true
}
