package e2e

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestHostileBundlePath: doctor --bundle never writes through a symlink: without --force a symlink
// at the path is refused (exit 2); with it the symlink itself is replaced and its target left alone.
func TestHostileBundlePath(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "precious.txt")
	if err := os.WriteFile(target, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.tar.gz")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	refused := runPlugin(t, nil, adminEnv(), "doctor", "-o", "short", "--bundle", link)
	expectExit(t, refused, 2)
	mustContain(t, "stderr", refused.Stderr, "already exists: pass --force to replace it")
	forced := runPlugin(t, nil, adminEnv(), "doctor", "-o", "short", "--check", "CLUSTER-API", "--bundle", link, "--force")
	expectExit(t, forced, 0)
	mustContain(t, "stderr", forced.Stderr, "Support bundle written to "+link)
	if data, err := os.ReadFile(target); err != nil || string(data) != "keep me" {
		t.Errorf("the symlink's target changed: %q, %v", data, err)
	}
	if fi, err := os.Lstat(link); err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
		t.Errorf("--bundle after --force: %v, %v; want a regular file with mode 0600", fi.Mode(), err)
	}
}

// TestHostileDoctorGate: a run that could not look at anything is no pass, and --fail-on unknown makes
// a run with unknowns fail, for CI.
func TestHostileDoctorGate(t *testing.T) {
	blind := runPlugin(t, nil, adminEnv(), "doctor", "-o", "short", "--timeout", "1ms")
	expectExit(t, blind, 1)
	mustContain(t, "stderr", blind.Stderr, "error: no check could look at anything")
	// A user without RBAC: doctor cannot read what it checks; unknowns and a warning, no failure.
	rep, lenient := doctorRun(t, nil, adminEnv(), "--as", "nobody@example.com")
	expectExit(t, lenient, 0)
	if rep.Summary.Unknown == 0 {
		t.Fatalf("no unknown check as a user without RBAC: %+v", rep.Summary)
	}
	_, strict := doctorRun(t, nil, adminEnv(), "--as", "nobody@example.com", "--fail-on", "unknown")
	expectExit(t, strict, 1)
}

// TestHostileRejectedToken: --token garbage with a kubeconfig holding no other credential fails
// CLUSTER-API saying the API server rejected the credentials, not that the context is wrong.
func TestHostileRejectedToken(t *testing.T) {
	path := tokenKubeconfig(t, "") // a user without any credential
	rep, run := doctorRun(t, nil, []string{"KUBECONFIG=" + path}, "--token", "garbage-t0ken")
	expectExit(t, run, 1)
	o := expectOnly(t, rep, "CLUSTER-API", "fail", nil, "rejected the credentials doctor was given")
	if strings.Contains(o.Message, "context") || strings.Contains(run.Stdout+run.Stderr, "garbage-t0ken") {
		t.Errorf("CLUSTER-API = %q: want the rejected credentials named, not the context, and no token", o.Message)
	}
}

// TestHostileEmptyKubeconfig: with an empty kubeconfig client-go would talk to localhost:8080, login's
// own default port: every command says that no cluster is configured, and nothing asks port 8080.
func TestHostileEmptyKubeconfig(t *testing.T) {
	ln, err := net.Listen("tcp4", "127.0.0.1:8080")
	if err != nil {
		t.Fatalf("listen on 127.0.0.1:8080 (the e2e network namespace is private): %v", err)
	}
	var asked atomic.Int32
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		asked.Add(1)
		_, _ = w.Write([]byte(`{"major":"1","minor":"37","gitVersion":"v1.37.0-impostor"}`))
	})}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	empty := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"version"}, {"doctor"}, {"login", "--no-browser"}, {"uninstall", "--dry-run"}} {
		run := runPlugin(t, nil, []string{"KUBECONFIG=" + empty}, args...)
		expectExit(t, run, 2)
		mustContain(t, "stderr", run.Stderr, "no cluster is configured: it has no current context in the kubeconfig")
		if strings.Contains(run.Stdout, "impostor") {
			t.Errorf("%v reported what answers on localhost:8080:\n%s", args, run.Stdout)
		}
	}
	if n := asked.Load(); n != 0 {
		t.Errorf("%d requests reached localhost:8080", n)
	}
}
