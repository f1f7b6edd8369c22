package render

import (
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// tables prints each table of the evidence under the check, headed by its key, columns aligned.
func (t *textWriter) tables(ev engine.Evidence) {
	for _, it := range ev {
		tab, ok := it.Value.(engine.Table)
		if !ok {
			continue
		}
		header, rows := tab.TableRows()
		t.line(detailIndent + t.p.Faint(it.Key+":"))
		for i, l := range alignColumns(append([][]string{header}, rows...)) {
			if i == 0 {
				l = t.p.Faint(l)
			}
			t.line(detailIndent + "  " + l)
		}
	}
}

// alignColumns pads every cell but the last of each row to its column's widest cell.
func alignColumns(rows [][]string) []string {
	var width []int
	for _, r := range rows {
		for i, c := range r {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	out := make([]string, len(rows))
	for n, r := range rows {
		var b strings.Builder
		for i, c := range r {
			if i == len(r)-1 {
				b.WriteString(c)
				break
			}
			b.WriteString(c + strings.Repeat(" ", width[i]-len([]rune(c))+2))
		}
		out[n] = b.String()
	}
	return out
}
