package doctor

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/render"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

func TestChain(t *testing.T) {
	r := Report{Outcomes: []Outcome{
		{ID: "HEADLAMP-READY", Result: Result{Status: StatusPass}},
		{ID: IDIdPDiscovery, Result: Result{Status: StatusPass}},
		{ID: IDTokenAudience, Result: Result{Status: StatusWarn}},
		{ID: "PROXY-TLS-SAN", Result: Result{Status: StatusPass}},
		{ID: IDReviewAPIServer, Result: Result{Status: StatusFail}},
		{ID: IDTenantUserGroup, Result: Result{Status: StatusSkip}},
	}}
	hops := Chain(r)
	want := []Status{StatusPass, StatusWarn, StatusPass, StatusFail, StatusSkip}
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
	if h := hops[4]; h.Partial || len(h.Skipped) != 1 || h.Skipped[0] != IDTenantUserGroup {
		t.Errorf("tenant hop with its only check skipped: partial %v, skipped %v; want not partial (nothing ran), the check listed", h.Partial, h.Skipped)
	}
}

// TestChainWithoutATokenClaimsOnlyWhatRan: with no token source every hop but the first has checks that
// need a user token; none of them may read as a plain pass.
func TestChainWithoutATokenClaimsOnlyWhatRan(t *testing.T) {
	hops := Chain(tokenlessReport(t))
	want := []struct {
		status  Status
		partial bool
		skipped int
		note    string
	}{
		{StatusPass, false, 0, ""},
		{StatusPass, true, 2, "configuration only; 2 checks need " + MissingUserToken},
		{StatusPass, true, 1, "configuration only; 1 check needs " + MissingUserToken},
		{StatusPass, true, 2, "configuration only; 2 checks need " + MissingUserToken},
		{StatusPass, true, 2, "configuration only; 2 checks need " + MissingUserToken},
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
	r := Report{Outcomes: []Outcome{
		{ID: "PROXY-ENDPOINTS", Result: Result{Status: StatusFail}},
		skippedAfter(Outcome{ID: "PROXY-TLS-LIVE", Result: Result{Status: StatusSkip}}, "PROXY-ENDPOINTS", StatusFail),
		skippedAfter(Outcome{ID: "PROXY-HEALTHZ", Result: Result{Status: StatusSkip}}, "PROXY-ENDPOINTS", StatusFail),
		{ID: "HEADLAMP-CA", Result: Result{Status: StatusPass}},
		{ID: "AUTHN-ISSUER", Result: Result{Status: StatusPass}},
		{ID: "AUTHN-APISERVER-FLAGS", Result: Result{Status: StatusSkip, Message: "flags not visible"}},
	}}
	hops := Chain(r)
	if n := hops[2].Note; n != "PROXY-ENDPOINTS; 2 checks not run (PROXY-ENDPOINTS failed)" {
		t.Errorf("proxy hop note %q", n)
	}
	if h := hops[3]; h.Status != StatusPass || !h.Partial || h.Note != "partly checked; 1 check not run (AUTHN-APISERVER-FLAGS does not apply here)" {
		t.Errorf("API server hop: %s partial %v note %q; want a pass that says what did not run", h.Status, h.Partial, h.Note)
	}
}

func TestEveryCheckJudgesAHop(t *testing.T) {
	for _, c := range Catalogue() {
		n := 0
		for _, h := range chainHops {
			if h.Judges(c.ID) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s judges %d hops of the sign-in chain, want 1", c.ID, n)
		}
	}
}

// TestHealthyWorldWithoutATokenChain runs the whole catalogue without a token source: each hop the
// token checks judge says it was judged on configuration only, and how many checks need a token.
func TestHealthyWorldWithoutATokenChain(t *testing.T) {
	w := newWorld(t)
	env := w.env(t)
	env.AuthConfig = &AuthConfigFile{Path: "auth.yaml", Data: w.authConfig([]byte(healthyAuthConfig))}
	p, err := NewPlan(Catalogue(), AllFacts(env), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	hops := Chain(Run(t.Context(), p, RunOptions{CheckTimeout: 5 * time.Second, Vars: env.HintVars()}))
	for i, h := range hops {
		tokenHop := i > 0
		says := strings.Contains(h.Note, MissingUserToken)
		// A pass must say it is the configuration's only; a hop the fake cluster could not fully look at
		// (AUTHN-METRICS, unknown here) names that check first.
		if h.Status == StatusPass && tokenHop {
			says = says && strings.HasPrefix(h.Note, "configuration only; ")
		}
		if tokenHop != h.Partial || tokenHop != says {
			t.Errorf("%s -> %s: %s partial %v note %q skipped %v", h.From, h.To, h.Status, h.Partial, h.Note, h.Skipped)
		}
	}
	if h := hops[3]; h.Status != StatusUnknown || h.Note != "AUTHN-METRICS; 4 checks need "+MissingUserToken+"; 1 check not run (AUTHN-APISERVER-FLAGS does not apply here)" {
		t.Errorf("API server hop %s note %q, want AUTHN-METRICS first, then what did not run", h.Status, h.Note)
	}
}

// skippedAfter records, as the runner does, that o was skipped because check root ended in status.
func skippedAfter(o Outcome, root ID, status Status) Outcome {
	verb := map[Status]string{StatusFail: "failed", StatusUnknown: "could not be checked"}[status]
	o.Skip = skipOrigin{Root: root, Status: status, Cause: string(root) + " " + verb}
	return o
}
