package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// installedIn installs Headlamp into a new namespace ns and returns its running pod's UID.
func installedIn(t *testing.T, ns string) string {
	t.Helper()
	newTestNamespace(t, ns, nil)
	uninstallAtCleanup(t, ns)
	mustSucceed(t, runAsAdmin(t, installArgs(ns)...))
	return string(waitAvailable(t, ns, "headlamp").UID)
}

// unchanged fails the test unless ns holds the same objects, unwritten since rvs (see writtenState),
// and the same Headlamp pod.
func unchanged(t *testing.T, ns string, rvs map[string]string, pod string) {
	t.Helper()
	after := oursIn(t, ns)
	for k, v := range rvs {
		if after[k] != v {
			t.Errorf("%s changed: %s, was %s", k, after[k], v)
		}
	}
	if len(after) != len(rvs) {
		t.Errorf("objects now %v, were %v", after, rvs)
	}
	if uids := headlampPodUIDs(t, ns); !slices.Equal(uids, []string{pod}) {
		t.Errorf("Headlamp pods %v, want only %s", uids, pod)
	}
}

// New scopes and a new client secret write the ConfigMap and the Secret, then the Deployment's update
// is refused: neither may stay new while the pod runs with the old settings.
func TestInstallRestoresWhatItWroteWhenAWriteFails(t *testing.T) {
	ns := "e2e-atomic-midway"
	pod := installedIn(t, ns)
	before := installedState(t, ns)
	refuseRealDeploymentUpdates(t, ns)
	const newSecret = "a-new-client-secret-e2e"
	// The IdP knows no such secret and the scopes lack groups: --force writes past the checks that
	// say so, to reach the write that fails.
	run := runAsAdmin(t, installArgs(ns, "--oidc-client-secret-file", newClientSecretFile(t, newSecret), "--oidc-scopes", "profile,email", "--force")...)
	assertNoSecret(t, run, newSecret)
	if run.Code != 1 {
		t.Fatalf("exit code %d, want 1", run.Code)
	}
	mustContain(t, "stderr", run.Stderr, "apply deployment.apps/headlamp failed", "deployments may not change in this namespace",
		"the objects already written were restored: secret/headlamp-oidc, configmap/headlamp-oidc")
	sameState(t, "after the failed install", installedState(t, ns), before)
	if uids := headlampPodUIDs(t, ns); !slices.Equal(uids, []string{pod}) {
		t.Errorf("Headlamp pods %v, want only %s", uids, pod)
	}
}

// What the API server refuses, it refuses in the dry run, before anything is written.
func TestInstallRefusesBeforeWritingWhatTheAPIServerWouldRefuse(t *testing.T) {
	ns := "e2e-atomic-refusal"
	pod := installedIn(t, ns)
	rvs := oursIn(t, ns)

	// Every input that feeds an object is capped below the API server's size limits (a CA file at
	// the 1 MiB a ConfigMap value may hold), and read no further: a larger one is INSTALL-IDP-CA's
	// finding, before anything is written.
	huge := filepath.Join(t.TempDir(), "huge-ca.pem")
	if err := os.WriteFile(huge, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 100<<20); err != nil {
		t.Fatal(err)
	}
	run := runAsAdmin(t, installArgs(ns, "--oidc-ca-file", huge)...)
	if run.Code != 1 {
		t.Fatalf("a 100 MB CA file: exit code %d, want 1", run.Code)
	}
	mustContain(t, "stderr", run.Stderr, "INSTALL-IDP-CA", "--oidc-ca-file", "too large", "nothing was changed")
	unchanged(t, ns, rvs, pod)

	// Another manager owns a field install sets: without --force-conflicts the conflict shows in
	// the dry run, so the ServiceAccount is not written before it.
	kubectlAsAdmin(t, "-n", ns, "patch", "configmap", "headlamp-oidc", "--field-manager=someone", "--type=merge",
		"-p", `{"data":{"clientID":"someone-elses"}}`)
	rvs = oursIn(t, ns)
	run = runAsAdmin(t, installArgs(ns, "--oidc-client-id", "headlamp")...)
	if run.Code != 1 {
		t.Fatalf("a foreign field manager: exit code %d, want 1", run.Code)
	}
	mustContain(t, "stderr", run.Stderr, "nothing was changed", "configmap/headlamp-oidc", "conflict", "--force-conflicts")
	unchanged(t, ns, rvs, pod)

	// With --force-conflicts install takes the field over: its value is install's again, and the
	// other manager owns nothing of the ConfigMap any more.
	run = runAsAdmin(t, installArgs(ns, "--oidc-client-id", "headlamp", "--force-conflicts")...)
	mustSucceed(t, run)
	mustContain(t, "stderr", run.Stderr, "configmap/headlamp-oidc: taking over what someone set")
	cm, err := sb.Kube().CoreV1().ConfigMaps(ns).Get(t.Context(), "headlamp-oidc", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if cm.Data["clientID"] != "headlamp" {
		t.Errorf("clientID %q after the take-over, want headlamp", cm.Data["clientID"])
	}
	for _, m := range cm.ManagedFields {
		if m.Manager == "someone" {
			t.Errorf("someone still manages fields of the ConfigMap: %s", m.FieldsV1)
		}
	}
	pod = string(waitAvailable(t, ns, "headlamp").UID)
	rvs = oursIn(t, ns)

	// An admission policy refuses the new Deployment: the dry run finds it before the Secret with
	// the new client secret is written (a secret the IdP does not know: --force writes past IDP-CLIENT).
	refuseImagesOutside(t, ns, "registry.example.com/")
	run = runAsAdmin(t, installArgs(ns, "--oidc-client-secret-file", newClientSecretFile(t, "another-client-secret-e2e"), "--force")...)
	if run.Code != 1 {
		t.Fatalf("a policy refusing the Deployment: exit code %d, want 1", run.Code)
	}
	mustContain(t, "stderr", run.Stderr, "nothing was changed", "deployment.apps/headlamp", "images must come from registry.example.com/",
		"an admission policy or webhook refuses it")
	unchanged(t, ns, rvs, pod)
}

// newClientSecretFile writes a client secret into a new file and returns its path.
func newClientSecretFile(t *testing.T, secret string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "client-secret")
	if err := os.WriteFile(path, []byte(secret), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
