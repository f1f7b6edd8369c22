package headlamp

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

func TestJudgeAPIHostPorts(t *testing.T) {
	svc := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Name: "capsule-proxy", Namespace: "capsule-system"},
		Spec: corev1.ServiceSpec{Ports: []corev1.ServicePort{{Name: "metrics", Port: 8080}, {Name: "proxy", Port: 9001}}}}
	h := headlampview.View{InCluster: true, APIHost: "capsule-proxy.capsule-system.svc"}
	for port, want := range map[int32]string{9001: "", 8080: "", 443: "listens on 8080, 9001"} {
		h.APIPort = port
		r := judgeAPIHost(h, svc)
		if want == "" && r.Status != engine.StatusPass || want != "" && (r.Status != engine.StatusFail || !strings.Contains(r.Message, want)) {
			t.Errorf("port %d: %s %q, want %q", port, r.Status, r.Message, want)
		}
	}
}

// TestMissingCopyInAnotherNamespace: the proxy Secret cannot be projected across namespaces, so a lost
// copy names the fix that makes a new one (re-run install there, or a trust bundle).
func TestMissingCopyInAnotherNamespace(t *testing.T) {
	ref := headlampview.CARef{Kind: "ConfigMap", Name: "headlamp-proxy-ca", Key: "ca.crt"}
	f := engine.NewFacts(time.Now(), map[engine.FactName]any{headlampview.FactCA.Name(): headlampview.ProjectedCA{Ref: ref}}, nil)
	ps := proxy.Secret{Name: "capsule-proxy", Namespace: "capsule-system", CAKey: "ca.crt"}
	for ns, cause := range map[string]string{"tenant-ui": causeOtherNamespace, "capsule-system": ""} {
		r := judgeProjectedCA(headlampview.View{Namespace: ns, ProxyCA: &ref}, f, ps)
		if r.Status != engine.StatusFail || r.Cause != cause {
			t.Errorf("Headlamp in %s: %s %q cause %q, want a failure with cause %q", ns, r.Status, r.Message, r.Cause, cause)
		}
	}
	if hint := checkByID(IDCA).HintFor(causeOtherNamespace); !strings.Contains(hint, "re-run `kubectl capsule-headlamp install -n <namespace>`") {
		t.Errorf("hint for a lost copy: %q", hint)
	}
}

func checkByID(id engine.ID) engine.Check {
	for _, c := range Checks() {
		if c.ID == id {
			return c
		}
	}
	return engine.Check{}
}
