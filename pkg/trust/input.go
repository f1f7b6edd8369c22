package trust

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
)

// MaxBundle bounds a CA bundle a user hands in: a system trust store is a few hundred KiB, and a bundle
// Headlamp mounts must fit in a ConfigMap (1 MiB).
const MaxBundle = 1 << 20

// ErrTooLarge means an input is larger than its limit.
var ErrTooLarge = errors.New("too large")

// Bundle is a CA bundle read from the user: each distinct certificate once, in order, and the PEM of
// exactly those certificates (comments, other blocks and duplicates dropped).
type Bundle struct {
	Certs []*x509.Certificate
	PEM   []byte
}

// ReadBundle reads a CA bundle of at most MaxBundle bytes. It takes CERTIFICATE blocks and nothing
// else: a private key in a CA file would be copied wherever the CA goes. Identical certificates,
// common when bundles are concatenated, are kept once.
func ReadBundle(r io.Reader) (Bundle, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBundle+1))
	if err != nil {
		return Bundle{}, err
	}
	if len(data) > MaxBundle {
		return Bundle{}, fmt.Errorf("%w: a CA bundle is at most %d KiB", ErrTooLarge, MaxBundle>>10)
	}
	certs, err := parse(data, true)
	if err != nil {
		return Bundle{}, err
	}
	var b Bundle
	seen := map[string]bool{}
	for _, c := range certs {
		if seen[string(c.Raw)] {
			continue
		}
		seen[string(c.Raw)] = true
		b.Certs = append(b.Certs, c)
		b.PEM = append(b.PEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return b, nil
}
