package e2e

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	appsv1ac "k8s.io/client-go/applyconfigurations/apps/v1"
	corev1ac "k8s.io/client-go/applyconfigurations/core/v1"
)

// TestInstallUpgradesFromTheSecretLayout: an installation whose OIDC settings live in the Secret,
// as earlier versions of the plugin applied them, is read back from there; install moves them into
// the ConfigMap, leaves the client secret alone in the Secret (server-side apply drops the keys our
// field manager no longer sets), restarts Headlamp once, and a second install changes nothing.
func TestInstallUpgradesFromTheSecretLayout(t *testing.T) {
	ns := "e2e-install-upgrade"
	newTestNamespace(t, ns, nil)
	uninstallAtCleanup(t, ns)
	mustSucceed(t, runAsAdmin(t, installArgs(ns)...))
	waitAvailable(t, ns, "headlamp")
	toSecretLayout(t, ns)

	run := runAsAdmin(t, "install", "-n", ns, "--timeout", "2m")
	mustSucceed(t, run)
	mustContain(t, "stderr", run.Stderr, "keeping the installed client secret", "configmap/headlamp-oidc created", "deployment.apps/headlamp configured")
	sec, err := sb.Kube().CoreV1().Secrets(ns).Get(t.Context(), "headlamp-oidc", metav1.GetOptions{})
	if err != nil || len(sec.Data) != 1 || string(sec.Data["clientSecret"]) != headlampClientSecret(t) {
		t.Errorf("after the move the secret holds %v (%v), want the client secret alone", slices.Sorted(maps.Keys(sec.Data)), err)
	}
	cm, err := sb.Kube().CoreV1().ConfigMaps(ns).Get(t.Context(), "headlamp-oidc", metav1.GetOptions{})
	if err != nil || cm.Data["issuerURL"] != "https://127.0.0.1:5556/dex" || cm.Data["clientID"] != "headlamp" {
		t.Errorf("the settings did not move into the configmap: %v %v", cm.Data, err)
	}
	waitAvailable(t, ns, "headlamp")
	moved := oursIn(t, ns)
	run = runAsAdmin(t, "install", "-n", ns, "--timeout", "2m")
	mustSucceed(t, run)
	if again := oursIn(t, ns); !reflect.DeepEqual(again, moved) || strings.Contains(run.Stderr, " configured") {
		t.Errorf("the install after the move changed objects (a restart loop):\n%s", run.Stderr)
	}
}

// toSecretLayout rewrites an installation into the earlier layout, applied by our field manager as
// the earlier plugin did: the settings in the Secret, the Deployment reading them from there.
func toSecretLayout(t *testing.T, ns string) {
	t.Helper()
	ctx, kube := t.Context(), sb.Kube()
	cm, err := kube.CoreV1().ConfigMaps(ns).Get(ctx, "headlamp-oidc", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	data := map[string][]byte{"clientSecret": []byte(headlampClientSecret(t))}
	for k, v := range cm.Data {
		data[k] = []byte(v)
	}
	opts := metav1.ApplyOptions{FieldManager: "kubectl-capsule-headlamp", Force: true}
	sec := corev1ac.Secret("headlamp-oidc", ns).WithLabels(cm.Labels).WithType(corev1.SecretTypeOpaque).WithData(data)
	if _, err := kube.CoreV1().Secrets(ns).Apply(ctx, sec, opts); err != nil {
		t.Fatal(err)
	}
	dep, err := kube.AppsV1().Deployments(ns).Get(ctx, "headlamp", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// What our field manager applied, with the settings read from the Secret instead.
	ac, err := appsv1ac.ExtractDeployment(dep, "kubectl-capsule-headlamp")
	if err != nil {
		t.Fatal(err)
	}
	for _, env := range ac.Spec.Template.Spec.Containers[0].Env {
		if ref := env.ValueFrom; ref != nil && ref.ConfigMapKeyRef != nil {
			ref.SecretKeyRef = corev1ac.SecretKeySelector().WithName(*ref.ConfigMapKeyRef.Name).WithKey(*ref.ConfigMapKeyRef.Key)
			ref.ConfigMapKeyRef = nil
		}
	}
	if _, err := kube.AppsV1().Deployments(ns).Apply(ctx, ac, opts); err != nil {
		t.Fatal(err)
	}
	if err := kube.CoreV1().ConfigMaps(ns).Delete(ctx, "headlamp-oidc", metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	waitAvailable(t, ns, "headlamp")
}
