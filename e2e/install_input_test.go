package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestInstallBadInput: every mistake gets a clear message and exit code, and nothing is written.
func TestInstallBadInput(t *testing.T) {
	ns := stack.CapsuleNamespace
	notPEM := filepath.Join(t.TempDir(), "ca.txt")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	issuer := func(url string) []string {
		return []string{"install", "--oidc-issuer-url", url, "--oidc-client-secret-file", sb.ClientSecretFile()}
	}
	tests := []struct {
		name  string
		args  []string
		fault stack.ProxyCertFault
		code  int
		says  []string
	}{
		{"http issuer", issuer("http://127.0.0.1:5556/dex"), "", 2, []string{"--oidc-issuer-url", "must use https"}},
		{"issuer with query", issuer(stack.IssuerURL + "?realm=a"), "", 2, []string{"--oidc-issuer-url", "must not have a query"}},
		{"missing proxy Secret", installArgs(ns, "--proxy-ca-secret", "missing"), "", 1,
			[]string{"PROXY-SECRET", `secrets "missing" not found`, "--proxy-ca-secret"}},
		{"Secret without CA", installArgs(ns), stack.ProxyCertNoCAKey, 1, []string{"PROXY-SECRET", "no CA key (ca.crt or ca)"}},
		{"CA not verifying the proxy certificate", installArgs(ns), stack.ProxyCertOtherCA, 1, []string{"PROXY-CERT-CHAIN", "is not signed by the CA", "sandbox-other-ca"}},
		{"certificate without the service name", installArgs(ns), stack.ProxyCertWrongSANs, 1, []string{"PROXY-CERT-SAN", "does not name capsule-proxy.capsule-system.svc"}},
		{"unreadable CA file", append(issuer(stack.IssuerURL), "--oidc-ca-file", filepath.Join(t.TempDir(), "missing.pem")), "", 2,
			[]string{"--oidc-ca-file", "no such file"}},
		{"non-PEM CA file", append(issuer(stack.IssuerURL), "--oidc-ca-file", notPEM), "", 2, []string{"--oidc-ca-file", "holds no PEM certificate"}},
		{"unknown namespace", installArgs("e2e-no-such-namespace"), "", 1, []string{"INSTALL-NAMESPACE", "namespace e2e-no-such-namespace does not exist"}},
		{"no permission", installArgs(ns, "--as", stack.Bob.Email), "", 1, []string{"INSTALL-PERMISSIONS", "you may not", "ask a cluster administrator"}},
		{"API server unreachable", installArgs(ns, "--server", "https://127.0.0.1:1"), "", 1, []string{"is the cluster of the current context reachable?"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fault != "" {
				restore, err := sb.ReplaceProxyCert(t.Context(), tt.fault)
				if err != nil {
					t.Fatal(err)
				}
				defer func() {
					if err := restore(context.Background()); err != nil {
						t.Errorf("restore the proxy certificate: %v", err)
					}
				}()
			}
			run := runAsAdmin(t, tt.args...)
			if run.Code != tt.code {
				t.Errorf("exit code %d, want %d", run.Code, tt.code)
			}
			mustContain(t, "stderr", run.Stderr, tt.says...)
			if left := oursIn(t, ns); len(left) != 0 {
				t.Errorf("a failed install wrote %v", left)
			}
		})
	}
}
