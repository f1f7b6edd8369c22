package engine

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// FactName names a fact: a piece of cluster state discovered once per run (the Headlamp Deployment, the
// proxy Secret, ...).
type FactName string

// Fact produces one fact from the facts it needs. Produce runs at most once per run, and only when a
// check that will run needs it.
type Fact struct {
	Name    FactName
	Needs   []FactName
	Produce func(ctx context.Context, in Facts) (any, error)
	// Absent, when set, is the fact's error known before any run: an input the user did not give. The
	// run takes it as produced at once; a check needing only such facts must judge them without
	// blocking, and is judged even when the run is cut short.
	Absent error
}

// Key is the typed name of a fact whose value has type T.
type Key[T any] FactName

// Name is the fact's name, for Needs lists.
func (k Key[T]) Name() FactName { return FactName(k) }

// Get returns the fact from f, or the error its producer returned.
func (k Key[T]) Get(f Facts) (T, error) {
	v, ok := f.values[FactName(k)]
	if !ok {
		var zero T
		return zero, fmt.Errorf("fact %q was not declared in Needs or Asks", k)
	}
	return typed[T](k, v)
}

// Ask returns the fact from f, producing it now if the check declared it in Asks rather than Needs.
// It waits for the fact under ctx, the check's context.
func (k Key[T]) Ask(ctx context.Context, f Facts) (T, error) {
	if _, ok := f.values[FactName(k)]; ok || f.ask == nil || !slices.Contains(f.asks, FactName(k)) {
		return k.Get(f)
	}
	v, err := f.ask(ctx, FactName(k))
	if err != nil {
		var zero T
		return zero, err
	}
	return typed[T](k, v)
}

// typed is the value of fact k as a T, or the error its producer returned.
func typed[T any, K ~string](k K, v factValue) (T, error) {
	var zero T
	if v.err != nil {
		return zero, v.err
	}
	t, ok := v.value.(T)
	if !ok {
		return zero, fmt.Errorf("fact %q is a %T, not a %T", k, v.value, zero)
	}
	return t, nil
}

// Define makes the Fact for key k from a typed producer.
func Define[T any](k Key[T], needs []FactName, produce func(ctx context.Context, in Facts) (T, error)) Fact {
	return Fact{Name: FactName(k), Needs: needs, Produce: func(ctx context.Context, in Facts) (any, error) {
		return produce(ctx, in)
	}}
}

// Facts is the read-only view a check or a fact producer gets: the facts it declared, and the run's clock.
type Facts struct {
	now          time.Time
	checkTimeout time.Duration // a fact's own timeout in this run (--check-timeout); zero outside a run
	values       map[FactName]factValue
	// asks are the facts a check may ask for while it runs, and ask produces one of them.
	asks []FactName
	ask  func(ctx context.Context, name FactName) (factValue, error)
}

type factValue struct {
	value any
	err   error
}

// Now is the time the run started: every check judges validity against the same instant.
func (f Facts) Now() time.Time { return f.now }

// OwnTimeout is how long a fact may take in this run before it is cut short: --check-timeout.
func (f Facts) OwnTimeout() time.Duration { return cmp.Or(f.checkTimeout, DefaultCheckTimeout) }

// NewFacts builds a Facts view from plain values, for tests of checks and facts.
func NewFacts(now time.Time, values map[FactName]any, errs map[FactName]error) Facts {
	f := Facts{now: now, values: map[FactName]factValue{}}
	for k, v := range values {
		f.values[k] = factValue{value: v}
	}
	for k, err := range errs {
		f.values[k] = factValue{err: err}
	}
	return f
}
