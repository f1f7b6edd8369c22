package proxy

import (
	"context"
	"crypto/tls"
	"fmt"
	"sync"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// certSource serves the certificate of the proxy Secret, re-reading it at most once a second: the real
// proxy hot-reloads its mounted certificate, and tests replace it through the Secret.
type certSource struct {
	kube            kubernetes.Interface
	namespace, name string

	mu      sync.Mutex
	cert    *tls.Certificate
	fetched time.Time
}

func (c *certSource) getCertificate(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
	return c.current(hello.Context())
}

// current returns the Secret's certificate; a Secret that cannot be read or parsed keeps the last good
// certificate in service, as a file-watching server would.
func (c *certSource) current(ctx context.Context) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cert != nil && time.Since(c.fetched) < time.Second {
		return c.cert, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	sec, err := c.kube.CoreV1().Secrets(c.namespace).Get(ctx, c.name, metav1.GetOptions{})
	if err == nil {
		var cert tls.Certificate
		if cert, err = tls.X509KeyPair(sec.Data["tls.crt"], sec.Data["tls.key"]); err == nil {
			c.cert, c.fetched = &cert, time.Now()
		}
	}
	if c.cert == nil {
		return nil, fmt.Errorf("load serving certificate from secret %s/%s: %w", c.namespace, c.name, err)
	}
	return c.cert, nil
}
