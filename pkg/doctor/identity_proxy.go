package doctor

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"strconv"
)

// proxyEndpointFact reaches capsule-proxy the way Headlamp does, from where doctor runs: a
// port-forward to a ready proxy pod (the dialer the live TLS checks use), or address when set, with
// TLS verified for Headlamp's API host with the CA Headlamp projects (else the proxy Secret's CA).
func proxyEndpointFact(address string) Fact {
	needs := []FactName{factDialer.Name(), factProxyEndpoints.Name(), factProxySecret.Name(),
		factProxyService.Name(), factHeadlamp.Name(), factHeadlampCA.Name()}
	return Define(idProxyEndpoint, needs, func(_ context.Context, in Facts) (*ProxyEndpoint, error) {
		d, eps, ps, err := liveInputs(in)
		if err != nil {
			return nil, fmt.Errorf("reach capsule-proxy: %w", err)
		}
		if len(eps) == 0 {
			return nil, errors.New("capsule-proxy has no ready endpoint (see PROXY-ENDPOINTS)")
		}
		roots, _ := projectedRoots(in)
		if roots == nil {
			roots = ps.CA
		}
		ep, name := eps[0], serverName(in)
		pe := &ProxyEndpoint{
			Address:    net.JoinHostPort(name, strconv.Itoa(ep.Port)),
			ServerName: name,
			CAPEM:      encodeCerts(roots),
			Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
				return d.DialPod(ctx, ps.Namespace, ep.Pod, ep.Port)
			},
		}
		if address != "" {
			pe.Address, pe.Dial = address, nil
		}
		return pe, nil
	})
}

func encodeCerts(certs []*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}
