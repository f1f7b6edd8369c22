package install

import (
	"context"
	"errors"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

func quota(name string, hard, used corev1.ResourceList) *corev1.ResourceQuota {
	return &corev1.ResourceQuota{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "capsule-system"},
		Spec: corev1.ResourceQuotaSpec{Hard: hard}, Status: corev1.ResourceQuotaStatus{Hard: hard, Used: used}}
}

func limitRange(item corev1.LimitRangeItem) *corev1.LimitRange {
	return &corev1.LimitRange{ObjectMeta: metav1.ObjectMeta{Name: "limits", Namespace: "capsule-system"},
		Spec: corev1.LimitRangeSpec{Limits: []corev1.LimitRangeItem{item}}}
}

func TestPreflightProductionProblems(t *testing.T) {
	q := resource.MustParse
	tests := []struct {
		name   string
		setup  func(t *testing.T, c Clients)
		modify func(*Options)
		want   []string
	}{
		{"missing pull secret", nil, func(o *Options) { o.Settings.ImagePullSecrets = []string{"regcred", "nope"} },
			[]string{"image pull secret capsule-system/nope does not exist", "create secret docker-registry nope"}},
		{"pull secret of the wrong type", func(t *testing.T, c Clients) {
			noErr(t)(c.Kube.CoreV1().Secrets("capsule-system").Create(t.Context(), &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "opaque", Namespace: "capsule-system"}}, metav1.CreateOptions{}))
		}, func(o *Options) { o.Settings.ImagePullSecrets = []string{"opaque"} }, []string{"is of type : the kubelet reads registry credentials only from"}},
		{"no Gateway API", func(t *testing.T, c Clients) { c.Kube.(*fake.Clientset).Resources = nil }, nil,
			[]string{"the cluster does not serve HTTPRoutes (gateway.networking.k8s.io/v1)", "--ingress-host"}},
		{"no such Gateway", nil, func(o *Options) { o.Settings.Gateway.Name = "private" },
			[]string{"gateway gateways/private does not exist", "--gateway NAMESPACE/NAME"}},
		{"listener for another host", nil, func(o *Options) { o.Settings.Gateway.Host = "headlamp.example.org" },
			[]string{"no listener of gateway gateways/public takes an HTTPRoute for headlamp.example.org", "https: host name *.example.com"}},
		{"limit range maximum", func(t *testing.T, c Clients) {
			noErr(t)(c.Kube.CoreV1().LimitRanges("capsule-system").Create(t.Context(), limitRange(corev1.LimitRangeItem{Type: corev1.LimitTypeContainer,
				Max: corev1.ResourceList{corev1.ResourceMemory: q("256Mi")}, MaxLimitRequestRatio: corev1.ResourceList{corev1.ResourceCPU: q("2")}}), metav1.CreateOptions{}))
		}, nil, []string{"LimitRange limits refuses Headlamp's pod: memory limit 512Mi is above its maximum 256Mi",
			"cpu limit 500m is more than 2 times the request 100m", "--requests and --limits"}},
		{"quota exceeded", func(t *testing.T, c Clients) {
			noErr(t)(c.Kube.CoreV1().ResourceQuotas("capsule-system").Create(t.Context(), quota("compute",
				corev1.ResourceList{corev1.ResourceLimitsMemory: q("1Gi"), "requests.storage": q("1Gi")},
				corev1.ResourceList{corev1.ResourceLimitsMemory: q("768Mi")}), metav1.CreateOptions{}))
		}, nil, []string{"ResourceQuota compute would be exceeded: limits.memory would reach 1280Mi of 1Gi (768Mi used now)"}},
		{"quota tracking what the pod does not state", func(t *testing.T, c Clients) {
			noErr(t)(c.Kube.CoreV1().ResourceQuotas("capsule-system").Create(t.Context(), quota("compute",
				corev1.ResourceList{corev1.ResourceLimitsCPU: q("4")}, nil), metav1.CreateOptions{}))
		}, func(o *Options) { delete(o.Settings.Resources.Limits, corev1.ResourceCPU) }, []string{"ResourceQuota compute tracks limits.cpu: Headlamp's pod must state it"}},
		{"unresolvable IdP", func(t *testing.T, c Clients) {}, func(o *Options) { o.Settings.OIDC.IssuerURL = "https://unresolvable.example.com/dex" },
			[]string{"--network-policy: resolve the IdP's host unresolvable.example.com: no such host", "write the IdP's egress rule yourself"}},
		{"proxy service without selector", func(t *testing.T, c Clients) {
			svc, _ := c.Kube.CoreV1().Services("capsule-system").Get(t.Context(), "capsule-proxy", metav1.GetOptions{})
			svc.Spec.Selector = nil
			noErr(t)(c.Kube.CoreV1().Services("capsule-system").Update(t.Context(), svc, metav1.UpdateOptions{}))
		}, nil, []string{"service capsule-system/capsule-proxy selects no pods"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := productionCluster(t)
			c.LookupHost = func(_ context.Context, host string) ([]string, error) {
				if host == "unresolvable.example.com" {
					return nil, errors.New("no such host")
				}
				return []string{"192.0.2.10"}, nil
			}
			if tt.setup != nil {
				tt.setup(t, c)
			}
			opts := productionOptions()
			if tt.modify != nil {
				tt.modify(&opts)
			}
			facts, err := Preflight(t.Context(), c, opts)
			if err != nil {
				t.Fatal(err)
			}
			var said strings.Builder
			for _, p := range facts.Problems() {
				said.WriteString(p.What + "\n" + p.Hint + "\n")
			}
			for _, w := range tt.want {
				if !strings.Contains(said.String(), w) {
					t.Errorf("findings do not say %q:\n%s", w, said.String())
				}
			}
		})
	}
}

