package e2e

import (
	"maps"
	"reflect"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestInstallPrunesDroppedObjects: an install with --ingress-host "" deletes the Ingress an earlier
// install created (login would otherwise pick the stale one) and leaves every other object as it
// was; --oidc-ca-file "" likewise deletes the IdP CA ConfigMap. A flag not given keeps what is
// installed, so only an empty value removes. That last install skips the doctor, so it must not
// mention it.
func TestInstallPrunesDroppedObjects(t *testing.T) {
	ns := "e2e-install-prune"
	newTestNamespace(t, ns, nil)
	uninstallAtCleanup(t, ns)
	mustSucceed(t, runAsAdmin(t, installArgs(ns, "--ingress-host", "headlamp.e2e.example", "--ingress-tls-secret", "hl-tls")...))
	waitAvailable(t, ns, "headlamp")
	before := oursIn(t, ns)
	if _, ok := before["ingress/headlamp"]; !ok {
		t.Fatalf("install with --ingress-host created %v, no ingress", before)
	}

	run := runAsAdmin(t, installArgs(ns)...)
	mustSucceed(t, run)
	if after := oursIn(t, ns); !reflect.DeepEqual(after, before) {
		t.Errorf("an install without --ingress-host changed the installation:\nwant %v\ngot  %v", before, after)
	}
	run = runAsAdmin(t, installArgs(ns, "--ingress-host", "")...)
	mustSucceed(t, run)
	mustContain(t, "stderr", run.Stderr, "ingress.networking.k8s.io/headlamp pruned")
	want := maps.Clone(before)
	delete(want, "ingress/headlamp")
	if after := oursIn(t, ns); !reflect.DeepEqual(after, want) {
		t.Errorf("after --ingress-host \"\":\nwant %v\ngot  %v", want, after)
	}
	if strings.Contains(run.Stderr, " created") || strings.Contains(run.Stderr, " configured") {
		t.Errorf("--ingress-host \"\" changed other objects:\n%s", run.Stderr)
	}

	// Without the IdP CA the checks rightly distrust Dex (--force writes anyway); only the prune matters here.
	run = runAsAdmin(t, "install", "-n", ns, "--oidc-issuer-url", stack.IssuerURL,
		"--oidc-client-secret-file", sb.ClientSecretFile(), "--oidc-ca-file", "", "--wait=false", "--skip-doctor", "--force")
	mustSucceed(t, run)
	mustContain(t, "stderr", run.Stderr, "configmap/headlamp-idp-ca pruned", "not waiting for Headlamp to be ready: follow the rollout")
	if strings.Contains(run.Stderr, "running the doctor") || strings.Contains(run.Stderr, "doctor leaves out") {
		t.Errorf("--skip-doctor still talks about the doctor:\n%s", run.Stderr)
	}
	if _, ok := oursIn(t, ns)["configmap/headlamp-idp-ca"]; ok {
		t.Error("the IdP CA ConfigMap is still there after dropping --oidc-ca-file")
	}
}
