package identity_test

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authn"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/capsule"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/doctortest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc/oidctest"
)

// scenario is a healthy setup that a test changes before running the identity checks.
type scenario struct {
	idp     *oidctest.IDP
	exp     identity.Expectation
	claims  map[string]any
	cluster *doctortest.Cluster
	users   []capsule.Subject // of CapsuleConfiguration default
	noToken bool
	// fromFile hands the token out as a file would (no sign-in, no refresh token); noRefresh signs in
	// at an IdP that issued no refresh token.
	fromFile, noRefresh bool
	// proxyArgs are capsule-proxy's container args.
	proxyArgs []string
	// keySet is the JWKS body the API server fetched last.
	keySet []byte
}

func newScenario(t *testing.T) *scenario {
	idp := oidctest.New(t)
	now := time.Now()
	keySet, err := json.Marshal(idp.Keys)
	if err != nil {
		t.Fatal(err)
	}
	return &scenario{
		idp: idp, keySet: append(keySet, '\n'), // as the IdP serves it
		exp: identity.Expectation{
			Issuer: idp.Issuer, ClientID: "headlamp", Scopes: []string{"profile", "email", "groups", "offline_access"},
			ClientSecret:  oidc.NewSecret(oidctest.ClientSecret),
			HeadlampTrust: oidc.Trust{Name: "headlamp", SystemRoots: true, PEM: idp.CAPEM()},
			RedirectURL:   "http://localhost:8080/oidc-callback",
			SessionTTL:    24 * time.Hour,
		},
		claims: oidctest.AliceClaims(idp.Issuer, now),
		cluster: &doctortest.Cluster{
			Now:    now,
			Owners: map[string][]rbacv1.Subject{"tenant-a": {{Kind: "Group", Name: "tenant-a-owners"}}, "tenant-b": {{Kind: "User", Name: "carol"}}},
		},
		users:     []capsule.Subject{{Kind: "Group", Name: "projectcapsule.dev"}, {Kind: "Group", Name: "tenant-a-owners"}},
		proxyArgs: []string{"--oidc-username-claim=email", "--ignored-user-group=cluster-admins"},
	}
}

// facts are the identity facts of env, and the Capsule users and capsule-proxy Deployment the capsule
// and proxy areas would read.
func (s *scenario) facts(env identity.Env) []engine.Fact {
	return append(identity.Facts(area.Env{}, env), doctortest.CapsuleConfig(s.users...), doctortest.ProxyDeployment(s.proxyArgs...),
		doctortest.APIServerMetrics(authn.Metrics{Server: "https://cp1:6443", APIServers: []authn.APIServerState{{
			IDHash: authn.HashOf("apiserver-cp1"),
			Issuers: map[string]authn.IssuerState{authn.HashOf(s.exp.Issuer): {
				LastSuccess: time.Now(), KeySetHash: fmt.Sprintf("sha256:%x", sha256.Sum256(s.keySet))}},
		}}}))
}

func (s *scenario) run(t *testing.T) map[engine.ID]engine.Outcome {
	t.Helper()
	tok := oidctest.Sign(t, oidctest.Key, "k1", s.claims)
	env := identity.Env{
		Expect:      func(context.Context) (identity.Expectation, error) { return s.exp, nil },
		PluginTrust: oidc.Trust{Name: "plugin", PEM: s.idp.CAPEM()},
		Cluster:     s.cluster,
		Proxy:       &identity.ProxyEndpoint{Address: "capsule-proxy.capsule-system.svc:9001"},
	}
	if !s.noToken {
		env.TokenSource = doctortest.Source(tok)
	}
	if !s.noToken && !s.fromFile {
		refresh := ""
		if !s.noRefresh {
			refresh = s.idp.IssueRefresh()
		}
		env.TokenFromIDP = true // a sign-in at the IdP, with the refresh token it issued
		env.TokenSource = func(identity.Expectation, *oidc.Discovery, *http.Client) (oidc.Source, error) {
			return doctortest.FixedSource{Tok: tok, Refresh: refresh}, nil
		}
	}
	p, err := engine.NewPlan(identity.Checks(), s.facts(env), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := engine.Run(t.Context(), p, engine.RunOptions{Timeout: 20 * time.Second})
	out := map[engine.ID]engine.Outcome{}
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
		// The identity checks alone have no Headlamp pod to probe: the live probes do not apply.
		live := (id == identity.IDHeadlampOIDCLive || id == identity.IDHeadlampAPILive || id == identity.IDHeadlampLog) && o.Status == engine.StatusSkip
		if o.Status != engine.StatusPass && id != identity.IDIdPAPIServerTrust && !live {
			t.Errorf("%s: %s %s", id, o.Status, o.Message)
		}
	}
	if got := out[identity.IDReviewAPIServer].Evidence.Get("username"); got != "alice@example.com" {
		t.Errorf("reviewed username = %v", got)
	}
	if got := out[identity.IDTenantOwned].Evidence.Get("tenants"); !slices.Equal(got.([]string), []string{"tenant-a"}) {
		t.Errorf("tenants = %v", got)
	}
	if out[identity.IDIdPAPIServerTrust].Status != engine.StatusSkip {
		t.Errorf("API server trust without its configuration: %s, want skip", out[identity.IDIdPAPIServerTrust].Status)
	}
}

