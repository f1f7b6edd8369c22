package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

// TestRunHidesUserInfoOfURLsChecksQuote: a URL read from the cluster with a password in it (Headlamp's
// issuer flag, say) reaches no rendered report, whatever part of the result quotes it.
func TestRunHidesUserInfoOfURLsChecksQuote(t *testing.T) {
	const url = "https://admin:s3cretpw@dex.example.com/dex"
	checks := []Check{
		check("T-URL", nil, func(context.Context, Facts) Result {
			return Problem("issuer %s does not answer", url).With("issuer", url).With("all", []string{url}).
				With("struct", struct{ URL string }{url}).WithVar("thing", url)
		}),
		check("T-AFTER", []ID{"T-URL"}, nil),
	}
	r := Run(t.Context(), mustPlan(t, checks, nil, nil, nil), RunOptions{})
	var text, js bytes.Buffer
	if err := WriteText(&text, r, style.Palette{}, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"text": text.String(), "json": js.String()} {
		if strings.Contains(out, "s3cretpw") || strings.Contains(out, "admin") {
			t.Errorf("the %s report repeats the URL's user info:\n%s", name, out)
		}
		if !strings.Contains(out, "dex.example.com/dex") {
			t.Errorf("the %s report lost the URL itself:\n%s", name, out)
		}
	}
	if !json.Valid(js.Bytes()) {
		t.Errorf("the JSON report does not parse:\n%s", js.String())
	}
}
