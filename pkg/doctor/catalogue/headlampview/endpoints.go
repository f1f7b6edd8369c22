package headlampview

import (
	"context"

	corev1 "k8s.io/api/core/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
)

// FactEndpoints are the ways a browser reaches Headlamp from outside the cluster.
const FactEndpoints engine.Key[Endpoints] = "headlamp-endpoints"

// Endpoints are Headlamp's Service and the Ingress and HTTPRoute hosts that lead to it, found by
// headlamp.Endpoints, the lookup login uses: doctor expects what login opens.
type Endpoints struct {
	// Service is nil when no Service selects Headlamp's pods.
	Service *corev1.Service
	List    []headlamp.Endpoint
	// Err says which lookups failed (a Service or Ingress list refused, say); List holds the others.
	Err error
}

// RedirectURI is the redirect URI Headlamp sends the IdP when reached the way login reaches it (the
// first of Ways): -oidc-callback-url, else through the first Ingress or HTTPRoute, else through the
// guide's `port-forward 8080:80`. from says which, for evidence.
func (e Endpoints) RedirectURI(s headlamp.Settings) (uri, from string) {
	w := e.Ways(s)[0]
	return w.URI, w.Via
}

func endpointsFact(env area.Env) engine.Fact {
	return engine.Define(FactEndpoints, []engine.FactName{FactModel.Name()}, func(ctx context.Context, in engine.Facts) (Endpoints, error) {
		m, err := FactModel.Get(in)
		if err != nil {
			return Endpoints{}, err
		}
		svc, err := headlamp.FindService(ctx, env.Kube, m.Deployment)
		if err != nil {
			return Endpoints{Err: err}, nil //nolint:nilerr // carried in Err: the redirect URI falls back to the port-forward
		}
		eps, err := headlamp.Endpoints(ctx, env.Kube, env.Dynamic, svc)
		return Endpoints{Service: svc, List: eps, Err: err}, nil
	})
}
