package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// pluginRun is the outcome of one plugin invocation.
type pluginRun struct {
	Code           int
	Stdout, Stderr string
}

var (
	buildOnce  sync.Once
	pluginPath string
	buildErr   error
)

// pluginBinary builds the plugin from the repository root once per test binary, the way `make build`
// does, and returns its path. The binary is named as kubectl expects to find it.
func pluginBinary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "capsule-headlamp-e2e-bin-")
		if err != nil {
			buildErr = err
			return
		}
		pluginPath = filepath.Join(dir, "kubectl-capsule_headlamp")
		if runtime.GOOS == "windows" {
			pluginPath += ".exe"
		}
		cmd := exec.Command("go", "build", "-o", pluginPath, "./cmd/kubectl-capsule-headlamp")
		cmd.Dir = repoRoot()
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = errors.New("build plugin: " + err.Error() + "\n" + string(out))
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return pluginPath
}

// repoRoot is the plugin's module root, the parent of this e2e module.
func repoRoot() string {
	wd, err := os.Getwd()
	if err != nil {
		return ".."
	}
	return filepath.Dir(wd)
}

// runPlugin runs the plugin with args. env entries (KEY=VALUE) are added to a minimal environment, so
// tests never depend on the developer's KUBECONFIG or colour settings. stdin may be nil.
func runPlugin(t testing.TB, stdin []byte, env []string, args ...string) pluginRun {
	t.Helper()
	// Not t.Context(): it is already cancelled when t.Cleanup functions run, and cleanups run the plugin
	// too (uninstall).
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, pluginBinary(t), args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, env...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	run := pluginRun{Stdout: stdout.String(), Stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		run.Code = exitErr.ExitCode()
	default:
		t.Fatalf("run plugin %s: %v", strings.Join(args, " "), err)
	}
	t.Logf("kubectl capsule-headlamp %s -> exit %d\nstderr:\n%s", strings.Join(args, " "), run.Code, run.Stderr)
	return run
}

// assertNoSecret fails the test when any of the secrets appears in the run's output.
func assertNoSecret(t testing.TB, run pluginRun, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s == "" {
			continue
		}
		if strings.Contains(run.Stdout, s) || strings.Contains(run.Stderr, s) {
			t.Errorf("a secret value appeared in the plugin's output")
		}
	}
}
