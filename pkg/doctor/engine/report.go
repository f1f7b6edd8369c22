package engine

import "time"

// Outcome is one check's result as reported: the check's data, what it found, and how long it took.
type Outcome struct {
	ID       ID
	Title    string
	Category string
	Severity Severity
	Docs     string
	Result
	// Hint is the check's hint with its placeholders filled; set only for warn and fail.
	Hint     string
	Duration time.Duration
	// Skip is, for a check skipped because of a dependency, where that chain of skips started.
	Skip SkipOrigin
}

// SkipOrigin is where a chain of skips started: the check whose own outcome stopped the others, its
// status, the cause in words, and the input the run lacked when that was the cause.
type SkipOrigin struct {
	Root    ID
	Status  Status
	Cause   string
	Missing string
}

// Origin returns where o's skip started: o itself when it skipped on its own (not applicable, or
// --skip), otherwise the origin the runner recorded.
func (o Outcome) Origin() SkipOrigin {
	if o.Skip.Root != "" {
		return o.Skip
	}
	return SkipOrigin{Root: o.ID, Status: o.Status, Cause: o.Message, Missing: o.Missing}
}

// Report is the outcome of a run, in catalogue order whatever the completion order.
type Report struct {
	Outcomes []Outcome
	Duration time.Duration
	// Interrupted is true when the run was cancelled (Ctrl-C) before every check finished.
	Interrupted bool
}

// Counts returns how many outcomes have each status.
func (r Report) Counts() map[Status]int {
	n := map[Status]int{}
	for _, o := range r.Outcomes {
		n[o.Status]++
	}
	return n
}

// FailOnUnknown is the --fail-on level of a strict gate: warnings and unknowns fail the run too.
const FailOnUnknown Severity = "unknown"

// Failed tells whether the run found problems at or above failOn: any fail; with failOn warning any
// warn too; with FailOnUnknown also any unknown (a check that could not look). Skip never fails a
// run, and unknown fails it only then; but see Blind.
func (r Report) Failed(failOn Severity) bool {
	n := r.Counts()
	switch failOn {
	case FailOnUnknown:
		return n[StatusFail]+n[StatusWarn]+n[StatusUnknown] > 0
	case SeverityWarning:
		return n[StatusFail]+n[StatusWarn] > 0
	}
	return n[StatusFail] > 0
}

// Blind tells whether no check looked at anything: every outcome is unknown or skip (a --timeout too
// short to reach the API server, say). Such a run must not read as healthy.
func (r Report) Blind() bool {
	n := r.Counts()
	return len(r.Outcomes) > 0 && n[StatusPass]+n[StatusWarn]+n[StatusFail] == 0
}

// Var returns the hint variable key of check id's result ("" when absent): what a check learnt, such
// as the name of the Headlamp Deployment it found.
func (r Report) Var(id ID, key string) string {
	for _, o := range r.Outcomes {
		if o.ID == id {
			return o.Vars[key]
		}
	}
	return ""
}
