package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// loginPort is the plugin's default local port, registered at the sandbox's Dex.
const loginPort = "8080"

// session is what `login -o json` prints.
type session struct {
	URL                 string `json:"url"`
	HeadlampURL         string `json:"headlampURL"`
	ReachedBy           string `json:"reachedBy"`
	HTTPRoute           string `json:"httpRoute"`
	Pod                 string `json:"pod"`
	LocalPort           int    `json:"localPort"`
	RedirectURI         string `json:"redirectURI"`
	RedirectURIAccepted *bool  `json:"redirectURIAccepted"`
}

// outputBuffer collects a running process's output while the test reads it.
type outputBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *outputBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *outputBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// runningPlugin is a plugin process left running in the background, like `login` in a terminal.
type runningPlugin struct {
	cmd            *exec.Cmd
	stdout, stderr *outputBuffer
	exited         chan struct{}
	code           int
}

// startPlugin starts the plugin with the same minimal environment as runPlugin; it is killed at
// cleanup if the test did not stop it.
func startPlugin(t *testing.T, env []string, args ...string) *runningPlugin {
	t.Helper()
	cmd := exec.Command(pluginBinary(t), args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, env...)
	p := &runningPlugin{cmd: cmd, stdout: &outputBuffer{}, stderr: &outputBuffer{}, exited: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		err := cmd.Wait()
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			p.code = exitErr.ExitCode()
		}
		close(p.exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.exited
		t.Logf("kubectl capsule-headlamp %s\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), p.stdout, p.stderr)
	})
	return p
}

// waitStderr waits until the plugin's stderr contains want.
func (p *runningPlugin) waitStderr(t *testing.T, want string) {
	t.Helper()
	eventually(t, "stderr to contain "+want, func(context.Context) error {
		if strings.Contains(p.stderr.String(), want) {
			return nil
		}
		select {
		case <-p.exited:
			t.Fatalf("the plugin exited with %d before printing %q", p.code, want)
		default:
		}
		return errors.New("not yet")
	})
}

// session waits for the JSON that `login -o json` prints once Headlamp is reachable.
func (p *runningPlugin) session(t *testing.T) session {
	t.Helper()
	var s session
	eventually(t, "login to print its session", func(context.Context) error {
		select {
		case <-p.exited:
			t.Fatalf("login exited with %d before printing its session", p.code)
		default:
		}
		return json.Unmarshal([]byte(p.stdout.String()), &s)
	})
	return s
}

// interrupt sends Ctrl-C and returns the exit code.
func (p *runningPlugin) interrupt(t *testing.T) int {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	return p.wait(t)
}

// wait returns the exit code once the plugin has exited.
func (p *runningPlugin) wait(t *testing.T) int {
	t.Helper()
	select {
	case <-p.exited:
		return p.code
	case <-time.After(time.Minute): // a hang guard, not a speed assertion
		t.Fatal("the plugin did not exit")
		return -1
	}
}

// installHeadlamp installs Headlamp into capsule-system with the plugin, removes it at cleanup, and
// returns its ready pod's name.
func installHeadlamp(t testing.TB) string {
	t.Helper()
	ns := stack.CapsuleNamespace
	t.Cleanup(func() {
		// Not runPlugin: its context is the test's, which has ended when cleanups run.
		cmd := exec.Command(pluginBinary(t), "uninstall", "-n", ns)
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, adminEnv()...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("cleanup: uninstall -n %s: %v\n%s", ns, err, out)
		}
	})
	mustSucceed(t, runAsAdmin(t, installArgs(ns)...))
	return waitAvailable(t, ns, "headlamp").Name
}

// adminEnv runs the plugin as the sandbox admin.
func adminEnv() []string { return []string{"KUBECONFIG=" + sb.AdminKubeconfig()} }

// assertPortFree fails when something still listens on 127.0.0.1:port.
func assertPortFree(t *testing.T, port string) {
	t.Helper()
	ln, err := net.Listen("tcp4", "127.0.0.1:"+port)
	if err != nil {
		t.Errorf("port %s is still taken after login ended: %v", port, err)
		return
	}
	_ = ln.Close()
}

// urlCatcher writes an executable that records the URL it is given in a file, and returns the
// folder holding it and a function returning the URL once recorded. name is the program name the
// launcher looks for (xdg-open) or any name for $BROWSER.
func urlCatcher(t *testing.T, name string) (dir string, caught func() string) {
	t.Helper()
	dir = t.TempDir()
	record := filepath.Join(dir, "url")
	script := "#!/bin/sh\nprintf '%s\\n' \"$1\" > " + record + ".tmp && mv " + record + ".tmp " + record +
		"\necho launcher noise on stdout\necho launcher noise on stderr >&2\n"
	if err := os.WriteFile(filepath.Join(dir, name), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir, func() string {
		var url string
		eventually(t, name+" to be given a URL", func(context.Context) error {
			b, err := os.ReadFile(record)
			url = strings.TrimSpace(string(b))
			return err
		})
		return url
	}
}
