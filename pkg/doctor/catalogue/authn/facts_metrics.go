package authn

import (
	"context"
	"errors"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
)

// readMetrics reads /metrics through the kubeconfig's server, and the identity Leases that name the
// API server which answered and the others doctor did not reach. A load balancer in front of several
// API servers hands the request to one of them; the series carry its apiserver_id_hash.
//
// It asks for the series doctor reads only (name[], which Prometheus' handler honours from
// client_golang v1.24, as kube-apiserver v1.37 does): the whole page is megabytes that the API server
// encodes and compresses on every run, more of them the longer it has served and the more kinds of
// object it holds. An API server that ignores the parameter sends the whole page, which parseMetrics
// skips through.
func readMetrics(ctx context.Context, env area.Env, now time.Time) (Metrics, error) {
	rc := env.Kube.Discovery().RESTClient()
	if rc == nil {
		return Metrics{}, errors.New("no REST client to read /metrics with")
	}
	req := rc.Get().AbsPath("/metrics")
	for _, name := range readSeries {
		req.Param("name[]", name)
	}
	body, err := req.Stream(ctx)
	if err != nil {
		return Metrics{}, area.WrapAccess(area.Access{Verb: "get", NonResourceURL: "/metrics"}, err)
	}
	defer func() { _ = body.Close() }()
	states, err := parseMetrics(body)
	if err != nil {
		return Metrics{}, err
	}
	m := Metrics{Server: env.Server, APIServers: states}
	m.Known, m.KnownErr = readIdentities(ctx, env.Kube, now)
	return m, nil
}
