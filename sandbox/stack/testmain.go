package stack

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"
)

// RunTests starts one sandbox for a test binary, hands it to set, runs the tests and tears the sandbox
// down. Use it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(stack.RunTests(m, func(s *stack.Stack) { sb = s })) }
//
// The state folder is kept (and named) when a test fails, for its logs.
func RunTests(m *testing.M, set func(*Stack)) int {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sandbox-e2e-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "sandbox: create state folder: %v\n", err)
		return 1
	}
	s, err := Start(ctx, Options{StateDir: dir, Log: os.Stderr})
	if err != nil {
		fmt.Fprintf(os.Stderr, "sandbox: %v\n(state and logs kept in %s)\n", err, dir)
		return 1
	}
	stopOnSignal(s)
	set(s)
	code := m.Run()
	stopCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	s.Stop(stopCtx)
	if code != 0 {
		fmt.Fprintf(os.Stderr, "sandbox: state and logs kept in %s\n", dir)
		return code
	}
	_ = os.RemoveAll(dir)
	return code
}

// stopOnSignal stops the components when the test binary is interrupted, then lets the signal take
// its normal course, so an interrupted run leaves no process behind.
func stopOnSignal(s *Stack) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-ch
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		s.Stop(ctx)
		signal.Reset(sig)
		_ = syscall.Kill(os.Getpid(), sig.(syscall.Signal))
	}()
}
