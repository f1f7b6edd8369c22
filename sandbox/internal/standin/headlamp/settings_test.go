package headlamp

import (
	"slices"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

func TestResolveEnvSecretsAndChartArgs(t *testing.T) {
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "oidc", Namespace: "hl"}, Data: map[string][]byte{"secret": []byte("s3")}}
	c := corev1.Container{
		Name: "headlamp",
		Args: []string{"-in-cluster", "-oidc-client-id=$(OIDC_CLIENT_ID)", "--oidc-scopes", "email,groups", "-oidc-callback-url=$(UNDEFINED)"},
		Env: []corev1.EnvVar{
			{Name: "OIDC_CLIENT_ID", Value: "headlamp"},
			{Name: "HEADLAMP_CONFIG_OIDC_IDP_ISSUER_URL", Value: "https://idp"},
			{Name: "HEADLAMP_CONFIG_OIDC_SCOPES", Value: "profile"},
			{Name: "KUBERNETES_SERVICE_HOST", Value: "capsule-proxy.capsule-system.svc"},
			{Name: "HEADLAMP_CONFIG_OIDC_CLIENT_SECRET", ValueFrom: &corev1.EnvVarSource{
				SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "oidc"}, Key: "secret"}}},
		},
	}
	kubelet := map[string]string{"KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"}
	st, err := resolve(t.Context(), fake.NewClientset(secret), "hl", c, kubelet)
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
	if got := serverURL(st.Env); got != "https://capsule-proxy.capsule-system.svc:443" {
		t.Errorf("server URL %q: the container's env wins over the kubelet's, which fills the rest", got)
	}
}

func TestMissingSecretFailsUnlessOptional(t *testing.T) {
	ref := func(optional bool) corev1.Container {
		return corev1.Container{Name: "headlamp", Env: []corev1.EnvVar{{Name: "HEADLAMP_CONFIG_OIDC_CLIENT_SECRET", ValueFrom: &corev1.EnvVarSource{
			SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "gone"}, Key: "k", Optional: &optional}}}}}
	}
	if _, err := resolve(t.Context(), fake.NewClientset(), "hl", ref(false), nil); err == nil {
		t.Error("missing required secret: no error")
	}
	st, err := resolve(t.Context(), fake.NewClientset(), "hl", ref(true), nil)
	if err != nil || st.Get("oidc-client-secret", "<unset>") != "<unset>" {
		t.Errorf("missing optional secret: %v, secret %q", err, st.Get("oidc-client-secret", "<unset>"))
	}
}

func TestRequestScopesSplitOnCommasOnly(t *testing.T) {
	for scopes, want := range map[string][]string{
		"profile email groups": {"openid", "profile email groups"}, // one element; joined with spaces it reads the same
		"profile,email,groups": {"openid", "profile", "email", "groups"},
		"email,,groups":        {"openid", "email", "", "groups"},
	} {
		st := Settings{Flags: map[string]string{"oidc-scopes": scopes}}
		if got := st.RequestScopes(); !slices.Equal(got, want) {
			t.Errorf("%q: %q, want %q", scopes, got, want)
		}
	}
}
