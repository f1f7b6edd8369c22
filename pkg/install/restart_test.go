package install

import (
	"bytes"
	"slices"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

func TestRestartStamp(t *testing.T) {
	opts := testOptions()
	s := opts.Settings
	s.TrustProxyCA(headlamp.CAKey, nil)
	objs, err := headlamp.Build(s, headlamp.Material{ClientSecret: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	hash := objs.Deployment.Spec.Template.Annotations[headlamp.AnnotationConfigHash]
	now := time.Date(2026, 5, 4, 3, 2, 1, 500, time.UTC)
	deployment := func(hash, stamp string) *appsv1.Deployment {
		ann := map[string]string{headlamp.AnnotationConfigHash: hash}
		if stamp != "" {
			ann[headlamp.AnnotationRestartedAt] = stamp
		}
		return &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "headlamp"},
			Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Annotations: ann}}}}
	}
	settings := &corev1.ConfigMap{Data: objs.OIDCConfig.Data}
	secret := func(v string) *corev1.Secret {
		return &corev1.Secret{Data: map[string][]byte{"clientSecret": []byte(v)}}
	}
	dep, cm, sec := ref{&deployments, "headlamp"}, ref{&configMaps, "headlamp-oidc"}, ref{&secrets, "headlamp-oidc"}
	for _, tc := range []struct {
		name        string
		before      snapshot
		stamp       string
		restartedBy []ref
	}{
		{"new deployment", snapshot{}, "", nil},
		{"nothing drifted", snapshot{dep: deployment(hash, ""), cm: settings, sec: secret("secret")}, "", nil},
		{"an earlier stamp is kept", snapshot{dep: deployment(hash, "earlier"), cm: settings, sec: secret("secret")}, "earlier", nil},
		{"the secret was edited", snapshot{dep: deployment(hash, "earlier"), cm: settings, sec: secret("edited")}, "2026-05-04T03:02:01.0000005Z", []ref{sec}},
		{"the secret is missing", snapshot{dep: deployment(hash, ""), cm: settings}, "2026-05-04T03:02:01.0000005Z", []ref{sec}},
		{"the hash changes anyway", snapshot{dep: deployment("other", "earlier"), cm: settings, sec: secret("edited")}, "earlier", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stamp, by := restartStamp(tc.before, objs, now)
			if stamp != tc.stamp || !slices.Equal(by, tc.restartedBy) {
				t.Errorf("stamp %q for %v, want %q for %v", stamp, by, tc.stamp, tc.restartedBy)
			}
		})
	}
}

// After an edit of the Secret and `kubectl rollout restart`, the pod runs with the edited secret
// while install computes the same config hash: putting the Secret back must restart Headlamp.
func TestPuttingBackAnEditedSecretRestartsHeadlamp(t *testing.T) {
	cs, _ := installed(t, testOptions())
	ctx, ns := t.Context(), "capsule-system"
	sec, err := cs.CoreV1().Secrets(ns).Get(ctx, "headlamp-oidc", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sec.Data["clientSecret"] = []byte("edited by hand")
	if _, err := cs.CoreV1().Secrets(ns).Update(ctx, sec, metav1.UpdateOptions{FieldManager: "kubectl-edit"}); err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	opts := testOptions()
	opts.ForceConflicts, opts.Progress = true, &progress
	if _, err := Install(ctx, clients(cs), opts); err != nil {
		t.Fatal(err)
	}
	mustSay(t, "progress", progress.String(), "deployment.apps/headlamp restarts Headlamp", "secret/headlamp-oidc")
	if got := secretValue(t, cs); got != "test-client-secret" {
		t.Errorf("the secret holds %q after install", got)
	}
	stamp := templateAnnotation(t, cs, headlamp.AnnotationRestartedAt)
	if stamp == "" {
		t.Fatal("the pod template has no restart stamp: the pod keeps the edited secret")
	}
	state := stateOf(t, cs)
	if _, err := Install(ctx, clients(cs), testOptions()); err != nil {
		t.Fatal(err)
	}
	if after := stateOf(t, cs); !mapsEqual(after, state) || templateAnnotation(t, cs, headlamp.AnnotationRestartedAt) != stamp {
		t.Error("a second install changed the pod template: it would restart Headlamp for nothing")
	}
}

func secretValue(t *testing.T, cs *fake.Clientset) string {
	t.Helper()
	sec, err := cs.CoreV1().Secrets("capsule-system").Get(t.Context(), "headlamp-oidc", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return string(sec.Data["clientSecret"])
}

func templateAnnotation(t *testing.T, cs *fake.Clientset, key string) string {
	t.Helper()
	dep, err := cs.AppsV1().Deployments("capsule-system").Get(t.Context(), "headlamp", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return dep.Spec.Template.Annotations[key]
}
