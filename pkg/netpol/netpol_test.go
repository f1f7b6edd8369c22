package netpol

import (
	"net"
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

var (
	egress  = networkingv1.PolicyTypeEgress
	ingress = networkingv1.PolicyTypeIngress
	udp     = corev1.ProtocolUDP

	headlampPod = &Pod{Namespace: "capsule-system", Labels: map[string]string{"app": "headlamp"},
		NamespaceLabels: map[string]string{"kubernetes.io/metadata.name": "capsule-system"}}
	proxyPod = &Pod{Namespace: "capsule-system", Labels: map[string]string{"app": "capsule-proxy"},
		NamespaceLabels: map[string]string{"kubernetes.io/metadata.name": "capsule-system"}}
	dnsPod = &Pod{Namespace: "kube-system", Labels: map[string]string{"k8s-app": "kube-dns"},
		NamespaceLabels: map[string]string{"kubernetes.io/metadata.name": "kube-system"}}

	toProxy = Conn{From: Endpoint{Pod: headlampPod}, To: Endpoint{Pod: proxyPod, IP: net.ParseIP("10.0.0.9")}, Port: 9001, PortName: "proxy"}
	toDNS   = Conn{From: Endpoint{Pod: headlampPod}, To: Endpoint{Pod: dnsPod}, Protocol: udp, Port: 53}
	toIDP   = Conn{From: Endpoint{Pod: headlampPod}, To: Endpoint{IP: net.ParseIP("192.0.2.10")}, Port: 443}
)

func policy(name string, sel map[string]string, types []networkingv1.PolicyType, eg []networkingv1.NetworkPolicyEgressRule,
	in []networkingv1.NetworkPolicyIngressRule,
) networkingv1.NetworkPolicy {
	return networkingv1.NetworkPolicy{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "capsule-system"},
		Spec: networkingv1.NetworkPolicySpec{PodSelector: metav1.LabelSelector{MatchLabels: sel}, PolicyTypes: types, Egress: eg, Ingress: in}}
}

func tcp(port intstr.IntOrString) networkingv1.NetworkPolicyPort {
	return networkingv1.NetworkPolicyPort{Port: &port}
}

func pods(ns, pod map[string]string) networkingv1.NetworkPolicyPeer {
	p := networkingv1.NetworkPolicyPeer{}
	if ns != nil {
		p.NamespaceSelector = &metav1.LabelSelector{MatchLabels: ns}
	}
	if pod != nil {
		p.PodSelector = &metav1.LabelSelector{MatchLabels: pod}
	}
	return p
}

func block(cidr string, except ...string) networkingv1.NetworkPolicyPeer {
	return networkingv1.NetworkPolicyPeer{IPBlock: &networkingv1.IPBlock{CIDR: cidr, Except: except}}
}

func egressTo(peers []networkingv1.NetworkPolicyPeer, ports ...networkingv1.NetworkPolicyPort) []networkingv1.NetworkPolicyEgressRule {
	return []networkingv1.NetworkPolicyEgressRule{{To: peers, Ports: ports}}
}

var (
	headlamp   = map[string]string{"app": "headlamp"}
	proxy      = map[string]string{"app": "capsule-proxy"}
	kubeSystem = map[string]string{"kubernetes.io/metadata.name": "kube-system"}
	all        = map[string]string{}
)

