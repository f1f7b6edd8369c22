package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

func TestInstallInRestrictedNamespaceCopiesOnlyTheCA(t *testing.T) {
	ns := "e2e-install-restricted"
	newTestNamespace(t, ns, map[string]string{"pod-security.kubernetes.io/enforce": "restricted"})
	uninstallAtCleanup(t, ns)
	run := runAsAdmin(t, installArgs(ns)...)
	mustSucceed(t, run)
	mustContain(t, "stderr", run.Stderr, "configmap/headlamp-proxy-ca", "run install again after a CA rotation", "login -n "+ns)
	waitAvailable(t, ns, "headlamp")

	cm, err := sb.Kube().CoreV1().ConfigMaps(ns).Get(t.Context(), "headlamp-proxy-ca", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cm.Data) != 1 || !strings.Contains(cm.Data["ca.crt"], "BEGIN CERTIFICATE") || strings.Contains(cm.Data["ca.crt"], "PRIVATE KEY") {
		t.Errorf("the CA copy holds %v", cm.Data)
	}
}

func TestInstallDryRunsWriteNothing(t *testing.T) {
	ns := "e2e-install-dry"
	newTestNamespace(t, ns, nil)
	run := runAsAdmin(t, installArgs(ns, "--dry-run=client", "-o", "yaml")...)
	mustSucceed(t, run)
	var list struct {
		Kind  string           `json:"kind"`
		Items []map[string]any `json:"items"`
	}
	if err := yaml.Unmarshal([]byte(run.Stdout), &list); err != nil || list.Kind != "List" || len(list.Items) != 7 {
		t.Errorf("-o yaml printed %d items (%v):\n%s", len(list.Items), err, run.Stdout)
	}
	mustContain(t, "stdout", run.Stdout, "UkVEQUNURUQ=") // base64 of REDACTED
	mustContain(t, "stderr", run.Stderr, "printed as REDACTED", "dry run (client): nothing was changed")

	run = runAsAdmin(t, installArgs(ns, "--dry-run=server", "-o", "json")...)
	mustSucceed(t, run)
	if !json.Valid([]byte(run.Stdout)) {
		t.Errorf("-o json is not JSON:\n%s", run.Stdout)
	}
	mustContain(t, "stderr", run.Stderr, "deployment.apps/headlamp created (server dry run)", "dry run (server): nothing was changed")
	if left := oursIn(t, ns); len(left) != 0 {
		t.Errorf("dry runs wrote %v", left)
	}

	run = runAsAdmin(t, installArgs(ns, "--helm-values")...)
	mustSucceed(t, run)
	mustContain(t, "helm values", run.Stdout, "clusterRoleBinding:\n  create: false", "HEADLAMP_CONFIG_OIDC_CLIENT_SECRET")

	mustSucceed(t, runAsAdmin(t, installArgs(ns)...))
	before := oursIn(t, ns)
	for _, mode := range []string{"--dry-run", "--dry-run=server"} {
		run = runAsAdmin(t, "uninstall", "-n", ns, mode)
		mustSucceed(t, run)
		if after := oursIn(t, ns); len(after) != len(before) {
			t.Errorf("uninstall %s deleted: before %v, after %v", mode, before, after)
		}
	}
	mustContain(t, "uninstall --dry-run", run.Stderr, "nothing was changed")
	mustSucceed(t, runAsAdmin(t, "uninstall", "-n", ns))
}

func TestInstallRefusesHelmReleaseUnlessForced(t *testing.T) {
	ns := "e2e-install-helm"
	apply(t, `apiVersion: v1
kind: Namespace
metadata: {name: `+ns+`}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: headlamp
  namespace: `+ns+`
  labels: {app.kubernetes.io/name: headlamp, app.kubernetes.io/instance: headlamp, app.kubernetes.io/managed-by: Helm}
  annotations: {meta.helm.sh/release-name: headlamp, meta.helm.sh/release-namespace: `+ns+`}
spec:
  selector:
    matchLabels: {app.kubernetes.io/name: headlamp, app.kubernetes.io/instance: headlamp}
  template:
    metadata:
      labels: {app.kubernetes.io/name: headlamp, app.kubernetes.io/instance: headlamp}
    spec:
      containers:
      - name: headlamp
        image: ghcr.io/headlamp-k8s/headlamp:v0.44.0
        args: ["-in-cluster", "-insecure-ssl"]
`)
	run := runAsAdmin(t, installArgs(ns)...)
	if run.Code != 1 {
		t.Fatalf("install over a Helm release: exit %d", run.Code)
	}
	mustContain(t, "stderr", run.Stderr, `deployment.apps/headlamp already exists and is managed by Helm release "headlamp"`,
		"helm uninstall headlamp -n "+ns, "--force-conflicts", "nothing was changed")
	if left := oursIn(t, ns); len(left) != 0 {
		t.Errorf("a refused install wrote %v", left)
	}

	uninstallAtCleanup(t, ns)
	run = runAsAdmin(t, installArgs(ns, "--force-conflicts")...)
	mustSucceed(t, run)
	dep, err := sb.Kube().AppsV1().Deployments(ns).Get(context.Background(), "headlamp", metav1.GetOptions{})
	if err != nil || dep.Labels["app.kubernetes.io/managed-by"] != "kubectl-capsule-headlamp" ||
		strings.Contains(strings.Join(dep.Spec.Template.Spec.Containers[0].Args, " "), "-insecure-ssl") {
		t.Errorf("--force-conflicts did not take the deployment over: %v %v", err, dep.Spec.Template.Spec.Containers[0].Args)
	}
}
