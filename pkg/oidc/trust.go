package oidc

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/net/http/httpproxy"

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

// HTTPClient is the one HTTP client for the IdP, for doctor, install and login alike: this view's root
// pool, TLS 1.2 or later, and the proxy the environment names (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) read
// as kubectl and client-go read it, so that the plugin reaches the IdP wherever kubectl reaches the
// cluster. It has no overall timeout: callers bound each request with their context, so a hung IdP
// costs at most the check's time.
func (t Trust) HTTPClient() (*http.Client, error) {
	pool, err := t.Pool()
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = proxyFromEnvironment()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, InsecureSkipVerify: t.Insecure, MinVersion: tls.VersionTLS12} //nolint:gosec // mirrors Headlamp's own switch
	tr.TLSHandshakeTimeout = 10 * time.Second
	return &http.Client{Transport: tr}, nil
}

// proxyFromEnvironment is Go's http.ProxyFromEnvironment, which kubectl and client-go use, read when
// the client is built rather than once per process.
func proxyFromEnvironment() func(*http.Request) (*url.URL, error) {
	proxy := httpproxy.FromEnvironment().ProxyFunc()
	return func(r *http.Request) (*url.URL, error) { return proxy(r.URL) }
}