// noErr fails the test when the call it is handed failed.
func noErr(t *testing.T) func(any, error) {
	return func(_ any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestPreflightProductionPasses(t *testing.T) {
	facts, err := Preflight(t.Context(), productionCluster(t), productionOptions())
	if err != nil {
		t.Fatal(err)
	}
	np := facts.NetworkPolicy
	if np == nil || np.ProxySelector["app.kubernetes.io/name"] != "capsule-proxy" || np.ProxyPort.IntValue() != 9001 ||
		len(np.IDP) != 2 || np.IDP[0] != (headlamp.Peer{CIDR: "192.0.2.10/32", Port: 443}) {
		t.Errorf("network policy facts = %+v", np)
	}
}

// TestQuotaCountsWhatTheReplacedPodGivesBack: on an upgrade the running pod goes first (Recreate),
// so a quota it nearly fills still admits its replacement.
func TestQuotaCountsWhatTheReplacedPodGivesBack(t *testing.T) {
	q := resource.MustParse
	rq := quota("compute", corev1.ResourceList{corev1.ResourcePods: q("1"), corev1.ResourceLimitsMemory: q("512Mi")},
		corev1.ResourceList{corev1.ResourcePods: q("1"), corev1.ResourceLimitsMemory: q("512Mi")})
	pr := podResources{resources: headlamp.DefaultResources(), replicas: 1}
	if got := resourceQuotaProblems(*rq, pr); len(got) != 2 {
		t.Errorf("a full quota: %v, want pods and limits.memory refused", got)
	}
	released := headlamp.DefaultResources()
	pr.released = &released
	if got := resourceQuotaProblems(*rq, pr); len(got) != 0 {
		t.Errorf("the replaced pod's share was not counted: %v", got)
	}
	rq.Spec.Scopes = []corev1.ResourceQuotaScope{corev1.ResourceQuotaScopeBestEffort}
	if got := resourceQuotaProblems(*rq, podResources{resources: headlamp.DefaultResources(), replicas: 1}); len(got) != 0 {
		t.Errorf("a best-effort quota does not count Headlamp's pod: %v", got)
	}
}

func TestListenerAdmission(t *testing.T) {
	gw := headlamp.Gateway{Namespace: "gateways", Name: "public", Host: "headlamp.example.com"}
	listener := func(from string, sel map[string]any) map[string]any {
		ns := map[string]any{"from": from}
		if sel != nil {
			ns["selector"] = sel
		}
		return map[string]any{"name": "l", "protocol": "HTTPS", "allowedRoutes": map[string]any{"namespaces": ns}}
	}
	labels := map[string]string{"team": "platform"}
	for _, tt := range []struct {
		l    map[string]any
		want string
	}{
		{listener("All", nil), ""},
		{listener("Same", nil), "routes from its own namespace only"},
		{listener("Selector", map[string]any{"matchLabels": map[string]any{"team": "platform"}}), ""},
		{listener("Selector", map[string]any{"matchLabels": map[string]any{"team": "apps"}}), "a namespace selector that does not select capsule-system"},
		{map[string]any{"name": "tcp", "protocol": "TCP"}, "protocol TCP"},
	} {
		if got := listenerRefuses(tt.l, gw, "capsule-system", labels); got != tt.want {
			t.Errorf("listener %v: %q, want %q", tt.l, got, tt.want)
		}
	}
}
