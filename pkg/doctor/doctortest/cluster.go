package doctortest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authn"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/capsule"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxyview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// FixedSource hands out one token, and Refresh as the refresh token that came with it.
type FixedSource struct{ Tok, Refresh string }

// Token returns the token.
func (s FixedSource) Token(context.Context) (oidc.Tokens, error) {
	return oidc.Tokens{ID: oidc.NewSecret(s.Tok), Refresh: oidc.NewSecret(s.Refresh)}, nil
}

// Describe names the source.
func (s FixedSource) Describe() string { return "test" }

// Source is an identity.Env token source handing out tok.
func Source(tok string) func(identity.Expectation, *oidc.Discovery, *http.Client) (oidc.Source, error) {
	return func(identity.Expectation, *oidc.Discovery, *http.Client) (oidc.Source, error) {
		return FixedSource{Tok: tok}, nil
	}
}

// Cluster is an identity.Cluster that answers reviews with the claims of the token, as an API server
// with the guide's mapping would, unless Reject is set.
type Cluster struct {
	Now    time.Time
	Reject bool
	// ProxyErr is what capsule-proxy's address answers, when set: an untrusted certificate, say.
	ProxyErr error
	Owners   map[string][]rbacv1.Subject
	// OwnersErr is what reading every Tenant answers, when set; OwnerReads counts those reads.
	OwnersErr  error
	OwnerReads int
	// Namespaces are what a member of tenant-a-owners lists through capsule-proxy; nil: tenant-a's two.
	Namespaces []string
	// Answers replace capsule-proxy's answers to the views of TENANT-VIEWS, by path (no query).
	Answers map[string]identity.ProxyAnswer
	// Seen is the endpoint the last review through capsule-proxy was sent to.
	Seen *identity.ProxyEndpoint
}

// ServerTime is the cluster's clock.
func (c *Cluster) ServerTime(context.Context) (time.Time, error) { return c.Now, nil }

// Review maps the token's claims as the guide's AuthenticationConfiguration does.
func (c *Cluster) Review(_ context.Context, tok oidc.Secret) (identity.Review, error) {
	if c.Reject {
		return identity.Review{}, apierrors.NewUnauthorized("Unauthorized")
	}
	p, err := oidc.ParseToken(tok)
	if err != nil {
		return identity.Review{}, apierrors.NewUnauthorized("Unauthorized")
	}
	id, err := oidc.DefaultMapping(p.Claims.Issuer).Apply(p.Claims)
	if err != nil {
		return identity.Review{}, apierrors.NewUnauthorized("Unauthorized")
	}
	return identity.Review{Username: id.Username, Groups: append(id.Groups, "system:authenticated")}, nil
}

// ProxyReview answers as Review does, or with ProxyErr.
func (c *Cluster) ProxyReview(ctx context.Context, ep *identity.ProxyEndpoint, tok oidc.Secret) (identity.Review, error) {
	c.Seen = ep
	if c.ProxyErr != nil {
		return identity.Review{}, c.ProxyErr
	}
	return c.Review(ctx, tok)
}

// ProxyNamespaces lists Namespaces (tenant-a's) to a member of tenant-a-owners, and forbids the others.
func (c *Cluster) ProxyNamespaces(ctx context.Context, _ *identity.ProxyEndpoint, tok oidc.Secret) ([]string, error) {
	r, err := c.Review(ctx, tok)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(r.Groups, "tenant-a-owners") {
		return nil, apierrors.NewForbidden(schema.GroupResource{Resource: "namespaces"}, "", nil)
	}
	if c.Namespaces != nil {
		return c.Namespaces, nil
	}
	return []string{"tenant-a-dev", "tenant-a-prod"}, nil
}

// TenantOwners are Owners, or OwnersErr.
func (c *Cluster) TenantOwners(context.Context) (map[string][]rbacv1.Subject, error) {
	c.OwnerReads++
	if c.OwnersErr != nil {
		return nil, c.OwnersErr
	}
	return c.Owners, nil
}

// CapsuleConfig is CapsuleConfiguration default naming users, for a run of the identity checks
// without the capsule area.
func CapsuleConfig(users ...capsule.Subject) engine.Fact {
	return engine.Define(capsule.FactConfig, nil, func(context.Context, engine.Facts) (capsule.Config, error) {
		return capsule.Config{Users: users, Source: "spec.users"}, nil
	})
}

// HungAPIServer is a TLS server that accepts requests and never answers them until the test ends.
func HungAPIServer(t testing.TB) *httptest.Server {
	t.Helper()
	done := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-done }))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) }) // runs first: Close waits for the handlers
	return srv
}

// ProxyDeployment is capsule-proxy's Deployment run with args, for a run of the identity checks
// without the proxy area.
func ProxyDeployment(args ...string) engine.Fact {
	return engine.Define(proxyview.FactDeployment, nil, func(context.Context, engine.Facts) (proxyview.Deployment, error) {
		c := corev1.Container{Name: proxyview.ContainerName, Args: args}
		return proxyview.Deployment{Namespace: "capsule-system", Name: "capsule-proxy", Container: c.Name, Flags: proxyview.ParseFlags(c)}, nil
	})
}

// APIServerMetrics is the API servers' /metrics as m says, for the checks that compare them.
func APIServerMetrics(m authn.Metrics) engine.Fact {
	return engine.Define(authn.FactMetrics, nil, func(context.Context, engine.Facts) (authn.Metrics, error) { return m, nil })
}
