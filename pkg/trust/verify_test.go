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

// TestVerifySaysWhichSide: each way a TLS client refuses a serving certificate is named, in words,
// with its kind; a certificate wrong in several ways lists each.
func TestVerifySaysWhichSide(t *testing.T) {
	now := time.Now()
	ca, other := trusttest.NewCA(t, "proxy-ca"), trusttest.NewCA(t, "other-ca")
	const host = "capsule-proxy.capsule-system.svc"
	issue := func(l trusttest.Leaf) []*x509.Certificate {
		l.CommonName = "capsule-proxy"
		if l.DNSNames == nil {
			l.DNSNames = []string{host}
		}
		return []*x509.Certificate{ca.Issue(t, l).Cert}
	}
	expiredCA := trusttest.NewCAValid(t, "old-ca", now.AddDate(-2, 0, 0), now.AddDate(-1, 0, 0))
	cases := []struct {
		name  string
		chain []*x509.Certificate
		roots []*x509.Certificate
		host  string
		kinds []Kind
		says  []string
	}{
		{"good", issue(trusttest.Leaf{}), []*x509.Certificate{ca.Cert}, host, nil, nil},
		{"no extended key usage", issue(trusttest.Leaf{ExtKeyUsage: []x509.ExtKeyUsage{}}), []*x509.Certificate{ca.Cert}, host, nil, nil},
		{"IP address", issue(trusttest.Leaf{IPs: []net.IP{net.ParseIP("10.0.0.1")}}), []*x509.Certificate{ca.Cert}, "10.0.0.1", nil, nil},
		{"client authentication only", issue(trusttest.Leaf{ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}),
			[]*x509.Certificate{ca.Cert}, host, []Kind{KindUsage},
			[]string{`certificate "capsule-proxy" is not a server certificate: its extended key usage allows client authentication only`,
				"x509: certificate specifies an incompatible key usage"}},
		{"another CA", issue(trusttest.Leaf{}), []*x509.Certificate{other.Cert}, host, []Kind{KindChain},
			[]string{`(issued by "CN=proxy-ca") is not signed by the CA (CN=other-ca)`}},
		{"another host", issue(trusttest.Leaf{}), []*x509.Certificate{ca.Cert}, "capsule-proxy.capsule-system.svc.cluster.local",
			[]Kind{KindHost}, []string{"does not name capsule-proxy.capsule-system.svc.cluster.local, the host the client connects to (it names " + host + ")"}},
		{"expired", issue(trusttest.Leaf{NotBefore: now.AddDate(0, -2, 0), NotAfter: now.AddDate(0, -1, 0)}),
			[]*x509.Certificate{ca.Cert}, host, []Kind{KindValidity}, []string{`certificate "capsule-proxy" expired on`}},
		{"not yet valid", issue(trusttest.Leaf{NotBefore: now.Add(time.Hour), NotAfter: now.AddDate(0, 1, 0)}),
			[]*x509.Certificate{ca.Cert}, host, []Kind{KindValidity}, []string{"is not valid before"}},
		{"expired CA", []*x509.Certificate{expiredCA.Issue(t, trusttest.Leaf{CommonName: "x", DNSNames: []string{host},
			NotBefore: now.AddDate(-2, 0, 0), NotAfter: now.AddDate(1, 0, 0)}).Cert},
			[]*x509.Certificate{expiredCA.Cert}, host, []Kind{KindValidity}, []string{`CA certificate "old-ca" expired on`}},
		{"everything wrong", issue(trusttest.Leaf{ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, DNSNames: []string{}}),
			[]*x509.Certificate{other.Cert}, host, []Kind{KindChain, KindHost, KindUsage}, []string{"it names no host", "; "}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Verify(tc.chain, tc.roots, tc.host, now)
			if tc.kinds == nil {
				if err != nil {
					t.Fatalf("Verify() = %v, want nil", err)
				}
				return
			}
			var ve *VerifyError
			if !errors.As(err, &ve) {
				t.Fatalf("Verify() = %v, want a *VerifyError", err)
			}
			if len(ve.Problems) != len(tc.kinds) {
				t.Errorf("problems %+v, want kinds %v", ve.Problems, tc.kinds)
			}
			for _, k := range tc.kinds {
				if !ve.Has(k) {
					t.Errorf("%q lacks a %s problem", err, k)
				}
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("%q does not say %q", err, s)
				}
			}
		})
	}
}

func TestVerifyPool(t *testing.T) {
	ca, other := trusttest.NewCA(t, "idp-ca"), trusttest.NewCA(t, "other")
	chain := []*x509.Certificate{ca.Issue(t, trusttest.Leaf{CommonName: "dex", DNSNames: []string{"dex.example"}}).Cert}
	if err := VerifyPool(chain, Pool([]*x509.Certificate{other.Cert, ca.Cert}), "dex.example", time.Now()); err != nil {
		t.Errorf("VerifyPool() = %v", err)
	}
	err := VerifyPool(chain, Pool([]*x509.Certificate{other.Cert}), "dex.example", time.Now())
	var ve *VerifyError
	if !errors.As(err, &ve) || !ve.Has(KindChain) || !strings.Contains(err.Error(), "does not chain to a trusted CA") {
		t.Errorf("VerifyPool(another CA) = %v", err)
	}
	if err := VerifyPool(chain, nil, "", time.Now()); err == nil {
		t.Error("VerifyPool(nil) verified")
	}
	if err := Verify(nil, []*x509.Certificate{ca.Cert}, "", time.Now()); !errors.Is(err, ErrNoCertificate) {
		t.Errorf("Verify(no chain) = %v", err)
	}
}

func TestReadBundle(t *testing.T) {
	a, b := trusttest.NewCA(t, "a"), trusttest.NewCA(t, "b")
	withComments := bytes.Join([][]byte{[]byte("# a\n"), a.CertPEM(), []byte("# b\n"), b.CertPEM(), a.CertPEM()}, nil)
	got, err := ReadBundle(bytes.NewReader(withComments))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Certs) != 2 || !bytes.Equal(got.PEM, append(a.CertPEM(), b.CertPEM()...)) {
		t.Errorf("ReadBundle() kept %d certificates, PEM %q", len(got.Certs), got.PEM)
	}
	cases := map[string]struct {
		data []byte
		want string
	}{
		"private key":   {append(a.CertPEM(), a.KeyPEM()...), "PEM block 2 is a EC PRIVATE KEY: give only CA certificates"},
		"no PEM":        {[]byte("not pem"), ErrNoCertificate.Error()},
		"over the size": {bytes.Repeat(a.CertPEM(), MaxBundle/len(a.CertPEM())+1), "too large: a CA bundle is at most 1024 KiB"},
	}
	for name, tc := range cases {
		if _, err := ReadBundle(bytes.NewReader(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: ReadBundle() = %v, want %q", name, err, tc.want)
		}
	}
}
