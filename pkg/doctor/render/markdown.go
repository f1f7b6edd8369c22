package render

import (
	"fmt"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// Markdown renders docs/checks.md from the catalogue: one section per check, whose heading (the ID)
// is the anchor hints link to.
func Markdown(checks []engine.Check) string {
	var b strings.Builder
	b.WriteString("# doctor checks\n\n")
	b.WriteString("<!-- Generated from the catalogue in pkg/doctor: run `go test ./pkg/doctor -update-docs`. Do not edit. -->\n\n")
	b.WriteString("`kubectl capsule-headlamp doctor` runs these checks. Each has a stable ID (use it with `--check` and\n")
	b.WriteString("`--skip`). A check ends as **pass**, **warn**, **fail**, **skip** (not applicable, or a check it depends on\n")
	b.WriteString("did not pass) or **unknown** (doctor could not look: a missing permission, a timeout, an unreachable\n")
	b.WriteString("address; a failure only with `--fail-on=unknown`, or when no check could look at all). Placeholders\n")
	b.WriteString("like `<namespace>` in hints are filled in from what the check found.\n\n")
	b.WriteString("The text output ends with the sign-in chain (`chain` in JSON): browser -> Headlamp -> IdP, then Headlamp\n")
	b.WriteString("-> capsule-proxy -> API server -> Capsule tenant, each hop with the verdict of the checks that judge it.\n")
	b.WriteString("A hop some of whose checks did not run says so: `configuration only; 3 checks need a user token\n")
	b.WriteString("(--token-file, --username or --browser)` when run without a token, `2 checks not run (PROXY-ENDPOINTS\n")
	b.WriteString("failed)` after a failure; in JSON the hop lists them under `skipped`, with `partial: true` when the\n")
	b.WriteString("verdict rests on the others alone.\n\n")
	b.WriteString("`kubectl capsule-headlamp install` runs the checks of the Install category below, which only it runs, and\n")
	b.WriteString("those of the other categories that need no running pod (the API server, capsule-proxy's Service and\n")
	b.WriteString("certificate, Headlamp's settings, the IdP) on the installation as planned, before it writes anything:\n")
	b.WriteString("any failure, and nothing is changed. What needs the pod runs after the rollout.\n\n")
	category := ""
	for _, c := range checks {
		if c.Category != category {
			category = c.Category
			fmt.Fprintf(&b, "## %s\n\n", category)
		}
		fmt.Fprintf(&b, "### %s\n\n", c.ID)
		fmt.Fprintf(&b, "**%s** (severity: %s", c.Title, c.Severity)
		if len(c.DependsOn) > 0 {
			var deps []string
			for _, d := range c.DependsOn {
				deps = append(deps, fmt.Sprintf("[%s](#%s)", d, strings.ToLower(string(d))))
			}
			fmt.Fprintf(&b, "; after %s", strings.Join(deps, ", "))
		}
		b.WriteString(")\n\n")
		if c.Explain != "" {
			b.WriteString(escape(c.Explain) + "\n\n")
		}
		fmt.Fprintf(&b, "What to do: %s\n\n", escape(c.Hint))
		for _, x := range c.Causes {
			fmt.Fprintf(&b, "- When %s: %s\n", escape(x.When), escape(x.Hint))
		}
		if len(c.Causes) > 0 {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// escape keeps <placeholders> visible in Markdown, where they would read as HTML tags.
func escape(s string) string { return strings.ReplaceAll(s, "<", "&lt;") }
