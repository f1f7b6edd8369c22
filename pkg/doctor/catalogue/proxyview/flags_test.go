package proxyview

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestParseFlags(t *testing.T) {
	c := corev1.Container{
		Command: []string{"/capsule-proxy", "--oidc-username-claim", "$(CLAIM)"},
		Args: []string{"--ignored-user-group=admins,ops", "--ignored-user-group", "sre", "--capsule-configuration-name=$(MISSING)",
			"--feature-gates=ProxyClusterScoped=true,SkipImpersonationReview=false", "--price=$$(CLAIM)"},
		Env: []corev1.EnvVar{{Name: "CLAIM", Value: "email"}, {Name: "MISSING", ValueFrom: &corev1.EnvVarSource{}}},
	}
	f := ParseFlags(c)
	want := Flags{
		UsernameClaim: "email", ConfigurationName: "$(MISSING)", IgnoredUserGroups: []string{"admins", "ops", "sre"},
		Gates: map[string]bool{GateProxyClusterScoped: true, "SkipImpersonationReview": false},
		Set:   []string{"oidc-username-claim", "ignored-user-group", "capsule-configuration-name", "feature-gates"},
	}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("ParseFlags =\n%+v, want\n%+v", f, want)
	}
}

func TestParseFlagsDefaults(t *testing.T) {
	f := ParseFlags(corev1.Container{Args: []string{"-oidc-username-claim=email", "oidc-username-claim=sub"}})
	if f.UsernameClaim != DefaultUsernameClaim || f.ConfigurationName != DefaultConfigurationName || len(f.Set) != 0 {
		t.Errorf("pflag takes no single-dash long flag nor a bare word: got %+v", f)
	}
}

func TestExpand(t *testing.T) {
	env := map[string]string{"A": "x"}
	for in, want := range map[string]string{"$(A)": "x", "a$(A)b": "axb", "$$(A)": "$(A)", "$(B)": "$(B)", "$(A": "$(A", "$": "$"} {
		if got := expand(in, env); got != want {
			t.Errorf("expand(%q) = %q, want %q", in, got, want)
		}
	}
}
