package doctor

import (
	"net/http"
	"strings"
	"testing"
	"time"

	discoveryv1 "k8s.io/api/discovery/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/doctortest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc/oidctest"
)

// withToken is a run on w with alice's token from a sign-in, reviewed by cluster, and the
// AuthenticationConfiguration the guide writes.
func withToken(t *testing.T, w *doctortest.World, cluster *doctortest.Cluster) Config {
	t.Helper()
	tok := oidctest.Sign(t, oidctest.Key, "k1", oidctest.AliceClaims(w.IDP.Issuer, time.Now()))
	c := config(w.Env(t))
	c.AuthConfig = &area.AuthConfigFile{Path: "auth.yaml", Data: w.AuthConfig([]byte(healthyAuthConfig))}
	// A sign-in at the IdP, as --username gives: the token comes with a refresh token to try, a new
	// one for each run (the IdP redeems each once).
	c.Identity = identity.Env{Cluster: cluster, TokenFromIDP: true, TokenSource: func(identity.Expectation, *oidc.Discovery, *http.Client) (oidc.Source, error) {
		return doctortest.FixedSource{Tok: tok, Refresh: w.IDP.IssueRefresh()}, nil
	}}
	c.CheckTimeout = 5 * time.Second
	return c
}

// TestIdentityJoinedToTheWorld runs the whole catalogue: what Headlamp expects comes from its
// Deployment (client id, the secret in its Secret, the IdP CA it mounts) and the authentication config,
// and capsule-proxy is reached through the port-forward dialer with Headlamp's host and CA.
func TestIdentityJoinedToTheWorld(t *testing.T) {
	w := doctortest.NewWorld(t)
	cluster := &doctortest.Cluster{Now: time.Now(), Owners: map[string][]rbacv1.Subject{"tenant-a": {{Kind: "Group", Name: "tenant-a-owners"}}}}
	for _, o := range byID(t, withToken(t, w, cluster)) {
		if o.Status != engine.StatusPass && !documentedSkips[o.ID] {
			t.Errorf("%s: %s %q", o.ID, o.Status, o.Message)
		}
	}
	if ep := cluster.Seen; ep == nil || ep.ServerName != "capsule-proxy.capsule-system.svc" || ep.Dial == nil ||
		!strings.Contains(string(ep.CAPEM), "BEGIN CERTIFICATE") {
		t.Errorf("capsule-proxy reached with %+v, want Headlamp's host and CA through the port-forward", ep)
	}
}

// TestIdentityWithoutHeadlampOIDC skips the identity checks, pointing at HEADLAMP-OIDC.
func TestIdentityWithoutHeadlampOIDC(t *testing.T) {
	w := doctortest.NewWorld(t)
	w.Settings.OIDC.Scopes = nil
	got := diagnose(t, w, nil)
	for _, id := range []engine.ID{identity.IDIdPDiscovery, identity.IDIdPClient} {
		if o := got[id]; o.Status != engine.StatusSkip || !strings.Contains(o.Message, "HEADLAMP-OIDC") {
			t.Errorf("%s = %s %q, want a skip naming HEADLAMP-OIDC", id, o.Status, o.Message)
		}
	}
}

// TestReviewProxyWaitsForProxyEndpoints: with a token and no ready capsule-proxy pod, the review through
// the proxy is skipped after PROXY-ENDPOINTS, which names the cause, rather than unknown.
func TestReviewProxyWaitsForProxyEndpoints(t *testing.T) {
	w := doctortest.NewWorld(t)
	w.Reactors = func(cs *fake.Clientset) {
		cs.PrependReactor("list", "endpointslices", func(k8stesting.Action) (bool, runtime.Object, error) {
			return true, &discoveryv1.EndpointSliceList{}, nil
		})
	}
	got := byID(t, withToken(t, w, &doctortest.Cluster{Now: time.Now()}))
	if o := got[proxy.IDEndpoints]; o.Status != engine.StatusFail {
		t.Fatalf("PROXY-ENDPOINTS = %s %q, want the failure this test is about", o.Status, o.Message)
	}
	if o := got[identity.IDReviewProxy]; o.Status != engine.StatusSkip || o.Message != "needs PROXY-ENDPOINTS, which failed" {
		t.Errorf("REVIEW-PROXY = %s %q, want skipped after PROXY-ENDPOINTS", o.Status, o.Message)
	}
	if o := got[identity.IDTenantNamespaces]; o.Status != engine.StatusSkip {
		t.Errorf("TENANT-NAMESPACES = %s %q, want skipped: it looks through the proxy", o.Status, o.Message)
	}
	if o := got[identity.IDReviewAPIServer]; o.Status != engine.StatusPass {
		t.Errorf("REVIEW-APISERVER = %s %q: the API server needs no proxy pod", o.Status, o.Message)
	}
}
