package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// hostileCase is one bad command line from issue 15 ("what 140 hostile inputs found"): the exit code
// it must end with, what stderr must say, and the secrets no output may hold.
type hostileCase struct {
	name    string
	args    []string
	code    int
	says    string
	secrets []string
}

// TestHostileInputsAreUsageErrors: each command line a hostile user tried is refused with exit 2 and a
// message naming the fix, before anything is read from or written to the cluster, and without
// repeating a credential it was given.
func TestHostileInputsAreUsageErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	garbage := write("garbage.yaml", "token: s3cr3t-in-garbage\n: : [\n")
	empty := write("empty-kubeconfig", "")
	existing := write("old.tar.gz", "an earlier bundle")
	install := []string{"install", "--oidc-issuer-url", stack.IssuerURL, "--oidc-client-secret-file", sb.ClientSecretFile()}
	cases := []hostileCase{
		{"login --url with a password", []string{"login", "--no-browser", "--force", "--url", "https://user:pa55word@headlamp.example.com"},
			2, `--url "https://REDACTED@headlamp.example.com" carries user info`, []string{"pa55word"}},
		{"install issuer with a password", []string{"install", "--oidc-issuer-url", "https://user:s3cretpw@127.0.0.1:5556/dex",
			"--oidc-client-secret-file", sb.ClientSecretFile()}, 2, "must not carry user info", []string{"s3cretpw"}},
		{"doctor --proxy-address with a password", []string{"doctor", "--proxy-address", "user:s3cretpw@127.0.0.1:9001"},
			2, "--proxy-address: give host:port alone", []string{"s3cretpw"}},
		{"login --path to another host", []string{"login", "--no-browser", "--force", "--path", "//evil.example.com"},
			2, "which a browser reads as another host", nil},
		{"login --path with a backslash", []string{"login", "--no-browser", "--path", `/\evil.example.com`}, 2, "holds a backslash", nil},
		{"uninstall -o without a dry run", []string{"uninstall", "-o", "name"}, 2, "--output prints what a dry run would delete", nil},
		{"install --helm-values --dry-run=server", append(install, "--helm-values", "--dry-run=server"), 2,
			"it does not go with --dry-run=server", nil},
		{"doctor --bundle over an existing file", []string{"doctor", "--bundle", existing}, 2, "already exists: pass --force", nil},
		{"doctor --fail-on nonsense", []string{"doctor", "--fail-on", "info"}, 2, "use error, warning or unknown", nil},
	}
	commands := map[string][]string{"version": {"version"}, "doctor": {"doctor"}, "login": {"login", "--no-browser"},
		"uninstall": {"uninstall"}, "install": install}
	for name, argv := range commands {
		with := func(extra ...string) []string { return append(append([]string(nil), argv...), extra...) }
		cases = append(cases,
			hostileCase{name + " --kubeconfig garbage", with("--kubeconfig", garbage), 2, "is not a kubeconfig", []string{"s3cr3t"}},
			hostileCase{name + " --kubeconfig a folder", with("--kubeconfig", dir), 2, "is a folder: give a kubeconfig file", nil},
			hostileCase{name + " with an empty kubeconfig", with("--kubeconfig", empty), 2, "no cluster is configured", nil},
		)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := oursIn(t, stack.CapsuleNamespace)
			run := runPlugin(t, nil, adminEnv(), tc.args...)
			expectExit(t, run, tc.code)
			mustContain(t, "stderr", run.Stderr, tc.says)
			if !strings.HasPrefix(tc.args[0], "version") && run.Stdout != "" {
				t.Errorf("a refused command printed data:\n%s", run.Stdout)
			}
			assertNoSecret(t, run, append(tc.secrets, headlampClientSecret(t))...)
			if after := oursIn(t, stack.CapsuleNamespace); len(after) != len(before) {
				t.Errorf("a refused command changed the cluster: %v -> %v", before, after)
			}
		})
	}
	if data, err := os.ReadFile(existing); err != nil || string(data) != "an earlier bundle" {
		t.Errorf("the existing bundle changed: %q, %v", data, err)
	}
}
