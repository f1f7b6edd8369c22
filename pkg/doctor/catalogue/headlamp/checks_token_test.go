package headlamp

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

func projected(name, audience string) corev1.Volume {
	return corev1.Volume{Name: name, VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
		Sources: []corev1.VolumeProjection{{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Audience: audience, Path: "token"}}}}}}
}

func container(mounts ...string) corev1.Container {
	c := corev1.Container{Name: "headlamp"}
	for _, m := range mounts {
		c.VolumeMounts = append(c.VolumeMounts, corev1.VolumeMount{Name: m, MountPath: headlamp.ServiceAccountDir})
	}
	return c
}

func TestHeldTokens(t *testing.T) {
	off, on := false, true
	for _, tc := range []struct {
		name string
		spec corev1.PodSpec
		want []token
	}{
		{"ours: audience .invalid, automount off", corev1.PodSpec{AutomountServiceAccountToken: &off,
			Volumes: []corev1.Volume{projected("api-access", headlamp.TokenAudience)}, Containers: []corev1.Container{container("api-access")}},
			[]token{{"api-access", headlamp.TokenAudience}}},
		{"automount on, but our mount is there: the admission adds nothing", corev1.PodSpec{AutomountServiceAccountToken: &on,
			Volumes: []corev1.Volume{projected("api-access", headlamp.TokenAudience)}, Containers: []corev1.Container{container("api-access")}},
			[]token{{"api-access", headlamp.TokenAudience}}},
		{"automount unset, nothing mounted: the admission adds the API server's token", corev1.PodSpec{Containers: []corev1.Container{container()}},
			[]token{{automountVolume, ""}}},
		{"a projected volume nobody mounts", corev1.PodSpec{AutomountServiceAccountToken: &off,
			Volumes: []corev1.Volume{projected("spare", "")}, Containers: []corev1.Container{container()}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := heldTokens(withAutomount(tc.spec)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("heldTokens = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestAccepted(t *testing.T) {
	for aud, want := range map[string]verdict{
		"": yes, "https://kubernetes.default.svc.cluster.local": yes, headlamp.TokenAudience: no, "vault": maybe,
	} {
		if got := accepted(aud); got != want {
			t.Errorf("accepted(%q) = %d, want %d", aud, got, want)
		}
	}
}
