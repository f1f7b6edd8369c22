// Package e2e holds the end-to-end tests: one package, so one test binary and one sandbox per run.
package e2e

import (
	"os"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// sb is the sandbox shared by every test of this binary. Tests that break it (faults) restore it
// before they return, and no test runs in parallel with another.
var sb *stack.Stack

func TestMain(m *testing.M) {
	os.Exit(stack.RunTests(m, func(s *stack.Stack) { sb = s }))
}
