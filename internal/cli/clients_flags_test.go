package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kubeconfigWith writes a kubeconfig with one context, cluster and user, all called "sandbox".
func kubeconfigWith(t *testing.T, server string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kubeconfig")
	data := `apiVersion: v1
kind: Config
clusters: [{name: sandbox, cluster: {server: "` + server + `"}}]
users: [{name: sandbox, user: {token: not-a-real-token}}]
contexts: [{name: sandbox, context: {cluster: sandbox, user: sandbox}}]
current-context: sandbox
`
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestKubeconfigFlagErrorsAreUsage(t *testing.T) {
	server := fakeAPIServer(t)
	kc := "--kubeconfig=" + kubeconfigWith(t, server)
	missing := "--kubeconfig=" + filepath.Join(t.TempDir(), "nonexistent")
	tests := []struct {
		name     string
		args     []string
		want     int
		inStderr string
	}{
		{"good flags", []string{"version", kc, "--context", "sandbox", "--request-timeout", "3s"}, ExitOK, ""},
		{"missing --kubeconfig", []string{"version", missing}, ExitUsage, "--kubeconfig"},
		{"missing --kubeconfig, login", []string{"login", "--no-browser", missing}, ExitUsage, "--kubeconfig"},
		{"missing --kubeconfig, uninstall", []string{"uninstall", missing}, ExitUsage, "--kubeconfig"},
		{"missing --kubeconfig, doctor", []string{"doctor", missing}, ExitUsage, "--kubeconfig"},
		{"unknown --context", []string{"version", kc, "--context", "nope"}, ExitUsage, `--context "nope"`},
		{"unknown --cluster", []string{"login", kc, "--cluster", "nope"}, ExitUsage, `--cluster "nope"`},
		{"unknown --user", []string{"version", kc, "--user", "nope"}, ExitUsage, `--user "nope"`},
		{"bad --request-timeout", []string{"version", kc, "--request-timeout=abc"}, ExitUsage, "--request-timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, nil, tt.args...)
			if code != tt.want || !strings.Contains(stderr, tt.inStderr) {
				t.Errorf("exit code = %d, want %d; stderr (want %q):\n%s", code, tt.want, tt.inStderr, stderr)
			}
		})
	}
}

func TestHelpShowsTheRealRequestTimeout(t *testing.T) {
	_, out, _ := run(t, nil, "--help")
	if !strings.Contains(out, `--request-timeout string`) || !strings.Contains(out, `(default "30s")`) {
		t.Errorf("help does not show the 30s default of --request-timeout:\n%s", out)
	}
}
