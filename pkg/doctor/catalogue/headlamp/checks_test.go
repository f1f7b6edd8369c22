package headlamp

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
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
