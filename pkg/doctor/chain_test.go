package doctor

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authn"
	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/doctortest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/render"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

func TestChain(t *testing.T) {
	r := engine.Report{Outcomes: []engine.Outcome{
		{ID: hlcheck.IDReady, Result: engine.Result{Status: engine.StatusPass}},
		{ID: identity.IDIdPDiscovery, Result: engine.Result{Status: engine.StatusPass}},
		{ID: identity.IDTokenAudience, Result: engine.Result{Status: engine.StatusWarn}},
		{ID: "PROXY-TLS-SAN", Result: engine.Result{Status: engine.StatusPass}},
		{ID: identity.IDReviewAPIServer, Result: engine.Result{Status: engine.StatusFail}},
		{ID: identity.IDTenantUserGroup, Result: engine.Result{Status: engine.StatusSkip}},
	}}
	hops := Chain(r)
	want := []engine.Status{engine.StatusPass, engine.StatusWarn, engine.StatusPass, engine.StatusFail, engine.StatusSkip}
	if len(hops) != len(want) {
		t.Fatalf("%d hops, want %d", len(hops), len(want))
	}
	for i, h := range hops {
		if h.Status != want[i] {
			t.Errorf("%s -> %s: %s, want %s", h.From, h.To, h.Status, want[i])
		}
	}
	var buf bytes.Buffer
	if err := render.WriteChain(&buf, hops, style.NewPalette(style.Never, func(string) string { return "" }, &buf)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, s := range []string{"✔ browser -> Headlamp", "✖ capsule-proxy -> API server: REVIEW-APISERVER", "- API server -> Capsule tenant: not checked"} {
		if !strings.Contains(out, s) {
			t.Errorf("chain output lacks %q:\n%s", s, out)
		}
	}
	if h := hops[4]; h.Partial || len(h.Skipped) != 1 || h.Skipped[0] != identity.IDTenantUserGroup {
		t.Errorf("tenant hop with its only check skipped: partial %v, skipped %v; want not partial (nothing ran), the check listed", h.Partial, h.Skipped)
	}
}

// TestChainWithoutATokenClaimsOnlyWhatRan: with no token source every hop but the first has checks that
// need a user token; none of them may read as a plain pass.
func TestChainWithoutATokenClaimsOnlyWhatRan(t *testing.T) {
	hops := Chain(tokenlessReport(t))
	want := []struct {
		status  engine.Status
		partial bool
		skipped int
		note    string
	}{
		{engine.StatusPass, false, 0, "configuration only"},
		{engine.StatusPass, true, 2, "configuration only; 2 checks need " + identity.MissingUserToken},
		{engine.StatusPass, true, 1, "configuration only; 1 check needs " + identity.MissingUserToken},
		{engine.StatusPass, true, 2, "configuration only; 2 checks need " + identity.MissingUserToken},
		{engine.StatusPass, true, 2, "configuration only; 2 checks need " + identity.MissingUserToken},
	}
	for i, h := range hops {
		w := want[i]
		if h.Status != w.status || h.Partial != w.partial || len(h.Skipped) != w.skipped || h.Note != w.note {
			t.Errorf("%s -> %s: %s partial %v skipped %v note %q; want %s partial %v, %d skipped, note %q",
				h.From, h.To, h.Status, h.Partial, h.Skipped, h.Note, w.status, w.partial, w.skipped, w.note)
		}
	}
}

func TestChainNamesWhatStoppedSkippedChecks(t *testing.T) {
	r := engine.Report{Outcomes: []engine.Outcome{
		{ID: proxy.IDEndpoints, Result: engine.Result{Status: engine.StatusFail}},
		skippedAfter(engine.Outcome{ID: proxy.IDTLSLive, Result: engine.Result{Status: engine.StatusSkip}}, proxy.IDEndpoints, engine.StatusFail),
		skippedAfter(engine.Outcome{ID: proxy.IDHealthz, Result: engine.Result{Status: engine.StatusSkip}}, proxy.IDEndpoints, engine.StatusFail),
		{ID: hlcheck.IDCA, Result: engine.Result{Status: engine.StatusPass}},
		{ID: authn.IDIssuer, Result: engine.Result{Status: engine.StatusPass}},
		{ID: authn.IDAPIServerFlags, Result: engine.Result{Status: engine.StatusSkip, Message: "flags not visible"}},
	}}
	hops := Chain(r)
	if n := hops[2].Note; n != "PROXY-ENDPOINTS; 2 checks not run (PROXY-ENDPOINTS failed)" {
		t.Errorf("proxy hop note %q", n)
	}
	if h := hops[3]; h.Status != engine.StatusPass || !h.Partial || h.Note != "partly checked; 1 check not run (AUTHN-APISERVER-FLAGS does not apply here)" {
		t.Errorf("API server hop: %s partial %v note %q; want a pass that says what did not run", h.Status, h.Partial, h.Note)
	}
}

// wantBasis is how each hop of a healthy run without a token starts its note: the hops with a live
// probe that needs no token say they were probed, the others that they were judged on configuration.
var wantBasis = []string{"configuration only", "probed live (HEADLAMP-OIDC-LIVE); ",
	"probed live (PROXY-TLS-LIVE, PROXY-HEALTHZ); ", "configuration only; ", "configuration only; "}

// TestHealthyWorldWithoutATokenChain runs the whole catalogue without a token source: each hop the
// token checks judge says it was judged on configuration only, and how many checks need a token.
func TestHealthyWorldWithoutATokenChain(t *testing.T) {
	w := doctortest.NewWorld(t)
	c := config(w.Env(t))
	c.AuthConfig = &area.AuthConfigFile{Path: "auth.yaml", Data: w.AuthConfig([]byte(healthyAuthConfig))}
	c.CheckTimeout = 5 * time.Second
	r, err := Diagnose(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	hops := Chain(r)
	for i, h := range hops {
		tokenHop := i > 0
		says := strings.Contains(h.Note, identity.MissingUserToken)
		// A pass must say what it rests on: the live probes that ran, else the configuration only; a hop
		// the fake cluster could not fully look at (AUTHN-METRICS, unknown here) names that check first.
		if h.Status == engine.StatusPass && tokenHop {
			says = says && strings.HasPrefix(h.Note, wantBasis[i])
		}
		if tokenHop != h.Partial || tokenHop != says {
			t.Errorf("%s -> %s: %s partial %v note %q skipped %v", h.From, h.To, h.Status, h.Partial, h.Note, h.Skipped)
		}
	}
	if h := hops[3]; h.Status != engine.StatusUnknown || h.Note != "AUTHN-METRICS, AUTHN-CONFIG-LOADED, AUTHN-JWKS-FETCH; 5 checks need "+identity.MissingUserToken+
		"; 1 check not run (AUTHN-APISERVER-FLAGS does not apply here); 1 check not run (AUTHN-JWKS-FETCH could not be checked)" {
		t.Errorf("API server hop %s note %q, want AUTHN-METRICS first, then what did not run", h.Status, h.Note)
	}
}

// skippedAfter records, as the runner does, that o was skipped because check root ended in status.
func skippedAfter(o engine.Outcome, root engine.ID, status engine.Status) engine.Outcome {
	verb := map[engine.Status]string{engine.StatusFail: "failed", engine.StatusUnknown: "could not be checked"}[status]
	o.Skip = engine.SkipOrigin{Root: root, Status: status, Cause: string(root) + " " + verb}
	return o
}
