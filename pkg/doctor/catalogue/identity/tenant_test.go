package identity_test

import (
	"context"
	"errors"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/doctortest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc/oidctest"
)

// tenantRun runs the identity checks as a tenant who may not read what Headlamp expects of the IdP
// (expectErr), with a token from a file, obtained first as doctor does when first is set.
func tenantRun(t *testing.T, expectErr error, fromIDP, first bool) map[engine.ID]engine.Outcome {
	t.Helper()
	s := newScenario(t)
	tok := oidctest.Sign(t, oidctest.Key, "k1", s.claims)
	id := identity.Env{
		Expect:       func(context.Context) (identity.Expectation, error) { return identity.Expectation{}, expectErr },
		PluginTrust:  oidc.Trust{Name: "plugin", PEM: s.idp.CAPEM()},
		Cluster:      s.cluster,
		Proxy:        &identity.ProxyEndpoint{Address: "capsule-proxy.capsule-system.svc:9001"},
		TokenFromIDP: fromIDP,
		TokenSource:  doctortest.Source(tok),
	}
	opts := engine.RunOptions{Timeout: 20 * time.Second}
	if first {
		produce := func(ctx context.Context, names []engine.FactName) (engine.Facts, error) {
			return engine.ProduceFacts(ctx, s.facts(id), opts, names)
		}
		id, _ = identity.ObtainFirst(t.Context(), id, produce)
	}
	p, err := engine.NewPlan(identity.Checks(), s.facts(id), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[engine.ID]engine.Outcome{}
	for _, o := range engine.Run(t.Context(), p, opts).Outcomes {
		out[o.ID] = o
	}
	return out
}

// forbidden is what a tenant meets reading Headlamp's Deployment.
func forbidden() error {
	return area.WrapAccess(area.Access{Verb: "list", Group: "apps", Resource: "deployments", Namespace: "capsule-system"},
		apierrors.NewForbidden(schema.GroupResource{Group: "apps", Resource: "deployments"}, "", errors.New("alice may not")))
}

// TestTenantTokenFile: a tenant may not read Headlamp's Deployment; a token from a file needs nothing
// of it, so the token is obtained and the API server still reviews it.
func TestTenantTokenFile(t *testing.T) {
	for _, first := range []bool{false, true} {
		out := tenantRun(t, forbidden(), false, first)
		if o := out[identity.IDTokenObtained]; o.Status != engine.StatusPass {
			t.Errorf("first=%v: TOKEN-OBTAINED = %s %q, want pass", first, o.Status, o.Message)
		}
		if o := out[identity.IDReviewAPIServer]; o.Status != engine.StatusPass {
			t.Errorf("first=%v: REVIEW-APISERVER = %s %q, want pass", first, o.Status, o.Message)
		}
		if o := out[identity.IDTokenIssuer]; o.Status != engine.StatusUnknown {
			t.Errorf("first=%v: TOKEN-ISSUER = %s %q, want unknown", first, o.Status, o.Message)
		}
	}
}

// TestTenantSignInForbidden: a sign-in needs Headlamp's client; when doctor may not read it,
// TOKEN-OBTAINED could not look (unknown, naming the permission), it did not find a problem.
func TestTenantSignInForbidden(t *testing.T) {
	for _, first := range []bool{false, true} {
		o := tenantRun(t, forbidden(), true, first)[identity.IDTokenObtained]
		if o.Status != engine.StatusUnknown || o.Evidence.Get("missing permission") == nil {
			t.Errorf("first=%v: TOKEN-OBTAINED = %s %q, want unknown naming the permission", first, o.Status, o.Message)
		}
	}
}
