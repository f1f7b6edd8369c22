package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc/oidctest"
)

// fixedSource hands out one token.
type fixedSource struct{ tok string }

func (s fixedSource) Token(context.Context) (oidc.Secret, error) { return oidc.NewSecret(s.tok), nil }
func (s fixedSource) Describe() string                           { return "test" }

// fakeCluster answers reviews with the claims of the token, as an API server with the guide's mapping
// would, unless reject is set.
type fakeCluster struct {
	now    time.Time
	reject bool
	// proxyErr is what capsule-proxy's address answers, when set: an untrusted certificate, say.
	proxyErr error
	users    []rbacv1.Subject
	owners   map[string][]rbacv1.Subject
}

func (c *fakeCluster) ServerTime(context.Context) (time.Time, error) { return c.now, nil }

func (c *fakeCluster) Review(_ context.Context, tok oidc.Secret) (Review, error) {
	if c.reject {
		return Review{}, apierrors.NewUnauthorized("Unauthorized")
	}
	p, err := oidc.ParseToken(tok)
	if err != nil {
		return Review{}, apierrors.NewUnauthorized("Unauthorized")
	}
	id, err := oidc.DefaultMapping(p.Claims.Issuer).Apply(p.Claims)
	if err != nil {
		return Review{}, apierrors.NewUnauthorized("Unauthorized")
	}
	return Review{Username: id.Username, Groups: append(id.Groups, "system:authenticated")}, nil
}

func (c *fakeCluster) ProxyReview(ctx context.Context, _ *ProxyEndpoint, tok oidc.Secret) (Review, error) {
	if c.proxyErr != nil {
		return Review{}, c.proxyErr
	}
	return c.Review(ctx, tok)
}

func (c *fakeCluster) ProxyNamespaces(ctx context.Context, _ *ProxyEndpoint, tok oidc.Secret) ([]string, error) {
	r, err := c.Review(ctx, tok)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(r.Groups, "tenant-a-owners") {
		return nil, apierrors.NewForbidden(schema.GroupResource{Resource: "namespaces"}, "", nil)
	}
	return []string{"tenant-a-dev", "tenant-a-prod"}, nil
}

func (c *fakeCluster) CapsuleUsers(context.Context) ([]rbacv1.Subject, error) { return c.users, nil }

func (c *fakeCluster) TenantOwners(context.Context) (map[string][]rbacv1.Subject, error) {
	return c.owners, nil
}

// scenario is a healthy setup that a test changes before running the identity checks.
type scenario struct {
	idp     *oidctest.IDP
	exp     IDPExpectation
	claims  map[string]any
	cluster *fakeCluster
	noToken bool
}

func newScenario(t *testing.T) *scenario {
	idp := oidctest.New(t)
	now := time.Now()
	return &scenario{
		idp: idp,
		exp: IDPExpectation{
			Issuer: idp.Issuer, ClientID: "headlamp", Scopes: []string{"profile", "email", "groups"},
			ClientSecret:  oidc.NewSecret(oidctest.ClientSecret),
			HeadlampTrust: oidc.Trust{Name: "headlamp", SystemRoots: true, PEM: idp.CAPEM()},
			RedirectURL:   "http://localhost:8080/oidc-callback",
		},
		claims: oidctest.AliceClaims(idp.Issuer, now),
		cluster: &fakeCluster{
			now:    now,
			users:  []rbacv1.Subject{{Kind: "Group", Name: "projectcapsule.dev"}, {Kind: "Group", Name: "tenant-a-owners"}},
			owners: map[string][]rbacv1.Subject{"tenant-a": {{Kind: "Group", Name: "tenant-a-owners"}}, "tenant-b": {{Kind: "User", Name: "carol"}}},
		},
	}
}

