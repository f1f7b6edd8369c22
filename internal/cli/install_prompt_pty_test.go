//go:build linux

package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
	"k8s.io/cli-runtime/pkg/genericiooptions"
)

// newPTY opens a pseudo-terminal: the test types into the returned master, the prompt reads the tty.
func newPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { _ = master.Close(); _ = tty.Close() })
	return master, tty
}

func termios(t *testing.T, tty *os.File) unix.Termios {
	t.Helper()
	st, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return *st
}

// waitEchoOff waits until the prompt has switched the terminal's echo off, i.e. is reading.
func waitEchoOff(t *testing.T, tty *os.File) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); termios(t, tty).Lflag&unix.ECHO != 0; {
		if time.Now().After(deadline) {
			t.Fatal("the prompt never switched echo off")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestPromptOnTerminal(t *testing.T) {
	master, tty := newPTY(t)
	before := termios(t, tty)
	// Read only once the prompt returned: the channel orders the accesses.
	errOut := &bytes.Buffer{}
	o := &installOptions{root: &rootOptions{streams: genericiooptions.IOStreams{In: tty, ErrOut: errOut}}}
	o.flags.clientID = "headlamp"
	for _, tt := range []struct {
		typed, want string
		code        int
	}{
		{"s3cret\r", "s3cret", ExitOK},
		{"half\x03", "", ExitInterrupted},
	} {
		done := make(chan error, 1)
		var got string
		go func() {
			var err error
			got, err = o.promptSecret(t.Context())
			done <- err
		}()
		waitEchoOff(t, tty)
		if _, err := master.WriteString(tt.typed); err != nil {
			t.Fatal(err)
		}
		var err error
		select {
		case err = <-done:
		case <-time.After(time.Minute): // a safety net against a hang, not a speed assertion
			t.Fatalf("typed %q: the prompt did not return", tt.typed)
		}
		if got != tt.want || exitCode(t.Context(), err, true) != tt.code {
			t.Errorf("typed %q: got %q, err %v; want %q, exit %d", tt.typed, got, err, tt.want, tt.code)
		}
		if after := termios(t, tty); after != before {
			t.Errorf("typed %q: the terminal is not restored: lflag %#x, was %#x", tt.typed, after.Lflag, before.Lflag)
		}
	}
	if !strings.Contains(errOut.String(), `OIDC client secret for client "headlamp": `) {
		t.Errorf("prompt: %q", errOut.String())
	}
}

// TestInstallInterruptedAtPrompt runs the whole command: SIGINT (the context ends) while the prompt
// waits exits 130 with echo back on, without waiting for Enter.
func TestInstallInterruptedAtPrompt(t *testing.T) {
	_, tty := newPTY(t)
	before := termios(t, tty)
	errOut := &bytes.Buffer{} // read only once Execute returned
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan int, 1)
	go func() {
		streams := genericiooptions.IOStreams{In: tty, Out: &bytes.Buffer{}, ErrOut: errOut}
		// The prompt comes once install knows no secret is installed: the API server has no Headlamp.
		done <- Execute(ctx, streams, []string{"install", "--oidc-issuer-url=https://dex.example.com",
			"--server", fakeAPIServer(t), "--kubeconfig", emptyKubeconfig(t)}, func(string) string { return "" })
	}()
	waitEchoOff(t, tty)
	cancel()
	var code int
	select {
	case code = <-done:
	case <-time.After(time.Minute): // a safety net against a hang, not a speed assertion
		t.Fatal("the prompt ignored the interrupt")
	}
	if code != ExitInterrupted || !strings.Contains(errOut.String(), "error: interrupted") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
	if after := termios(t, tty); after.Lflag&unix.ECHO == 0 || after != before {
		t.Errorf("echo is off after the interrupt: lflag %#x, was %#x", after.Lflag, before.Lflag)
	}
}
