//go:build !windows

package browser

import (
	"context"
	"errors"
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

// A $BROWSER command may be the browser itself: when the caller stops waiting, it must keep running.
func TestEnvCommandLeavesTheBrowserRunningWhenCtxEnds(t *testing.T) {
	dir := t.TempDir()
	fifo := func(name string) string {
		p := filepath.Join(dir, name)
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	started, proceed, done := fifo("started"), fifo("proceed"), fifo("done")
	b := script(t, dir, "b", `echo started > `+started+`; read line < `+proceed+`; echo "$line" > `+done)
	ctx, cancel := context.WithCancel(t.Context())
	opened := make(chan error, 1)
	go func() { opened <- EnvCommand(b).Open(ctx, "http://x") }()
	if _, err := os.ReadFile(started); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-opened; !errors.Is(err, context.Canceled) {
		t.Fatalf("Open() = %v, want context.Canceled", err)
	}
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
	case <-time.After(30 * time.Second): // only a guard against hanging; nothing is timed
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
