package install

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// checkProxySecret reads capsule-proxy's CA from its Secret (ca.crt from cert-manager, or ca from the
// certgen Job) and makes sure it verifies the Secret's own serving certificate for the host Headlamp
// will use. Only the CA certificate leaves this function; the key is never read into a result.
func (p *preflight) checkProxySecret(ctx context.Context) Facts {
	px := p.opts.Settings.Proxy
	what := fmt.Sprintf("capsule-proxy secret %s/%s", px.Namespace, px.Secret)
	sec, err := p.cs.CoreV1().Secrets(px.Namespace).Get(ctx, px.Secret, metav1.GetOptions{})
	if err != nil {
		p.apiProblem(err, what, "check that capsule-proxy serves TLS from this Secret, or name it with --proxy-ca-secret")
		return Facts{}
	}
	key := p.opts.ProxyCAKey
	if key == "" {
		key = headlamp.CAKey
		if len(sec.Data[key]) == 0 && len(sec.Data[headlamp.ProxyCAKeyCertgen]) > 0 {
			key = headlamp.ProxyCAKeyCertgen
		}
	}
	ca := sec.Data[key]
	if len(ca) == 0 {
		p.add("%s holds no CA certificate under key %q", "capsule-proxy's certificate must come with its CA (cert-manager writes ca.crt, the certgen Job writes ca); name another key with --proxy-ca-key", what, key)
		return Facts{}
	}
	if err := verifyServing(ca, sec.Data["tls.crt"], px.APIHost(), time.Now()); err != nil {
		p.add("%s: %v", "Headlamp would reject capsule-proxy's certificate; fix or re-issue the certificate", what, err)
		return Facts{}
	}
	return Facts{ProxyCA: ca, ProxyCAKey: key}
}

// verifyServing checks that caPEM verifies the leaf of chainPEM as a server certificate for host.
func verifyServing(caPEM, chainPEM []byte, host string, now time.Time) error {
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(caPEM) {
		return errors.New("the CA is not a PEM certificate")
	}
	chain, err := parseCerts(chainPEM)
	if err != nil {
		return fmt.Errorf("tls.crt: %w", err)
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	opts := x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: now,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	if _, err := chain[0].Verify(opts); err != nil {
		return fmt.Errorf("the CA does not verify tls.crt: %w", err)
	}
	if host != "" && net.ParseIP(host) == nil {
		if err := chain[0].VerifyHostname(host); err != nil {
			return fmt.Errorf("tls.crt is not valid for %s, the host Headlamp connects to: %w", host, err)
		}
	}
	return nil
}

func parseCerts(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, errors.New("no PEM certificate")
	}
	return certs, nil
}
