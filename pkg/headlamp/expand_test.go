package headlamp

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestExpand(t *testing.T) {
	c := corev1.Container{
		EnvFrom: []corev1.EnvFromSource{{Prefix: "X_", SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "s"}}}},
		Env: []corev1.EnvVar{
			{Name: "A", Value: "a"},
			{Name: "B", Value: "$(A)-b"},
			{Name: "REF", ValueFrom: &corev1.EnvVarSource{ConfigMapKeyRef: &corev1.ConfigMapKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "cm"}, Key: "k"}}},
			{Name: "SELF", Value: "$(LATER)"},
			{Name: "LATER", Value: "late"},
		},
	}
	e := newEnviron(c, store{})
	tests := []struct {
		in    string
		want  string
		known bool
		refs  []KeyRef
	}{
		{"plain", "plain", true, nil},
		{"$(A)", "a", true, nil},
		{"$(B)", "a-b", true, nil},
		{"$$(A)", "$(A)", true, nil},
		{"$(UNDEFINED)", "$(UNDEFINED)", true, nil},
		{"$(A", "$(A", true, nil},
		{"cost $5", "cost $5", true, nil},
		{"$(SELF)", "$(LATER)", true, nil}, // only variables defined before are expanded
		{"$(REF)", "", false, []KeyRef{{KindConfigMap, "cm", "k"}}},
		{"$(X_KEY)", "", false, []KeyRef{{KindSecret, "s", "KEY"}}},
	}
	for _, tt := range tests {
		got := e.expand(tt.in)
		if got.known != tt.known || (tt.known && got.s != tt.want) || !reflect.DeepEqual(got.refs, tt.refs) {
			t.Errorf("expand(%q) = %+v, want %q known=%v refs=%v", tt.in, got, tt.want, tt.known, tt.refs)
		}
	}
}

func TestScanFlags(t *testing.T) {
	got := scanFlags([]string{"-in-cluster", "--base-url", "/x", "-oidc-scopes=a,b", "-unknown", "v", "-insecure-ssl=false", "positional", "-ignored"})
	want := []argFlag{
		{FlagInCluster, "true", "-in-cluster"},
		{FlagBaseURL, "/x", "--base-url"},
		{FlagOIDCScopes, "a,b", "-oidc-scopes"},
		{"unknown", "v", "-unknown"},
		{FlagInsecureSSL, "false", "-insecure-ssl"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("scanFlags = %+v\nwant %+v", got, want)
	}
	if got := containerArgs([]string{"/headlamp/headlamp-server", "-dev"}, []string{"-in-cluster"}); !reflect.DeepEqual(got, []string{"-dev", "-in-cluster"}) {
		t.Errorf("containerArgs = %q", got)
	}
}

func TestSettingEnvName(t *testing.T) {
	if got := FlagOIDCIssuerURL.EnvName(); got != "HEADLAMP_CONFIG_OIDC_IDP_ISSUER_URL" {
		t.Errorf("EnvName = %q", got)
	}
}
