package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/build"
	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/proc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// Files of the supervisor (the `run` process) in the state folder.
func supervisorPidFile(dir string) string { return filepath.Join(dir, "supervisor.pid") }
func readyFile(dir string) string         { return filepath.Join(dir, "ready") }
func supervisorLog(dir string) string     { return filepath.Join(dir, "logs", "supervisor.log") }

// supervisorPid returns the pid of a live supervisor, or 0.
func supervisorPid(dir string) int {
	b, err := os.ReadFile(supervisorPidFile(dir))
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || !proc.Alive(pid) {
		return 0
	}
	return pid
}

func runBuild(ctx context.Context, st Streams, _ string, args []string) error {
	if err := noArgs("build", args); err != nil {
		return err
	}
	bins, err := stack.EnsureBinaries(ctx, st.Err)
	if err != nil {
		return err
	}
	for _, c := range build.Components() {
		fmt.Fprintf(st.Out, "%s\t%s\n", c.Name, bins[c.Name])
	}
	return nil
}

// runForeground starts the stack and keeps it until interrupted, reporting crashed components.
func runForeground(ctx context.Context, st Streams, dir string, args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	detached := fs.Bool("detached", false, "started by `up`: the state folder is already prepared")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: sandbox run [--detached]", errUsage)
	}
	if pid := supervisorPid(dir); pid != 0 && pid != os.Getpid() {
		return fmt.Errorf("a sandbox is already running (pid %d, state %s): stop it with `sandbox down`", pid, dir)
	}
	if !*detached {
		if err := resetState(dir); err != nil {
			return err
		}
	}
	if err := os.WriteFile(supervisorPidFile(dir), []byte(strconv.Itoa(os.Getpid())), 0o600); err != nil {
		return fmt.Errorf("write supervisor pid: %w", err)
	}
	defer func() { _ = os.Remove(supervisorPidFile(dir)) }()
	s, err := stack.Start(ctx, stack.Options{StateDir: dir, Log: st.Err})
	if err != nil {
		return err
	}
	if err := os.WriteFile(readyFile(dir), []byte(time.Now().Format(time.RFC3339)), 0o600); err != nil {
		return fmt.Errorf("write ready marker: %w", err)
	}
	watch(ctx, s, st.Err)
	_ = os.Remove(readyFile(dir))
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	fmt.Fprintln(st.Err, "sandbox: stopping")
	s.Stop(stopCtx)
	fmt.Fprintln(st.Err, "sandbox: stopped")
	return nil
}

// watch waits for the end of ctx, reporting each component that exits on its own, once.
func watch(ctx context.Context, s *stack.Stack, log io.Writer) {
	reported := map[string]bool{}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for name, tail := range s.Crashed() {
				if !reported[name] {
					reported[name] = true
					fmt.Fprintf(log, "sandbox: %s exited unexpectedly; last lines of its log:\n%s\n", name, tail)
				}
			}
		}
	}
}

// resetState empties the state folder: every start is a fresh cluster with fresh credentials.
func resetState(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("clear state folder %s: %w", dir, err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o700); err != nil {
		return fmt.Errorf("create state folder %s: %w", dir, err)
	}
	return nil
}
