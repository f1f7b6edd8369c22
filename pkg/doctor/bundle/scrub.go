package bundle

import (
	"regexp"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// scrubbed replaces every value removed from a bundle.
const scrubbed = "[removed]"

// sensitiveName matches env names and flags whose values are credentials.
var sensitiveName = regexp.MustCompile(`(?i)(secret|token|password|passwd|private|credential|key)`)

// scrubDeployment returns a copy of d without credential values: literal env values and flag values
// whose names look sensitive, the last-applied annotation (which may hold anything) and managed fields.
// References (secretKeyRef) stay: they name where a secret lives, not what it is.
func scrubDeployment(d *appsv1.Deployment) *appsv1.Deployment {
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

// scrubService returns a copy of s without managed fields and the last-applied annotation.
func scrubService(s *corev1.Service) *corev1.Service {
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

// scrubArgs removes the values of sensitive flags in every argument, whatever the values start with:
// "-flag=value", "-flag value" inside one argument (a shell string such as sh -c "..."), a flag argument
// followed by its value argument, and NAME=value assignments in shell strings.
func scrubArgs(args []string) []string {
	out := append([]string(nil), args...)
	for i, a := range out {
		out[i] = scrubInline(a)
		if bareSensitiveFlag.MatchString(a) && i+1 < len(out) {
			out[i+1] = scrubbed
		}
	}
	return out
}

// sensitiveWord is a name part that marks a credential (as in sensitiveName), within a flag or variable name.
const sensitiveWord = `[\w.-]*(?:secret|token|password|passwd|private|credential|key)[\w.-]*`

// The patterns of a credential's value: a quoted string, else everything up to the next space.
var (
	bareSensitiveFlag = regexp.MustCompile(`(?i)^-{1,2}` + sensitiveWord + `$`)
	inlineFlag        = regexp.MustCompile(`(?i)(^|\s)(-{1,2}` + sensitiveWord + `)(=|\s+)("[^"]*"|'[^']*'|\S+)`)
	inlineAssign      = regexp.MustCompile(`(?i)(^|\s)(` + sensitiveWord + `)=("[^"]*"|'[^']*'|\S+)`)
)

// scrubInline replaces the values of sensitive flags and assignments inside one argument.
func scrubInline(a string) string {
	a = inlineFlag.ReplaceAllString(a, "${1}${2}${3}"+scrubbed)
	return inlineAssign.ReplaceAllString(a, "${1}${2}="+scrubbed)
}
