package trust

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"
)

// errNoRoots means there was no CA to verify against.
var errNoRoots = errors.New("no CA certificate to verify against")

// Verify judges a serving certificate as a Go TLS client does (Headlamp's, client-go's): chain[0], with
// the intermediates after it, must chain to one of roots, be valid at the given time with every
// certificate it chains through, name host (a DNS name or an IP address; "" skips the name) and allow
// server authentication. A failure is a *VerifyError that names each problem in words install and
// doctor both show.
func Verify(chain, roots []*x509.Certificate, host string, at time.Time) error {
	if len(roots) == 0 {
		return errNoRoots
	}
	return verify(chain, Pool(roots), roots, host, at)
}

// VerifyPool is Verify against a pool, such as the system roots plus a given CA. Its chain problems
// cannot name the CA, which a pool does not list.
func VerifyPool(chain []*x509.Certificate, roots *x509.CertPool, host string, at time.Time) error {
	if roots == nil {
		return errNoRoots
	}
	return verify(chain, roots, nil, host, at)
}

func verify(chain []*x509.Certificate, pool *x509.CertPool, roots []*x509.Certificate, host string, at time.Time) error {
	if len(chain) == 0 {
		return ErrNoCertificate
	}
	opts := x509.VerifyOptions{
		DNSName: host, Roots: pool, Intermediates: Pool(chain[1:]), CurrentTime: at,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	_, err := chain[0].Verify(opts)
	if err == nil {
		return nil
	}
	// x509 stops at the first problem, in an order of its own; the diagnosis names every one.
	problems := diagnose(chain, pool, roots, host, at)
	if len(problems) == 0 {
		problems = []Problem{{Kind: KindOther, Message: fmt.Sprintf("%s does not verify: %v", Describe(chain[0]), err)}}
	}
	return &VerifyError{Problems: problems, Err: err}
}

// Kind says which side of a serving certificate is wrong.
type Kind string

// The kinds of problem Verify tells apart.
const (
	KindChain    Kind = "chain"    // not signed by the CA the client trusts
	KindValidity Kind = "validity" // the certificate or one it chains to is expired or not yet valid
	KindHost     Kind = "host"     // does not name the host the client connects to
	KindUsage    Kind = "usage"    // its extended key usage does not allow serving TLS
	KindOther    Kind = "other"    // anything else x509 refused
)

// Problem is one reason a client refuses the certificate.
type Problem struct {
	Kind    Kind
	Message string
}

// VerifyError lists every problem of a serving certificate. Err is x509's own verdict.
type VerifyError struct {
	Problems []Problem
	Err      error
}

func (e *VerifyError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Message
	}
	return strings.Join(msgs, "; ")
}

func (e *VerifyError) Unwrap() error { return e.Err }

// Has tells whether one of the problems is of kind k.
func (e *VerifyError) Has(k Kind) bool {
	for _, p := range e.Problems {
		if p.Kind == k {
			return true
		}
	}
	return false
}

// Describe names a certificate briefly for messages: its subject common name, or its serial.
func Describe(c *x509.Certificate) string {
	if c.Subject.CommonName != "" {
		return fmt.Sprintf("certificate %q", c.Subject.CommonName)
	}
	return fmt.Sprintf("certificate serial %s", c.SerialNumber)
}
