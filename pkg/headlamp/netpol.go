package headlamp

import (
	"slices"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	metav1ac "k8s.io/client-go/applyconfigurations/meta/v1"
	networkingv1ac "k8s.io/client-go/applyconfigurations/networking/v1"
)

// networkPolicy lets into Headlamp's pods only traffic to its port, and out of them only DNS
// queries to the cluster DNS pods, connections to capsule-proxy's pods and to the IdP's addresses.
// The IdP is matched by address because a NetworkPolicy knows no host names: an IdP behind a CDN
// or a load balancer whose addresses change needs install run again (or a policy of one's own).
func networkPolicy(s Settings) *networkingv1ac.NetworkPolicyApplyConfiguration {
	np := s.NetworkPolicy
	spec := networkingv1ac.NetworkPolicySpec().
		WithPodSelector(metav1ac.LabelSelector().WithMatchLabels(SelectorLabels(s))).
		WithPolicyTypes(networkingv1.PolicyTypeIngress, networkingv1.PolicyTypeEgress).
		WithIngress(networkingv1ac.NetworkPolicyIngressRule().WithPorts(tcpPort(intstr.FromInt32(ContainerPort)))).
		WithEgress(
			networkingv1ac.NetworkPolicyEgressRule().
				WithTo(podsIn(DNSNamespace, map[string]string{DNSLabel: DNSLabelVal})).
				WithPorts(port(corev1.ProtocolUDP, intstr.FromInt32(53)), tcpPort(intstr.FromInt32(53))),
			networkingv1ac.NetworkPolicyEgressRule().
				WithTo(podsIn(s.Proxy.Namespace, np.ProxySelector)).
				WithPorts(tcpPort(np.ProxyPort)))
	for _, p := range idpPorts(np.IDP) {
		rule := networkingv1ac.NetworkPolicyEgressRule().WithPorts(tcpPort(intstr.FromInt32(p)))
		for _, peer := range np.IDP {
			if peer.Port == p {
				rule.WithTo(networkingv1ac.NetworkPolicyPeer().WithIPBlock(networkingv1ac.IPBlock().WithCIDR(peer.CIDR)))
			}
		}
		spec.WithEgress(rule)
	}
	return networkingv1ac.NetworkPolicy(s.Name, s.Namespace).WithLabels(Labels(s)).WithSpec(spec)
}

// idpPorts are the IdP's ports in order, each once: one egress rule per port.
func idpPorts(peers []Peer) []int32 {
	var ports []int32
	for _, p := range peers {
		if !slices.Contains(ports, p.Port) {
			ports = append(ports, p.Port)
		}
	}
	return ports
}

func podsIn(namespace string, selector map[string]string) *networkingv1ac.NetworkPolicyPeerApplyConfiguration {
	return networkingv1ac.NetworkPolicyPeer().
		WithNamespaceSelector(metav1ac.LabelSelector().WithMatchLabels(map[string]string{LabelNamespaceName: namespace})).
		WithPodSelector(metav1ac.LabelSelector().WithMatchLabels(selector))
}

func tcpPort(p intstr.IntOrString) *networkingv1ac.NetworkPolicyPortApplyConfiguration {
	return port(corev1.ProtocolTCP, p)
}

func port(proto corev1.Protocol, p intstr.IntOrString) *networkingv1ac.NetworkPolicyPortApplyConfiguration {
	return networkingv1ac.NetworkPolicyPort().WithProtocol(proto).WithPort(p)
}
