package identity

import (
	"bytes"
	"cmp"
	"context"
	"io"
	"net/http"
	"sync"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// answerLimit bounds the part of an answer doctor reads: enough for a page of a list, and for the rows
// of about 100,000 namespaces (TENANT-NAMESPACES' Table).
const answerLimit = 8 << 20

// ProxyRequests sends the requests through capsule-proxy concurrently, over the run's client (HTTP/2
// lets them share its connection), so that the views cost about one round trip, not one each.
func (k *KubeCluster) ProxyRequests(ctx context.Context, ep *ProxyEndpoint, tok oidc.Secret, reqs []ProxyRequest) []ProxyAnswer {
	out := make([]ProxyAnswer, len(reqs))
	cfg, hc, err := k.proxy.get(ep, tok)
	if err != nil {
		for i := range out {
			out[i].Err = err
		}
		return out
	}
	var wg sync.WaitGroup
	for i, r := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = proxyDo(ctx, hc, cfg.Host, r)
		}()
	}
	wg.Wait()
	return out
}

func proxyDo(ctx context.Context, hc *http.Client, host string, r ProxyRequest) ProxyAnswer {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, host+r.Path, body)
	if err != nil {
		return ProxyAnswer{Err: err}
	}
	req.Header.Set("Accept", cmp.Or(r.Accept, "application/json"))
	if r.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return ProxyAnswer{Err: err}
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(io.LimitReader(resp.Body, answerLimit))
	return ProxyAnswer{Code: resp.StatusCode, Body: data, Err: err}
}
