package identity

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"strconv"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// proxyEndpointFact reaches capsule-proxy the way Headlamp does, from where doctor runs: a
// port-forward to a ready proxy pod (the dialer the live TLS checks use), or address when set, with
// TLS verified for Headlamp's API host with the CA Headlamp projects (else the proxy Secret's CA).
func proxyEndpointFact(address string) engine.Fact {
	needs := []engine.FactName{proxy.FactDialer.Name(), proxy.FactEndpoints.Name(), proxy.FactSecret.Name(),
		proxy.FactService.Name(), headlampview.FactView.Name(), headlampview.FactCA.Name()}
	return engine.Define(idProxyEndpoint, needs, func(_ context.Context, in engine.Facts) (*ProxyEndpoint, error) {
		d, eps, ps, err := proxy.LiveInputs(in)
		if err != nil {
			return nil, fmt.Errorf("reach capsule-proxy: %w", err)
		}
		if len(eps) == 0 {
			return nil, errors.New("capsule-proxy has no ready endpoint (see PROXY-ENDPOINTS)")
		}
		roots, _ := proxy.ProjectedRoots(in)
		if roots == nil {
			roots = ps.CA
		}
		ep, name := eps[0], proxy.ServerName(in)
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
