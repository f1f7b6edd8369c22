package install

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

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

// resolveIssuer returns the addresses (as /32 or /128 blocks) and port of an issuer URL.
func resolveIssuer(ctx context.Context, c Clients, issuer string) ([]headlamp.Peer, error) {
	u, err := url.Parse(issuer)
	if err != nil {
		return nil, fmt.Errorf("read the issuer URL %q: %w", issuer, err)
	}
	port := int32(443)
	if p := u.Port(); p != "" {
		n, err := strconv.ParseInt(p, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("the issuer URL %q has port %q", issuer, p)
		}
		port = int32(n)
	}
	addrs := []string{u.Hostname()}
	if net.ParseIP(u.Hostname()) == nil {
		if addrs, err = c.lookupHost(ctx, u.Hostname()); err != nil {
			return nil, fmt.Errorf("resolve the IdP's host %s: %w", u.Hostname(), err)
		}
	}
	var peers []headlamp.Peer
	for _, a := range addrs {
		ip := net.ParseIP(a)
		if ip == nil {
			continue
		}
		bits := "/128"
		if ip.To4() != nil {
			bits = "/32"
		}
		peers = append(peers, headlamp.Peer{CIDR: ip.String() + bits, Port: port})
	}
	if len(peers) == 0 {
		return nil, fmt.Errorf("the IdP's host %s has no address", u.Hostname())
	}
	// Resolvers rotate their answers: sorted, the policy changes only when the addresses do.
	slices.SortFunc(peers, func(a, b headlamp.Peer) int { return strings.Compare(a.CIDR, b.CIDR) })
	return peers, nil
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
