package doctor

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc/oidctest"
)

// tenantRun runs the identity checks as a tenant who may not read what Headlamp expects of the IdP
// (expectErr), with a token from a file, obtained first as the command does when first is set.
func tenantRun(t *testing.T, expectErr error, fromIDP, first bool) map[ID]Outcome {
	t.Helper()
	s := newScenario(t)
	tok := oidctest.Sign(t, oidctest.Key, "k1", s.claims)
	env := Env{Identity: IdentityEnv{
		Expect:       func(context.Context) (IDPExpectation, error) { return IDPExpectation{}, expectErr },
		PluginTrust:  oidc.Trust{Name: "plugin", PEM: s.idp.CAPEM()},
		Cluster:      s.cluster,
		Proxy:        &ProxyEndpoint{Address: "capsule-proxy.capsule-system.svc:9001"},
		TokenFromIDP: fromIDP,
		TokenSource:  func(IDPExpectation, *oidc.Discovery, *http.Client) (oidc.Source, error) { return fixedSource{tok}, nil },
	}}
	opts := RunOptions{Timeout: 20 * time.Second}
	if first {
		env, _ = ObtainTokenFirst(t.Context(), env, opts)
	}
	checks, facts := IdentityCatalogue(env.Identity)
	p, err := NewPlan(checks, facts, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[ID]Outcome{}
	for _, o := range Run(t.Context(), p, opts).Outcomes {
		out[o.ID] = o
	}
	return out
}

// TestTenantTokenFile: a tenant may not read Headlamp's Deployment; a token from a file needs nothing
// of it, so the token is obtained and the API server still reviews it.
func TestTenantTokenFile(t *testing.T) {
	forbidden := wrapAccess(access{Verb: "list", Group: "apps", Resource: "deployments", Namespace: "capsule-system"},
		apierrors.NewForbidden(schema.GroupResource{Group: "apps", Resource: "deployments"}, "", errors.New("alice may not")))
	for _, first := range []bool{false, true} {
		out := tenantRun(t, forbidden, false, first)
		if o := out[IDTokenObtained]; o.Status != StatusPass {
			t.Errorf("first=%v: TOKEN-OBTAINED = %s %q, want pass", first, o.Status, o.Message)
		}
		if o := out[IDReviewAPIServer]; o.Status != StatusPass {
			t.Errorf("first=%v: REVIEW-APISERVER = %s %q, want pass", first, o.Status, o.Message)
		}
		if o := out[IDTokenIssuer]; o.Status != StatusUnknown {
			t.Errorf("first=%v: TOKEN-ISSUER = %s %q, want unknown", first, o.Status, o.Message)
		}
	}
}

// TestTenantSignInForbidden: a sign-in needs Headlamp's client; when doctor may not read it,
// TOKEN-OBTAINED could not look (unknown, naming the permission), it did not find a problem.
func TestTenantSignInForbidden(t *testing.T) {
	forbidden := wrapAccess(access{Verb: "list", Group: "apps", Resource: "deployments", Namespace: "capsule-system"},
		apierrors.NewForbidden(schema.GroupResource{Group: "apps", Resource: "deployments"}, "", errors.New("alice may not")))
	for _, first := range []bool{false, true} {
		o := tenantRun(t, forbidden, true, first)[IDTokenObtained]
		if o.Status != StatusUnknown || o.Evidence.Get("missing permission") == nil {
			t.Errorf("first=%v: TOKEN-OBTAINED = %s %q, want unknown naming the permission", first, o.Status, o.Message)
		}
	}
}
