package doctor

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

// glyphs mark each status in text output; they are distinct without colour.
var glyphs = map[Status]string{
	StatusPass: "✔", StatusWarn: "!", StatusFail: "✖", StatusSkip: "-", StatusUnknown: "?",
}

// WriteText prints the report grouped by category: one line per check, and under each check that did
// not pass its message, evidence, hint and docs link. With short, only warnings, failures and unknowns
// are printed. A summary line ends the output.
func WriteText(w io.Writer, r Report, p style.Palette, short bool) error {
	tw := &textWriter{w: w, p: p, width: idWidth(r.Outcomes), skipShown: map[skipOrigin]ID{}}
	category := ""
	for _, o := range r.Outcomes {
		if short && (o.Status == StatusPass || o.Status == StatusSkip) {
			continue
		}
		if o.Category != category {
			if category != "" {
				tw.line("")
			}
			category = o.Category
			tw.line(p.Bold(category))
			tw.skipShown = map[skipOrigin]ID{}
		}
		tw.outcome(o)
	}
	if category != "" {
		tw.line("")
	}
	tw.line(Summary(r, p))
	return tw.err
}

// Summary is the closing line: how many checks ended in each status, and the wall time.
func Summary(r Report, p style.Palette) string {
	n := r.Counts()
	parts := []string{
		p.Green(fmt.Sprintf("%d passed", n[StatusPass])),
		colourIf(n[StatusWarn] > 0, p.Yellow, fmt.Sprintf("%d %s", n[StatusWarn], plural(n[StatusWarn], "warning"))),
		colourIf(n[StatusFail] > 0, p.Red, fmt.Sprintf("%d failed", n[StatusFail])),
		fmt.Sprintf("%d skipped", n[StatusSkip]),
		fmt.Sprintf("%d unknown", n[StatusUnknown]),
	}
	s := fmt.Sprintf("%d checks in %s: %s", len(r.Outcomes), r.Duration.Round(10*time.Millisecond), strings.Join(parts, ", "))
	if r.Interrupted {
		s += " (interrupted)"
	}
	return s
}

type textWriter struct {
	w     io.Writer
	p     style.Palette
	width int
	err   error
	// skipShown maps the origin of each skip explained in the current category to the check whose
	// lines explained it, so that the same root cause is spelled out once per category.
	skipShown map[skipOrigin]ID
}

func (t *textWriter) line(s string) {
	if t.err == nil {
		_, t.err = fmt.Fprintln(t.w, s)
	}
}

func (t *textWriter) outcome(o Outcome) {
	head := fmt.Sprintf("  %s %-*s  %s", t.glyph(o.Status), t.width, o.ID, o.Title)
	if o.Status == StatusPass {
		if o.Message != "" {
			head += t.p.Faint(": " + o.Message)
		}
		t.line(head)
		return
	}
	t.line(head)
	if o.Status == StatusSkip {
		origin := o.Origin()
		if first, ok := t.skipShown[origin]; ok {
			t.line(detailIndent + "skipped: same reason as " + string(first))
			return
		}
		t.skipShown[origin] = o.ID
	}
	t.block(detailIndent, "", o.Message)
	for _, it := range o.Evidence {
		t.line(detailIndent + t.p.Faint(it.Key+": "+it.String()))
	}
	if o.Hint != "" {
		t.block(detailIndent, "hint: ", o.Hint)
		t.line(detailIndent + t.p.Faint("docs: "+o.Docs))
	}
}

// detailIndent puts the details of a check under its ID.
const detailIndent = "      "

// block prints a possibly multi-line text after label, continuation lines aligned under the first.
func (t *textWriter) block(indent, label, text string) {
	pad := strings.Repeat(" ", len(label))
	for i, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if i == 0 {
			t.line(indent + label + l)
		} else if l != "" {
			t.line(indent + pad + l)
		}
	}
}

func (t *textWriter) glyph(s Status) string {
	g := glyphs[s]
	switch s {
	case StatusPass:
		return t.p.Green(g)
	case StatusWarn, StatusUnknown:
		return t.p.Yellow(g)
	case StatusFail:
		return t.p.Red(g)
	}
	return t.p.Faint(g)
}

func idWidth(os []Outcome) int {
	w := 0
	for _, o := range os {
		w = max(w, len(o.ID))
	}
	return w
}

func colourIf(cond bool, paint func(string) string, s string) string {
	if cond {
		return paint(s)
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
