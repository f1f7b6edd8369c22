package engine

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// ProduceFacts produces the named facts, and those they need, as a run would (each under
// opts.CheckTimeout, all under opts.Timeout), but outside a run and without checks: for what must be
// known before the checks start, such as what getting the user's token needs.
func ProduceFacts(ctx context.Context, facts []Fact, opts RunOptions, names []FactName) (Facts, error) {
	opts = opts.withDefaults()
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, opts.Timeout, RunTimeout{After: opts.Timeout})
		defer cancel()
	}
	p := &Plan{skipped: map[ID]bool{}, facts: map[FactName]Fact{}}
	for _, f := range facts {
		p.facts[f.Name] = f
	}
	s := newRunState(ctx, p, opts, opts.Now())
	return s.gather(ctx, names)
}

// withDefaults fills the zero fields of opts.
func (opts RunOptions) withDefaults() RunOptions {
	if opts.CheckTimeout == 0 {
		opts.CheckTimeout = DefaultCheckTimeout
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return opts
}

// gather waits for the named facts (producing them if nobody has yet) and returns the check's view.
func (s *runState) gather(ctx context.Context, names []FactName) (Facts, error) {
	f := Facts{now: s.now, checkTimeout: s.opts.CheckTimeout, values: map[FactName]factValue{}}
	for _, n := range names {
		v, err := s.fact(ctx, n)
		if err != nil {
			return f, err
		}
		f.values[n] = v
	}
	return f, nil
}

// factsFor is check c's view: its Needs, produced, and its Asks, produced if it asks.
func (s *runState) factsFor(ctx context.Context, c Check) (Facts, error) {
	f, err := s.gather(ctx, c.Needs)
	f.asks, f.ask = c.Asks, s.fact
	return f, err
}

// future is a fact produced at most once per run.
type future struct {
	once sync.Once
	done chan struct{}
	val  factValue
}

// fact returns the named fact, starting its production on first call. The producer runs under the
// run's context and the default check timeout, not under the asking check's, so that a check timing
// out does not poison the fact for the others.
func (s *runState) fact(ctx context.Context, name FactName) (factValue, error) {
	fu, ok := s.facts[name]
	if !ok {
		return factValue{err: fmt.Errorf("fact %q is not defined", name)}, nil
	}
	fu.once.Do(func() { go s.produce(name, fu) })
	select { // a fact already there wins over a context that ended meanwhile
	case <-fu.done:
		return fu.val, nil
	default:
	}
	select {
	case <-fu.done:
		return fu.val, nil
	case <-ctx.Done():
		return factValue{}, ctx.Err()
	}
}

func (s *runState) produce(name FactName, fu *future) {
	defer close(fu.done)
	ctx, cancel := context.WithTimeout(s.ctx, s.opts.CheckTimeout)
	defer cancel()
	def := s.plan.facts[name]
	in, err := s.gather(ctx, def.Needs)
	if err != nil {
		fu.val = factValue{err: err}
		return
	}
	v, err := def.Produce(ctx, in)
	fu.val = factValue{value: v, err: err}
}
