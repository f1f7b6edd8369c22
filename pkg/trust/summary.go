package trust

import (
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"strings"
	"time"
)

// Summary is what a human needs to know about a certificate, safe to print and to put in a bundle.
type Summary struct {
	Subject     string    `json:"subject"`
	Issuer      string    `json:"issuer"`
	SANs        []string  `json:"sans,omitempty"`
	IsCA        bool      `json:"isCA"`
	NotBefore   time.Time `json:"notBefore"`
	NotAfter    time.Time `json:"notAfter"`
	Fingerprint string    `json:"sha256"`
}

// Summarize describes c.
func Summarize(c *x509.Certificate) Summary {
	return Summary{
		Subject:     c.Subject.String(),
		Issuer:      c.Issuer.String(),
		SANs:        SANs(c),
		IsCA:        c.IsCA,
		NotBefore:   c.NotBefore.UTC(),
		NotAfter:    c.NotAfter.UTC(),
		Fingerprint: Fingerprint(c),
	}
}

// SANs lists the DNS names, IP addresses and URIs a certificate covers.
func SANs(c *x509.Certificate) []string {
	out := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		out = append(out, ip.String())
	}
	for _, u := range c.URIs {
		out = append(out, u.String())
	}
	return out
}

// Fingerprint is the SHA-256 of the DER certificate as upper-case hex pairs joined by colons, the form
// `openssl x509 -fingerprint -sha256` prints.
func Fingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}

// Validity is where a certificate stands in its validity period at some instant.
type Validity struct {
	State     ValidityState
	Remaining time.Duration // until NotAfter (negative once expired)
}

// ValidityState classifies a certificate's validity.
type ValidityState string

// The validity states.
const (
	Valid        ValidityState = "valid"
	ExpiringSoon ValidityState = "expiring soon"
	Expired      ValidityState = "expired"
	NotYetValid  ValidityState = "not yet valid"
)

// CheckValidity tells whether c is valid at now, and whether it expires within soon.
func CheckValidity(c *x509.Certificate, now time.Time, soon time.Duration) Validity {
	v := Validity{State: Valid, Remaining: c.NotAfter.Sub(now)}
	switch {
	case now.Before(c.NotBefore):
		v.State = NotYetValid
	case now.After(c.NotAfter):
		v.State = Expired
	case v.Remaining < soon:
		v.State = ExpiringSoon
	}
	return v
}
