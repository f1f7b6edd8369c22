package e2e

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestInstallChecksBeforeWriting: starting from a healthy install, every mistake doctor's checks can
// see in the plan stops install before its first write: exit 1, "nothing was changed", the check's
// finding and fix on stderr, and every object and the Headlamp pod exactly as they were. With --force
// it writes anyway, and says so.
func TestInstallChecksBeforeWriting(t *testing.T) {
	ns := stack.CapsuleNamespace
	installHeadlamp(t)
	before, pods := oursIn(t, ns), headlampPodUIDs(t, ns)

	dir := t.TempDir()
	wrongSecret := filepath.Join(dir, "wrong-secret")
	hugeCA := filepath.Join(dir, "huge-ca.pem")
	ca, err := os.ReadFile(sb.OIDCCAFile())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(wrongSecret, []byte("not-the-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(hugeCA, []byte(strings.Repeat(string(ca), (1<<20)/len(ca)+2)), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		says []string
	}{
		{"unreachable issuer", installArgs(ns, "--oidc-issuer-url", "https://127.0.0.1:1/dex"),
			[]string{"IDP-DISCOVERY", "127.0.0.1:1"}},
		{"issuer not trusted", installArgs(ns, "--oidc-ca-file", ""),
			[]string{"IDP-DISCOVERY", "not trusted"}},
		{"wrong client secret", installArgs(ns, "--oidc-client-secret-file", wrongSecret),
			[]string{"IDP-CLIENT", "rejected client"}},
		{"malformed scopes", installArgs(ns, "--oidc-scopes", "profile,,email;groups"),
			[]string{"HEADLAMP-SCOPES", `scope "email;groups" has a separator Headlamp does not split on`}},
		{"CA file over the limit", installArgs(ns, "--oidc-ca-file", hugeCA),
			[]string{"INSTALL-IDP-CA", "too large"}},
		{"server dry run", installArgs(ns, "--oidc-client-secret-file", wrongSecret, "--dry-run=server"),
			[]string{"IDP-CLIENT", "rejected client"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := runAsAdmin(t, tt.args...)
			expectExit(t, run, 1)
			mustContain(t, "stderr", run.Stderr, append(tt.says, "nothing was changed", "--force")...)
			if after := oursIn(t, ns); !reflect.DeepEqual(after, before) {
				t.Errorf("objects changed:\nbefore %v\nafter  %v", before, after)
			}
			if after := headlampPodUIDs(t, ns); !reflect.DeepEqual(after, pods) {
				t.Errorf("Headlamp's pod changed: %v, was %v", after, pods)
			}
		})
	}

	// A client dry run stays offline: it asks the IdP nothing, so it has nothing to refuse.
	run := runAsAdmin(t, installArgs(ns, "--oidc-client-secret-file", wrongSecret, "--dry-run=client", "-o", "yaml")...)
	mustSucceed(t, run)
	if strings.Contains(run.Stderr, "IDP-CLIENT") || !reflect.DeepEqual(oursIn(t, ns), before) {
		t.Errorf("a client dry run checked or wrote:\n%s", run.Stderr)
	}

	run = runAsAdmin(t, installArgs(ns, "--oidc-scopes", "profile,,email;groups", "--force", "--skip-doctor")...)
	mustSucceed(t, run)
	mustContain(t, "stderr", run.Stderr, "HEADLAMP-SCOPES", "--force wrote anyway")
	if after := oursIn(t, ns); reflect.DeepEqual(after, before) {
		t.Error("--force wrote nothing")
	}
}
