package login

import (
	"strings"
	"sync"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// secretsInSecrets is installation() with the client id, and the client secret, read from Secrets.
func secretsInSecrets() []runtime.Object {
	objs := installation("https://dex.example.com", true)
	c := &objs[0].(*appsv1.Deployment).Spec.Template.Spec.Containers[0]
	c.Args = []string{"-in-cluster", "-oidc-idp-issuer-url=https://dex.example.com"}
	c.Env = []corev1.EnvVar{
		secretEnv("HEADLAMP_CONFIG_OIDC_CLIENT_ID", "headlamp-oidc", "clientID"),
		secretEnv("HEADLAMP_CONFIG_OIDC_CLIENT_SECRET", "headlamp-client-secret", "clientSecret"),
	}
	return objs
}

func secretEnv(name, secret, key string) corev1.EnvVar {
	return corev1.EnvVar{Name: name, ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{
		LocalObjectReference: corev1.LocalObjectReference{Name: secret}, Key: key}}}
}

// secretGets is a tenant cluster that records which Secrets are read, and forbids reading them.
func secretGets() (*fake.Clientset, func() []string) {
	cs := fake.NewClientset(secretsInSecrets()...)
	var mu sync.Mutex
	var names []string
	cs.PrependReactor("get", "secrets", func(a k8stesting.Action) (bool, runtime.Object, error) {
		name := a.(k8stesting.GetAction).GetName()
		mu.Lock()
		names = append(names, name)
		mu.Unlock()
		return true, nil, apierrors.NewForbidden(schema.GroupResource{Resource: "secrets"}, name, errForbiddenReason)
	})
	return cs, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), names...) }
}

func TestRunNeverReadsTheClientSecretAndWarnsOnce(t *testing.T) {
	cs, gets := secretGets()
	env, ready, status := testEnv(t, cs, headlampPod(), nil, newFakeBrowser())
	if err := Run(t.Context(), Options{Namespace: ns, URL: "https://h.example.com", NoBrowser: true}, env); err != nil {
		t.Fatalf("Run() = %v", err)
	}
	<-ready
	for _, name := range gets() {
		if name == "headlamp-client-secret" {
			t.Errorf("login read the Secret holding the client secret")
		}
	}
	var warnings []string
	for _, line := range strings.Split(status.String(), "\n") {
		if strings.HasPrefix(line, "warning:") {
			warnings = append(warnings, line)
		}
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "get secrets headlamp-oidc") {
		t.Errorf("warnings = %q, want one naming the permission to get secrets headlamp-oidc\nstatus:\n%s", warnings, status)
	}
}
