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

// ChainsTo reports whether the leaf (with intermediates) chains to roots, ignoring names and time:
// "signed by this CA" separate from "valid now" and "valid for this host".
func ChainsTo(chain, roots []*x509.Certificate) error {
	if len(chain) == 0 {
		return ErrNoCertificate
	}
	// Verify at a moment where the leaf is valid, so that only the signature path is judged.
	at := chain[0].NotBefore.Add(chain[0].NotAfter.Sub(chain[0].NotBefore) / 2)
	return Verify(chain, roots, "", at)
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
