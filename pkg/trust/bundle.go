// Package trust reads PEM certificate bundles and answers the questions TLS trust depends on: does this
// chain verify against that CA, which names does a certificate cover, how long is it valid, what is its
// fingerprint. It never handles private keys beyond skipping them.
package trust

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
)

// ErrNoCertificate means the data held no PEM CERTIFICATE block.
var ErrNoCertificate = errors.New("no PEM certificate found")

// ParseBundle returns every certificate of a PEM bundle, in order. Blocks of other types (private keys,
// parameters) are skipped without being looked at; a CERTIFICATE block that does not parse is an error
// naming its position.
func ParseBundle(data []byte) ([]*x509.Certificate, error) {
	return parse(data, false)
}

// parse is the one walk over PEM blocks; certsOnly refuses blocks of other types instead of skipping them.
func parse(data []byte, certsOnly bool) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for n := 1; ; n++ {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			if certsOnly {
				return nil, fmt.Errorf("PEM block %d is a %s: give only CA certificates", n, block.Type)
			}
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("parse PEM block %d: %w", n, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, ErrNoCertificate
	}
	return certs, nil
}

// Pool returns a certificate pool holding certs.
func Pool(certs []*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		p.AddCert(c)
	}
	return p
}
