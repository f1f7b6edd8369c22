package oidc

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"syscall"
)

// Reason classifies why a request to the IdP failed, so a check can tell "not trusted" from "not
// reachable" from "timed out".
type Reason string

// The reasons Classify tells apart.
const (
	ReasonUntrusted   Reason = "untrusted-certificate"
	ReasonHostname    Reason = "certificate-name-mismatch"
	ReasonExpired     Reason = "certificate-expired"
	ReasonTimeout     Reason = "timeout"
	ReasonRefused     Reason = "connection-refused"
	ReasonDNS         Reason = "name-not-resolved"
	ReasonHTTP        Reason = "http-error"
	ReasonOther       Reason = "other"
	ReasonNotTLSProto Reason = "not-tls"
)

// Classify returns the reason behind a request error.
func Classify(err error) Reason {
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		verify   *tls.CertificateVerificationError
		dns      *net.DNSError
		recHdr   tls.RecordHeaderError
		netErr   net.Error
	)
	switch {
	case errors.As(err, &unknown):
		return ReasonUntrusted
	case errors.As(err, &hostname):
		return ReasonHostname
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return ReasonExpired
	case errors.As(err, &verify):
		return ReasonUntrusted
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return ReasonTimeout
	case errors.Is(err, syscall.ECONNREFUSED):
		return ReasonRefused
	case errors.As(err, &dns):
		return ReasonDNS
	case errors.As(err, &recHdr):
		return ReasonNotTLSProto
	case errors.As(err, new(*HTTPError)):
		return ReasonHTTP
	}
	return ReasonOther
}

// HTTPError is an answer with an unexpected status.
type HTTPError struct {
	URL    string
	Status string
	Code   int
}

func (e *HTTPError) Error() string { return "GET " + e.URL + ": " + e.Status }
