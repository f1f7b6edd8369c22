package doctor

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/internal/golden"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/doctortest"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/render"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

// TestRunWithATokenGolden renders a whole run on the fake world with alice's token as the command
// does: text and short streamed as results come, then JSON. What changes from run to run (the IdP's
// port, certificate fingerprints and dates, durations) is replaced by placeholders.
func TestRunWithATokenGolden(t *testing.T) {
	w := doctortest.NewWorld(t)
	cluster := &doctortest.Cluster{Now: time.Now(), Owners: map[string][]rbacv1.Subject{"tenant-a": {{Kind: "Group", Name: "tenant-a-owners"}}}}
	c := withToken(t, w, cluster)
	for name, format := range map[string]string{"run.txt": "text", "run-short.txt": "short", "run.json": "json"} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			var text *render.Text
			if format != "json" {
				text = render.NewText(&out, style.Palette{}, format == "short")
				c.Observer = text
			}
			r, err := Diagnose(t.Context(), c)
			if err != nil {
				t.Fatal(err)
			}
			r = steady(r)
			if text != nil {
				if err := text.End(r); err != nil {
					t.Fatal(err)
				}
				out.WriteString("\n")
				err = render.WriteChain(&out, Chain(r), style.Palette{})
			} else {
				err = render.WriteJSON(&out, r, Chain(r))
			}
			if err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, name, scrubRun(out.Bytes(), w.IDP.Issuer), *update)
		})
	}
}

// steady zeroes the durations of a report.
func steady(r engine.Report) engine.Report {
	r.Duration = 0
	for i := range r.Outcomes {
		r.Outcomes[i].Duration = 0
	}
	return r
}

// What differs between runs of the fake world, with its placeholder.
var unsteady = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`[0-9a-f]{64}`), "<sha256>"},
	{regexp.MustCompile(`[0-9A-F]{2}(:[0-9A-F]{2}){31}`), "<sha256>"},
	{regexp.MustCompile(`\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?`), "<time>"},
	{regexp.MustCompile(`sha256:[0-9a-f]+`), "sha256:<hash>"},
}

func scrubRun(b []byte, issuer string) []byte {
	b = bytes.ReplaceAll(b, []byte(issuer), []byte("https://idp.example"))
	for _, u := range unsteady {
		b = u.re.ReplaceAll(b, []byte(u.with))
	}
	return b
}
