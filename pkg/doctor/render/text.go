// Package render prints what doctor found: the report as text (streamed as results come), short text,
// JSON, the sign-in chain, the catalogue of checks, and docs/checks.md. It is the only doctor code that
// knows about terminal style; it decides nothing (the exit code comes from the report).
package render

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

// glyphs mark each status in text output; they are distinct without colour.
var glyphs = map[engine.Status]string{
	engine.StatusPass: "✔", engine.StatusWarn: "!", engine.StatusFail: "✖", engine.StatusSkip: "-", engine.StatusUnknown: "?",
}

// WriteText prints the report grouped by category: one line per check, and under each check that did
// not pass its message, evidence, hint and docs link. With short, only warnings, failures and unknowns
// are printed. A summary line ends the output. It prints what a Text stream prints during a run.
func WriteText(w io.Writer, r engine.Report, p style.Palette, short bool) error {
	s := NewText(w, p, short)
	s.beginIDs(ids(r.Outcomes))
	for _, o := range r.Outcomes {
		s.Observe(o)
	}
	return s.End(r)
}

// Summary is the closing line: how many checks ended in each status, and the wall time.
func Summary(r engine.Report, p style.Palette) string {
	n := r.Counts()
	parts := []string{
		p.Green(fmt.Sprintf("%d passed", n[engine.StatusPass])),
		colourIf(n[engine.StatusWarn] > 0, p.Yellow, fmt.Sprintf("%d %s", n[engine.StatusWarn], plural(n[engine.StatusWarn], "warning"))),
		colourIf(n[engine.StatusFail] > 0, p.Red, fmt.Sprintf("%d failed", n[engine.StatusFail])),
		fmt.Sprintf("%d skipped", n[engine.StatusSkip]),
		fmt.Sprintf("%d unknown", n[engine.StatusUnknown]),
	}
	s := fmt.Sprintf("%d checks in %s: %s", len(r.Outcomes), r.Duration.Round(10*time.Millisecond), strings.Join(parts, ", "))
	if r.Interrupted {
		s += " (interrupted)"
	}
	return s
}

// textWriter prints outcomes in report order, grouping them by category.
type textWriter struct {
	w        io.Writer
	p        style.Palette
	short    bool
	width    int
	category string
	err      error
	// skipShown maps the origin of each skip explained in the current category to the check whose
	// lines explained it, so that the same root cause is spelled out once per category.
	skipShown map[engine.SkipOrigin]engine.ID
}

func (t *textWriter) line(s string) {
	if t.err == nil {
		_, t.err = fmt.Fprintln(t.w, s)
	}
}

// next prints o, under its category's heading when o starts a category.
func (t *textWriter) next(o engine.Outcome) {
	if t.short && (o.Status == engine.StatusPass || o.Status == engine.StatusSkip) {
		return
	}
	if o.Category != t.category {
		if t.category != "" {
			t.line("")
		}
		t.category = o.Category
		t.line(t.p.Bold(t.category))
		t.skipShown = map[engine.SkipOrigin]engine.ID{}
	}
	t.outcome(o)
}

// end closes the last category and prints the summary.
func (t *textWriter) end(r engine.Report) {
	if t.category != "" {
		t.line("")
	}
	t.line(Summary(r, t.p))
}

func (t *textWriter) outcome(o engine.Outcome) {
	head := fmt.Sprintf("  %s %-*s  %s", glyph(t.p, o.Status), t.width, o.ID, o.Title)
	if o.Status == engine.StatusPass {
		if o.Message != "" {
			head += t.p.Faint(": " + o.Message)
		}
		t.line(head)
		t.tables(o.Evidence)
		return
	}
	t.line(head)
	if o.Status == engine.StatusSkip {
		origin := o.Origin()
		if first, ok := t.skipShown[origin]; ok {
			t.line(detailIndent + "skipped: same reason as " + string(first))
			return
		}
		t.skipShown[origin] = o.ID
	}
	t.block(detailIndent, "", o.Message)
	for _, it := range o.Evidence {
		if _, ok := it.Value.(engine.Table); !ok {
			t.line(detailIndent + t.p.Faint(it.Key+": "+evidenceText(it)))
		}
	}
	t.tables(o.Evidence)
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

// evidenceText is one piece of evidence for a line of text: a long list is summarised (-o json has it
// all).
func evidenceText(it engine.Item) string {
	if list, ok := it.Value.([]string); ok {
		return engine.Summarize(list)
	}
	return it.String()
}

func glyph(p style.Palette, s engine.Status) string {
	g := glyphs[s]
	switch s {
	case engine.StatusPass:
		return p.Green(g)
	case engine.StatusWarn, engine.StatusUnknown:
		return p.Yellow(g)
	case engine.StatusFail:
		return p.Red(g)
	}
	return p.Faint(g)
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
