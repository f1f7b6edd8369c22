package kube

import (
	"context"
	"net"
	"sync"
)

// DialPodPort opens a single connection to a pod port through the API server's port-forward, for a
// one-off exchange such as a TLS handshake with a pod behind a Service. Closing the returned
// connection ends the port-forward and every goroutine it started.
//
//	conn, err := kube.DialPodPort(ctx, kube.ForwardOptions{
//		Pods:   kube.ServicePods{Client: cs, Namespace: ns, Service: "capsule-proxy", ServicePort: 9001},
//		Dialer: kube.APIServerDialer{Config: cfg, Client: cs},
//	})
func DialPodPort(ctx context.Context, opts ForwardOptions) (net.Conn, error) {
	f := NewForwarder(ctx, opts)
	c, err := f.dial(ctx)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &ownedConn{streamConn: c, f: f}, nil
}

// ownedConn is a forwarded connection that owns its Forwarder.
type ownedConn struct {
	*streamConn
	f    *Forwarder
	once sync.Once
}

// Close closes the connection and its port-forward.
func (c *ownedConn) Close() error {
	c.once.Do(func() {
		_ = c.streamConn.Close()
		c.f.Close()
	})
	return nil
}