func TestIdentityFailures(t *testing.T) {
	cases := []struct {
		name   string
		change func(s *scenario)
		id     engine.ID
		status engine.Status
		want   string // in the message or hint
	}{
		{"wrong client secret", func(s *scenario) { s.exp.ClientSecret = oidc.NewSecret("wrong") }, identity.IDIdPClient, engine.StatusFail, "rejected client"},
		{"token of client kubernetes", func(s *scenario) { s.claims["aud"] = "kubernetes" }, identity.IDTokenAudience, engine.StatusFail, `does not contain "headlamp"`},
		{"no groups scope", func(s *scenario) { delete(s.claims, "groups") }, identity.IDTokenGroups, engine.StatusFail, "no \"groups\" claim"},
		{"groups as a string", func(s *scenario) { s.claims["groups"] = "tenant-a-owners" }, identity.IDTokenGroups, engine.StatusWarn, "single string"},
		{"expired by the API server's clock", func(s *scenario) { s.cluster.Now = time.Now().Add(2 * time.Hour) }, identity.IDTokenExpiry, engine.StatusFail, "expired at"},
		{"email not verified", func(s *scenario) { s.claims["email_verified"] = false }, identity.IDTokenEmailVerified, engine.StatusFail, "email_verified is false"},
		{"wrong issuer", func(s *scenario) { s.claims["iss"] = s.idp.Issuer + "/" }, identity.IDTokenIssuer, engine.StatusFail, "trailing slash"},
		{"Headlamp's issuer with a trailing slash", func(s *scenario) { s.exp.ValidatorIssuer = s.idp.Issuer + "/" }, identity.IDIdPIssuerMatch, engine.StatusFail, "trailing slash"},
		{"Headlamp lacks the IdP CA", func(s *scenario) { s.exp.HeadlampTrust.PEM = nil }, identity.IDIdPDiscoveryHeadlamp, engine.StatusFail, "does not chain to a trusted CA"},
		{"API server with a wrong CA", func(s *scenario) { s.exp.APIServer = apiServer(s, oidctest.OtherCAPEM(t)) }, identity.IDIdPAPIServerTrust, engine.StatusFail, "certificateAuthority"},
		{"bob", func(s *scenario) { s.claims["email"], s.claims["groups"] = "bob@example.com", []string{"developers"} }, identity.IDTenantUserGroup, engine.StatusFail, "capsuleconfiguration default"},
		{"API server audiences kubernetes only", func(s *scenario) {
			s.exp.APIServer = apiServer(s, s.idp.CAPEM())
			s.exp.APIServer.Audiences = []string{"kubernetes"}
			s.cluster.Reject = true
		}, identity.IDReviewAPIServer, engine.StatusFail, "1. audience not accepted"},
		{"401 without the API server's configuration", func(s *scenario) { s.cluster.Reject = true }, identity.IDReviewAPIServer, engine.StatusFail, "1. audience not accepted"},
		// capsule-proxy's own answer to a token the API server rejects: 403, not 401.
		{"proxy's 403 for a rejected token", func(s *scenario) {
			s.exp.APIServer = apiServer(s, s.idp.CAPEM())
			s.exp.APIServer.Audiences = []string{"kubernetes"}
			s.cluster.Reject = true
			s.cluster.ProxyErr = apierrors.NewForbidden(schema.GroupResource{}, "", errors.New(
				`cannot authenticate the token due to error: [invalid bearer token, oidc: expected audience "kubernetes" got ["headlamp"]]`))
		}, identity.IDReviewProxy, engine.StatusFail, "1. audience not accepted"},
		{"no token source", func(s *scenario) { s.noToken = true }, identity.IDTokenObtained, engine.StatusSkip, "--token-file"},
		{"capsule-proxy reads a claim the token lacks", func(s *scenario) { s.proxyArgs = nil }, identity.IDTokenProxyUsername,
			engine.StatusFail, `claim "preferred_username" not present`},
		{"capsule-proxy reads another claim", func(s *scenario) { s.proxyArgs = []string{"--oidc-username-claim", "name"} }, identity.IDTokenProxyUsername,
			engine.StatusFail, `capsule-proxy names the user "alice" (claim "name"), the API server "alice@example.com"`},
		{"capsule-proxy ignores the user's group", func(s *scenario) { s.proxyArgs = []string{"--ignored-user-group=admins,developers"} },
			identity.IDReviewProxyIgnored, engine.StatusWarn, "ignores the user's group developers"},
		{"proxy address with an untrusted certificate", func(s *scenario) {
			s.cluster.ProxyErr = &url.Error{Op: "Post", URL: "https://proxy.example:443/apis", Err: &tls.CertificateVerificationError{
				Err: x509.UnknownAuthorityError{}}}
		}, identity.IDReviewProxy, engine.StatusFail, "not trusted"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newScenario(t)
			tc.change(s)
			expectOutcome(t, s.run(t)[tc.id], tc.status, tc.want)
		})
	}
}

