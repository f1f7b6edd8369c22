package engine

import "sync"

// Observer learns of a run as it goes, so that a renderer can print results as they come and a slow
// peer shows as progress rather than a silent wait. Begin receives the checks the report will hold, in
// report order, before any check starts; Observe receives each outcome as soon as its check finishes,
// in completion order. The runner calls them one at a time: an Observer needs no lock of its own.
type Observer interface {
	Begin(checks []Check)
	Observe(o Outcome)
}

// serialObserver serialises the calls of the runner's goroutines; a nil next observes nothing.
type serialObserver struct {
	mu   sync.Mutex
	next Observer
}

func (s *serialObserver) begin(checks []Check) {
	if s.next != nil {
		s.next.Begin(append([]Check(nil), checks...))
	}
}

func (s *serialObserver) observe(o Outcome) {
	if s.next == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next.Observe(o)
}
