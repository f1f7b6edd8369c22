package doctor

import (
	"context"
	"testing"
)

// check builds a test check; run may be nil for a check that passes.
func check(id ID, deps []ID, run func(context.Context, Facts) Result) Check {
	if run == nil {
		run = func(context.Context, Facts) Result { return Pass("ok") }
	}
	return Check{ID: id, Title: string(id), Category: "Test", Severity: SeverityError, DependsOn: deps,
		Hint: "fix <thing>", Run: run}
}

func mustPlan(t *testing.T, checks []Check, facts []Fact, only, skip []ID) *Plan {
	t.Helper()
	p, err := NewPlan(checks, facts, only, skip)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
