// Package proc runs the sandbox's component processes: logs to a file, readiness polling that notices
// a crash, and a stop that escalates from SIGTERM to SIGKILL.
package proc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Spec describes a process to run.
type Spec struct {
	Name    string   // component name, used in messages
	Path    string   // executable
	Args    []string // never a secret: argv is visible to every local user
	Env     []string // added to the current environment
	LogFile string   // stdout and stderr, appended
}

// Process is a running (or exited) component.
type Process struct {
	Spec Spec
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// Start launches the process in its own process group, so a terminal's Ctrl-C reaches the
// supervisor first and the supervisor stops the components in order.
func Start(s Spec) (*Process, error) {
	log, err := os.OpenFile(s.LogFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open %s log: %w", s.Name, err)
	}
	cmd := exec.Command(s.Path, s.Args...) //nolint:noctx // lives until Stop, beyond any request context
	cmd.Env = append(os.Environ(), s.Env...)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		_ = log.Close()
		return nil, fmt.Errorf("start %s: %w", s.Name, err)
	}
	p := &Process{Spec: s, cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		_ = log.Close()
		close(p.done)
	}()
	return p, nil
}

// Pid is the process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Done is closed when the process has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Stop sends SIGTERM and, after grace, SIGKILL; it returns once the process is gone.
func (p *Process) Stop(grace time.Duration) {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// ErrExited reports a component that died while the sandbox waited for it.
var ErrExited = errors.New("process exited")

// WaitReady polls check until it succeeds, the context ends, or the process exits; failures carry the
// tail of the component's log because that is where the reason is.
func (p *Process) WaitReady(ctx context.Context, check func(context.Context) error) error {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	var last error
	for {
		if last = check(ctx); last == nil {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("%s: %w (%w); last lines of %s:\n%s", p.Spec.Name, ErrExited, p.err, p.Spec.LogFile, Tail(p.Spec.LogFile, 20))
		case <-ctx.Done():
			return fmt.Errorf("%s not ready: %w (%w); last lines of %s:\n%s", p.Spec.Name, last, ctx.Err(), p.Spec.LogFile, Tail(p.Spec.LogFile, 20))
		case <-t.C:
		}
	}
}

// Tail returns the last n lines of a log file.
func Tail(file string, n int) string {
	data, err := os.ReadFile(file)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "  " + strings.Join(lines, "\n  ")
}

// Alive reports whether a process with this pid exists and is not a zombie (an orphan whose parent
// does not reap it still answers kill -0).
func Alive(pid int) bool {
	if pid <= 0 || syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	if i := strings.LastIndexByte(string(stat), ')'); i > 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z'
	}
	return true
}
