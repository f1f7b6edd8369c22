//go:build !windows

package browser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// script writes an executable shell script named name into dir.
func script(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEnvCommandRunsTheFirstCommandThatExists(t *testing.T) {
	dir := t.TempDir()
	record := filepath.Join(dir, "args")
	b := script(t, dir, "b", `printf '%s\n' "$@" > `+record+`; echo noise on stdout; echo noise on stderr >&2`)
	err := EnvCommand(filepath.Join(dir, "missing")+":"+b+" --new-tab").Open(t.Context(), "http://localhost:8080/oidc?cluster=main")
	if err != nil {
		t.Fatalf("Open() = %v", err)
	}
	got, _ := os.ReadFile(record)
	if string(got) != "--new-tab\nhttp://localhost:8080/oidc?cluster=main\n" {
		t.Errorf("browser got args %q", got)
	}
}

func TestEnvCommandFailureCarriesItsOutput(t *testing.T) {
	b := script(t, t.TempDir(), "b", `echo cannot open display >&2; exit 3`)
	err := EnvCommand(b).Open(t.Context(), "http://x")
	if err == nil || !strings.Contains(err.Error(), "exit status 3: cannot open display") {
		t.Errorf("Open() = %v, want the exit status and the launcher's output", err)
	}
	err = EnvCommand("/nonexistent/browser").Open(t.Context(), "http://x")
	if err == nil || !strings.Contains(err.Error(), "no command of $BROWSER could be started") {
		t.Errorf("Open() = %v, want a not-found error", err)
	}
}

func TestPlatformUsesXdgOpenAndCapturesItsOutput(t *testing.T) {
	dir := t.TempDir()
	record := filepath.Join(dir, "url")
	script(t, dir, "xdg-open", `echo "$1" > `+record+`; echo chatter; [ "$1" != http://fail ] || { echo no handler >&2; exit 4; }`)
	t.Setenv("PATH", dir)
	if err := (platform{}).Open(t.Context(), "http://localhost:8080/"); err != nil {
		t.Fatalf("Open() = %v", err)
	}
	if got, _ := os.ReadFile(record); string(got) != "http://localhost:8080/\n" {
		t.Errorf("xdg-open got %q", got)
	}
	err := (platform{}).Open(t.Context(), "http://fail")
	if err == nil || !strings.Contains(err.Error(), "chatter\nno handler") {
		t.Errorf("Open() = %v, want the launcher's captured output", err)
	}
}
