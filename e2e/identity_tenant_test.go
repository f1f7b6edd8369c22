package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// doctorAsTenant runs doctor as alice herself: her kubeconfig (her own token, no cluster-wide read)
// and her Headlamp token from a file. What she may not read is unknown, never failed; the token needs
// nothing of Headlamp's Deployment, so it is obtained and the API server accepts it.
func doctorAsTenant(t *testing.T) {
	kc := filepath.Join(t.TempDir(), "alice.kubeconfig")
	if err := sb.WriteUserKubeconfig(t.Context(), kc, stack.Alice.Email); err != nil {
		t.Fatal(err)
	}
	file, tok := userToken(t, stack.Alice.Email, stack.HeadlampClientID, nil)
	rep, run := doctorRun(t, nil, nil, "--kubeconfig", kc, "--token-file", file)
	assertNoSecret(t, run, tok)
	expectExit(t, run, 0)
	got := rep.byID()
	for _, id := range []string{"TOKEN-OBTAINED", "REVIEW-APISERVER"} {
		if got[id].Status != "pass" {
			t.Errorf("%s = %s %q, want pass", id, got[id].Status, got[id].Message)
		}
	}
	forbidden := 0
	for _, o := range rep.Checks {
		switch {
		case o.Status == "fail":
			t.Errorf("%s failed for a tenant: %s (hint %q)", o.ID, o.Message, o.Hint)
		case o.Status == "unknown" && strings.Contains(o.Message, "forbidden"):
			forbidden++
		}
	}
	if forbidden == 0 {
		t.Error("no check says what alice may not read")
	}
}
