package netpol

import (
	"fmt"
	"net"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// rule is an egress or ingress rule: the peers on the other side and the destination ports.
type rule struct {
	peers []networkingv1.NetworkPolicyPeer
	ports []networkingv1.NetworkPolicyPort
}

func egressRules(p networkingv1.NetworkPolicy) []rule {
	out := make([]rule, len(p.Spec.Egress))
	for i, r := range p.Spec.Egress {
		out[i] = rule{peers: r.To, ports: r.Ports}
	}
	return out
}

func ingressRules(p networkingv1.NetworkPolicy) []rule {
	out := make([]rule, len(p.Spec.Ingress))
	for i, r := range p.Spec.Ingress {
		out[i] = rule{peers: r.From, ports: r.Ports}
	}
	return out
}

// allows tells whether the rule, of a policy in namespace ns, allows c with peer on its other side.
func (r rule) allows(ns string, peer Endpoint, c Conn) (bool, error) {
	if !portsMatch(r.ports, c) {
		return false, nil
	}
	if len(r.peers) == 0 {
		return true, nil
	}
	for _, p := range r.peers {
		ok, err := peerMatches(p, ns, peer)
		if ok || err != nil {
			return ok, err
		}
	}
	return false, nil
}

func portsMatch(ports []networkingv1.NetworkPolicyPort, c Conn) bool {
	if len(ports) == 0 {
		return true
	}
	proto := c.Protocol
	if proto == "" {
		proto = corev1.ProtocolTCP
	}
	for _, p := range ports {
		want := corev1.ProtocolTCP
		if p.Protocol != nil {
			want = *p.Protocol
		}
		if want == proto && portMatches(p, c) {
			return true
		}
	}
	return false
}

func portMatches(p networkingv1.NetworkPolicyPort, c Conn) bool {
	switch {
	case p.Port == nil:
		return true
	case p.Port.Type == intstr.String:
		return c.PortName != "" && p.Port.StrVal == c.PortName
	case p.EndPort != nil:
		return p.Port.IntVal <= c.Port && c.Port <= *p.EndPort
	}
	return p.Port.IntVal == c.Port
}

// peerMatches tells whether a peer of a policy in namespace ns selects the endpoint.
func peerMatches(p networkingv1.NetworkPolicyPeer, ns string, e Endpoint) (bool, error) {
	if p.IPBlock != nil {
		return inBlock(*p.IPBlock, e.IP)
	}
	if e.Pod == nil || (p.PodSelector == nil && p.NamespaceSelector == nil) {
		return false, nil // pod and namespace selectors select pods only
	}
	if p.NamespaceSelector == nil {
		if e.Pod.Namespace != ns {
			return false, nil
		}
	} else if ok, err := matches(p.NamespaceSelector, e.Pod.NamespaceLabels); !ok || err != nil {
		return false, err
	}
	if p.PodSelector == nil {
		return true, nil
	}
	return matches(p.PodSelector, e.Pod.Labels)
}

func inBlock(b networkingv1.IPBlock, ip net.IP) (bool, error) {
	if ip == nil {
		return false, nil
	}
	_, cidr, err := net.ParseCIDR(b.CIDR)
	if err != nil {
		return false, fmt.Errorf("ipBlock %q: %w", b.CIDR, err)
	}
	if !cidr.Contains(ip) {
		return false, nil
	}
	for _, ex := range b.Except {
		_, exc, err := net.ParseCIDR(ex)
		if err != nil {
			return false, fmt.Errorf("ipBlock except %q: %w", ex, err)
		}
		if exc.Contains(ip) {
			return false, nil
		}
	}
	return true, nil
}

// matches tells whether a label selector selects the labels; an empty selector selects all.
func matches(s *metav1.LabelSelector, l map[string]string) (bool, error) {
	sel, err := metav1.LabelSelectorAsSelector(s)
	if err != nil {
		return false, err
	}
	return sel.Matches(labels.Set(l)), nil
}
