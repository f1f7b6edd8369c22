package headlamp

import (
	"errors"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func deployment(args []string, env ...corev1.EnvVar) *appsv1.Deployment {
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "headlamp", Namespace: "hl", Labels: map[string]string{"app.kubernetes.io/name": "headlamp"}},
		Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{
			{Name: "sidecar"}, {Name: "headlamp", Args: args, Env: env},
		}}}},
	}
}

func TestResolveEnvSecretsAndChartArgs(t *testing.T) {
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "oidc", Namespace: "hl"}, Data: map[string][]byte{"secret": []byte("s3")}}
	d := deployment(
		[]string{"-in-cluster", "-oidc-client-id=$(OIDC_CLIENT_ID)", "--oidc-scopes", "email,groups", "-oidc-callback-url=$(UNDEFINED)"},
		corev1.EnvVar{Name: "OIDC_CLIENT_ID", Value: "headlamp"},
		corev1.EnvVar{Name: "HEADLAMP_CONFIG_OIDC_IDP_ISSUER_URL", Value: "https://idp"},
		corev1.EnvVar{Name: "HEADLAMP_CONFIG_OIDC_SCOPES", Value: "profile"},
		corev1.EnvVar{Name: "HEADLAMP_CONFIG_OIDC_CLIENT_SECRET", ValueFrom: &corev1.EnvVarSource{
			SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "oidc"}, Key: "secret"}}},
	)
	st, err := Resolve(t.Context(), fake.NewClientset(d, secret))
	if err != nil {
		t.Fatal(err)
	}
	for flag, want := range map[string]string{
		"in-cluster": "true", "oidc-client-id": "headlamp", "oidc-idp-issuer-url": "https://idp",
		"oidc-scopes":        "email,groups", // the explicit flag wins over HEADLAMP_CONFIG_OIDC_SCOPES
		"oidc-client-secret": "s3", "oidc-callback-url": "$(UNDEFINED)",
	} {
		if got := st.Get(flag, "<unset>"); got != want {
			t.Errorf("%s = %q, want %q", flag, got, want)
		}
	}
	if !st.OIDC() || st.Cluster() != "main" {
		t.Errorf("OIDC() = %v, Cluster() = %q; want true, main", st.OIDC(), st.Cluster())
	}
}

func TestResolveWithoutDeployment(t *testing.T) {
	if _, err := Resolve(t.Context(), fake.NewClientset()); !errors.Is(err, ErrNoDeployment) {
		t.Errorf("err = %v, want ErrNoDeployment", err)
	}
}

func TestMissingSecretFailsUnlessOptional(t *testing.T) {
	ref := func(optional bool) corev1.EnvVar {
		return corev1.EnvVar{Name: "HEADLAMP_CONFIG_OIDC_CLIENT_SECRET", ValueFrom: &corev1.EnvVarSource{
			SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "gone"}, Key: "k", Optional: &optional}}}
	}
	if _, err := Resolve(t.Context(), fake.NewClientset(deployment(nil, ref(false)))); err == nil {
		t.Error("missing required secret: no error")
	}
	st, err := Resolve(t.Context(), fake.NewClientset(deployment(nil, ref(true))))
	if err != nil || st.Get("oidc-client-secret", "<unset>") != "<unset>" {
		t.Errorf("missing optional secret: %v, secret %q", err, st.Get("oidc-client-secret", "<unset>"))
	}
}
