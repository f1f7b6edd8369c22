package render

import (
	"bytes"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

// table is a Table for the tests.
type table [][]string

func (t table) TableRows() ([]string, [][]string) { return t[0], t[1:] }

// TestTableEvidence: a table prints under its check, aligned, whether the check passed or not; other
// evidence of a passing check stays hidden, and -o short hides passing checks whole.
func TestTableEvidence(t *testing.T) {
	views := table{{"VIEW", "CODE", "VERDICT"}, {"namespaces", "200", "works (2)"}, {"storage classes", "403", "forbidden"}}
	for _, st := range []engine.Status{engine.StatusPass, engine.StatusFail} {
		o := engine.Outcome{ID: "TENANT-VIEWS", Title: "Views", Category: "c", Severity: engine.SeverityError,
			Result: engine.Result{Status: st, Message: "m", Evidence: engine.Evidence{{Key: "user", Value: "alice"}, {Key: "views", Value: views}}}}
		for short, want := range map[bool]bool{false: true, true: st != engine.StatusPass} {
			var b bytes.Buffer
			if err := WriteText(&b, engine.Report{Outcomes: []engine.Outcome{o}}, style.Palette{}, short); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			table := strings.Contains(out, "      views:\n"+
				"        VIEW             CODE  VERDICT\n"+
				"        namespaces       200   works (2)\n"+
				"        storage classes  403   forbidden\n")
			if table != want {
				t.Errorf("%s, short=%v: table printed %v, want %v:\n%s", st, short, table, want, out)
			}
			if hidden := !strings.Contains(out, "user: alice"); hidden != (st == engine.StatusPass) && want {
				t.Errorf("%s, short=%v: other evidence hidden %v:\n%s", st, short, hidden, out)
			}
		}
	}
}