func TestEvaluate(t *testing.T) {
	denyEgress := policy("deny-egress", headlamp, []networkingv1.PolicyType{egress}, nil, nil)
	for _, tc := range []struct {
		name     string
		policies []networkingv1.NetworkPolicy
		conn     Conn
		want     Verdict
	}{
		{"no policy", nil, toProxy, Verdict{Allowed: true}},
		{"deny all egress", []networkingv1.NetworkPolicy{denyEgress}, toProxy, Verdict{Blocked: egress, Policies: []string{"capsule-system/deny-egress"}}},
		{"ingress-only policy does not isolate egress", []networkingv1.NetworkPolicy{
			policy("in", headlamp, nil, nil, nil)}, toIDP, Verdict{Allowed: true}},
		{"no policyTypes, egress rules: isolates egress", []networkingv1.NetworkPolicy{
			policy("implied", headlamp, nil, egressTo([]networkingv1.NetworkPolicyPeer{block("10.0.0.0/8")}), nil)}, toIDP,
			Verdict{Blocked: egress, Policies: []string{"capsule-system/implied"}}},
		{"other pods' policy", []networkingv1.NetworkPolicy{policy("proxy-only", proxy, []networkingv1.PolicyType{egress}, nil, nil)}, toIDP, Verdict{Allowed: true}},
		{"policies add up", []networkingv1.NetworkPolicy{denyEgress,
			policy("to-proxy", headlamp, []networkingv1.PolicyType{egress}, egressTo([]networkingv1.NetworkPolicyPeer{pods(nil, proxy)}, tcp(intstr.FromInt32(9001))), nil)},
			toProxy, Verdict{Allowed: true, Policies: []string{"capsule-system/to-proxy"}}},
		{"wrong port", []networkingv1.NetworkPolicy{
			policy("p", headlamp, []networkingv1.PolicyType{egress}, egressTo([]networkingv1.NetworkPolicyPeer{pods(nil, proxy)}, tcp(intstr.FromInt32(443))), nil)},
			toProxy, Verdict{Blocked: egress, Policies: []string{"capsule-system/p"}}},
		{"named port", []networkingv1.NetworkPolicy{
			policy("p", headlamp, []networkingv1.PolicyType{egress}, egressTo(nil, tcp(intstr.FromString("proxy"))), nil)},
			toProxy, Verdict{Allowed: true, Policies: []string{"capsule-system/p"}}},
		{"port range", []networkingv1.NetworkPolicy{
			policy("p", headlamp, []networkingv1.PolicyType{egress}, egressTo(nil, networkingv1.NetworkPolicyPort{Port: ptr(intstr.FromInt32(9000)), EndPort: ptr(int32(9100))}), nil)},
			toProxy, Verdict{Allowed: true, Policies: []string{"capsule-system/p"}}},
		{"TCP rule does not allow UDP DNS", []networkingv1.NetworkPolicy{
			policy("dns", headlamp, []networkingv1.PolicyType{egress}, egressTo([]networkingv1.NetworkPolicyPeer{pods(kubeSystem, nil)}, tcp(intstr.FromInt32(53))), nil)},
			toDNS, Verdict{Blocked: egress, Policies: []string{"capsule-system/dns"}}},
		{"UDP DNS to kube-system", []networkingv1.NetworkPolicy{
			policy("dns", headlamp, []networkingv1.PolicyType{egress}, egressTo([]networkingv1.NetworkPolicyPeer{pods(kubeSystem, map[string]string{"k8s-app": "kube-dns"})},
				networkingv1.NetworkPolicyPort{Protocol: &udp, Port: ptr(intstr.FromInt32(53))}), nil)},
			toDNS, Verdict{Allowed: true, Policies: []string{"capsule-system/dns"}}},
		{"podSelector alone stays in the policy's namespace", []networkingv1.NetworkPolicy{
			policy("p", headlamp, []networkingv1.PolicyType{egress}, egressTo([]networkingv1.NetworkPolicyPeer{pods(nil, map[string]string{"k8s-app": "kube-dns"})}), nil)},
			toDNS, Verdict{Blocked: egress, Policies: []string{"capsule-system/p"}}},
		{"namespaceSelector {} selects every pod", []networkingv1.NetworkPolicy{
			policy("p", headlamp, []networkingv1.PolicyType{egress}, egressTo([]networkingv1.NetworkPolicyPeer{pods(all, nil)}), nil)},
			toDNS, Verdict{Allowed: true, Policies: []string{"capsule-system/p"}}},
		{"pod selectors never select an address outside", []networkingv1.NetworkPolicy{
			policy("p", headlamp, []networkingv1.PolicyType{egress}, egressTo([]networkingv1.NetworkPolicyPeer{pods(all, all)}), nil)},
			toIDP, Verdict{Blocked: egress, Policies: []string{"capsule-system/p"}}},
		{"ipBlock", []networkingv1.NetworkPolicy{
			policy("p", headlamp, []networkingv1.PolicyType{egress}, egressTo([]networkingv1.NetworkPolicyPeer{block("192.0.2.0/24")}, tcp(intstr.FromInt32(443))), nil)},
			toIDP, Verdict{Allowed: true, Policies: []string{"capsule-system/p"}}},
		{"ipBlock except", []networkingv1.NetworkPolicy{
			policy("p", headlamp, []networkingv1.PolicyType{egress}, egressTo([]networkingv1.NetworkPolicyPeer{block("0.0.0.0/0", "192.0.2.0/28")}), nil)},
			toIDP, Verdict{Blocked: egress, Policies: []string{"capsule-system/p"}}},
		{"rule without peers allows every peer", []networkingv1.NetworkPolicy{
			policy("p", headlamp, []networkingv1.PolicyType{egress}, egressTo(nil, tcp(intstr.FromInt32(443))), nil)},
			toIDP, Verdict{Allowed: true, Policies: []string{"capsule-system/p"}}},
		{"destination's ingress blocks", []networkingv1.NetworkPolicy{policy("proxy-in", proxy, nil, nil, nil)},
			toProxy, Verdict{Blocked: ingress, Policies: []string{"capsule-system/proxy-in"}}},
		{"destination's ingress allows", []networkingv1.NetworkPolicy{policy("proxy-in", proxy, nil, nil,
			[]networkingv1.NetworkPolicyIngressRule{{From: []networkingv1.NetworkPolicyPeer{pods(nil, headlamp)}}})},
			toProxy, Verdict{Allowed: true, Policies: []string{"capsule-system/proxy-in"}}},
		{"other namespace's policy", []networkingv1.NetworkPolicy{func() networkingv1.NetworkPolicy {
			p := denyEgress
			p.Namespace = "apps"
			return p
		}()}, toProxy, Verdict{Allowed: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Evaluate(tc.policies, tc.conn)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Evaluate = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestEvaluateMatchExpressions(t *testing.T) {
	p := policy("p", nil, []networkingv1.PolicyType{egress}, nil, nil)
	p.Spec.PodSelector = metav1.LabelSelector{MatchExpressions: []metav1.LabelSelectorRequirement{{Key: "app", Operator: metav1.LabelSelectorOpIn, Values: []string{"headlamp"}}}}
	got, err := Evaluate([]networkingv1.NetworkPolicy{p}, toIDP)
	if err != nil || got.Allowed {
		t.Errorf("a matchExpressions selector did not isolate Headlamp: %+v %v", got, err)
	}
	p.Spec.PodSelector.MatchExpressions[0].Operator = "Sometimes"
	if _, err := Evaluate([]networkingv1.NetworkPolicy{p}, toIDP); err == nil {
		t.Error("a selector that does not parse gave no error")
	}
}

func TestEvaluateBadCIDR(t *testing.T) {
	p := policy("p", headlamp, []networkingv1.PolicyType{egress}, egressTo([]networkingv1.NetworkPolicyPeer{block("192.0.2.0/99")}), nil)
	if _, err := Evaluate([]networkingv1.NetworkPolicy{p}, toIDP); err == nil {
		t.Error("a CIDR that does not parse gave no error")
	}
}

func ptr[T any](v T) *T { return &v }
