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
func readMetrics(ctx context.Context, env area.Env, now time.Time) (Metrics, error) {
	rc := env.Kube.Discovery().RESTClient()
	if rc == nil {
		return Metrics{}, errors.New("no REST client to read /metrics with")
	}
	body, err := rc.Get().AbsPath("/metrics").Stream(ctx)
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
