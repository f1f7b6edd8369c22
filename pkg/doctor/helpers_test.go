package doctor

import (
	"context"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// check builds a test check; run may be nil for a check that passes.
func check(id engine.ID, deps []engine.ID, run func(context.Context, engine.Facts) engine.Result) engine.Check {
	if run == nil {
		run = func(context.Context, engine.Facts) engine.Result { return engine.Pass("ok") }
	}
	return engine.Check{ID: id, Title: string(id), Category: "Test", Severity: engine.SeverityError, DependsOn: deps,
		Hint: "fix <thing>", Run: run}
}

func mustPlan(t *testing.T, checks []engine.Check, facts []engine.Fact, only, skip []engine.ID) *engine.Plan {
	t.Helper()
	p, err := engine.NewPlan(checks, facts, only, skip)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
