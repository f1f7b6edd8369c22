// Package engine is doctor's check engine. Checks are data (an ID, a title, a severity, the checks they
// depend on, a hint); facts are discovered once per run and handed to the checks that declare them; a
// runner executes the checks concurrently and returns a Report that renderers print. The engine knows
// no particular check: the catalogue does. Nothing here prints, and the exit status comes from the Report.
package engine

import (
	"context"
	"strings"
	"time"
)

// ID names a check for good: it appears in output, JSON, docs anchors and --check/--skip.
type ID string

// Severity is what a failing check means: an error breaks the setup, a warning is a risk or a smell.
type Severity string

// The severities of a check.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// DocsURL is where docs/checks.md is published; a check's docs link is this plus its anchor.
const DocsURL = "https://github.com/projectcapsule/kubectl-capsule-headlamp/blob/main/docs/checks.md"

// Check is one diagnosis. Run must not print: it returns a Result built from the facts it declared in
// Needs and Asks (and only those) and the clock in Facts.
type Check struct {
	ID       ID
	Title    string   // what holds when the check passes, e.g. "Serving certificate names the proxy host"
	Category string   // grouping in the output; categories appear in catalogue order
	Severity Severity // how a problem found by the check is reported: fail (error) or warn (warning)
	// DependsOn lists checks that must pass (or warn) first; otherwise this check is skipped.
	DependsOn []ID
	// Needs lists the facts Run reads; each is produced before Run starts.
	Needs []FactName
	// Asks lists the facts Run may ask for while it judges (Key.Ask), produced only if it does: what
	// explains a failure but would cost every passing run to gather (every Tenant, say).
	Asks []FactName
	// Hint says what to do when the check does not pass. Placeholders <name> are replaced by the
	// evidence (or hint variables) of the result with that key.
	Hint string
	// Causes are hints for the causes a result may name (Result.Cause) when what to do depends on which
	// side is wrong: Hint is what to do otherwise. docs/checks.md lists each.
	Causes []Cause
	// Explain is the longer text of docs/checks.md: why the check exists and what it looks at.
	Explain string
	// Timeout bounds the check (waiting for its facts included); zero means the runner's default.
	Timeout time.Duration
	// Retry, when set, is how the check judges state that converges (a rollout becoming ready) in a run
	// that waits for it (RunOptions.Retry): again, on facts read anew, until it passes or the run ends.
	Retry *Retry
	Run   func(ctx context.Context, f Facts) Result
}

// Cause is what to do when a check's result names it: a fix that holds for one cause only (Headlamp's
// CA is wrong, not capsule-proxy's certificate, say).
type Cause struct {
	Name string // what a result names, e.g. "headlamp-ca"
	When string // for the docs: "Headlamp's projected CA did not sign the certificate"
	Hint string // with placeholders, as Check.Hint
}

// HintFor is the hint for a result naming cause: that cause's, else Hint.
func (c Check) HintFor(cause string) string {
	for _, x := range c.Causes {
		if cause != "" && x.Name == cause {
			return x.Hint
		}
	}
	return c.Hint
}

// Anchor is the check's anchor in docs/checks.md (the heading is the ID).
func (c Check) Anchor() string { return strings.ToLower(string(c.ID)) }

// DocsLink is the URL of the check's entry in docs/checks.md.
func (c Check) DocsLink() string { return DocsURL + "#" + c.Anchor() }
