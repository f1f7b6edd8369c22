package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/output"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

// jsonCatalogue is the schema of `doctor --list-checks -o json`.
type jsonCatalogue struct {
	SchemaVersion int            `json:"schemaVersion"`
	Checks        []jsonCheckDef `json:"checks"`
}

type jsonCheckDef struct {
	ID        engine.ID       `json:"id"`
	Title     string          `json:"title"`
	Category  string          `json:"category"`
	Severity  engine.Severity `json:"severity"`
	DependsOn []engine.ID     `json:"dependsOn"`
	Hint      string          `json:"hint"`
	Docs      string          `json:"docs"`
}

// WriteCatalogueJSON prints the checks as JSON (schema SchemaVersion).
func WriteCatalogueJSON(w io.Writer, checks []engine.Check) error {
	out := jsonCatalogue{SchemaVersion: SchemaVersion, Checks: []jsonCheckDef{}}
	for _, c := range checks {
		deps := c.DependsOn
		if deps == nil {
			deps = []engine.ID{}
		}
		out.Checks = append(out.Checks, jsonCheckDef{ID: c.ID, Title: c.Title, Category: c.Category,
			Severity: c.Severity, DependsOn: deps, Hint: c.Hint, Docs: c.DocsLink()})
	}
	return output.Print(w, output.JSON, out)
}

// WriteCatalogueText prints one line per check, grouped by category: ID, severity, title.
func WriteCatalogueText(w io.Writer, checks []engine.Check, p style.Palette) error {
	width := 0
	for _, c := range checks {
		width = max(width, len(c.ID))
	}
	var b strings.Builder
	category := ""
	for _, c := range checks {
		if c.Category != category {
			if category != "" {
				b.WriteString("\n")
			}
			category = c.Category
			b.WriteString(p.Bold(category) + "\n")
		}
		fmt.Fprintf(&b, "  %-*s  %-7s  %s\n", width, c.ID, c.Severity, c.Title)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
