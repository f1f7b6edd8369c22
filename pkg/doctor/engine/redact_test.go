package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// outcomeKeeper is an Observer that keeps the outcomes it is told of.
type outcomeKeeper struct{ seen []Outcome }

func (k *outcomeKeeper) Begin([]Check)     {}
func (k *outcomeKeeper) Observe(o Outcome) { k.seen = append(k.seen, o) }

// TestRunHidesUserInfoOfURLsChecksQuote: a URL read from the cluster with a password in it (Headlamp's
// issuer flag, say) reaches neither the report nor the observer that streams it, whatever part of the
// result quotes it: the message, the filled hint, the evidence of any type, or the hint variables.
func TestRunHidesUserInfoOfURLsChecksQuote(t *testing.T) {
	const url = "https://admin:s3cretpw@dex.example.com/dex"
	checks := []Check{
		check("T-URL", nil, func(context.Context, Facts) Result {
			return Problem("issuer %s does not answer", url).With("issuer", url).With("all", []string{url}).
				With("struct", struct{ URL string }{url}).WithVar("thing", url)
		}),
		check("T-AFTER", []ID{"T-URL"}, nil),
	}
	var k outcomeKeeper
	r := Run(t.Context(), mustPlan(t, checks, nil, nil, nil), RunOptions{Observer: &k})
	if len(k.seen) != len(r.Outcomes) {
		t.Fatalf("the observer saw %d outcomes, the report has %d", len(k.seen), len(r.Outcomes))
	}
	for name, outcomes := range map[string][]Outcome{"report": r.Outcomes, "observer": k.seen} {
		for _, o := range outcomes {
			js, err := json.Marshal(o)
			if err != nil {
				t.Fatal(err)
			}
			for _, out := range []string{fmt.Sprintf("%+v", o), string(js)} {
				if strings.Contains(out, "s3cretpw") || strings.Contains(out, "admin") {
					t.Errorf("the %s's %s repeats the URL's user info:\n%s", name, o.ID, out)
				}
			}
			if o.ID == "T-URL" && (!strings.Contains(o.Message, "dex.example.com/dex") || !strings.Contains(o.Hint, "dex.example.com/dex")) {
				t.Errorf("the %s's %s lost the URL itself: %q (hint %q)", name, o.ID, o.Message, o.Hint)
			}
		}
	}
}
