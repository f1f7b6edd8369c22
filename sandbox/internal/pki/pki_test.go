package pki

import (
	"crypto/x509"
	"net"
	"path/filepath"
	"testing"
	"time"
)

func TestIssuedLeafVerifiesOnlyAgainstItsCA(t *testing.T) {
	ca, err := NewCA("test-ca")
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewCA("other-ca")
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := ca.Issue(Leaf{CommonName: "svc", DNSNames: []string{"svc.ns.svc"}, IPs: []net.IP{net.ParseIP("127.0.0.1")}})
	if err != nil {
		t.Fatal(err)
	}
	pool := func(p Pair) *x509.CertPool { cp := x509.NewCertPool(); cp.AddCert(p.Cert); return cp }
	if _, err := leaf.Cert.Verify(x509.VerifyOptions{Roots: pool(ca), DNSName: "svc.ns.svc"}); err != nil {
		t.Errorf("leaf against its CA: %v", err)
	}
	if _, err := leaf.Cert.Verify(x509.VerifyOptions{Roots: pool(other)}); err == nil {
		t.Error("leaf verified against another CA")
	}
	if err := leaf.Cert.VerifyHostname("127.0.0.1"); err != nil {
		t.Errorf("IP SAN: %v", err)
	}
}

func TestExpiredLeafAndRoundTrip(t *testing.T) {
	ca, err := NewCA("test-ca")
	if err != nil {
		t.Fatal(err)
	}
	old, err := ca.Issue(Leaf{CommonName: "old", NotBefore: time.Now().Add(-2 * time.Hour), NotAfter: time.Now().Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	crt, key := filepath.Join(dir, "c.crt"), filepath.Join(dir, "c.key")
	if err := old.Write(crt, key); err != nil {
		t.Fatal(err)
	}
	back, err := Load(crt, key)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Cert.Equal(old.Cert) || !back.Key.Equal(old.Key) {
		t.Error("loaded pair differs from the written one")
	}
	if !back.Cert.NotAfter.Before(time.Now()) {
		t.Errorf("NotAfter %v is not in the past", back.Cert.NotAfter)
	}
}
