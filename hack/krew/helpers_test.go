package krew

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repoRoot is the plugin module's directory: this module lives two levels below it.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatalf("resolve the repository root: %v", err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatalf("read the plugin's go.mod: %v", err)
	}
	if !bytes.HasPrefix(gomod, []byte("module github.com/projectcapsule/kubectl-capsule-headlamp\n")) {
		t.Fatalf("%s is not the plugin module's root", root)
	}
	return root
}

// toolPath builds (once, cached across runs) a pinned tool with hack/tool.sh and returns its path.
func toolPath(t *testing.T, tool string) string {
	t.Helper()
	out := run(t, exec.Command("bash", filepath.Join(repoRoot(t), "hack", "tool.sh"), "--path", tool))
	return strings.TrimSpace(out)
}

// run runs cmd and returns its stdout, failing the test with both streams when it exits non-zero.
func run(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	out, err := output(cmd)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return out
}

// output runs cmd and returns its stdout; the error carries the command line and its stderr.
func output(cmd *exec.Cmd) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), &cmdError{args: cmd.Args, err: err, stderr: stderr.String()}
	}
	return stdout.String(), nil
}

type cmdError struct {
	args   []string
	err    error
	stderr string
}

func (e *cmdError) Error() string {
	return strings.Join(e.args, " ") + ": " + e.err.Error() + "\n" + e.stderr
}

func (e *cmdError) Unwrap() error { return e.err }

// readFile returns a file's content, failing the test when it cannot be read.
func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return b
}

// writeFile writes content to dir/name and returns the path.
func writeFile(t *testing.T, dir, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatalf("write %s: %v", path, err)
	}
	return path
}