func (s *scenario) run(t *testing.T) map[ID]Outcome {
	t.Helper()
	tok := oidctest.Sign(t, oidctest.Key, "k1", s.claims)
	env := IdentityEnv{
		Expect:      func(context.Context) (IDPExpectation, error) { return s.exp, nil },
		PluginTrust: oidc.Trust{Name: "plugin", PEM: s.idp.CAPEM()},
		Cluster:     s.cluster,
		Proxy:       &ProxyEndpoint{Address: "capsule-proxy.capsule-system.svc:9001"},
	}
	if !s.noToken {
		env.TokenSource = func(IDPExpectation, *oidc.Discovery, *http.Client) (oidc.Source, error) { return fixedSource{tok}, nil }
	}
	checks, facts := IdentityCatalogue(env)
	p, err := NewPlan(checks, facts, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := Run(t.Context(), p, RunOptions{Timeout: 20 * time.Second})
	out := map[ID]Outcome{}
	for _, o := range rep.Outcomes {
		out[o.ID] = o
		if strings.Contains(o.Message+o.Hint+evidenceText(o.Evidence), tok) {
			t.Errorf("%s: the token appears in the outcome", o.ID)
		}
	}
	return out
}

func TestIdentityHealthy(t *testing.T) {
	out := newScenario(t).run(t)
	for id, o := range out {
		if o.Status != StatusPass && id != IDIdPAPIServerTrust {
			t.Errorf("%s: %s %s", id, o.Status, o.Message)
		}
	}
	if got := out[IDReviewAPIServer].Evidence.Get("username"); got != "alice@example.com" {
		t.Errorf("reviewed username = %v", got)
	}
	if got := out[IDTenantOwned].Evidence.Get("tenants"); !slices.Equal(got.([]string), []string{"tenant-a"}) {
		t.Errorf("tenants = %v", got)
	}
	if out[IDIdPAPIServerTrust].Status != StatusSkip {
		t.Errorf("API server trust without its configuration: %s, want skip", out[IDIdPAPIServerTrust].Status)
	}
}

func TestIdentityFailures(t *testing.T) {
	cases := []struct {
		name   string
		change func(s *scenario)
		id     ID
		status Status
		want   string // in the message or hint
	}{
		{"wrong client secret", func(s *scenario) { s.exp.ClientSecret = oidc.NewSecret("wrong") }, IDIdPClient, StatusFail, "rejected client"},
		{"token of client kubernetes", func(s *scenario) { s.claims["aud"] = "kubernetes" }, IDTokenAudience, StatusFail, `does not contain "headlamp"`},
		{"no groups scope", func(s *scenario) { delete(s.claims, "groups") }, IDTokenGroups, StatusFail, "no \"groups\" claim"},
		{"groups as a string", func(s *scenario) { s.claims["groups"] = "tenant-a-owners" }, IDTokenGroups, StatusWarn, "single string"},
		{"expired by the API server's clock", func(s *scenario) { s.cluster.now = time.Now().Add(2 * time.Hour) }, IDTokenExpiry, StatusFail, "expired at"},
		{"email not verified", func(s *scenario) { s.claims["email_verified"] = false }, IDTokenEmailVerified, StatusFail, "email_verified is false"},
		{"wrong issuer", func(s *scenario) { s.claims["iss"] = s.idp.Issuer + "/" }, IDTokenIssuer, StatusFail, "trailing slash"},
		{"Headlamp's issuer with a trailing slash", func(s *scenario) { s.exp.ValidatorIssuer = s.idp.Issuer + "/" }, IDIdPIssuerMatch, StatusFail, "trailing slash"},
		{"Headlamp lacks the IdP CA", func(s *scenario) { s.exp.HeadlampTrust.PEM = nil }, IDIdPDiscoveryHeadlamp, StatusFail, "does not chain to a trusted CA"},
		{"API server with a wrong CA", func(s *scenario) { s.exp.APIServer = apiServer(s, oidctest.OtherCAPEM(t)) }, IDIdPAPIServerTrust, StatusFail, "certificateAuthority"},
		{"bob", func(s *scenario) { s.claims["email"], s.claims["groups"] = "bob@example.com", []string{"developers"} }, IDTenantUserGroup, StatusFail, "capsuleconfiguration default"},
		{"API server audiences kubernetes only", func(s *scenario) {
			s.exp.APIServer = apiServer(s, s.idp.CAPEM())
			s.exp.APIServer.Audiences = []string{"kubernetes"}
			s.cluster.reject = true
		}, IDReviewAPIServer, StatusFail, "1. audience not accepted"},
		{"401 without the API server's configuration", func(s *scenario) { s.cluster.reject = true }, IDReviewAPIServer, StatusFail, "1. audience not accepted"},
		{"no token source", func(s *scenario) { s.noToken = true }, IDTokenObtained, StatusSkip, "--token-file"},
		{"proxy address with an untrusted certificate", func(s *scenario) {
			s.cluster.proxyErr = &url.Error{Op: "Post", URL: "https://proxy.example:443/apis", Err: &tls.CertificateVerificationError{
				Err: x509.UnknownAuthorityError{}}}
		}, IDReviewProxy, StatusFail, "not trusted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newScenario(t)
			tc.change(s)
			o := s.run(t)[tc.id]
			if o.Status != tc.status || !strings.Contains(o.Message+" "+o.Hint, tc.want) {
				t.Errorf("%s = %s %q (hint %q), want %s mentioning %q", tc.id, o.Status, o.Message, o.Hint, tc.status, tc.want)
			}
		})
	}
}

