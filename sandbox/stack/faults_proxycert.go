package stack

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/pki"
)

// ProxyCertFault is a way the capsule-proxy Secret goes wrong in the wild.
type ProxyCertFault string

// The proxy certificate faults.
const (
	ProxyCertExpired   ProxyCertFault = "expired"     // validity ended yesterday
	ProxyCertWrongSANs ProxyCertFault = "wrong-sans"  // names only wrong.example.com
	ProxyCertOtherCA   ProxyCertFault = "other-ca"    // signed by a CA other than ca.crt (a rotated CA)
	ProxyCAUnderKeyCA  ProxyCertFault = "ca-key-ca"   // healthy, but the CA is stored under "ca" (certgen style)
	ProxyCertNoCAKey   ProxyCertFault = "ca-key-none" // healthy, but no CA key at all
	ProxyCertRotated   ProxyCertFault = "rotated"     // healthy, from a new CA under ca.crt: copies of the old CA are stale
	// ProxyCertClientAuth allows client authentication only: Go's TLS clients (Headlamp's) refuse it with
	// "x509: certificate specifies an incompatible key usage".
	ProxyCertClientAuth ProxyCertFault = "client-auth"
)

// ReplaceProxyCert rewrites Secret capsule-system/capsule-proxy with a faulty certificate and waits
// until the proxy stand-in serves it; restore puts the healthy Secret back the same way.
func (s *Stack) ReplaceProxyCert(ctx context.Context, fault ProxyCertFault) (Restore, error) {
	healthy, err := s.healthyProxySecretData()
	if err != nil {
		return nil, err
	}
	data, err := s.faultyProxyData(fault, healthy)
	if err != nil {
		return nil, err
	}
	restore := func(ctx context.Context) error { return s.setProxyCertAndWait(ctx, healthy) }
	return restore, s.setProxyCertAndWait(ctx, data)
}

func (s *Stack) faultyProxyData(fault ProxyCertFault, healthy map[string][]byte) (map[string][]byte, error) {
	ca, err := pki.Load(s.layout.PKI("proxy-ca.crt"), s.layout.PKI("proxy-ca.key"))
	if err != nil {
		return nil, err
	}
	leaf := ProxyLeaf()
	data := map[string][]byte{"tls.crt": healthy["tls.crt"], "tls.key": healthy["tls.key"], "ca.crt": healthy["ca.crt"]}
	switch fault {
	case ProxyCertExpired:
		leaf.NotBefore, leaf.NotAfter = time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour)
	case ProxyCertWrongSANs:
		leaf.DNSNames, leaf.IPs = []string{"wrong.example.com"}, nil
	case ProxyCertClientAuth:
		leaf.Client = true
	case ProxyCertOtherCA:
		if ca, err = pki.NewCA("sandbox-other-ca"); err != nil {
			return nil, err
		}
	case ProxyCertRotated:
		if ca, err = pki.NewCA("sandbox-rotated-proxy-ca"); err != nil {
			return nil, err
		}
		data["ca.crt"] = ca.CertPEM()
	case ProxyCAUnderKeyCA:
		data["ca"] = data["ca.crt"]
		delete(data, "ca.crt")
		return data, nil
	case ProxyCertNoCAKey:
		delete(data, "ca.crt")
		return data, nil
	default:
		return nil, fmt.Errorf("unknown proxy certificate fault %q", fault)
	}
	p, err := ca.Issue(leaf)
	if err != nil {
		return nil, err
	}
	data["tls.crt"], data["tls.key"] = p.CertPEM(), p.KeyPEM()
	return data, nil
}

func (s *Stack) setProxyCertAndWait(ctx context.Context, data map[string][]byte) error {
	if err := s.SetProxySecretData(ctx, data); err != nil {
		return err
	}
	want, err := tls.X509KeyPair(data["tls.crt"], data["tls.key"])
	if err != nil {
		return fmt.Errorf("parse the new proxy certificate: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	for {
		if served, err := servedCert(ctx, addr(ProxyPort)); err == nil && bytes.Equal(served, want.Certificate[0]) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the proxy stand-in did not pick up the new certificate: %w", ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// servedCert returns the DER of the certificate a TLS server presents (no verification: this only
// looks at what is served).
func servedCert(ctx context.Context, address string) ([]byte, error) {
	d := tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true}} //nolint:gosec // inspects, trusts nothing
	c, err := d.DialContext(ctx, "tcp", address)
	if err != nil {
		return nil, err
	}
	defer func() { _ = c.Close() }()
	certs := c.(*tls.Conn).ConnectionState().PeerCertificates
	if len(certs) == 0 {
		return nil, fmt.Errorf("no certificate served")
	}
	return certs[0].Raw, nil
}
