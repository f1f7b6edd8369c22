package cli

import (
	"strings"
	"testing"
)

func TestUninstallFlags(t *testing.T) {
	kubeconfig := "--kubeconfig=" + emptyKubeconfig(t)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"uninstall", "--dry-run=maybe"}, ExitUsage, "--dry-run: invalid dry-run mode"},
		{[]string{"uninstall", "--timeout=-1s"}, ExitUsage, "--timeout -1s must be positive"},
		{[]string{"uninstall", "-n", "Bad_NS"}, ExitUsage, "--namespace"},
		{[]string{"uninstall", "extra"}, ExitUsage, `unknown command "extra"`},
		{[]string{"uninstall", "--server", "http://127.0.0.1:1", kubeconfig}, ExitFailure, "is the cluster of the current context reachable?"},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, nil, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}
