package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/proc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// runUp builds what is missing, then starts `sandbox run --detached` in its own session and follows
// its log until the stack is ready or the supervisor dies.
func runUp(ctx context.Context, st Streams, dir string, args []string) error {
	if err := noArgs("up", args); err != nil {
		return err
	}
	if pid := supervisorPid(dir); pid != 0 {
		return fmt.Errorf("a sandbox is already running (pid %d, state %s): stop it with `sandbox down`", pid, dir)
	}
	if err := stack.CheckPortsFree(ctx); err != nil {
		return err
	}
	if _, err := stack.EnsureBinaries(ctx, st.Err); err != nil {
		return err
	}
	if err := resetState(dir); err != nil {
		return err
	}
	cmd, err := spawnSupervisor(dir)
	if err != nil {
		return err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	if err := follow(ctx, dir, st.Err, exited); err != nil {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		return err
	}
	fmt.Fprintf(st.Err, "sandbox: up (state %s); stop it with `sandbox down`\n", dir)
	fmt.Fprintf(st.Out, "export KUBECONFIG=%s\n", stack.Layout{Dir: dir}.AdminKubeconfig())
	return nil
}

func spawnSupervisor(dir string) (*exec.Cmd, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find the sandbox executable: %w", err)
	}
	log, err := os.OpenFile(supervisorLog(dir), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open supervisor log: %w", err)
	}
	defer func() { _ = log.Close() }()
	cmd := exec.Command(exe, "--state", dir, "run", "--detached") //nolint:noctx // the supervisor must outlive `up`
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} // survives the terminal that ran `up`
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start the sandbox supervisor: %w", err)
	}
	return cmd, nil
}

// follow copies the supervisor's log to w until the ready marker appears.
func follow(ctx context.Context, dir string, w io.Writer, exited <-chan error) error {
	f, err := os.Open(supervisorLog(dir))
	if err != nil {
		return fmt.Errorf("read supervisor log: %w", err)
	}
	defer func() { _ = f.Close() }()
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		_, _ = io.Copy(w, f)
		if _, err := os.Stat(readyFile(dir)); err == nil {
			_, _ = io.Copy(w, f) // lines written just before the marker
			return nil
		}
		select {
		case err := <-exited:
			_, _ = io.Copy(w, f)
			return fmt.Errorf("the sandbox did not start (%w); see %s and the component logs in %s/logs", err, supervisorLog(dir), dir)
		case <-ctx.Done():
			return fmt.Errorf("interrupted while starting: %w", ctx.Err())
		case <-t.C:
		}
	}
}

// runDown stops the supervisor (which stops the components in order), then kills whatever is left.
func runDown(ctx context.Context, st Streams, dir string, args []string) error {
	if err := noArgs("down", args); err != nil {
		return err
	}
	pid := supervisorPid(dir)
	if pid != 0 {
		fmt.Fprintf(st.Err, "sandbox: stopping (supervisor pid %d)\n", pid)
		_ = syscall.Kill(pid, syscall.SIGTERM)
		if !waitGone(ctx, pid, 3*time.Minute) {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	pids, _ := stack.ReadPids(dir)
	left := 0
	for name, p := range pids {
		if proc.Alive(p) {
			left++
			fmt.Fprintf(st.Err, "sandbox: killing leftover %s (pid %d)\n", name, p)
			_ = syscall.Kill(p, syscall.SIGKILL)
			waitGone(ctx, p, 10*time.Second)
		}
	}
	if pid == 0 && left == 0 {
		fmt.Fprintln(st.Err, "sandbox: not running")
		return nil
	}
	_ = os.Remove(stack.Layout{Dir: dir}.PidFile())
	fmt.Fprintln(st.Err, "sandbox: stopped, no process left")
	return nil
}

func waitGone(ctx context.Context, pid int, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for proc.Alive(pid) {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
	return true
}
