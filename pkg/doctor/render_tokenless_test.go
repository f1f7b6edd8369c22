package doctor

import (
	"bytes"
	"context"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/internal/golden"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authn"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/capsule"
	hlcheck "github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/proxy"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/render"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// tokenlessReport is a run without a token source, through the real runner: the configuration checks
// pass, the token check skips for want of a token, and the checks after it skip along its chain.
func tokenlessReport(t *testing.T) engine.Report {
	t.Helper()
	in := func(cat string, c engine.Check) engine.Check { c.Category = cat; return c }
	noToken := func(context.Context, engine.Facts) engine.Result {
		return engine.NeedsInput(identity.MissingUserToken, "%v", identity.ErrNoTokenSource)
	}
	checks := []engine.Check{
		in(capsule.Category, check(capsule.IDUsers, nil, nil)),
		in(proxy.Category, check(proxy.IDEndpoints, nil, nil)),
		in(hlcheck.Category, check(hlcheck.IDReady, nil, nil)),
		in(authn.Category, check(authn.IDIssuer, nil, nil)),
		in(identity.CategoryIDP, check(identity.IDIdPDiscovery, nil, nil)),
		in(identity.CategoryToken, check(identity.IDTokenObtained, nil, noToken)),
		in(identity.CategoryToken, check(identity.IDTokenSignature, []engine.ID{identity.IDTokenObtained, identity.IDIdPDiscovery}, nil)),
		in(identity.CategoryToken, check(identity.IDTokenGroups, []engine.ID{identity.IDTokenObtained}, nil)),
		in(identity.CategoryReview, check(identity.IDReviewAPIServer, []engine.ID{identity.IDTokenObtained}, nil)),
		in(identity.CategoryReview, check(identity.IDReviewProxy, []engine.ID{identity.IDReviewAPIServer}, nil)),
		in(identity.CategoryReview, check(identity.IDTenantUserGroup, []engine.ID{identity.IDReviewAPIServer, identity.IDTokenGroups}, nil)),
		in(identity.CategoryReview, check(identity.IDTenantOwned, []engine.ID{identity.IDTenantUserGroup}, nil)),
	}
	r := engine.Run(t.Context(), mustPlan(t, checks, nil, nil, nil), engine.RunOptions{})
	r.Duration = 250 * time.Millisecond
	for i := range r.Outcomes {
		r.Outcomes[i].Duration = 0
	}
	return r
}

func TestRenderTokenlessGolden(t *testing.T) {
	r := tokenlessReport(t)
	var text, js bytes.Buffer
	p := style.Palette{}
	if err := render.WriteText(&text, r, p, false); err != nil {
		t.Fatal(err)
	}
	text.WriteString("\n")
	if err := render.WriteChain(&text, Chain(r), p); err != nil {
		t.Fatal(err)
	}
	if err := render.WriteJSON(&js, r, Chain(r)); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "tokenless.txt", text.Bytes(), *update)
	golden.Assert(t, "tokenless.json", js.Bytes(), *update)
}

// TestTextSpellsOutASkipReasonOncePerCategory: the text says the root cause once per category and
// points back to it after that; JSON keeps every check's full message.
func TestTextSpellsOutASkipReasonOncePerCategory(t *testing.T) {
	r := tokenlessReport(t)
	var text, js bytes.Buffer
	if err := render.WriteText(&text, r, style.Palette{}, false); err != nil {
		t.Fatal(err)
	}
	if err := render.WriteJSON(&js, r, Chain(r)); err != nil {
		t.Fatal(err)
	}
	cause := identity.ErrNoTokenSource.Error()
	if n := strings.Count(text.String(), cause); n != 2 {
		t.Errorf("text says %q %d times, want once in each of the two categories:\n%s", cause, n, text.String())
	}
	if n := strings.Count(js.String(), cause); n != 7 {
		t.Errorf("JSON says %q %d times, want once per skipped check (7)", cause, n)
	}
	for _, id := range []engine.ID{identity.IDTokenSignature, identity.IDTokenGroups, identity.IDReviewProxy, identity.IDTenantUserGroup, identity.IDTenantOwned} {
		if !strings.Contains(text.String(), string(id)) {
			t.Errorf("text no longer lists %s", id)
		}
	}
}

// TestTextKeepsDifferentSkipReasonsApart: two skips in one category with different causes both say why.
func TestTextKeepsDifferentSkipReasonsApart(t *testing.T) {
	checks := []engine.Check{
		check("T-FAILS", nil, func(context.Context, engine.Facts) engine.Result { return engine.Problem("broken") }),
		check("T-NA", nil, func(context.Context, engine.Facts) engine.Result { return engine.NotApplicable("does not apply here") }),
		check("T-AFTER-FAIL", []engine.ID{"T-FAILS"}, nil),
		check("T-AFTER-FAIL-2", []engine.ID{"T-AFTER-FAIL"}, nil),
		check("T-AFTER-NA", []engine.ID{"T-NA"}, nil),
	}
	var text bytes.Buffer
	if err := render.WriteText(&text, engine.Run(t.Context(), mustPlan(t, checks, nil, nil, nil), engine.RunOptions{}), style.Palette{}, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"needs T-FAILS, which failed", "skipped: same reason as T-AFTER-FAIL\n",
		"does not apply here", "skipped: same reason as T-NA\n"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
}
