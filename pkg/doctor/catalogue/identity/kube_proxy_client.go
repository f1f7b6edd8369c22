package identity

import (
	"crypto/sha256"
	"net/http"
	"sync"

	"k8s.io/client-go/rest"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// proxyClients keeps one HTTP client per way to capsule-proxy and token, so that a run's requests
// through capsule-proxy (the reviews, the namespace list, the views) share their connections instead
// of opening a port-forward and a TLS session each.
type proxyClients struct {
	mu sync.Mutex
	m  map[proxyClientKey]proxyClient
}

// proxyClientKey holds a digest of the token, never the token.
type proxyClientKey struct {
	ep  *ProxyEndpoint
	tok [sha256.Size]byte
}

type proxyClient struct {
	cfg *rest.Config
	hc  *http.Client
}

// get returns the client for ep and tok, building it on first use.
func (p *proxyClients) get(ep *ProxyEndpoint, tok oidc.Secret) (*rest.Config, *http.Client, error) {
	key := proxyClientKey{ep: ep, tok: sha256.Sum256([]byte(tok.Reveal()))}
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.m[key]; ok {
		return c.cfg, c.hc, nil
	}
	cfg, err := proxyConfig(ep, tok)
	if err != nil {
		return nil, nil, err
	}
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return nil, nil, err
	}
	if p.m == nil {
		p.m = map[proxyClientKey]proxyClient{}
	}
	p.m[key] = proxyClient{cfg: cfg, hc: hc}
	return cfg, hc, nil
}
