package e2e

import "testing"

// TestLoginNamesItsHeadlamp: --headlamp picks the Deployment by name, and a name that is not there is
// an error naming it.
func TestLoginNamesItsHeadlamp(t *testing.T) {
	pod := installHeadlamp(t)
	run := runPlugin(t, nil, adminEnv(), "login", "--no-browser", "--headlamp", "no-such-headlamp")
	expectExit(t, run, 1)
	mustContain(t, "stderr", run.Stderr, "no-such-headlamp", "not found")

	p := startPlugin(t, adminEnv(), "login", "--no-browser", "-o", "json", "--headlamp", "headlamp")
	if s := p.session(t); s.Pod != pod || s.ReachedBy != "port-forward" {
		t.Errorf("session = %+v, want a port-forward to pod %s", s, pod)
	}
	if code := p.interrupt(t); code != 0 {
		t.Errorf("exit code after Ctrl-C = %d, want 0", code)
	}
	assertPortFree(t, loginPort)
}
