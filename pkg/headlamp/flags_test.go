package headlamp

import (
	"slices"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

func TestImageVersion(t *testing.T) {
	for image, want := range map[string]string{
		"ghcr.io/headlamp-k8s/headlamp:v0.45.0":             "0.45.0",
		"registry:5000/headlamp:0.46.1":                     "0.46.1",
		"ghcr.io/headlamp-k8s/headlamp:latest":              "",
		"registry:5000/headlamp":                            "",
		"ghcr.io/headlamp-k8s/headlamp:v0.45.0@sha256:abcd": "0.45.0",
		"ghcr.io/headlamp-k8s/headlamp@sha256:abcd":         "",
	} {
		if got := ImageVersion(image); got != want {
			t.Errorf("ImageVersion(%q) = %q, want %q", image, got, want)
		}
	}
}

// TestUnknownFlags: Parse names every flag and HEADLAMP_CONFIG_* variable Headlamp does not define, as
// written, and none of those it does.
func TestUnknownFlags(t *testing.T) {
	dep := &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Template: corev1.PodTemplateSpec{Spec: corev1.PodSpec{Containers: []corev1.Container{{
		Name: ContainerName, Image: DefaultImage,
		Args: []string{"-in-cluster", "--oidc-scope=groups", "-session-ttl", "3600", "-plugins-dir=/p"},
		Env: []corev1.EnvVar{{Name: "HEADLAMP_CONFIG_OIDC_USE_PKCE", Value: "true"}, {Name: "HEADLAMP_CONFIG_OIDC_CLIENTID", Value: "x"},
			{Name: "OIDC_CLIENT_ID", Value: "chart style, not Headlamp's"}},
	}}}}}}
	s, err := Parse(dep)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"HEADLAMP_CONFIG_OIDC_CLIENTID", "--oidc-scope"}; !slices.Equal(s.UnknownFlags, want) {
		t.Errorf("unknown %v, want %v", s.UnknownFlags, want)
	}
	if s.SessionTTL.Seconds() != 3600 || s.Session().Hours() != 1 {
		t.Errorf("session ttl %v", s.SessionTTL)
	}
}
