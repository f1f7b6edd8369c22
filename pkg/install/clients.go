package install

import (
	"context"
	"net"

	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
)

// Clients are what install and uninstall talk to.
type Clients struct {
	Kube kubernetes.Interface
	// Dynamic reads and writes the Gateway API's objects, which have no typed client here.
	Dynamic dynamic.Interface
	// LookupHost resolves the IdP's host for the network policy; nil uses the system resolver.
	LookupHost func(ctx context.Context, host string) ([]string, error)
}

func (c Clients) lookupHost(ctx context.Context, host string) ([]string, error) {
	if c.LookupHost != nil {
		return c.LookupHost(ctx, host)
	}
	return net.DefaultResolver.LookupHost(ctx, host)
}
