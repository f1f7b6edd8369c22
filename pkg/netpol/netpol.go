// Package netpol judges whether the NetworkPolicies of a cluster let one pod connect to another
// pod or to an address outside the cluster, by the semantics the Kubernetes API documents:
//
//   - A policy isolates the pods its podSelector selects in its own namespace, for the directions in
//     policyTypes; without policyTypes, for ingress always and for egress when it has egress rules.
//   - A pod no policy isolates in a direction allows everything in that direction; an isolated pod
//     allows what any rule of any policy isolating it allows (policies add up, none subtracts).
//   - A connection needs both ends: the source's egress and the destination pod's ingress.
//   - A rule without ports allows every port; a port without a number every port of its protocol
//     (TCP when unset); a named port matches the destination container port of that name; endPort
//     makes a range. A rule without peers allows every peer.
//   - A peer with a podSelector alone selects pods in the policy's namespace; with a
//     namespaceSelector, pods (all of them when podSelector is unset) in the namespaces it selects.
//     An ipBlock matches an address inside its CIDR and outside every except.
//
// Limits, as the API documents them: whether an ipBlock matches pod IPs, and traffic rewritten on the
// way (a Service's address is translated to a pod's before policies apply; an egress gateway or a
// node-local DNS cache is not), depend on the network plugin. Policies of other APIs (Cilium's,
// Calico's, AdminNetworkPolicy) are not read.
package netpol

import (
	"fmt"
	"net"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// Pod is a pod as policies see it: its namespace, its labels and its namespace's labels.
type Pod struct {
	Namespace       string
	Labels          map[string]string
	NamespaceLabels map[string]string
}

// Endpoint is one end of a connection: a pod (with its address when known), or an address outside
// the cluster (Pod nil).
type Endpoint struct {
	Pod *Pod
	// IP is the address; nil when unknown, which no ipBlock matches.
	IP net.IP
}

// Conn is a connection from one endpoint to a port of another.
type Conn struct {
	From, To Endpoint
	// Protocol is TCP when empty.
	Protocol corev1.Protocol
	// Port is the destination port (a pod's container port, after a Service's translation).
	Port int32
	// PortName is the name of that container port, which named ports in rules match; "" for none.
	PortName string
}

// Direction is the side of a connection a policy judges: the source's egress or the destination's ingress.
type Direction = networkingv1.PolicyType

// Verdict says whether a connection is allowed and, when not, which side blocks it and the
// policies that isolate that side without any rule allowing the connection.
type Verdict struct {
	Allowed bool
	// Blocked is the direction that blocks ("" when allowed).
	Blocked Direction
	// Policies are, when blocked, the isolating policies ("namespace/name"); when allowed, those
	// whose rules allow the connection (none when neither end is isolated).
	Policies []string
}

// Evaluate judges c under policies (those of every namespace that matters: the source's and the
// destination pod's). An error means a policy's selector does not parse.
func Evaluate(policies []networkingv1.NetworkPolicy, c Conn) (Verdict, error) {
	var allowedBy []string
	sides := []struct {
		dir     Direction
		subject *Pod
		peer    Endpoint
		peersOf func(networkingv1.NetworkPolicy) []rule
	}{
		{networkingv1.PolicyTypeEgress, c.From.Pod, c.To, egressRules},
		{networkingv1.PolicyTypeIngress, c.To.Pod, c.From, ingressRules},
	}
	for _, side := range sides {
		if side.subject == nil {
			continue // an address outside the cluster: no policy isolates it
		}
		isolating, allowing, err := judgeSide(policies, side.dir, *side.subject, side.peer, c, side.peersOf)
		if err != nil {
			return Verdict{}, err
		}
		if len(isolating) > 0 && len(allowing) == 0 {
			return Verdict{Blocked: side.dir, Policies: isolating}, nil
		}
		allowedBy = append(allowedBy, allowing...)
	}
	return Verdict{Allowed: true, Policies: allowedBy}, nil
}

// judgeSide returns the policies isolating subject in dir and those of them that allow c.
func judgeSide(policies []networkingv1.NetworkPolicy, dir Direction, subject Pod, peer Endpoint, c Conn,
	rulesOf func(networkingv1.NetworkPolicy) []rule,
) (isolating, allowing []string, err error) {
	for _, p := range policies {
		if p.Namespace != subject.Namespace || !hasType(p, dir) {
			continue
		}
		selected, err := matches(&p.Spec.PodSelector, subject.Labels)
		if err != nil {
			return nil, nil, fmt.Errorf("networkpolicy %s/%s: %w", p.Namespace, p.Name, err)
		}
		if !selected {
			continue
		}
		name := p.Namespace + "/" + p.Name
		isolating = append(isolating, name)
		for _, r := range rulesOf(p) {
			ok, err := r.allows(p.Namespace, peer, c)
			if err != nil {
				return nil, nil, fmt.Errorf("networkpolicy %s: %w", name, err)
			}
			if ok {
				allowing = append(allowing, name)
				break
			}
		}
	}
	return isolating, allowing, nil
}

// hasType tells whether p isolates in dir: its policyTypes, or when unset, ingress always and
// egress when it has egress rules.
func hasType(p networkingv1.NetworkPolicy, dir Direction) bool {
	if len(p.Spec.PolicyTypes) == 0 {
		return dir == networkingv1.PolicyTypeIngress || len(p.Spec.Egress) > 0
	}
	for _, t := range p.Spec.PolicyTypes {
		if t == dir {
			return true
		}
	}
	return false
}

// The directions a policy judges.
const (
	Egress  = networkingv1.PolicyTypeEgress
	Ingress = networkingv1.PolicyTypeIngress
)
