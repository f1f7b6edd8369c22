package cli

import (
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/rest"
)

// pollingClient raises client-go's default client-side rate limit (5 requests per second), which the
// wait's polling alone would use up, so that its reads are never delayed into the timeout.
type pollingClient struct {
	genericclioptions.RESTClientGetter
}

func (g pollingClient) ToRESTConfig() (*rest.Config, error) {
	cfg, err := g.RESTClientGetter.ToRESTConfig()
	if err != nil {
		return nil, err
	}
	cfg = rest.CopyConfig(cfg)
	cfg.QPS, cfg.Burst = 50, 100
	return cfg, nil
}
