package doctor

import (
	"regexp"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// scrubbed replaces every value removed from a bundle.
const scrubbed = "[removed]"

// sensitiveName matches env names and flags whose values are credentials.
var sensitiveName = regexp.MustCompile(`(?i)(secret|token|password|passwd|private|credential|key)`)

// ScrubDeployment returns a copy of d without credential values: literal env values and flag values
// whose names look sensitive, the last-applied annotation (which may hold anything) and managed fields.
// References (secretKeyRef) stay: they name where a secret lives, not what it is.
func ScrubDeployment(d *appsv1.Deployment) *appsv1.Deployment {
	c := d.DeepCopy()
	scrubMeta(&c.Annotations, &c.ObjectMeta)
	c.Kind, c.APIVersion = "Deployment", "apps/v1"
	spec := &c.Spec.Template.Spec
	for _, list := range [][]corev1.Container{spec.InitContainers, spec.Containers} {
		for i := range list {
			scrubContainer(&list[i])
		}
	}
	return c
}

// ScrubService returns a copy of s without managed fields and the last-applied annotation.
func ScrubService(s *corev1.Service) *corev1.Service {
	c := s.DeepCopy()
	scrubMeta(&c.Annotations, &c.ObjectMeta)
	c.Kind, c.APIVersion = "Service", "v1"
	return c
}

func scrubMeta(ann *map[string]string, meta interface {
	SetManagedFields([]metav1.ManagedFieldsEntry)
}) {
	if *ann != nil {
		delete(*ann, "kubectl.kubernetes.io/last-applied-configuration")
	}
	meta.SetManagedFields(nil)
}

func scrubContainer(c *corev1.Container) {
	for i := range c.Env {
		if c.Env[i].Value != "" && sensitiveName.MatchString(c.Env[i].Name) {
			c.Env[i].Value = scrubbed
		}
	}
	c.Args = scrubArgs(c.Args)
	c.Command = scrubArgs(c.Command)
}

// scrubArgs removes the values of sensitive flags, in both -flag=value and -flag value forms.
func scrubArgs(args []string) []string {
	out := append([]string(nil), args...)
	for i, a := range out {
		if !strings.HasPrefix(a, "-") || !sensitiveName.MatchString(a) {
			continue
		}
		if name, _, ok := strings.Cut(a, "="); ok {
			out[i] = name + "=" + scrubbed
		} else if i+1 < len(out) && !strings.HasPrefix(out[i+1], "-") {
			out[i+1] = scrubbed
		}
	}
	return out
}
