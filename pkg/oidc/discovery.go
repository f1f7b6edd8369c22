package oidc

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxDocument bounds what is read from the IdP: discovery documents and key sets are a few KiB.
const maxDocument = 1 << 20

// Discovery is the part of an OpenID provider's discovery document the checks use, with the TLS chain
// the IdP presented.
type Discovery struct {
	Issuer                string   `json:"issuer"`
	AuthorizationEndpoint string   `json:"authorization_endpoint"`
	TokenEndpoint         string   `json:"token_endpoint"`
	JWKSURI               string   `json:"jwks_uri"`
	ScopesSupported       []string `json:"scopes_supported,omitempty"`
	SigningAlgs           []string `json:"id_token_signing_alg_values_supported,omitempty"`
	GrantTypes            []string `json:"grant_types_supported,omitempty"`
	CodeChallengeMethods  []string `json:"code_challenge_methods_supported,omitempty"`
	// PeerCertificates is the chain the IdP sent, leaf first (empty over plain HTTP).
	PeerCertificates []*x509.Certificate `json:"-"`
}

// WellKnownURL is where the discovery document of issuer lives (OpenID Connect Discovery 1.0 §4: a
// trailing slash of the issuer is dropped before appending the path).
func WellKnownURL(issuer string) string {
	return strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
}

// Discover fetches and decodes the discovery document of issuer. It does not compare the document's
// issuer with the one asked for: CompareIssuers does, so that a mismatch is reported with both values.
func Discover(ctx context.Context, c *http.Client, issuer string) (*Discovery, error) {
	resp, err := get(ctx, c, WellKnownURL(issuer))
	if err != nil {
		return nil, err
	}
	var d Discovery
	if err := json.Unmarshal(resp.body, &d); err != nil {
		return nil, fmt.Errorf("decode the discovery document at %s: %w", WellKnownURL(issuer), err)
	}
	if d.Issuer == "" || d.JWKSURI == "" || d.TokenEndpoint == "" {
		return nil, fmt.Errorf("the discovery document at %s lacks issuer, jwks_uri or token_endpoint: is this an OpenID provider?", WellKnownURL(issuer))
	}
	d.PeerCertificates = resp.peers
	return &d, nil
}

// CompareIssuers returns nil when got is exactly want. Every party compares issuers as plain strings,
// so a trailing slash or a different host name for the same IdP is a mismatch; the message says which.
func CompareIssuers(want, got string) error {
	if want == got {
		return nil
	}
	if strings.TrimSuffix(want, "/") == strings.TrimSuffix(got, "/") {
		return fmt.Errorf("issuer %q differs from %q by a trailing slash only, and issuers are compared as exact strings", got, want)
	}
	return fmt.Errorf("issuer %q differs from %q", got, want)
}

// Supports tells whether the IdP advertises scope. An IdP that lists no scopes is given the benefit of
// the doubt.
func (d *Discovery) Supports(scope string) bool {
	if len(d.ScopesSupported) == 0 {
		return true
	}
	for _, s := range d.ScopesSupported {
		if s == scope {
			return true
		}
	}
	return false
}

type fetched struct {
	body  []byte
	peers []*x509.Certificate
}

// get fetches a JSON document with status 200.
func get(ctx context.Context, c *http.Client, url string) (*fetched, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("build a request for %s: %w", url, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, &HTTPError{URL: url, Status: resp.Status, Code: resp.StatusCode}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxDocument))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", url, err)
	}
	f := &fetched{body: body}
	if resp.TLS != nil {
		f.peers = resp.TLS.PeerCertificates
	}
	return f, nil
}
