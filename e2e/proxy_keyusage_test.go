package e2e

import (
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// clientAuthOnly is what install's pre-install check and doctor's proxy checks both say of a
// capsule-proxy certificate that allows client authentication only: one verifier, one message.
const clientAuthOnly = `certificate "capsule-proxy" is not a server certificate: its extended key usage allows client authentication only`

// TestProxyCertClientAuthOnly: Headlamp refuses a capsule-proxy certificate without the serverAuth key
// usage (x509: certificate specifies an incompatible key usage), so install's pre-install run and
// doctor both fail PROXY-CERT-USAGE, in the same words.
func TestProxyCertClientAuthOnly(t *testing.T) {
	installHeadlamp(t)
	proxyCertFault(t, stack.ProxyCertClientAuth)

	run := runAsAdmin(t, installArgs(stack.CapsuleNamespace)...)
	expectExit(t, run, 1)
	mustContain(t, "install's stderr", run.Stderr, "PROXY-CERT-USAGE", clientAuthOnly, "nothing was changed",
		"x509: certificate specifies an incompatible key usage")

	rep, doc := doctorRun(t, nil, adminEnv(), "--authentication-config", authConfigFile())
	expectExit(t, doc, 1)
	o := rep.byID()["PROXY-CERT-USAGE"]
	if o.Status != "fail" {
		t.Errorf("PROXY-CERT-USAGE = %s %q, want fail", o.Status, o.Message)
	}
	mustContain(t, "PROXY-CERT-USAGE", o.Message, clientAuthOnly)
	// The live handshake would say the same of what the pod serves: it waits for a sound certificate.
	if live := rep.byID()["PROXY-TLS-LIVE"]; live.Status != "skip" {
		t.Errorf("PROXY-TLS-LIVE = %s %q, want skip after PROXY-CERT-USAGE failed", live.Status, live.Message)
	}
}
