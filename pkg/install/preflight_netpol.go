package install

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// networkPolicyFacts finds what the NetworkPolicy lets Headlamp reach: capsule-proxy's pods (its
// Service's selector and the target port behind the proxy port) and the addresses of the IdP's
// issuer and validator issuer, resolved here, from where install runs.
func networkPolicyFacts(ctx context.Context, c Clients, s headlamp.Settings, proxy *corev1.Service) (*headlamp.NetworkPolicy, []Problem) {
	var problems []Problem
	np := &headlamp.NetworkPolicy{}
	if proxy != nil {
		np.ProxySelector = proxy.Spec.Selector
		for _, p := range proxy.Spec.Ports {
			if p.Port == s.Proxy.Port {
				np.ProxyPort = p.TargetPort
				if np.ProxyPort.IntValue() == 0 && np.ProxyPort.Type == intstr.Int {
					np.ProxyPort = intstr.FromInt32(p.Port) // no target port: the port itself
				}
			}
		}
		if len(np.ProxySelector) == 0 {
			problems = append(problems, Problem{What: fmt.Sprintf("--network-policy: service %s/%s selects no pods, so the policy cannot name capsule-proxy's pods", proxy.Namespace, proxy.Name),
				Hint: "install without --network-policy and write the policy yourself"})
		}
	}
	for _, issuer := range []string{s.OIDC.IssuerURL, s.OIDC.ValidatorIssuerURL} {
		if issuer == "" {
			continue
		}
		peers, err := resolveIssuer(ctx, c, issuer)
		if err != nil {
			problems = append(problems, Problem{What: fmt.Sprintf("--network-policy: %v", err),
				Hint: "the policy lets Headlamp reach the IdP by address: run install where the IdP's name resolves, or install without --network-policy and write the IdP's egress rule yourself"})
			continue
		}
		np.IDP = appendNew(np.IDP, peers...)
	}
	return np, problems
}

// resolveIssuer returns the addresses (as /32 or /128 blocks) and port of an issuer URL, as
// headlamp.ResolveIssuer finds them for doctor's network checks too.
func resolveIssuer(ctx context.Context, c Clients, issuer string) ([]headlamp.Peer, error) {
	a, err := headlamp.ResolveIssuer(ctx, c.lookupHost, issuer)
	if err != nil {
		return nil, err
	}
	return a.Peers(), nil
}

func appendNew(peers []headlamp.Peer, more ...headlamp.Peer) []headlamp.Peer {
	for _, p := range more {
		seen := false
		for _, q := range peers {
			seen = seen || p == q
		}
		if !seen {
			peers = append(peers, p)
		}
	}
	return peers
}
