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

// kubeFlagCase is one command line and the exit code and message it must give.
type kubeFlagCase struct {
	name     string
	args     []string
	want     int
	inStderr string
}

func TestKubeconfigFlagErrorsAreUsage(t *testing.T) {
	server := fakeAPIServer(t)
	kc := "--kubeconfig=" + kubeconfigWith(t, server)
	missing := "--kubeconfig=" + filepath.Join(t.TempDir(), "nonexistent")
	tests := []kubeFlagCase{
		{"good flags", []string{"version", kc, "--context", "sandbox", "--request-timeout", "3s"}, ExitOK, ""},
		{"missing --kubeconfig", []string{"version", missing}, ExitUsage, "--kubeconfig"},
		{"missing --kubeconfig, login", []string{"login", "--no-browser", missing}, ExitUsage, "--kubeconfig"},
		{"missing --kubeconfig, uninstall", []string{"uninstall", missing}, ExitUsage, "--kubeconfig"},
		{"missing --kubeconfig, doctor", []string{"doctor", missing}, ExitUsage, "--kubeconfig"},
		{"unknown --context", []string{"version", kc, "--context", "nope"}, ExitUsage, `--context "nope"`},
		{"unknown --cluster", []string{"login", kc, "--cluster", "nope"}, ExitUsage, `--cluster "nope"`},
		{"unknown --user", []string{"version", kc, "--user", "nope"}, ExitUsage, `--user "nope"`},
		{"bad --request-timeout", []string{"version", kc, "--request-timeout=abc"}, ExitUsage, "--request-timeout"},
		{"no cluster, client version", []string{"version", "--client", "--kubeconfig", emptyKubeconfig(t)}, ExitOK, ""},
	}
	garbage := filepath.Join(t.TempDir(), "garbage.yaml")
	if err := os.WriteFile(garbage, []byte("token: s3cr3t-in-garbage\n: : [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	secretFile := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secretFile, []byte("not-a-real-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	install := []string{"install", "--oidc-issuer-url", "https://dex.example.com", "--oidc-client-secret-file", secretFile}
	for _, cmd := range [][]string{{"version"}, {"doctor"}, {"login", "--no-browser"}, {"uninstall"}, install} {
		name := cmd[0]
		with := func(extra ...string) []string { return append(append([]string(nil), cmd...), extra...) }
		tests = append(tests,
			kubeFlagCase{"garbage --kubeconfig, " + name, with("--kubeconfig", garbage), ExitUsage, "is not a kubeconfig"},
			kubeFlagCase{"a folder as --kubeconfig, " + name, with("--kubeconfig", t.TempDir()), ExitUsage, "is a folder: give a kubeconfig file"},
			kubeFlagCase{"an empty kubeconfig, " + name, with("--kubeconfig", emptyKubeconfig(t)), ExitUsage,
				"no cluster is configured: it has no current context in the kubeconfig"},
		)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, nil, tt.args...)
			if code != tt.want || !strings.Contains(stderr, tt.inStderr) {
				t.Errorf("exit code = %d, want %d; stderr (want %q):\n%s", code, tt.want, tt.inStderr, stderr)
			}
			if strings.Contains(stderr, "s3cr3t") {
				t.Errorf("the error quotes the kubeconfig's content:\n%s", stderr)
			}
		})
	}
}

// TestAKubeconfigWithoutAClusterIsUsage: a context naming a cluster without a server, or a current
// context that does not exist, selects no cluster; --server does.
func TestAKubeconfigWithoutAClusterIsUsage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kubeconfig")
	data := `apiVersion: v1
kind: Config
clusters: [{name: noserver, cluster: {}}]
contexts: [{name: a, context: {cluster: noserver}}]
current-context: gone
`
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []kubeFlagCase{
		{"missing current context", []string{"version", "--kubeconfig", path}, ExitUsage, `current context "gone" does not exist`},
		{"cluster without server", []string{"version", "--kubeconfig", path, "--context", "a"}, ExitUsage, `cluster "noserver" has no server`},
		{"--server", []string{"version", "--kubeconfig", path, "--context", "a", "--server", fakeAPIServer(t)}, ExitOK, ""},
	} {
		code, _, stderr := run(t, nil, tt.args...)
		if code != tt.want || !strings.Contains(stderr, tt.inStderr) {
			t.Errorf("%s: exit code = %d, want %d; stderr (want %q):\n%s", tt.name, code, tt.want, tt.inStderr, stderr)
		}
	}
}

// TestAGarbageKUBECONFIGIsUsage: the kubeconfig named by $KUBECONFIG is held to the same rule as
// --kubeconfig when a command needs the cluster.
func TestAGarbageKUBECONFIGIsUsage(t *testing.T) {
	garbage := filepath.Join(t.TempDir(), "garbage.yaml")
	if err := os.WriteFile(garbage, []byte(": : [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KUBECONFIG", garbage)
	if code, _, stderr := run(t, nil, "version"); code != ExitUsage || !strings.Contains(stderr, "read the kubeconfig") {
		t.Errorf("exit code = %d, want 2; stderr:\n%s", code, stderr)
	}
	if code, _, stderr := run(t, nil, "version", "--client"); code != ExitOK {
		t.Errorf("version --client reads the kubeconfig: exit %d\n%s", code, stderr)
	}
}

func TestHelpShowsTheRealRequestTimeout(t *testing.T) {
	_, out, _ := run(t, nil, "--help")
	if !strings.Contains(out, `--request-timeout string`) || !strings.Contains(out, `(default "30s")`) {
		t.Errorf("help does not show the 30s default of --request-timeout:\n%s", out)
	}
}
