package doctor

import (
	"bytes"
	"strings"
	"testing"

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
	if err := WriteChain(&buf, hops, style.NewPalette(style.Never, func(string) string { return "" }, &buf)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, s := range []string{"✔ browser -> Headlamp", "✖ capsule-proxy -> API server: REVIEW-APISERVER", "- API server -> Capsule tenant: not checked"} {
		if !strings.Contains(out, s) {
			t.Errorf("chain output lacks %q:\n%s", s, out)
		}
	}
}

func TestEveryCheckJudgesAHop(t *testing.T) {
	for _, c := range Catalogue() {
		n := 0
		for _, h := range chainHops {
			if h.judges(c.ID) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s judges %d hops of the sign-in chain, want 1", c.ID, n)
		}
	}
}
