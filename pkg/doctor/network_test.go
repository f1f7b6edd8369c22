package doctor

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	networkingv1 "k8s.io/api/networking/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/network"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/doctortest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// denyEgress isolates the pods selected by sel for egress and allows nothing.
func denyEgress(name string, sel map[string]string, types ...networkingv1.PolicyType) *networkingv1.NetworkPolicy {
	return &networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "capsule-system"},
		Spec: networkingv1.NetworkPolicySpec{PodSelector: metav1.LabelSelector{MatchLabels: sel}, PolicyTypes: types}}
}

func TestNetworkPolicyChecks(t *testing.T) {
	hl := map[string]string{"app.kubernetes.io/name": "headlamp"}
	for _, tc := range []struct {
		name    string
		breakIt func(w *doctortest.World)
		want    map[engine.ID]string // check -> message fragment; a fragment starting "!" expects a failure
	}{
		{"deny all egress", func(w *doctortest.World) {
			w.Objects = append(w.Objects, denyEgress("deny-egress", hl, networkingv1.PolicyTypeEgress))
		}, map[engine.ID]string{
			network.IDProxy: "!Headlamp → capsule-proxy: NetworkPolicy capsule-system/deny-egress isolates Headlamp's pods for egress and no rule lets them reach capsule-proxy's pod capsule-proxy-abc (10.244.0.5) on TCP 9001",
			network.IDDNS:   "!Headlamp → DNS: NetworkPolicy capsule-system/deny-egress isolates",
			network.IDIdP:   "!Headlamp → IdP: NetworkPolicy capsule-system/deny-egress isolates Headlamp's pods for egress and no rule lets them reach the IdP at 127.0.0.1:",
		}},
		{"capsule-proxy refuses Headlamp in", func(w *doctortest.World) {
			w.Objects = append(w.Objects, denyEgress("proxy-ingress", doctortest.ProxyLabels))
		}, map[engine.ID]string{
			network.IDProxy: "!NetworkPolicy capsule-system/proxy-ingress isolates capsule-proxy's pod capsule-proxy-abc (10.244.0.5) for ingress and no rule lets Headlamp's pods in on TCP 9001",
			network.IDDNS:   "no NetworkPolicy isolates",
		}},
		{"install's own policy", func(w *doctortest.World) {
			u, _ := url.Parse(w.IDP.Issuer)
			w.Settings.NetworkPolicy = &headlamp.NetworkPolicy{ProxySelector: doctortest.ProxyLabels, ProxyPort: intstr.FromInt32(9001),
				IDP: []headlamp.Peer{{CIDR: u.Hostname() + "/32", Port: int32(mustPort(t, u))}}}
		}, map[engine.ID]string{
			network.IDProxy: "allowed by NetworkPolicy capsule-system/headlamp",
			network.IDDNS:   "allowed by NetworkPolicy capsule-system/headlamp",
			network.IDIdP:   "allowed by NetworkPolicy capsule-system/headlamp",
		}},
		{"policies may not be listed", func(w *doctortest.World) {
			w.Reactors = func(cs *fake.Clientset) {
				cs.PrependReactor("list", "networkpolicies", func(k8stesting.Action) (bool, runtime.Object, error) {
					return true, nil, apierrors.NewForbidden(schema.GroupResource{Group: "networking.k8s.io", Resource: "networkpolicies"}, "", nil)
				})
			}
		}, map[engine.ID]string{network.IDProxy: "?list networkpolicies.networking.k8s.io -n capsule-system"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := doctortest.NewWorld(t)
			tc.breakIt(w)
			got := diagnose(t, w, nil)
			for id, frag := range tc.want {
				want := engine.StatusPass
				switch frag[0] {
				case '!':
					want, frag = engine.StatusFail, frag[1:]
				case '?':
					want, frag = engine.StatusUnknown, frag[1:]
				}
				if o := got[id]; o.Status != want || !strings.Contains(o.Message, frag) {
					t.Errorf("%s: %s %q, want %s containing %q", id, o.Status, o.Message, want, frag)
				}
			}
		})
	}
}

func mustPort(t *testing.T, u *url.URL) int {
	t.Helper()
	p, err := strconv.Atoi(u.Port())
	if err != nil {
		t.Fatalf("issuer %s has no port: %v", u, err)
	}
	return p
}
