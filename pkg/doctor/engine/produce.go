package engine

import (
	"context"
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
