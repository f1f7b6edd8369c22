package trust

import (
	"bytes"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust/trusttest"
)

func TestParseBundle(t *testing.T) {
	ca := trusttest.NewCA(t, "ca")
	leaf := ca.Issue(t, trusttest.Leaf{CommonName: "leaf"})
	bundle := bytes.Join([][]byte{leaf.CertPEM(), leaf.KeyPEM(), ca.CertPEM()}, nil)
	certs, err := ParseBundle(bundle)
	if err != nil {
		t.Fatal(err)
	}
	if len(certs) != 2 || certs[0].Subject.CommonName != "leaf" || certs[1].Subject.CommonName != "ca" {
		t.Fatalf("got %d certificates", len(certs))
	}
	if _, err := ParseBundle(leaf.KeyPEM()); !errors.Is(err, ErrNoCertificate) {
		t.Errorf("key only: err = %v", err)
	}
	if _, err := ParseBundle([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")); err == nil || !strings.Contains(err.Error(), "block 1") {
		t.Errorf("garbage certificate: err = %v", err)
	}
}

func TestVerify(t *testing.T) {
	ca, other := trusttest.NewCA(t, "proxy-ca"), trusttest.NewCA(t, "other-ca")
	leaf := ca.Issue(t, trusttest.Leaf{CommonName: "capsule-proxy", DNSNames: []string{"capsule-proxy.capsule-system.svc"}, IPs: []net.IP{net.ParseIP("127.0.0.1")}})
	now := time.Now()
	chain := []*x509.Certificate{leaf.Cert}
	if err := Verify(chain, []*x509.Certificate{ca.Cert}, "capsule-proxy.capsule-system.svc", now); err != nil {
		t.Errorf("good chain: %v", err)
	}
	if err := Verify(chain, []*x509.Certificate{ca.Cert}, "capsule-proxy.capsule-system.svc.cluster.local", now); err == nil {
		t.Error("a name outside the SANs verified")
	}
	if err := Verify(chain, []*x509.Certificate{other.Cert}, "", now); err == nil {
		t.Error("verified against the wrong CA")
	}
	if err := Verify(chain, []*x509.Certificate{ca.Cert}, "", now.AddDate(2, 0, 0)); err == nil {
		t.Error("verified after expiry")
	}
	if err := ChainsTo(chain, []*x509.Certificate{ca.Cert}); err != nil {
		t.Errorf("ChainsTo: %v", err)
	}
	if err := ChainsTo(chain, []*x509.Certificate{other.Cert}); err == nil {
		t.Error("ChainsTo the wrong CA")
	}
	inter := ca.IssueCA(t, "intermediate")
	viaInter := []*x509.Certificate{inter.Issue(t, trusttest.Leaf{CommonName: "via"}).Cert, inter.Cert}
	if err := ChainsTo(viaInter, []*x509.Certificate{ca.Cert}); err != nil {
		t.Errorf("ChainsTo through an intermediate: %v", err)
	}
	if err := ChainsTo(viaInter[:1], []*x509.Certificate{ca.Cert}); err == nil {
		t.Error("ChainsTo without the intermediate")
	}
	// A leaf backdated before its CA existed, and long expired, is still signed by it.
	old := ca.Issue(t, trusttest.Leaf{CommonName: "old", NotBefore: now.AddDate(-3, 0, 0), NotAfter: now.AddDate(-2, 0, 0)})
	if err := ChainsTo([]*x509.Certificate{old.Cert}, []*x509.Certificate{ca.Cert}); err != nil {
		t.Errorf("ChainsTo with a backdated expired leaf: %v", err)
	}
	if err := CoversHost(leaf.Cert, "127.0.0.1"); err != nil {
		t.Errorf("IP SAN: %v", err)
	}
}

func TestValidityAndSummary(t *testing.T) {
	ca := trusttest.NewCA(t, "ca")
	now := time.Now()
	leaf := ca.Issue(t, trusttest.Leaf{CommonName: "x", DNSNames: []string{"a"}, NotBefore: now.Add(-time.Hour), NotAfter: now.Add(10 * 24 * time.Hour)})
	soon := 30 * 24 * time.Hour
	tests := []struct {
		at   time.Time
		want ValidityState
	}{
		{now.Add(-2 * time.Hour), NotYetValid},
		{now.Add(-30 * 24 * time.Hour), NotYetValid},
		{now, ExpiringSoon},
		{now.Add(11 * 24 * time.Hour), Expired},
	}
	for _, tt := range tests {
		if got := CheckValidity(leaf.Cert, tt.at, soon).State; got != tt.want {
			t.Errorf("at %s: %s, want %s", tt.at, got, tt.want)
		}
	}
	if got := CheckValidity(ca.Cert, now, soon).State; got != Valid {
		t.Errorf("ten-year CA: %s", got)
	}
	s := Summarize(leaf.Cert)
	if len(s.Fingerprint) != 95 || s.SANs[0] != "a" || s.IsCA {
		t.Errorf("summary %+v", s)
	}
}

func FuzzParseBundle(f *testing.F) {
	ca := trusttest.NewCA(f, "seed")
	f.Add(ca.CertPEM())
	f.Add(append(ca.CertPEM(), ca.KeyPEM()...))
	f.Add([]byte("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"))
	f.Add([]byte("not pem"))
	f.Fuzz(func(t *testing.T, data []byte) {
		certs, err := ParseBundle(data)
		if err == nil && len(certs) == 0 {
			t.Fatal("no error and no certificate")
		}
		if err != nil && certs != nil {
			t.Fatal("certificates returned with an error")
		}
		for _, c := range certs {
			_ = Summarize(c)
		}
	})
}
