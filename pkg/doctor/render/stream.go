package render

import (
	"io"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

// Text prints a run's results as they come, in report order: it is an engine.Observer. An outcome is
// printed as soon as it and every outcome listed before it are known, so that the output reads
// top-down, grouped by category, exactly as WriteText prints the final report, while a slow check
// holds back only what is listed after it.
type Text struct {
	tw      *textWriter
	order   []engine.ID
	next    int // index in order of the next outcome to print
	arrived map[engine.ID]engine.Outcome
}

// NewText returns a stream printing to w; with short, only warnings, failures and unknowns.
func NewText(w io.Writer, p style.Palette, short bool) *Text {
	return &Text{tw: &textWriter{w: w, p: p, short: short, skipShown: map[engine.SkipOrigin]engine.ID{}},
		arrived: map[engine.ID]engine.Outcome{}}
}

// Begin learns the checks of the run, in report order.
func (s *Text) Begin(checks []engine.Check) {
	order := make([]engine.ID, len(checks))
	for i, c := range checks {
		order[i] = c.ID
	}
	s.beginIDs(order)
}

func (s *Text) beginIDs(order []engine.ID) {
	s.order, s.next = order, 0
	for _, id := range order {
		s.tw.width = max(s.tw.width, len(id))
	}
}

// Observe takes one outcome and prints every outcome that is now next in report order.
func (s *Text) Observe(o engine.Outcome) {
	s.arrived[o.ID] = o
	for s.next < len(s.order) {
		o, ok := s.arrived[s.order[s.next]]
		if !ok {
			return
		}
		delete(s.arrived, o.ID)
		s.tw.next(o)
		s.next++
	}
}

// End prints the summary of the run's report, and returns the first write error.
func (s *Text) End(r engine.Report) error {
	s.tw.end(r)
	return s.tw.err
}

func ids(outcomes []engine.Outcome) []engine.ID {
	out := make([]engine.ID, len(outcomes))
	for i, o := range outcomes {
		out[i] = o.ID
	}
	return out
}
