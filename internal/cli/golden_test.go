package cli

import (
	"flag"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestHelpGolden keeps every command's help under review: a changed flag, default or example shows in
// the diff of testdata/help-*.txt.
func TestHelpGolden(t *testing.T) {
	t.Setenv("KUBECACHEDIR", "/home/user/.kube/cache") // kubectl's --cache-dir default is the user's home
	for name, args := range map[string][]string{
		"root":       {"--help"},
		"doctor":     {"doctor", "--help"},
		"install":    {"install", "--help"},
		"uninstall":  {"uninstall", "--help"},
		"login":      {"login", "--help"},
		"version":    {"version", "--help"},
		"completion": {"completion", "--help"},
	} {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, args...)
			if code != ExitOK || stderr != "" {
				t.Fatalf("exit %d, stderr: %s", code, stderr)
			}
			golden.Assert(t, "help-"+name+".txt", []byte(stdout), *update)
		})
	}
}

// TestListChecksGolden keeps the catalogue's listing, text and JSON, under review.
func TestListChecksGolden(t *testing.T) {
	for name, args := range map[string][]string{
		"list-checks.txt":  {"doctor", "--list-checks"},
		"list-checks.json": {"doctor", "--list-checks", "-o", "json"},
	} {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := run(t, nil, args...)
			if code != ExitOK || stderr != "" {
				t.Fatalf("exit %d, stderr: %s", code, stderr)
			}
			golden.Assert(t, name, []byte(stdout), *update)
		})
	}
}
