package identity

import (
	"context"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// clusterFacts are what the API server, capsule-proxy and Capsule say.
func clusterFacts(env Env) []engine.Fact {
	return []engine.Fact{
		engine.Define(idProxyEndpoint, nil, func(context.Context, engine.Facts) (*ProxyEndpoint, error) {
			if env.Proxy == nil {
				return nil, errNoProxy
			}
			return env.Proxy, nil
		}),
		engine.Define(idServerTime, nil, func(ctx context.Context, in engine.Facts) (ServerClock, error) {
			if env.Cluster != nil {
				if t, err := env.Cluster.ServerTime(ctx); err == nil {
					return ServerClock{Now: t, FromServer: true}, nil
				}
			}
			return ServerClock{Now: in.Now()}, nil
		}),
		engine.Define(idReview, names(idToken), func(ctx context.Context, in engine.Facts) (ReviewFact, error) {
			return review(env, in, func(c Cluster, tok oidc.Secret) (Review, error) { return c.Review(ctx, tok) })
		}),
		engine.Define(idProxyReview, names(idToken, idProxyEndpoint), func(ctx context.Context, in engine.Facts) (ReviewFact, error) {
			ep, epErr := idProxyEndpoint.Get(in)
			return review(env, in, func(c Cluster, tok oidc.Secret) (Review, error) {
				if epErr != nil {
					return Review{}, epErr
				}
				return c.ProxyReview(ctx, ep, tok)
			})
		}),
		engine.Define(idProxyNamespaces, names(idToken, idProxyEndpoint), func(ctx context.Context, in engine.Facts) (NamespacesFact, error) {
			return proxyNamespaces(ctx, env, in)
		}),
		engine.Define(idTenants, nil, func(ctx context.Context, _ engine.Facts) (map[string][]rbacv1.Subject, error) {
			if env.Cluster == nil {
				return nil, errNoCluster
			}
			return env.Cluster.TenantOwners(ctx)
		}),
	}
}

// proxyNamespaces lists the namespaces through capsule-proxy; a failure is part of the fact (the check
// judges it), not an error of the fact.
func proxyNamespaces(ctx context.Context, env Env, in engine.Facts) (NamespacesFact, error) {
	t, err := idToken.Get(in)
	if err != nil {
		return NamespacesFact{}, err
	}
	if env.Cluster == nil {
		return NamespacesFact{}, errNoCluster
	}
	ep, epErr := idProxyEndpoint.Get(in)
	ns := []string(nil)
	if epErr == nil {
		ns, epErr = env.Cluster.ProxyNamespaces(ctx, ep, t.Token)
	}
	return NamespacesFact{Names: ns, Err: epErr}, nil
}

func review(env Env, in engine.Facts, ask func(Cluster, oidc.Secret) (Review, error)) (ReviewFact, error) {
	t, err := idToken.Get(in)
	if err != nil {
		return ReviewFact{}, err
	}
	if env.Cluster == nil {
		return ReviewFact{}, errNoCluster
	}
	r, err := ask(env.Cluster, t.Token)
	return ReviewFact{Review: r, Err: err}, nil
}
