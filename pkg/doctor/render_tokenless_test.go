package doctor

import (
	"bytes"
	"context"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/internal/golden"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/render"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// tokenlessReport is a run without a token source, through the real runner: the configuration checks
// pass, the token check skips for want of a token, and the checks after it skip along its chain.
func tokenlessReport(t *testing.T) Report {
	t.Helper()
	in := func(cat string, c Check) Check { c.Category = cat; return c }
	noToken := func(context.Context, Facts) Result { return NeedsInput(MissingUserToken, "%v", ErrNoTokenSource) }
	checks := []Check{
		in(CategoryCapsule, check("CAPSULE-USERS", nil, nil)),
		in(CategoryProxy, check("PROXY-ENDPOINTS", nil, nil)),
		in(CategoryHeadlamp, check("HEADLAMP-READY", nil, nil)),
		in(CategoryAuthn, check("AUTHN-ISSUER", nil, nil)),
		in(CategoryIDP, check(IDIdPDiscovery, nil, nil)),
		in(CategoryToken, check(IDTokenObtained, nil, noToken)),
		in(CategoryToken, check(IDTokenSignature, []ID{IDTokenObtained, IDIdPDiscovery}, nil)),
		in(CategoryToken, check(IDTokenGroups, []ID{IDTokenObtained}, nil)),
		in(CategoryReview, check(IDReviewAPIServer, []ID{IDTokenObtained}, nil)),
		in(CategoryReview, check(IDReviewProxy, []ID{IDReviewAPIServer}, nil)),
		in(CategoryReview, check(IDTenantUserGroup, []ID{IDReviewAPIServer, IDTokenGroups}, nil)),
		in(CategoryReview, check(IDTenantOwned, []ID{IDTenantUserGroup}, nil)),
	}
	r := Run(t.Context(), mustPlan(t, checks, nil, nil, nil), RunOptions{})
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
	cause := ErrNoTokenSource.Error()
	if n := strings.Count(text.String(), cause); n != 2 {
		t.Errorf("text says %q %d times, want once in each of the two categories:\n%s", cause, n, text.String())
	}
	if n := strings.Count(js.String(), cause); n != 7 {
		t.Errorf("JSON says %q %d times, want once per skipped check (7)", cause, n)
	}
	for _, id := range []ID{IDTokenSignature, IDTokenGroups, IDReviewProxy, IDTenantUserGroup, IDTenantOwned} {
		if !strings.Contains(text.String(), string(id)) {
			t.Errorf("text no longer lists %s", id)
		}
	}
}

// TestTextKeepsDifferentSkipReasonsApart: two skips in one category with different causes both say why.
func TestTextKeepsDifferentSkipReasonsApart(t *testing.T) {
	checks := []Check{
		check("T-FAILS", nil, func(context.Context, Facts) Result { return Problem("broken") }),
		check("T-NA", nil, func(context.Context, Facts) Result { return NotApplicable("does not apply here") }),
		check("T-AFTER-FAIL", []ID{"T-FAILS"}, nil),
		check("T-AFTER-FAIL-2", []ID{"T-AFTER-FAIL"}, nil),
		check("T-AFTER-NA", []ID{"T-NA"}, nil),
	}
	var text bytes.Buffer
	if err := render.WriteText(&text, Run(t.Context(), mustPlan(t, checks, nil, nil, nil), RunOptions{}), style.Palette{}, false); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"needs T-FAILS, which failed", "skipped: same reason as T-AFTER-FAIL\n",
		"does not apply here", "skipped: same reason as T-NA\n"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
}
