package cli

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func TestEditLine(t *testing.T) {
	tests := []struct {
		typed, want string
	}{
		{"s3cret\r", "s3cret"},
		{"s3cret\nrest", "s3cret"},
		{"s3crex\x7ft\r", "s3cret"},
		{"héé\x7f\x08\r", "h"},
		{"wrong\x15right\r", "right"},
		{"no enter", "no enter"},
		{"tab\tand\x1bescape\r", "tabandescape"},
		{"\x04", ""},
	}
	for _, tt := range tests {
		got, err := editLine(strings.NewReader(tt.typed))
		if err != nil || got != tt.want {
			t.Errorf("typed %q: got %q, %v; want %q", tt.typed, got, err, tt.want)
		}
	}
}

func TestEditLineCtrlC(t *testing.T) {
	_, err := editLine(strings.NewReader("half\x03ignored\r"))
	if code := exitCode(t.Context(), err, true); code != ExitInterrupted {
		t.Errorf("Ctrl-C: err %v, exit code %d, want %d", err, code, ExitInterrupted)
	}
}

// TestReadLineCancelled: a read nobody answers ends with the context, as SIGINT from elsewhere does.
func TestReadLineCancelled(t *testing.T) {
	r, w := io.Pipe()
	defer func() { _ = w.Close() }()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := readLine(ctx, r)
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || exitCode(ctx, err, true) != ExitInterrupted {
			t.Errorf("err = %v, want context.Canceled (exit 130)", err)
		}
	case <-time.After(time.Minute): // a safety net against a hang, not a speed assertion
		t.Fatal("the read ignored the cancelled context")
	}
}
