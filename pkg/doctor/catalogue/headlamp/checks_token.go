package headlamp

import (
	"context"
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// IDPodToken is the check that no Headlamp pod holds a ServiceAccount token the API server accepts.
const IDPodToken engine.ID = "HEADLAMP-POD-TOKEN" //nolint:gosec // a check ID, not a credential

func podTokenCheck() engine.Check {
	return engine.Check{
		ID: IDPodToken, Title: "Headlamp's pods hold no ServiceAccount token the API server accepts", Category: Category,
		Severity: engine.SeverityWarning, DependsOn: []engine.ID{IDFound},
		Needs: []engine.FactName{headlampview.FactModel.Name(), headlampview.FactPods.Name()},
		Hint: "Set automountServiceAccountToken: false on the pod and project the token with an audience no API server accepts " +
			"(`kubectl capsule-headlamp install` projects audience " + headlamp.TokenAudience + ")",
		Explain: "With OIDC Headlamp forwards each user's own token and never uses its ServiceAccount's; it only needs the token " +
			"file to exist at start. A token with the API server's audience (the automounted one, or a projected token without " +
			"an audience) lets whoever reads the pod's files act as Headlamp's ServiceAccount. Audiences under the reserved " +
			".invalid domain are accepted by no server; other audiences cannot be judged from outside the API server. " +
			"Running pods are judged as they are; without any, the pod template.",
		Run: checkPodToken,
	}
}

func checkPodToken(_ context.Context, f engine.Facts) engine.Result {
	m, err := headlampview.FactModel.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	pods, err := headlampview.FactPods.Get(f)
	if err != nil {
		return area.CouldNotLook(err)
	}
	type subject struct {
		who  string
		spec corev1.PodSpec
	}
	var subjects []subject
	for _, p := range pods {
		subjects = append(subjects, subject{"pod " + p.Name, p.Spec})
	}
	if len(subjects) == 0 {
		subjects = append(subjects, subject{"the pod template of deployment/" + m.Deployment.Name, withAutomount(m.Deployment.Spec.Template.Spec)})
	}
	var unknown []string
	for _, s := range subjects {
		for _, tok := range heldTokens(s.spec) {
			switch accepted(tok.audience) {
			case yes:
				return engine.Problem("%s holds a ServiceAccount token the API server accepts: %s", s.who, tok).
					With("pod", s.who).With("volume", tok.volume)
			case maybe:
				unknown = append(unknown, fmt.Sprintf("%s: %s", s.who, tok))
			case no:
			}
		}
	}
	if len(unknown) > 0 {
		return engine.Unknown("cannot tell whether the API server accepts the audience of %s", strings.Join(unknown, "; "))
	}
	if len(pods) == 0 {
		return engine.Pass("no pod runs; its template holds no token the API server accepts")
	}
	return engine.Pass("none in %d pod(s)", len(pods))
}

// token is a ServiceAccount token a container mounts.
type token struct {
	volume, audience string
}

func (t token) String() string {
	if t.audience == "" {
		return fmt.Sprintf("volume %s projects a token for the API server's own audience", t.volume)
	}
	return fmt.Sprintf("volume %s projects a token for audience %q", t.volume, t.audience)
}

// heldTokens are the projected ServiceAccount tokens of the volumes some container mounts.
func heldTokens(spec corev1.PodSpec) []token {
	mounted := map[string]bool{}
	for _, c := range append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...) {
		for _, vm := range c.VolumeMounts {
			mounted[vm.Name] = true
		}
	}
	var out []token
	for _, v := range spec.Volumes {
		if v.Projected == nil || !mounted[v.Name] {
			continue
		}
		for _, src := range v.Projected.Sources {
			if src.ServiceAccountToken != nil {
				out = append(out, token{volume: v.Name, audience: src.ServiceAccountToken.Audience})
			}
		}
	}
	return out
}

// automountVolume names the volume the ServiceAccount admission adds, as it names it.
const automountVolume = "kube-api-access-<random>"

// withAutomount adds to a pod template what the ServiceAccount admission would: unless
// automountServiceAccountToken is false, every container without a mount at the service account
// folder gets the API server's token there. (A ServiceAccount's own automountServiceAccountToken:
// false is not read: the template is judged as it stands.)
func withAutomount(spec corev1.PodSpec) corev1.PodSpec {
	if a := spec.AutomountServiceAccountToken; a != nil && !*a {
		return spec
	}
	out := *spec.DeepCopy()
	needs := false
	for i, c := range out.Containers {
		if !mountsAt(c, headlamp.ServiceAccountDir) {
			out.Containers[i].VolumeMounts = append(out.Containers[i].VolumeMounts, corev1.VolumeMount{Name: automountVolume, MountPath: headlamp.ServiceAccountDir})
			needs = true
		}
	}
	if needs {
		out.Volumes = append(out.Volumes, corev1.Volume{Name: automountVolume, VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{
			Sources: []corev1.VolumeProjection{{ServiceAccountToken: &corev1.ServiceAccountTokenProjection{Path: "token"}}}}}})
	}
	return out
}

func mountsAt(c corev1.Container, path string) bool {
	for _, m := range c.VolumeMounts {
		if strings.TrimSuffix(m.MountPath, "/") == path {
			return true
		}
	}
	return false
}

type verdict int

const (
	no verdict = iota
	yes
	maybe
)

// apiAudiences are the audiences API servers accept by default: their own service account issuer
// is usually https://kubernetes.default.svc(.cluster.local), and an empty audience means the API
// server's own (--api-audiences).
var apiAudiences = []string{"", "https://kubernetes.default.svc", "https://kubernetes.default.svc.cluster.local", "kubernetes.default.svc"}

// accepted tells whether the API server accepts a token for the audience: yes for its own, no for a
// name under the reserved .invalid domain (RFC 2606), maybe for anything else.
func accepted(audience string) verdict {
	for _, a := range apiAudiences {
		if audience == a {
			return yes
		}
	}
	if strings.HasSuffix(strings.TrimSuffix(audience, "."), ".invalid") {
		return no
	}
	return maybe
}
