package e2e

import (
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestCompletionFromTheCluster: -n completes the sandbox's namespaces and login --headlamp its
// Headlamp Deployment, as kubectl's plugin completion asks through __complete.
func TestCompletionFromTheCluster(t *testing.T) {
	installHeadlamp(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"__complete", "doctor", "-n", ""}, stack.CapsuleNamespace},
		{[]string{"__complete", "login", "--headlamp", ""}, "headlamp"},
	} {
		run := runPlugin(t, nil, adminEnv(), tt.args...)
		expectExit(t, run, 0)
		if !strings.Contains("\n"+run.Stdout, "\n"+tt.want+"\n") {
			t.Errorf("%q: %q not offered:\n%s", tt.args, tt.want, run.Stdout)
		}
	}
}
