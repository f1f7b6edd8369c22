package oidc

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// Trust says which certificate authorities a party accepts for the IdP's TLS certificate. Headlamp
// trusts the system roots (plus any folder added through SSL_CERT_DIR) unless -oidc-ca-file is set,
// which then REPLACES them; the plugin trusts the system roots plus what the user gives it.
type Trust struct {
	// Name says whose view this is ("headlamp", "plugin") in messages.
	Name string
	// SystemRoots starts from the system's root pool.
	SystemRoots bool
	// PEM holds extra CA certificates, appended to the pool.
	PEM []byte
	// Insecure skips verification, as Headlamp's -oidc-skip-tls-verify does.
	Insecure bool
}

// Pool returns the certificate pool of this view.
func (t Trust) Pool() (*x509.CertPool, error) {
	pool := x509.NewCertPool()
	if t.SystemRoots {
		sys, err := x509.SystemCertPool()
		if err != nil {
			return nil, fmt.Errorf("load the system roots: %w", err)
		}
		pool = sys
	}
	if len(t.PEM) > 0 {
		certs, err := trust.ParseBundle(t.PEM)
		if err != nil {
			return nil, fmt.Errorf("read the IdP CA of %s: %w", t.Name, err)
		}
		for _, c := range certs {
			pool.AddCert(c)
		}
	}
	return pool, nil
}

// HTTPClient returns a client with this view's trust. It has no overall timeout: callers bound each
// request with their context, so a hung IdP costs at most the check's time.
func (t Trust) HTTPClient() (*http.Client, error) {
	pool, err := t.Pool()
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil                                                                                                // the IdP is reached the way the cluster reaches it, not through the user's proxy
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, InsecureSkipVerify: t.Insecure, MinVersion: tls.VersionTLS12} //nolint:gosec // mirrors Headlamp's own switch
	tr.TLSHandshakeTimeout = 10 * time.Second
	return &http.Client{Transport: tr}, nil
}