// expectOutcome checks a check's status, and that its message or hint says want.
func expectOutcome(t *testing.T, o engine.Outcome, status engine.Status, want string) {
	t.Helper()
	if o.Status != status || !strings.Contains(o.Message+" "+o.Hint, want) {
		t.Errorf("%s = %s %q (hint %q), want %s mentioning %q", o.ID, o.Status, o.Message, o.Hint, status, want)
	}
}

func apiServer(s *scenario, ca []byte) *identity.APIServerJWT {
	return &identity.APIServerJWT{Issuer: s.idp.Issuer, Audiences: []string{"headlamp", "kubernetes"}, CAPEM: ca, Mapping: oidc.DefaultMapping(s.idp.Issuer)}
}

func TestIdentityHungIdPWithinTimeout(t *testing.T) {
	s := newScenario(t)
	// A hung IdP never answers: a handler that returns when its request ends sends an empty 200, and
	// a run on a loaded machine once read that instead of a timeout.
	released := make(chan struct{})
	t.Cleanup(func() { close(released) })
	s.idp.Server.Config.Handler = http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-released })
	tok := oidctest.Sign(t, oidctest.Key, "k1", s.claims)
	env := identity.Env{
		Expect:      func(context.Context) (identity.Expectation, error) { return s.exp, nil },
		PluginTrust: oidc.Trust{Name: "plugin", PEM: s.idp.CAPEM()},
		Cluster:     s.cluster,
		TokenSource: doctortest.Source(tok),
		Proxy:       &identity.ProxyEndpoint{Address: "capsule-proxy.capsule-system.svc:9001"},
	}
	p, err := engine.NewPlan(identity.Checks(), s.facts(env), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := engine.Run(t.Context(), p, engine.RunOptions{Timeout: 3 * time.Second, CheckTimeout: time.Second})
	byID := map[engine.ID]engine.Outcome{}
	for _, o := range rep.Outcomes {
		byID[o.ID] = o
	}
	if o := byID[identity.IDIdPDiscovery]; o.Status != engine.StatusFail || !strings.Contains(o.Message, "did not answer in time") {
		t.Errorf("discovery from a hung IdP: %s %s, want a failure saying it did not answer", o.Status, o.Message)
	}
	// A token from a file does not need the IdP: the API server still judges it.
	if o := byID[identity.IDReviewAPIServer]; o.Status != engine.StatusPass {
		t.Errorf("review with a hung IdP: %s %s", o.Status, o.Message)
	}
	if rep.Interrupted {
		t.Error("the run was interrupted")
	}
}

func evidenceText(e engine.Evidence) string {
	var parts []string
	for _, it := range e {
		parts = append(parts, it.Key+"="+it.String())
	}
	return strings.Join(parts, " ")
}

// TestManyNamespacesAreSummarised: a tenant with 2,000 namespaces reads as a count and the first few;
// the evidence keeps them all for JSON.
func TestManyNamespacesAreSummarised(t *testing.T) {
	s := newScenario(t)
	for i := range 2000 {
		s.cluster.Namespaces = append(s.cluster.Namespaces, fmt.Sprintf("tenant-a-%04d", i))
	}
	o := s.run(t)[identity.IDTenantNamespaces]
	want := "tenant-a-0000, tenant-a-0001, tenant-a-0002, tenant-a-0003, tenant-a-0004 and 1995 more (2000 in all)"
	if o.Status != engine.StatusPass || o.Message != want {
		t.Errorf("TENANT-NAMESPACES = %s %q, want pass %q", o.Status, o.Message, want)
	}
	if got, _ := o.Evidence.Get("namespaces").([]string); len(got) != 2000 {
		t.Errorf("evidence holds %d namespaces, want all 2000", len(got))
	}
}
