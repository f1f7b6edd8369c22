//go:build !windows

package browser

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
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

// fifo makes a named pipe in dir: opening one end blocks until the other end is opened, which lets
// a test follow a background program step by step without timing it.
func fifo(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEnvCommandRunsTheFirstCommandThatExists(t *testing.T) {
	dir := t.TempDir()
	record := fifo(t, dir, "args")
	b := script(t, dir, "b", `echo noise on stdout; echo noise on stderr >&2; printf '%s\n' "$@" > `+record)
	err := EnvCommand(filepath.Join(dir, "missing")+":"+b+" --new-tab").Open(t.Context(), "http://localhost:8080/oidc?cluster=main")
	if err != nil {
		t.Fatalf("Open() = %v", err)
	}
	got, _ := os.ReadFile(record)
	if string(got) != "--new-tab\nhttp://localhost:8080/oidc?cluster=main\n" {
		t.Errorf("browser got args %q", got)
	}
}

func TestEnvCommandReportsWhatCannotStart(t *testing.T) {
	err := EnvCommand("/nonexistent/browser").Open(t.Context(), "http://x")
	if err == nil || !strings.Contains(err.Error(), "no command of $BROWSER could be started") {
		t.Errorf("Open() = %v, want a not-found error", err)
	}
	notExecutable := filepath.Join(t.TempDir(), "b")
	if err := os.WriteFile(notExecutable, []byte("#!/bin/sh\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = EnvCommand(notExecutable).Open(t.Context(), "http://x")
	if err == nil || !strings.Contains(err.Error(), "start browser") || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("Open() = %v, want the failure to start", err)
	}
}

// A $BROWSER command may be the browser itself, running until the user closes it: Open must return
// while it runs, and leave it running when the caller's context ends.
func TestEnvCommandDoesNotWaitForTheBrowser(t *testing.T) {
	dir := t.TempDir()
	started, proceed, done := fifo(t, dir, "started"), fifo(t, dir, "proceed"), fifo(t, dir, "done")
	b := script(t, dir, "b", `echo started > `+started+`; read line < `+proceed+`; echo "$line" > `+done)
	ctx, cancel := context.WithCancel(t.Context())
	opened := make(chan error, 1)
	go func() { opened <- EnvCommand(b).Open(ctx, "http://x") }()
	if _, err := os.ReadFile(started); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-opened:
		if err != nil {
			t.Fatalf("Open() = %v", err)
		}
	case <-time.After(30 * time.Second): // only a guard against hanging; nothing is timed
		t.Fatal("Open() waits for the browser to exit")
	}
	cancel()
	// Each fifo opens only once the browser opens its other end: it answers only if it still runs.
	answer := make(chan string, 1)
	go func() {
		_ = os.WriteFile(proceed, []byte("still running\n"), 0o600)
		got, _ := os.ReadFile(done)
		answer <- string(got)
	}()
	select {
	case got := <-answer:
		if got != "still running\n" {
			t.Errorf("browser answered %q", got)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the browser no longer runs after Open's context ended")
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
