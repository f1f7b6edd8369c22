package stack

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/internal/pki"
)

var loopback = []net.IP{net.ParseIP(Host)}

// ProxySANs are the names the capsule-proxy chart puts in its serving certificate, plus the loopback
// names the sandbox reaches it by.
var ProxySANs = []string{"capsule-proxy", "capsule-proxy.capsule-system.svc", "localhost"}

// makePKI writes three separate CAs (cluster, OIDC, proxy) on purpose, so that a client trusting the
// wrong one fails the way it would on a real cluster.
func makePKI(l Layout) error {
	cluster, err := newCA(l, "cluster-ca", "sandbox-cluster-ca")
	if err != nil {
		return err
	}
	leaves := []struct {
		ca   pki.Pair
		name string
		leaf pki.Leaf
	}{
		{cluster, "apiserver", pki.Leaf{CommonName: "kube-apiserver", IPs: append(loopback, net.ParseIP("10.0.0.1")),
			DNSNames: []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"}}},
		{cluster, "admin", pki.Leaf{CommonName: "sandbox-admin", Organization: []string{"system:masters"}, Client: true}},
		{cluster, "kwok", pki.Leaf{CommonName: FakeNodeName, IPs: loopback, DNSNames: []string{FakeNodeName, "localhost"}}},
		{cluster, "capsule-webhook", pki.Leaf{CommonName: "capsule-webhook", IPs: loopback, DNSNames: []string{"localhost"}}},
	}
	oidc, err := newCA(l, "oidc-ca", "sandbox-oidc-ca")
	if err != nil {
		return err
	}
	leaves = append(leaves, struct {
		ca   pki.Pair
		name string
		leaf pki.Leaf
	}{oidc, "dex", pki.Leaf{CommonName: "dex", IPs: loopback, DNSNames: []string{"localhost"}}})
	for _, lf := range leaves {
		p, err := lf.ca.Issue(lf.leaf)
		if err != nil {
			return err
		}
		if err := p.Write(l.PKI(lf.name+".crt"), l.PKI(lf.name+".key")); err != nil {
			return err
		}
	}
	proxyCA, err := newCA(l, "proxy-ca", "sandbox-capsule-proxy-ca")
	if err != nil {
		return err
	}
	proxy, err := proxyCA.Issue(ProxyLeaf())
	if err != nil {
		return err
	}
	if err := proxy.Write(l.PKI("proxy.crt"), l.PKI("proxy.key")); err != nil {
		return err
	}
	if err := pki.WriteServiceAccountKeys(l.PKI("sa.key"), l.PKI("sa.pub")); err != nil {
		return err
	}
	return writeClientSecret(l.ClientSecretFile())
}

// ProxyLeaf describes the healthy capsule-proxy serving certificate.
func ProxyLeaf() pki.Leaf {
	return pki.Leaf{CommonName: "capsule-proxy", DNSNames: ProxySANs, IPs: loopback}
}

func newCA(l Layout, file, name string) (pki.Pair, error) {
	ca, err := pki.NewCA(name)
	if err != nil {
		return pki.Pair{}, err
	}
	return ca, ca.Write(l.PKI(file+".crt"), l.PKI(file+".key"))
}

// writeClientSecret generates the headlamp client secret; it lives only in this 0600 file and in Dex's
// 0600 config, never on a command line or in output.
func writeClientSecret(file string) error {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return fmt.Errorf("generate client secret: %w", err)
	}
	if err := os.WriteFile(file, []byte(hex.EncodeToString(b)), 0o600); err != nil {
		return fmt.Errorf("write client secret: %w", err)
	}
	return nil
}
