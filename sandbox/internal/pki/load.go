package pki

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
)

// Load reads a pair written by Write.
func Load(certFile, keyFile string) (Pair, error) {
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		return Pair{}, fmt.Errorf("read certificate: %w", err)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		return Pair{}, fmt.Errorf("read key: %w", err)
	}
	cb, _ := pem.Decode(certPEM)
	kb, _ := pem.Decode(keyPEM)
	if cb == nil || kb == nil {
		return Pair{}, errors.New("decode pem: no block found")
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return Pair{}, fmt.Errorf("parse certificate: %w", err)
	}
	key, err := x509.ParseECPrivateKey(kb.Bytes)
	if err != nil {
		return Pair{}, fmt.Errorf("parse key: %w", err)
	}
	return Pair{Cert: cert, Key: key}, nil
}

// WriteServiceAccountKeys makes the RSA key pair the API server signs service-account tokens with.
func WriteServiceAccountKeys(privFile, pubFile string) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return fmt.Errorf("generate service-account key: %w", err)
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return fmt.Errorf("encode service-account public key: %w", err)
	}
	priv := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := os.WriteFile(privFile, priv, 0o600); err != nil {
		return fmt.Errorf("write service-account key: %w", err)
	}
	if err := os.WriteFile(pubFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub}), 0o644); err != nil {
		return fmt.Errorf("write service-account public key: %w", err)
	}
	return nil
}
