package e2e

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestLoginAsATenant: alice, a Capsule tenant owner signed in with OIDC, may not read capsule-system.
// Given Headlamp's address with --url she still gets the sign-in link; without it login says which
// permission she lacks and suggests --url.
func TestLoginAsATenant(t *testing.T) {
	kc := filepath.Join(t.TempDir(), "alice.kubeconfig")
	if err := sb.WriteUserKubeconfig(t.Context(), kc, stack.Alice.Email); err != nil {
		t.Fatal(err)
	}
	env := []string{"KUBECONFIG=" + kc}

	run := runPlugin(t, nil, env, "login", "--no-browser", "--url", "http://localhost:8080", "-o", "json")
	mustSucceed(t, run)
	var s session
	if err := json.Unmarshal([]byte(run.Stdout), &s); err != nil {
		t.Fatalf("stdout is not a session: %v\n%s", err, run.Stdout)
	}
	if s.URL != "http://localhost:8080/oidc?cluster=main" || s.ReachedBy != "url" {
		t.Errorf("session = %+v, want the OIDC deep link at the given URL", s)
	}
	mustContain(t, "stderr", run.Stderr, "the redirect URI is not checked")
	assertNoSecret(t, run, stack.Alice.Password)

	run = runPlugin(t, nil, env, "login", "--no-browser")
	assertLoginFailed(t, run, `cannot list resource "deployments"`, "pass it with --url")
}