func apiServer(s *scenario, ca []byte) *APIServerJWT {
	return &APIServerJWT{Issuer: s.idp.Issuer, Audiences: []string{"headlamp", "kubernetes"}, CAPEM: ca, Mapping: oidc.DefaultMapping(s.idp.Issuer)}
}

func TestIdentityHungIdPWithinTimeout(t *testing.T) {
	s := newScenario(t)
	s.idp.Server.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	tok := oidctest.Sign(t, oidctest.Key, "k1", s.claims)
	env := IdentityEnv{
		Expect:      func(context.Context) (IDPExpectation, error) { return s.exp, nil },
		PluginTrust: oidc.Trust{Name: "plugin", PEM: s.idp.CAPEM()},
		Cluster:     s.cluster,
		TokenSource: func(IDPExpectation, *oidc.Discovery, *http.Client) (oidc.Source, error) { return fixedSource{tok}, nil },
	}
	checks, facts := IdentityCatalogue(env)
	p, _ := NewPlan(checks, facts, nil, nil)
	rep := Run(t.Context(), p, RunOptions{Timeout: 3 * time.Second, CheckTimeout: time.Second})
	byID := map[ID]Outcome{}
	for _, o := range rep.Outcomes {
		byID[o.ID] = o
	}
	if o := byID[IDIdPDiscovery]; o.Status != StatusFail || !strings.Contains(o.Message, "did not answer in time") {
		t.Errorf("discovery from a hung IdP: %s %s, want a failure saying it did not answer", o.Status, o.Message)
	}
	// A token from a file does not need the IdP: the API server still judges it.
	if o := byID[IDReviewAPIServer]; o.Status != StatusPass {
		t.Errorf("review with a hung IdP: %s %s", o.Status, o.Message)
	}
	if rep.Interrupted {
		t.Error("the run was interrupted")
	}
}

func TestIdentityJoinsThePartOneCatalogue(t *testing.T) {
	ids := map[ID]bool{}
	for _, c := range Catalogue() {
		ids[c.ID] = true
	}
	for _, c := range IdentityChecks() {
		if !ids[c.ID] {
			t.Errorf("%s is not in the catalogue", c.ID)
		}
	}
	if _, err := NewPlan(Catalogue(), AllFacts(Env{Identity: IdentityEnv{Proxy: &ProxyEndpoint{}}}), nil, nil); err != nil {
		t.Fatalf("with a fixed proxy endpoint: %v", err)
	}
}
