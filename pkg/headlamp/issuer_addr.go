package headlamp

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
)

// IssuerAddress is where an issuer URL is reached: its host, port and the addresses the host
// resolves to, as a NetworkPolicy must name them (it knows addresses, not host names).
type IssuerAddress struct {
	Host string
	Port int32
	IPs  []net.IP
}

// ResolveIssuer finds the port of an issuer URL (443 for https, 80 for http, unless given) and the
// addresses of its host with lookup, sorted: resolvers rotate their answers. Addresses are seen
// from where this runs: an IdP that resolves otherwise inside the cluster (split DNS, a CDN) differs.
func ResolveIssuer(ctx context.Context, lookup func(ctx context.Context, host string) ([]string, error), issuer string) (IssuerAddress, error) {
	u, err := url.Parse(issuer)
	if err != nil || u.Hostname() == "" {
		return IssuerAddress{}, fmt.Errorf("read the issuer URL %q: not an absolute URL", issuer)
	}
	a := IssuerAddress{Host: u.Hostname(), Port: 443}
	if u.Scheme == "http" {
		a.Port = 80
	}
	if p := u.Port(); p != "" {
		n, err := strconv.ParseUint(p, 10, 16)
		if err != nil {
			return IssuerAddress{}, fmt.Errorf("the issuer URL %q has port %q", issuer, p)
		}
		a.Port = int32(n)
	}
	addrs := []string{a.Host}
	if net.ParseIP(a.Host) == nil {
		if addrs, err = lookup(ctx, a.Host); err != nil {
			return IssuerAddress{}, fmt.Errorf("resolve the IdP's host %s: %w", a.Host, err)
		}
	}
	for _, s := range addrs {
		if ip := net.ParseIP(s); ip != nil {
			a.IPs = append(a.IPs, ip)
		}
	}
	if len(a.IPs) == 0 {
		return IssuerAddress{}, fmt.Errorf("the IdP's host %s has no address", a.Host)
	}
	slices.SortFunc(a.IPs, func(x, y net.IP) int { return slices.Compare(x.To16(), y.To16()) })
	return a, nil
}

// Peers are the address's IPs as a NetworkPolicy's ipBlocks (/32 or /128) with its port, in the
// address's sorted order, so the policy changes only when the addresses do.
func (a IssuerAddress) Peers() []Peer {
	peers := make([]Peer, 0, len(a.IPs))
	for _, ip := range a.IPs {
		bits := "/128"
		if ip.To4() != nil {
			bits = "/32"
		}
		peers = append(peers, Peer{CIDR: ip.String() + bits, Port: a.Port})
	}
	return peers
}
