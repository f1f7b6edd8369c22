package render

import (
	"io"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/chain"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/output"
)

// SchemaVersion is the version of the JSON report and catalogue. It changes only when a field is
// removed or changes meaning; new fields may appear within a version.
const SchemaVersion = 1

// jsonReport is the schema of `doctor -o json`.
type jsonReport struct {
	SchemaVersion int              `json:"schemaVersion"`
	Summary       jsonSummary      `json:"summary"`
	DurationMs    int64            `json:"durationMs"`
	Interrupted   bool             `json:"interrupted"`
	Checks        []jsonCheckRecap `json:"checks"`
	// Chain is the sign-in chain, hop by hop with its verdict.
	Chain []chain.Hop `json:"chain"`
}

type jsonSummary struct {
	Total   int `json:"total"`
	Pass    int `json:"pass"`
	Warn    int `json:"warn"`
	Fail    int `json:"fail"`
	Skip    int `json:"skip"`
	Unknown int `json:"unknown"`
}

type jsonCheckRecap struct {
	ID         engine.ID       `json:"id"`
	Title      string          `json:"title"`
	Category   string          `json:"category"`
	Severity   engine.Severity `json:"severity"`
	Status     engine.Status   `json:"status"`
	Message    string          `json:"message"`
	Hint       string          `json:"hint,omitempty"`
	Docs       string          `json:"docs"`
	Evidence   engine.Evidence `json:"evidence"`
	DurationMs int64           `json:"durationMs"`
}

// WriteJSON prints the report and its sign-in chain as JSON (schema SchemaVersion). Evidence keeps
// every item of a list that text summarises.
func WriteJSON(w io.Writer, r engine.Report, hops []chain.Hop) error {
	n := r.Counts()
	out := jsonReport{
		SchemaVersion: SchemaVersion,
		Summary: jsonSummary{Total: len(r.Outcomes), Pass: n[engine.StatusPass], Warn: n[engine.StatusWarn],
			Fail: n[engine.StatusFail], Skip: n[engine.StatusSkip], Unknown: n[engine.StatusUnknown]},
		DurationMs:  r.Duration.Milliseconds(),
		Interrupted: r.Interrupted,
		Checks:      []jsonCheckRecap{},
		Chain:       hops,
	}
	if out.Chain == nil {
		out.Chain = []chain.Hop{}
	}
	for _, o := range r.Outcomes {
		ev := o.Evidence
		if ev == nil {
			ev = engine.Evidence{}
		}
		out.Checks = append(out.Checks, jsonCheckRecap{ID: o.ID, Title: o.Title, Category: o.Category,
			Severity: o.Severity, Status: o.Status, Message: o.Message, Hint: o.Hint, Docs: o.Docs,
			Evidence: ev, DurationMs: o.Duration.Milliseconds()})
	}
	return output.Print(w, output.JSON, out)
}
