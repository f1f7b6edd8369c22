package network

import (
	"context"
	"fmt"
	"net"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/netpol"
)

// The facts of the network policy checks.
const (
	FactPolicies    engine.Key[Policies]   = "network-policies"
	FactHeadlampPod engine.Key[netpol.Pod] = "network-headlamp-pod"
	FactDNS         engine.Key[Target]     = "network-dns"
	FactIDP         engine.Key[[]Target]   = "network-idp"
)

// Policies are the NetworkPolicies of the namespaces a connection of Headlamp's touches: its own,
// capsule-proxy's and the cluster DNS's. Unread maps a namespace other than Headlamp's whose
// policies could not be listed to why; those policies are then not judged.
type Policies struct {
	List   []networkingv1.NetworkPolicy
	Unread map[string]error
}

// Target is a destination Headlamp's pods must reach.
type Target struct {
	// Name says what it is in messages: "capsule-proxy's pod capsule-proxy-5c9 (10.0.0.9)".
	Name     string
	To       netpol.Endpoint
	Protocol corev1.Protocol
	Port     int32
	PortName string
	// Assumed says why the target's labels are assumed rather than read ("" when read).
	Assumed string
}

// Facts are the facts of the network policy checks, read with env.
func Facts(env area.Env) []engine.Fact {
	view := []engine.FactName{headlampview.FactView.Name()}
	return []engine.Fact{
		proxyFact(env),
		engine.Define(FactPolicies, view, func(ctx context.Context, in engine.Facts) (Policies, error) {
			h, err := headlampview.FactView.Get(in)
			if err != nil {
				return Policies{}, err
			}
			return readPolicies(ctx, env, h.Namespace, env.Proxy.Namespace, headlamp.DNSNamespace)
		}),
		engine.Define(FactHeadlampPod, []engine.FactName{headlampview.FactModel.Name()}, func(ctx context.Context, in engine.Facts) (netpol.Pod, error) {
			m, err := headlampview.FactModel.Get(in)
			if err != nil {
				return netpol.Pod{}, err
			}
			ns := m.Deployment.Namespace
			return netpol.Pod{Namespace: ns, Labels: m.Deployment.Spec.Template.Labels, NamespaceLabels: namespaceLabels(ctx, env, ns)}, nil
		}),
		engine.Define(FactDNS, nil, func(ctx context.Context, _ engine.Facts) (Target, error) {
			return dnsTarget(ctx, env), nil
		}),
		engine.Define(FactIDP, []engine.FactName{headlampview.FactModel.Name()}, func(ctx context.Context, in engine.Facts) ([]Target, error) {
			m, err := headlampview.FactModel.Get(in)
			if err != nil {
				return nil, err
			}
			return idpTargets(ctx, env, m.Settings.OIDC)
		}),
	}
}

// readPolicies lists the NetworkPolicies of each namespace once; only Headlamp's (the first) must be read.
func readPolicies(ctx context.Context, env area.Env, namespaces ...string) (Policies, error) {
	p := Policies{Unread: map[string]error{}}
	seen := map[string]bool{}
	for i, ns := range namespaces {
		if ns == "" || seen[ns] {
			continue
		}
		seen[ns] = true
		list, err := env.Kube.NetworkingV1().NetworkPolicies(ns).List(ctx, metav1.ListOptions{})
		err = area.WrapAccess(area.Access{Verb: "list", Group: "networking.k8s.io", Resource: "networkpolicies", Namespace: ns}, err)
		switch {
		case err != nil && i == 0:
			return Policies{}, err
		case err != nil:
			p.Unread[ns] = err
		default:
			p.List = append(p.List, list.Items...)
		}
	}
	return p, nil
}

// namespaceLabels are a namespace's labels; when it cannot be read, the one label the API server
// sets on every namespace, its name, which most policies select namespaces by.
func namespaceLabels(ctx context.Context, env area.Env, ns string) map[string]string {
	n, err := env.Kube.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
	if err != nil {
		return map[string]string{headlamp.LabelNamespaceName: ns}
	}
	return n.Labels
}

// podTarget is a pod as a destination.
func podTarget(ctx context.Context, env area.Env, pod *corev1.Pod) netpol.Endpoint {
	return netpol.Endpoint{
		Pod: &netpol.Pod{Namespace: pod.Namespace, Labels: pod.Labels, NamespaceLabels: namespaceLabels(ctx, env, pod.Namespace)},
		IP:  net.ParseIP(pod.Status.PodIP),
	}
}

// dnsTarget is the first cluster DNS pod, on UDP port 53 (TCP is the fallback for long answers);
// without one doctor may read, a pod with the labels kube-dns and CoreDNS carry.
func dnsTarget(ctx context.Context, env area.Env) Target {
	t := Target{Protocol: corev1.ProtocolUDP, Port: 53}
	sel := labels.SelectorFromSet(map[string]string{headlamp.DNSLabel: headlamp.DNSLabelVal}).String()
	list, err := env.Kube.CoreV1().Pods(headlamp.DNSNamespace).List(ctx, metav1.ListOptions{LabelSelector: sel})
	if err == nil && len(list.Items) > 0 {
		pod := &list.Items[0]
		t.Name, t.To = fmt.Sprintf("the cluster DNS pod %s/%s", pod.Namespace, pod.Name), podTarget(ctx, env, pod)
		return t
	}
	t.Name = fmt.Sprintf("the cluster DNS pods (%s, %s)", headlamp.DNSNamespace, sel)
	t.Assumed = "no DNS pod found (or not readable): judged as pods labelled " + sel + " in " + headlamp.DNSNamespace
	if err != nil {
		t.Assumed = fmt.Sprintf("cannot list DNS pods (%v): judged as pods labelled %s in %s", err, sel, headlamp.DNSNamespace)
	}
	t.To = netpol.Endpoint{Pod: &netpol.Pod{Namespace: headlamp.DNSNamespace, Labels: map[string]string{headlamp.DNSLabel: headlamp.DNSLabelVal},
		NamespaceLabels: namespaceLabels(ctx, env, headlamp.DNSNamespace)}}
	return t
}

// idpTargets are the addresses and ports of the IdP's issuer (and validator issuer), resolved where
// doctor runs: a NetworkPolicy knows addresses, not names, and an IdP whose name resolves
// differently inside the cluster (split DNS, a CDN) is judged at the addresses seen here.
func idpTargets(ctx context.Context, env area.Env, o headlamp.OIDC) ([]Target, error) {
	var out []Target
	for _, issuer := range []string{o.IssuerURL, o.ValidatorIssuerURL} {
		if issuer == "" {
			continue
		}
		a, err := headlamp.ResolveIssuer(ctx, env.Resolve, issuer)
		if err != nil {
			return nil, err
		}
		port := strconv.Itoa(int(a.Port))
		for _, ip := range a.IPs {
			out = append(out, Target{Name: fmt.Sprintf("the IdP at %s (%s)", net.JoinHostPort(ip.String(), port), a.Host),
				To: netpol.Endpoint{IP: ip}, Protocol: corev1.ProtocolTCP, Port: a.Port})
		}
	}
	return dedupe(out), nil
}

// dedupe keeps the first target of each name: issuer and validator issuer are often one host.
func dedupe(ts []Target) []Target {
	var out []Target
	seen := map[string]bool{}
	for _, t := range ts {
		if !seen[t.Name] {
			seen[t.Name] = true
			out = append(out, t)
		}
	}
	return out
}
