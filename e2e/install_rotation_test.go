package e2e

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestInstallRollsPodOnProxyCAChange starts from a certgen-style proxy Secret (CA under key "ca"),
// then rotates the proxy CA (new CA under "ca.crt", new certificate); the second install must
// project the new key and restart Headlamp, which reads its CA only at start.
func TestInstallRollsPodOnProxyCAChange(t *testing.T) {
	ns := stack.CapsuleNamespace
	restore, err := sb.ReplaceProxyCert(t.Context(), stack.ProxyCAUnderKeyCA)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := restore(context.Background()); err != nil {
			t.Errorf("restore the proxy certificate: %v", err)
		}
	})
	uninstallAtCleanup(t, ns)
	mustSucceed(t, runAsAdmin(t, installArgs(ns)...))
	first := waitAvailable(t, ns, "headlamp")
	if key := projectedProxyCAKey(t, ns); key != "ca" {
		t.Errorf("with a certgen Secret the pod projects key %q, want ca", key)
	}

	if err := sb.SetProxySecretData(t.Context(), rotatedProxyCert(t)); err != nil {
		t.Fatal(err)
	}
	run := runAsAdmin(t, installArgs(ns)...)
	mustSucceed(t, run)
	mustContain(t, "stderr", run.Stderr, "deployment.apps/headlamp configured")
	if key := projectedProxyCAKey(t, ns); key != "ca.crt" {
		t.Errorf("after the rotation the pod projects key %q, want ca.crt", key)
	}
	eventually(t, "a new Headlamp pod", func(ctx context.Context) error {
		pods, err := sb.Kube().CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: "app.kubernetes.io/name=headlamp"})
		if err != nil {
			return err
		}
		for _, p := range pods.Items {
			if p.UID == first.UID {
				return errors.New("the old pod is still there")
			}
		}
		if len(pods.Items) != 1 || pods.Items[0].Status.Phase != corev1.PodRunning {
			return errors.New("the new pod is not running yet")
		}
		return nil
	})
}

func projectedProxyCAKey(t *testing.T, ns string) string {
	t.Helper()
	dep, err := sb.Kube().AppsV1().Deployments(ns).Get(t.Context(), "headlamp", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range dep.Spec.Template.Spec.Volumes {
		if v.Projected != nil {
			for _, src := range v.Projected.Sources {
				if src.Secret != nil {
					return src.Secret.Items[0].Key
				}
			}
		}
	}
	return ""
}

// rotatedProxyCert is a new CA and a serving certificate from it, with the SANs capsule-proxy's
// chart gives, in cert-manager's Secret layout.
func rotatedProxyCert(t *testing.T) map[string][]byte {
	t.Helper()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(10), Subject: pkix.Name{CommonName: "rotated proxy CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(11), Subject: pkix.Name{CommonName: "capsule-proxy"},
		DNSNames:    []string{"capsule-proxy", "capsule-proxy.capsule-system.svc", "localhost"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:   time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	return map[string][]byte{
		"ca.crt":  pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		"tls.crt": pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		"tls.key": pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}),
	}
}
