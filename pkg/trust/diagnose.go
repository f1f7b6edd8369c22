package trust

import (
	"crypto/x509"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// incompatibleUsage is the error Go's TLS clients (Headlamp's among them) log for a certificate whose
// extended key usage does not allow serving TLS; messages quote it so that a user finds their log line.
var incompatibleUsage = x509.CertificateInvalidError{Reason: x509.IncompatibleUsage}.Error()

// diagnose lists what is wrong with a chain x509 refused, one problem per side.
func diagnose(chain []*x509.Certificate, pool *x509.CertPool, roots []*x509.Certificate, host string, at time.Time) []Problem {
	var out []Problem
	if p, bad := chainProblem(chain, pool, roots); bad {
		out = append(out, p)
	}
	out = append(out, validityProblems(chain, roots, at)...)
	if host != "" {
		if err := CoversHost(chain[0], host); err != nil {
			out = append(out, Problem{Kind: KindHost, Message: err.Error()})
		}
	}
	if err := ServesTLS(chain[0]); err != nil {
		out = append(out, Problem{Kind: KindUsage, Message: err.Error()})
	}
	return out
}

// chainProblem checks the signatures alone: against the roots when they are listed, else with x509 at
// an instant every certificate of the chain is valid, so that an expired leaf is not also "unknown".
func chainProblem(chain []*x509.Certificate, pool *x509.CertPool, roots []*x509.Certificate) (Problem, bool) {
	leaf := chain[0]
	if roots != nil {
		if ChainsTo(chain, roots) == nil {
			return Problem{}, false
		}
		return Problem{Kind: KindChain, Message: fmt.Sprintf("%s (issued by %q) is not signed by the CA (%s)",
			Describe(leaf), leaf.Issuer.String(), names(roots))}, true
	}
	opts := x509.VerifyOptions{Roots: pool, Intermediates: Pool(chain[1:]), CurrentTime: validInstant(chain),
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}
	if _, err := leaf.Verify(opts); err != nil {
		if errors.As(err, new(x509.UnknownAuthorityError)) {
			return Problem{Kind: KindChain, Message: fmt.Sprintf("%s (issued by %q) does not chain to a trusted CA",
				Describe(leaf), leaf.Issuer.String())}, true
		}
	}
	return Problem{}, false
}

// validInstant is the latest start of validity among the chain: a time at which the chain itself is
// valid, when there is one.
func validInstant(chain []*x509.Certificate) time.Time {
	t := chain[0].NotBefore
	for _, c := range chain[1:] {
		if c.NotBefore.After(t) {
			t = c.NotBefore
		}
	}
	return t
}

// validityProblems judges the chain at the given time, and the listed roots that signed its top.
func validityProblems(chain, roots []*x509.Certificate, at time.Time) []Problem {
	var out []Problem
	for i, c := range chain {
		role := ""
		if i > 0 {
			role = "intermediate "
		}
		if p, bad := validityProblem(role, c, at); bad {
			out = append(out, p)
		}
	}
	top := chain[len(chain)-1]
	for _, r := range roots {
		if top.Equal(r) || top.CheckSignatureFrom(r) != nil {
			continue
		}
		if p, bad := validityProblem("CA ", r, at); bad {
			out = append(out, p)
		}
	}
	return out
}

func validityProblem(role string, c *x509.Certificate, at time.Time) (Problem, bool) {
	switch CheckValidity(c, at, 0).State {
	case Expired:
		return Problem{Kind: KindValidity, Message: fmt.Sprintf("%s%s expired on %s", role, Describe(c),
			c.NotAfter.UTC().Format(time.RFC3339))}, true
	case NotYetValid:
		return Problem{Kind: KindValidity, Message: fmt.Sprintf("%s%s is not valid before %s", role, Describe(c),
			c.NotBefore.UTC().Format(time.RFC3339))}, true
	}
	return Problem{}, false
}

// CoversHost reports whether the certificate is valid for host (a DNS name or an IP address), as a TLS
// client with ServerName host would decide.
func CoversHost(c *x509.Certificate, host string) error {
	if err := c.VerifyHostname(host); err != nil {
		named := "no host"
		if sans := SANs(c); len(sans) > 0 {
			named = strings.Join(sans, ", ")
		}
		return fmt.Errorf("%s does not name %s, the host the client connects to (it names %s)", Describe(c), host, named)
	}
	return nil
}

// ServesTLS reports whether the certificate's extended key usage allows serving TLS: no extended key
// usage at all, "any", or server authentication. Go's TLS clients refuse anything else.
func ServesTLS(c *x509.Certificate) error {
	if len(c.ExtKeyUsage) == 0 && len(c.UnknownExtKeyUsage) == 0 {
		return nil
	}
	if slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageServerAuth) || slices.Contains(c.ExtKeyUsage, x509.ExtKeyUsageAny) {
		return nil
	}
	return fmt.Errorf("%s is not a server certificate: its extended key usage allows %s only, and TLS clients require server authentication (%s)",
		Describe(c), usageNames(c), incompatibleUsage)
}

// usageNames says what the extended key usage allows, in words.
func usageNames(c *x509.Certificate) string {
	words := map[x509.ExtKeyUsage]string{
		x509.ExtKeyUsageClientAuth: "client authentication", x509.ExtKeyUsageCodeSigning: "code signing",
		x509.ExtKeyUsageEmailProtection: "email protection", x509.ExtKeyUsageTimeStamping: "time stamping",
		x509.ExtKeyUsageOCSPSigning: "OCSP signing",
	}
	var out []string
	for _, u := range c.ExtKeyUsage {
		if w, ok := words[u]; ok {
			out = append(out, w)
		} else {
			out = append(out, fmt.Sprintf("usage %d", u))
		}
	}
	for _, oid := range c.UnknownExtKeyUsage {
		out = append(out, oid.String())
	}
	return strings.Join(out, " and ")
}

// ChainsTo reports whether the leaf (with intermediates) chains to roots by signature alone, ignoring
// names and time: "signed by this CA" apart from "valid now" and "valid for this host". A leaf issued
// before its CA's own validity began (backdated) still chains.
func ChainsTo(chain, roots []*x509.Certificate) error {
	if len(chain) == 0 {
		return ErrNoCertificate
	}
	if len(roots) == 0 {
		return errNoRoots
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

// names lists the subjects of certificates, for messages.
func names(certs []*x509.Certificate) string {
	out := make([]string, len(certs))
	for i, c := range certs {
		out[i] = c.Subject.String()
	}
	return strings.Join(out, "; ")
}
