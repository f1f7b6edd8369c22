package identity

import (
	"crypto/x509"
	"fmt"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// CertChain is evidence of a certificate chain: summaries in JSON and the support bundle, one line of
// subject and fingerprint per certificate in text.
type CertChain []trust.Summary

func (c CertChain) String() string {
	parts := make([]string, len(c))
	for i, s := range c {
		parts[i] = fmt.Sprintf("%s (sha256 %s)", s.Subject, s.Fingerprint)
	}
	return strings.Join(parts, "; ")
}

// chainOf describes certificates as evidence.
func chainOf(certs []*x509.Certificate) CertChain {
	out := make(CertChain, len(certs))
	for i, c := range certs {
		out[i] = trust.Summarize(c)
	}
	return out
}
