package doctor

import (
	"encoding/json"
	"fmt"
	"io"
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
	// Chain is the sign-in chain, hop by hop with its verdict (see Chain).
	Chain []Hop `json:"chain"`
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
	ID         ID       `json:"id"`
	Title      string   `json:"title"`
	Category   string   `json:"category"`
	Severity   Severity `json:"severity"`
	Status     Status   `json:"status"`
	Message    string   `json:"message"`
	Hint       string   `json:"hint,omitempty"`
	Docs       string   `json:"docs"`
	Evidence   Evidence `json:"evidence"`
	DurationMs int64    `json:"durationMs"`
}

// WriteJSON prints the report as JSON (schema SchemaVersion).
func WriteJSON(w io.Writer, r Report) error {
	n := r.Counts()
	out := jsonReport{
		SchemaVersion: SchemaVersion,
		Summary: jsonSummary{Total: len(r.Outcomes), Pass: n[StatusPass], Warn: n[StatusWarn],
			Fail: n[StatusFail], Skip: n[StatusSkip], Unknown: n[StatusUnknown]},
		DurationMs:  r.Duration.Milliseconds(),
		Interrupted: r.Interrupted,
		Checks:      []jsonCheckRecap{},
		Chain:       Chain(r),
	}
	for _, o := range r.Outcomes {
		ev := o.Evidence
		if ev == nil {
			ev = Evidence{}
		}
		out.Checks = append(out.Checks, jsonCheckRecap{ID: o.ID, Title: o.Title, Category: o.Category,
			Severity: o.Severity, Status: o.Status, Message: o.Message, Hint: o.Hint, Docs: o.Docs,
			Evidence: ev, DurationMs: o.Duration.Milliseconds()})
	}
	return encode(w, out)
}

func encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}
