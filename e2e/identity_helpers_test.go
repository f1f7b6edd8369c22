package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// userToken asks the sandbox's Dex for user's ID token (client and scopes as given; nil scopes: the
// defaults, groups included) and writes it to a private file. Both are credentials: the tests only
// look for them in the plugin's output, to prove they are not there.
func userToken(t testing.TB, user, client string, scopes []string) (path, token string) {
	t.Helper()
	tok, err := sb.Token(t.Context(), user, client, scopes)
	if err != nil {
		t.Fatal(err)
	}
	return secretFile(t, "token", tok), tok
}

// secretFile writes a credential to a 0600 file in the test's folder.
func secretFile(t testing.TB, name, value string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(value+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// evidenceStrings reads a list of strings from a check's evidence.
func evidenceStrings(o doctorOutcome, key string) []string {
	list, _ := o.Evidence[key].([]any)
	var out []string
	for _, v := range list {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// refreshNeedsSignIn are the session checks a token from a file skips: it holds no refresh token.
func refreshNeedsSignIn(o doctorOutcome) bool {
	return o.Status == "skip" && strings.HasPrefix(o.ID, "SESSION-REFRESH") && strings.Contains(o.Message, "--username or --browser")
}

// expectAlice checks that doctor followed alice's sign-in to her tenant: every check passes (or is a
// documented skip), the API server and capsule-proxy see alice@example.com in tenant-a-owners, and she
// sees tenant-a's namespaces through the proxy.
func expectAlice(t *testing.T, rep doctorReport, run pluginRun) {
	t.Helper()
	expectExit(t, run, 0)
	expectHealthy(t, rep, refreshNeedsSignIn)
	got := rep.byID()
	for _, id := range []string{"REVIEW-APISERVER", "REVIEW-PROXY"} {
		o := got[id]
		if o.Evidence["username"] != stack.Alice.Email || !slices.Contains(evidenceStrings(o, "groups"), stack.TenantOwnerGroup) {
			t.Errorf("%s evidence %v, want %s in %s", id, o.Evidence, stack.Alice.Email, stack.TenantOwnerGroup)
		}
	}
	if ns := evidenceStrings(got["TENANT-NAMESPACES"], "namespaces"); !slices.Equal(ns, stack.TenantNamespaces) {
		t.Errorf("namespaces through capsule-proxy %v, want %v", ns, stack.TenantNamespaces)
	}
	// capsule-proxy's own list of alice's tenants is the verdict.
	if o := got["TENANT-OWNED"]; !slices.Contains(evidenceStrings(o, "tenants"), stack.TenantName) || !strings.HasPrefix(o.Message, "capsule-proxy lists") {
		t.Errorf("TENANT-OWNED %q, tenants %v, want capsule-proxy to list %s", o.Message, evidenceStrings(o, "tenants"), stack.TenantName)
	}
	for _, h := range rep.Chain {
		if h.Status != "pass" {
			t.Errorf("sign-in chain hop %s -> %s is %s (%v)", h.From, h.To, h.Status, h.Broken)
		}
	}
}
