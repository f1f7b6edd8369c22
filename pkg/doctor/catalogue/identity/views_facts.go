package identity

import (
	"context"
	"slices"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// The facts of TENANT-VIEWS: the cluster-wide views, asked as soon as the token and the way to
// capsule-proxy are known, side by side with the namespace list; then the views of one namespace the
// list shows.
const (
	idClusterViews   engine.Key[[]View] = "identity-proxy-cluster-views"
	idNamespaceViews engine.Key[[]View] = "identity-proxy-namespace-views"
)

func viewFacts(env Env) []engine.Fact {
	return []engine.Fact{
		engine.Define(idClusterViews, names(idToken, idProxyEndpoint), func(ctx context.Context, in engine.Facts) ([]View, error) {
			return askViews(ctx, env, in, append(slices.Clone(startViews), pageViews...))
		}),
		engine.Define(idNamespaceViews, names(idToken, idProxyEndpoint, idProxyNamespaces), func(ctx context.Context, in engine.Facts) ([]View, error) {
			nf, err := idProxyNamespaces.Get(in)
			if err != nil {
				return nil, err
			}
			if len(nf.Names) == 0 {
				return notAsked(namespaceViews("<namespace>")), nil
			}
			return askViews(ctx, env, in, namespaceViews(nf.Names[0]))
		}),
	}
}

// askViews sends the calls through capsule-proxy as the user, at once, and judges each answer.
func askViews(ctx context.Context, env Env, in engine.Facts, calls []viewCall) ([]View, error) {
	t, err := idToken.Get(in)
	if err != nil {
		return nil, err
	}
	if env.Cluster == nil {
		return nil, errNoCluster
	}
	ep, err := idProxyEndpoint.Get(in)
	if err != nil {
		return nil, err
	}
	reqs := make([]ProxyRequest, len(calls))
	for i, c := range calls {
		reqs[i] = c.request()
	}
	answers := env.Cluster.ProxyRequests(ctx, ep, t.Token, reqs)
	out := make([]View, len(calls))
	for i, c := range calls {
		out[i] = judgeView(c, answers[i])
	}
	return out, nil
}

// notAsked are the namespaced views when the user sees no namespace to ask them in.
func notAsked(calls []viewCall) []View {
	out := make([]View, len(calls))
	for i, c := range calls {
		out[i] = View{View: c.Name, Verb: c.Verb, Path: c.Path, Verdict: VerdictNotAsked, Message: "no namespace visible", resource: c.Resource}
	}
	return out
}
