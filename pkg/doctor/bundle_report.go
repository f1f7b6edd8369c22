package doctor

import (
	"crypto/x509"
	"fmt"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/bundle"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// CertChain is evidence of a certificate chain: summaries in JSON and the bundle, one line of
// subject and fingerprint per certificate in text.
type CertChain []trust.Summary

func (c CertChain) String() string {
	parts := make([]string, len(c))
	for i, s := range c {
		parts[i] = fmt.Sprintf("%s (sha256 %s)", s.Subject, s.Fingerprint)
	}
	return strings.Join(parts, "; ")
}

// NewBundle starts a support bundle from a report: the report and its chain, and what its checks saw
// that a bundle keeps: the token's redacted claims (TOKEN-OBTAINED) and the IdP's certificate chain
// (IDP-DISCOVERY).
func NewBundle(r Report) bundle.Bundle {
	b := bundle.Bundle{Report: r, Chain: Chain(r), Certificates: map[string][]trust.Summary{}}
	for _, o := range r.Outcomes {
		switch o.ID {
		case IDTokenObtained:
			if v := o.Evidence.Get("claims"); v != nil {
				b.Claims = v
			}
		case IDIdPDiscovery:
			if chain, ok := o.Evidence.Get("chain").(CertChain); ok {
				b.Certificates["IdP chain"] = chain
			}
		}
	}
	return b
}

// summaries describes certificates for evidence.
func summaries(certs []*x509.Certificate) []trust.Summary {
	out := make([]trust.Summary, len(certs))
	for i, c := range certs {
		out[i] = trust.Summarize(c)
	}
	return out
}
