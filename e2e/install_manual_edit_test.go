package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// podTemplate is the Deployment's pod template as JSON.
func podTemplate(t *testing.T, ns string) string {
	t.Helper()
	dep, err := sb.Kube().AppsV1().Deployments(ns).Get(t.Context(), "headlamp", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(dep.Spec.Template)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// runsTemplate waits until every Headlamp pod runs the Deployment's current template and none of
// the pods in old does, and returns the pods.
func runsTemplate(t *testing.T, ns string, old ...string) []corev1.Pod {
	t.Helper()
	var running []corev1.Pod
	eventually(t, "Headlamp pods of the current template", func(ctx context.Context) error {
		pods, err := sb.Kube().CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=headlamp"})
		if err != nil {
			return err
		}
		dep, err := sb.Kube().AppsV1().Deployments(ns).Get(ctx, "headlamp", metav1.GetOptions{})
		if err != nil {
			return err
		}
		running = nil
		for _, p := range pods.Items {
			if slices.Contains(old, string(p.UID)) {
				return errors.New("a pod that started with the edited settings is still there")
			}
			if p.Status.Phase != corev1.PodRunning || p.DeletionTimestamp != nil {
				return errors.New("pod " + p.Name + " is not running yet")
			}
			if !slices.EqualFunc(p.Spec.Containers[0].Env, dep.Spec.Template.Spec.Containers[0].Env, envEqual) {
				return errors.New("pod " + p.Name + " runs another env than the template")
			}
			running = append(running, p)
		}
		if len(running) != 1 {
			return errors.New("not exactly one Headlamp pod")
		}
		return nil
	})
	return running
}

func envEqual(a, b corev1.EnvVar) bool {
	ra, _ := json.Marshal(a)
	rb, _ := json.Marshal(b)
	return string(ra) == string(rb)
}

// After `kubectl set env` replaced a ConfigMap reference with a literal, install refuses without
// --force-conflicts (before writing), and with it leaves exactly its own pod template.
func TestInstallTakesOverAManualSetEnv(t *testing.T) {
	ns := "e2e-atomic-set-env"
	installedIn(t, ns)
	want := podTemplate(t, ns)
	kubectlAsAdmin(t, "-n", ns, "set", "env", "deployment/headlamp", "HEADLAMP_CONFIG_OIDC_SCOPES=profile email groups", "EXTRA=1")
	edited := runsTemplate(t, ns)

	// The scopes set by hand would be kept, and HEADLAMP-SCOPES refuse them: name install's own so
	// that the checks pass and the dry run meets the other manager's field.
	rvs := oursIn(t, ns)
	run := runAsAdmin(t, installArgs(ns, "--oidc-scopes", "profile,email,groups,offline_access")...)
	if run.Code != 1 {
		t.Fatalf("without --force-conflicts: exit code %d, want 1", run.Code)
	}
	mustContain(t, "stderr", run.Stderr, "nothing was changed", "may not be specified when `value` is not empty",
		"changed fields of it that install does not set: pass --force-conflicts")
	unchanged(t, ns, rvs, string(edited[0].UID))

	// The scopes set by hand are what is installed now: name the ones install wrote to get them back.
	run = runAsAdmin(t, installArgs(ns, "--force-conflicts", "--oidc-scopes", "profile,email,groups,offline_access")...)
	mustSucceed(t, run)
	mustContain(t, "stderr", run.Stderr, "deployment.apps/headlamp: taking over what kubectl-set set", "deployment.apps/headlamp configured")
	if got := podTemplate(t, ns); got != want {
		t.Errorf("pod template after the take-over:\n%s\nwant install's:\n%s", got, want)
	}
	runsTemplate(t, ns, string(edited[0].UID))
}

// After an edit of the Secret and a restart, the pod runs with the edited secret: install putting the
// Secret back must restart Headlamp although its config hash did not change. The second round
// restarts by deleting the pod, so that only install's restart stamp changes the template.
func TestInstallRestartsHeadlampWhenItPutsBackAnEditedSecret(t *testing.T) {
	ns := "e2e-atomic-secret-edit"
	first := installedIn(t, ns)
	want := headlampClientSecret(t)
	for _, restart := range [][]string{
		{"rollout", "restart", "deployment/headlamp"},
		{"delete", "pod", "-l", "app.kubernetes.io/name=headlamp", "--wait=false"},
	} {
		kubectlAsAdmin(t, "-n", ns, "patch", "secret", "headlamp-oidc", "--type=merge", "-p", `{"stringData":{"clientSecret":"edited-by-hand"}}`)
		kubectlAsAdmin(t, append([]string{"-n", ns}, restart...)...)
		edited := runsTemplate(t, ns, first)

		run := runAsAdmin(t, installArgs(ns, "--force-conflicts")...)
		mustSucceed(t, run)
		mustContain(t, "stderr", run.Stderr, "deployment.apps/headlamp restarts Headlamp", "secret/headlamp-oidc")
		sec, err := sb.Kube().CoreV1().Secrets(ns).Get(t.Context(), "headlamp-oidc", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if string(sec.Data["clientSecret"]) != want {
			t.Errorf("after %v and install: the Secret is not install's", restart)
		}
		first = string(runsTemplate(t, ns, string(edited[0].UID))[0].UID)
	}
}
