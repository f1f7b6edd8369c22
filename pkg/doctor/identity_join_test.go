package doctor

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	discoveryv1 "k8s.io/api/discovery/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc/oidctest"
)

// endpointCluster is a fakeCluster that remembers how it was told to reach capsule-proxy.
type endpointCluster struct {
	fakeCluster
	seen *ProxyEndpoint
}

func (c *endpointCluster) ProxyReview(ctx context.Context, ep *ProxyEndpoint, tok oidc.Secret) (Review, error) {
	c.seen = ep
	return c.fakeCluster.ProxyReview(ctx, ep, tok)
}

// TestIdentityJoinedToTheWorld runs the whole catalogue: what Headlamp expects comes from its
// Deployment (client id, the secret in its Secret, the IdP CA it mounts) and the authentication config,
// and capsule-proxy is reached through the port-forward dialer with Headlamp's host and CA.
func TestIdentityJoinedToTheWorld(t *testing.T) {
	w := newWorld(t)
	tok := oidctest.Sign(t, oidctest.Key, "k1", oidctest.AliceClaims(w.idp.Issuer, time.Now()))
	cluster := &endpointCluster{fakeCluster: fakeCluster{now: time.Now(),
		users:  []rbacv1.Subject{{Kind: "Group", Name: "tenant-a-owners"}},
		owners: map[string][]rbacv1.Subject{"tenant-a": {{Kind: "Group", Name: "tenant-a-owners"}}}}}
	env := w.env(t)
	env.AuthConfig = &AuthConfigFile{Path: "auth.yaml", Data: w.authConfig([]byte(healthyAuthConfig))}
	env.Identity = IdentityEnv{Cluster: cluster, TokenSource: func(IDPExpectation, *oidc.Discovery, *http.Client) (oidc.Source, error) {
		return fixedSource{tok}, nil
	}}
	p, err := NewPlan(Catalogue(), AllFacts(env), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range Run(t.Context(), p, RunOptions{CheckTimeout: 5 * time.Second, Vars: env.HintVars()}).Outcomes {
		if o.Status != StatusPass && !documentedSkips[o.ID] {
			t.Errorf("%s: %s %q", o.ID, o.Status, o.Message)
		}
	}
	if ep := cluster.seen; ep == nil || ep.ServerName != "capsule-proxy.capsule-system.svc" || ep.Dial == nil ||
		!strings.Contains(string(ep.CAPEM), "BEGIN CERTIFICATE") {
		t.Errorf("capsule-proxy reached with %+v, want Headlamp's host and CA through the port-forward", ep)
	}
}

// TestIdentityWithoutHeadlampOIDC skips the identity checks, pointing at HEADLAMP-OIDC.
func TestIdentityWithoutHeadlampOIDC(t *testing.T) {
	w := newWorld(t)
	w.settings.OIDC.Scopes = nil
	got := w.run(t, nil)
	for _, id := range []ID{IDIdPDiscovery, IDIdPClient} {
		if o := got[id]; o.Status != StatusSkip || !strings.Contains(o.Message, "HEADLAMP-OIDC") {
			t.Errorf("%s = %s %q, want a skip naming HEADLAMP-OIDC", id, o.Status, o.Message)
		}
	}
}

// TestReviewProxyWaitsForProxyEndpoints: with a token and no ready capsule-proxy pod, the review through
// the proxy is skipped after PROXY-ENDPOINTS, which names the cause, rather than unknown.
func TestReviewProxyWaitsForProxyEndpoints(t *testing.T) {
	w := newWorld(t)
	w.reactors = func(cs *fake.Clientset) {
		cs.PrependReactor("list", "endpointslices", func(k8stesting.Action) (bool, runtime.Object, error) {
			return true, &discoveryv1.EndpointSliceList{}, nil
		})
	}
	tok := oidctest.Sign(t, oidctest.Key, "k1", oidctest.AliceClaims(w.idp.Issuer, time.Now()))
	env := w.env(t)
	env.AuthConfig = &AuthConfigFile{Path: "auth.yaml", Data: w.authConfig([]byte(healthyAuthConfig))}
	env.Identity = IdentityEnv{Cluster: &fakeCluster{now: time.Now()}, TokenSource: func(IDPExpectation, *oidc.Discovery, *http.Client) (oidc.Source, error) {
		return fixedSource{tok}, nil
	}}
	p, err := NewPlan(Catalogue(), AllFacts(env), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[ID]Outcome{}
	for _, o := range Run(t.Context(), p, RunOptions{CheckTimeout: 5 * time.Second, Vars: env.HintVars()}).Outcomes {
		got[o.ID] = o
	}
	if o := got["PROXY-ENDPOINTS"]; o.Status != StatusFail {
		t.Fatalf("PROXY-ENDPOINTS = %s %q, want the failure this test is about", o.Status, o.Message)
	}
	if o := got[IDReviewProxy]; o.Status != StatusSkip || o.Message != "needs PROXY-ENDPOINTS, which failed" {
		t.Errorf("REVIEW-PROXY = %s %q, want skipped after PROXY-ENDPOINTS", o.Status, o.Message)
	}
	if o := got[IDTenantNamespaces]; o.Status != StatusSkip {
		t.Errorf("TENANT-NAMESPACES = %s %q, want skipped: it looks through the proxy", o.Status, o.Message)
	}
	if o := got[IDReviewAPIServer]; o.Status != StatusPass {
		t.Errorf("REVIEW-APISERVER = %s %q: the API server needs no proxy pod", o.Status, o.Message)
	}
}
