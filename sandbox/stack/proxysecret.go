package stack

import (
	"context"
	"fmt"
	"os"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// applyProxyObjects stores the proxy's serving certificate the way cert-manager does (tls.crt, tls.key,
// ca.crt) and creates the capsule-proxy Deployment and Service.
func (s *Stack) applyProxyObjects(ctx context.Context) error {
	data, err := s.healthyProxySecretData()
	if err != nil {
		return err
	}
	if err := s.SetProxySecretData(ctx, data); err != nil {
		return err
	}
	_, err = s.Apply(ctx, []byte(proxyObjects))
	return err
}

func (s *Stack) healthyProxySecretData() (map[string][]byte, error) {
	data := map[string][]byte{}
	for key, file := range map[string]string{"tls.crt": "proxy.crt", "tls.key": "proxy.key", "ca.crt": "proxy-ca.crt"} {
		b, err := os.ReadFile(s.layout.PKI(file))
		if err != nil {
			return nil, fmt.Errorf("read proxy certificate: %w", err)
		}
		data[key] = b
	}
	return data, nil
}

// ProxySecret reads Secret capsule-system/capsule-proxy.
func (s *Stack) ProxySecret(ctx context.Context) (*corev1.Secret, error) {
	sec, err := s.kube.CoreV1().Secrets(CapsuleNamespace).Get(ctx, ProxySecretName, metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("read secret %s/%s: %w", CapsuleNamespace, ProxySecretName, err)
	}
	return sec, nil
}

// SetProxySecretData replaces the whole data of Secret capsule-system/capsule-proxy (creating it if
// needed); the stand-in picks the new certificate up like the real proxy's hot reload.
func (s *Stack) SetProxySecretData(ctx context.Context, data map[string][]byte) error {
	secrets := s.kube.CoreV1().Secrets(CapsuleNamespace)
	sec, err := secrets.Get(ctx, ProxySecretName, metav1.GetOptions{})
	if ignoreNotFound(err) != nil {
		return fmt.Errorf("read proxy secret: %w", err)
	}
	if err != nil {
		sec = &corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{Name: ProxySecretName, Namespace: CapsuleNamespace,
				Labels: map[string]string{"app.kubernetes.io/name": "capsule-proxy"}},
			Type: corev1.SecretTypeTLS, Data: data,
		}
		_, err = secrets.Create(ctx, sec, metav1.CreateOptions{})
	} else {
		sec.Data = data
		_, err = secrets.Update(ctx, sec, metav1.UpdateOptions{})
	}
	if err != nil {
		return fmt.Errorf("write proxy secret: %w", err)
	}
	return nil
}
