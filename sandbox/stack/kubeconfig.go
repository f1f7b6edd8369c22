package stack

import (
	"context"
	"fmt"
	"os"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// kubeconfigFor builds a one-context kubeconfig. Files are written 0600: they hold credentials.
func kubeconfigFor(name, server string, caPEM []byte, user *clientcmdapi.AuthInfo) *clientcmdapi.Config {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters[name] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: caPEM}
	cfg.AuthInfos[name] = user
	cfg.Contexts[name] = &clientcmdapi.Context{Cluster: name, AuthInfo: name}
	cfg.CurrentContext = name
	return cfg
}

func writeKubeconfig(path string, cfg *clientcmdapi.Config) error {
	data, err := clientcmd.Write(*cfg)
	if err != nil {
		return fmt.Errorf("encode kubeconfig: %w", err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("write kubeconfig %s: %w", path, err)
	}
	return nil
}

// writeAdminKubeconfig writes the cluster-admin kubeconfig (client certificate in system:masters).
func writeAdminKubeconfig(l Layout) error {
	files := map[string][]byte{}
	for _, f := range []string{"cluster-ca.crt", "admin.crt", "admin.key"} {
		b, err := os.ReadFile(l.PKI(f))
		if err != nil {
			return fmt.Errorf("read %s: %w", f, err)
		}
		files[f] = b
	}
	user := &clientcmdapi.AuthInfo{ClientCertificateData: files["admin.crt"], ClientKeyData: files["admin.key"]}
	return writeKubeconfig(l.AdminKubeconfig(), kubeconfigFor("sandbox-admin", APIServerURL, files["cluster-ca.crt"], user))
}

// WriteAdminKubeconfig copies the cluster-admin kubeconfig to path.
func (s *Stack) WriteAdminKubeconfig(path string) error {
	data, err := os.ReadFile(s.layout.AdminKubeconfig())
	if err != nil {
		return fmt.Errorf("read the admin kubeconfig: %w", err)
	}
	return os.WriteFile(path, data, 0o600)
}

// WriteUserKubeconfig writes a kubeconfig for user with a fresh ID token (client `kubernetes`),
// sent straight to the API server.
func (s *Stack) WriteUserKubeconfig(ctx context.Context, path, user string) error {
	return s.writeTokenKubeconfig(ctx, path, user, APIServerURL, s.layout.PKI("cluster-ca.crt"))
}

// WriteProxyKubeconfig writes a kubeconfig for user with a fresh ID token (client `headlamp`, as
// Headlamp would forward it) that goes through the capsule-proxy stand-in.
func (s *Stack) WriteProxyKubeconfig(ctx context.Context, path, user string) error {
	return s.writeTokenKubeconfig(ctx, path, user, ProxyURL, s.layout.PKI("proxy-ca.crt"))
}

func (s *Stack) writeTokenKubeconfig(ctx context.Context, path, user, server, caFile string) error {
	client := KubernetesClientID
	if server == ProxyURL {
		client = HeadlampClientID
	}
	tok, err := s.Token(ctx, user, client, nil)
	if err != nil {
		return err
	}
	ca, err := os.ReadFile(caFile)
	if err != nil {
		return fmt.Errorf("read CA: %w", err)
	}
	name := "sandbox-" + user
	if server == ProxyURL {
		name += "-proxy"
	}
	return writeKubeconfig(path, kubeconfigFor(name, server, ca, &clientcmdapi.AuthInfo{Token: tok}))
}
