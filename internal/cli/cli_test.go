package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// run executes argv against a fresh command tree and returns the exit code and both streams.
func run(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	streams, _, out, errOut := genericiooptions.NewTestIOStreams()
	getenv := func(k string) string { return env[k] }
	code = Execute(context.Background(), streams, args, getenv)
	return code, out.String(), errOut.String()
}

// fakeAPIServer answers /version like an API server does.
func fakeAPIServer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/version" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(`{"major":"1","minor":"37","gitVersion":"v1.37.2"}`))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// emptyKubeconfig isolates a test from the user's kubeconfig; --server then selects the cluster.
func emptyKubeconfig(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExitCodes(t *testing.T) {
	server := fakeAPIServer(t)
	kubeconfig := "--kubeconfig=" + emptyKubeconfig(t)
	tests := []struct {
		name     string
		args     []string
		want     int
		inStderr string
	}{
		{"help", []string{"--help"}, ExitOK, ""},
		{"no arguments prints help", nil, ExitOK, ""},
		{"client version", []string{"version", "--client"}, ExitOK, ""},
		{"server version", []string{"version", "--server", server, kubeconfig}, ExitOK, ""},
		{"unknown command", []string{"bogus"}, ExitUsage, `unknown command "bogus"`},
		{"unknown flag", []string{"version", "--bogus"}, ExitUsage, "unknown flag: --bogus"},
		{"bad output format", []string{"version", "-o", "xml"}, ExitUsage, `unsupported output format "xml"`},
		{"bad color", []string{"--color", "purple", "version"}, ExitUsage, `invalid color mode "purple"`},
		{"extra argument", []string{"version", "extra"}, ExitUsage, `unknown command "extra"`},
		{"completion without shell", []string{"completion"}, ExitUsage, "accepts 1 arg"},
		{"completion for an unknown shell", []string{"completion", "tcsh"}, ExitUsage, `invalid argument "tcsh"`},
		{"unreachable cluster", []string{"version", "--server", "http://127.0.0.1:1", kubeconfig}, ExitFailure, "is the cluster of the current context reachable?"},
		{"login, unreachable cluster", []string{"login", "--no-browser", "--server", "http://127.0.0.1:1", kubeconfig}, ExitFailure, "is the cluster of the current context reachable?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, nil, tt.args...)
			if code != tt.want {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tt.want, stderr)
			}
			if !strings.Contains(stderr, tt.inStderr) {
				t.Errorf("stderr does not contain %q:\n%s", tt.inStderr, stderr)
			}
			if tt.want == ExitUsage && !strings.Contains(stderr, "--help' for usage") {
				t.Errorf("usage error without a pointer to --help:\n%s", stderr)
			}
		})
	}
}

func TestExitCodeInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := exitCode(ctx, context.Canceled, true); got != ExitInterrupted {
		t.Errorf("exit code after Ctrl-C = %d, want %d", got, ExitInterrupted)
	}
	silent := &ExitError{Code: ExitFailure}
	if got := exitCode(context.Background(), silent, true); got != ExitFailure {
		t.Errorf("exit code of a silent failure = %d, want %d", got, ExitFailure)
	}
	if msg := errorMessage(silent, ExitFailure); msg != "" {
		t.Errorf("a silent failure printed %q", msg)
	}
}

func TestVersionOutput(t *testing.T) {
	server := fakeAPIServer(t)
	code, stdout, stderr := run(t, nil, "version", "-o", "json", "--server", server, "--kubeconfig", emptyKubeconfig(t))
	if code != ExitOK {
		t.Fatalf("exit code %d, stderr: %s", code, stderr)
	}
	var got versionReport
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if got.ClientVersion.Version == "" || got.ServerVersion == nil || got.ServerVersion.GitVersion != "v1.37.2" {
		t.Errorf("unexpected report %+v", got)
	}
	if stderr != "" {
		t.Errorf("data command wrote to stderr: %q", stderr)
	}

	_, stdout, _ = run(t, nil, "version", "--client", "-o", "yaml")
	if !strings.HasPrefix(stdout, "clientVersion:\n  version: ") || strings.Contains(stdout, "serverVersion") {
		t.Errorf("unexpected YAML:\n%s", stdout)
	}
}

func TestCompletion(t *testing.T) {
	for shell, marker := range map[string]string{
		"bash":       "__start_kubectl-capsule_headlamp",
		"zsh":        "#compdef kubectl-capsule_headlamp",
		"fish":       "complete -c kubectl-capsule_headlamp",
		"powershell": "Register-ArgumentCompleter",
	} {
		code, stdout, stderr := run(t, nil, "completion", shell)
		if code != ExitOK || !strings.Contains(stdout, marker) {
			t.Errorf("completion %s: code %d, marker %q missing; stderr: %s", shell, code, marker, stderr)
		}
	}
	// kubectl's plugin completion calls __complete: it must list our subcommands.
	_, stdout, _ := run(t, nil, "__complete", "")
	for _, sub := range []string{"version", "completion"} {
		if !strings.Contains(stdout, sub) {
			t.Errorf("__complete does not offer %q:\n%s", sub, stdout)
		}
	}
}

func TestHelpReadsAsKubectlCommand(t *testing.T) {
	_, stdout, _ := run(t, nil, "version", "--help")
	if !strings.Contains(stdout, "kubectl capsule-headlamp version [flags]") {
		t.Errorf("help does not show the kubectl invocation:\n%s", stdout)
	}
}

func TestColorFlagBindsMode(t *testing.T) {
	var buf bytes.Buffer
	streams := genericiooptions.IOStreams{In: &bytes.Buffer{}, Out: &buf, ErrOut: &buf}
	root := NewRootCmd(streams, func(string) string { return "" })
	if err := root.PersistentFlags().Parse([]string{"--color=always"}); err != nil {
		t.Fatal(err)
	}
	if got := root.PersistentFlags().Lookup("color").Value.String(); got != "always" {
		t.Errorf("--color=always parsed as %q", got)
	}
}
