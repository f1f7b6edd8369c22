package build

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// goCmd runs the go command in dir and returns its combined output. cgo is on whatever the caller's
// environment says (a Makefile may export CGO_ENABLED=0): Dex needs it for sqlite, and one setting for
// every component keeps the Go build cache shared between runs.
func goCmd(ctx context.Context, dir string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.Bytes(), err
}

// copyAsset copies files out of a module's zip (as extracted in the module cache) into dest.
func copyAsset(ctx context.Context, module string, a Asset, dest string) error {
	out, err := goCmd(ctx, module, "list", "-m", "-f", "{{.Dir}}", a.Module)
	if err != nil {
		return fmt.Errorf("locate module %s (run `go mod download` in %s): %w\n%s", a.Module, module, err, out)
	}
	root := strings.TrimSpace(string(out))
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return fmt.Errorf("create asset folder: %w", err)
	}
	for _, f := range a.Files {
		files := []string{filepath.Join(root, f)}
		if strings.HasSuffix(f, "/") {
			if files, err = filepath.Glob(filepath.Join(root, f, "*.yaml")); err != nil {
				return fmt.Errorf("list %s: %w", f, err)
			}
		}
		for _, src := range files {
			data, err := os.ReadFile(src)
			if err != nil {
				return fmt.Errorf("read asset: %w", err)
			}
			if err := os.WriteFile(filepath.Join(dest, filepath.Base(src)), data, 0o644); err != nil {
				return fmt.Errorf("write asset: %w", err)
			}
		}
	}
	return nil
}

// ToolsDir finds the tools modules: $SANDBOX_TOOLS_DIR, else next to this source file (the sandbox
// is always built from a checkout), else upwards from the working directory.
func ToolsDir() (string, error) {
	if d := os.Getenv("SANDBOX_TOOLS_DIR"); d != "" {
		return d, nil
	}
	if _, file, _, ok := runtime.Caller(0); ok {
		d := filepath.Join(filepath.Dir(file), "..", "..", "tools")
		if isTools(d) {
			return filepath.Clean(d), nil
		}
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", ErrNoTools
	}
	for d := wd; ; d = filepath.Dir(d) {
		for _, cand := range []string{filepath.Join(d, "sandbox", "tools"), filepath.Join(d, "tools")} {
			if isTools(cand) {
				return cand, nil
			}
		}
		if filepath.Dir(d) == d {
			return "", ErrNoTools
		}
	}
}

func isTools(d string) bool {
	_, err := os.Stat(filepath.Join(d, "kubernetes", "go.mod"))
	return err == nil
}

// CacheDir is where built components live: ${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-capsule-headlamp/sandbox.
func CacheDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the cache folder (set XDG_CACHE_HOME): %w", err)
	}
	return filepath.Join(base, "kubectl-capsule-headlamp", "sandbox"), nil
}

// tail returns the last n lines of out.
func tail(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
