package trust

import (
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// Verify checks that chain[0] (the leaf, followed by any intermediates) chains to one of roots at the
// given time. host, when not empty, must be covered by the leaf's names. Errors are x509's, wrapped with
// what was being verified.
func Verify(chain, roots []*x509.Certificate, host string, at time.Time) error {
	if len(chain) == 0 {
		return ErrNoCertificate
	}
	if len(roots) == 0 {
		return errors.New("no CA certificate to verify against")
	}
	opts := x509.VerifyOptions{
		DNSName:       host,
		Roots:         Pool(roots),
		Intermediates: Pool(chain[1:]),
		CurrentTime:   at,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	}
	if _, err := chain[0].Verify(opts); err != nil {
		return fmt.Errorf("verify %s: %w", Describe(chain[0]), err)
	}
	return nil
}

// ChainsTo reports whether the leaf (with intermediates) chains to roots by signature alone, ignoring
// names and time: "signed by this CA" apart from "valid now" and "valid for this host". A leaf issued
// before its CA's own validity began (backdated) still chains.
func ChainsTo(chain, roots []*x509.Certificate) error {
	if len(chain) == 0 {
		return ErrNoCertificate
	}
	if len(roots) == 0 {
		return errors.New("no CA certificate to verify against")
	}
	cur := chain[0]
	for range chain { // each step climbs one intermediate; more steps than certificates means a loop
		for _, r := range roots {
			if cur.Equal(r) || cur.CheckSignatureFrom(r) == nil {
				return nil
			}
		}
		parent := issuerAmong(cur, chain[1:])
		if parent == nil {
			break
		}
		cur = parent
	}
	return fmt.Errorf("verify %s: %w", Describe(chain[0]), x509.UnknownAuthorityError{Cert: cur})
}

// issuerAmong returns the certificate of certs whose key signed c, or nil.
func issuerAmong(c *x509.Certificate, certs []*x509.Certificate) *x509.Certificate {
	for _, p := range certs {
		if !p.Equal(c) && c.CheckSignatureFrom(p) == nil {
			return p
		}
	}
	return nil
}

// CoversHost reports whether the certificate is valid for host (a DNS name or an IP address), as a TLS
// client with ServerName host would decide.
func CoversHost(c *x509.Certificate, host string) error {
	if err := c.VerifyHostname(host); err != nil {
		return fmt.Errorf("%s does not cover %q: %w", Describe(c), host, err)
	}
	return nil
}

// Describe names a certificate briefly for messages: its subject common name, or its serial.
func Describe(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return fmt.Sprintf("certificate %q", c.Subject.CommonName)
	}
	return fmt.Sprintf("certificate serial %s", c.SerialNumber)
}
