package doctor

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

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
	if err := WriteText(&text, r, p, false); err != nil {
		t.Fatal(err)
	}
	text.WriteString("\n")
	if err := WriteChain(&text, Chain(r), p); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	golden(t, "tokenless.txt", text.Bytes())
	golden(t, "tokenless.json", js.Bytes())
}
