package engine

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// RunOptions tune a run.
type RunOptions struct {
	Timeout      time.Duration    // the whole run (--timeout); zero: no limit beyond ctx
	CheckTimeout time.Duration    // a check without its own Timeout; zero: 10s
	Now          func() time.Time // the clock; nil: time.Now
	// Vars fill hint placeholders every check may use (<namespace>, <proxy-service>, ...).
	Vars map[string]string
	// Observer, when set, learns of each outcome as soon as its check finishes.
	Observer Observer
	// Retry lets the checks with a Retry policy judge again until they pass or the run ends: for a run
	// that waits for state to converge (Headlamp becoming ready after an install).
	Retry bool
}

// DefaultCheckTimeout bounds a check that sets no Timeout of its own.
const DefaultCheckTimeout = 10 * time.Second

// gracePeriod lets a check whose context expired return its own, more precise, message (naming the
// address that did not answer) before the runner writes a generic one.
const gracePeriod = 100 * time.Millisecond

// Run executes the plan: each check starts as soon as the checks it depends on are done, facts are
// produced once, on first need. It returns when every check has an outcome, the run timed out, or ctx
// was cancelled; checks that could not finish are reported unknown.
func Run(ctx context.Context, p *Plan, opts RunOptions) Report {
	opts = opts.withDefaults()
	now := opts.Now
	runCtx, cancel := ctx, context.CancelFunc(func() {})
	if opts.Timeout > 0 {
		runCtx, cancel = context.WithTimeoutCause(ctx, opts.Timeout, RunTimeout{After: opts.Timeout})
	}
	defer cancel()
	start := now()
	s := newRunState(runCtx, p, opts, start)
	s.observer.begin(p.checks)
	var wg sync.WaitGroup
	for _, c := range p.checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.finish(c.ID, s.runCheck(c))
		}()
	}
	wg.Wait()
	rep := Report{Duration: now().Sub(start), Interrupted: ctx.Err() != nil}
	for _, c := range p.checks {
		rep.Outcomes = append(rep.Outcomes, s.pending[c.ID].outcome)
	}
	return rep
}

// runState is one run's bookkeeping. Every map is filled before the goroutines start and only read
// afterwards; each slot is written once, by its owner, before its done channel closes.
type runState struct {
	ctx     context.Context
	plan    *Plan
	opts    RunOptions
	now     time.Time
	pending map[ID]*slot
	facts   map[FactName]*future
	// observer is told of each outcome; its calls are serialised.
	observer *serialObserver
}

type slot struct {
	done    chan struct{}
	outcome Outcome
}

func newRunState(ctx context.Context, p *Plan, opts RunOptions, now time.Time) *runState {
	s := &runState{ctx: ctx, plan: p, opts: opts, now: now, pending: map[ID]*slot{}, facts: map[FactName]*future{},
		observer: &serialObserver{next: opts.Observer}}
	for _, c := range p.checks {
		s.pending[c.ID] = &slot{done: make(chan struct{})}
	}
	for name, f := range p.facts {
		fu := &future{done: make(chan struct{})}
		if f.Absent != nil {
			fu.once.Do(func() {})
			fu.val = factValue{err: f.Absent}
			close(fu.done)
		}
		s.facts[name] = fu
	}
	return s
}

func (s *runState) finish(id ID, o Outcome) {
	sl := s.pending[id]
	sl.outcome = o.redacted()
	close(sl.done)
	s.observer.observe(sl.outcome)
}

// runCheck waits for the check's dependencies, then for its facts, then runs it under its timeout.
func (s *runState) runCheck(c Check) Outcome {
	o := Outcome{ID: c.ID, Title: c.Title, Category: c.Category, Severity: c.Severity, Docs: c.DocsLink()}
	if s.plan.skipped[c.ID] {
		o.Result = NotApplicable(SkippedByFlag)
		return o
	}
	if r, origin, ok := s.waitDependencies(c); !ok {
		o.Result, o.Skip = r, origin
		return o
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = s.opts.CheckTimeout
	}
	ctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	begin := time.Now()
	if c.Retry != nil && s.opts.Retry {
		o.Result = s.retry(c, timeout)
	} else {
		o.Result = s.judge(ctx, c, timeout)
	}
	o.Duration = time.Since(begin)
	if o.Status == StatusFail && c.Severity == SeverityWarning {
		o.Status = StatusWarn
	}
	if o.Status == StatusFail || o.Status == StatusWarn {
		o.Hint = o.expandHint(c.HintFor(o.Cause), s.opts.Vars)
	}
	return o
}

// waitDependencies returns false with a skip (or unknown, when the run ends first) result unless every
// dependency passed or warned. A skip carries the origin of its chain of skips, so that the last check
// of the chain still says what to do (pass a token, say).
func (s *runState) waitDependencies(c Check) (Result, SkipOrigin, bool) {
	for _, d := range c.DependsOn {
		sl := s.pending[d]
		select {
		case <-sl.done:
		case <-s.ctx.Done():
			return s.stopped(s.ctx, 0), SkipOrigin{}, false
		}
		switch st := sl.outcome.Status; st {
		case StatusPass, StatusWarn:
		case StatusSkip:
			origin := sl.outcome.Origin()
			return NotApplicable("needs %s, which was skipped: %s", d, origin.Cause), origin, false
		default:
			verb := dependencyVerb(st)
			return NotApplicable("needs %s, which %s", d, verb), SkipOrigin{Root: d, Status: st, Cause: fmt.Sprintf("%s %s", d, verb)}, false
		}
	}
	return Result{}, SkipOrigin{}, true
}

// SkippedByFlag is the message of a check the user left out with --skip.
const SkippedByFlag = "skipped with --skip"

func dependencyVerb(st Status) string {
	switch st {
	case StatusFail:
		return "failed"
	case StatusUnknown:
		return "could not be checked"
	default:
		return "was skipped"
	}
}
