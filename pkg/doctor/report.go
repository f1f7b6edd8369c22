package doctor

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
	// skipCause is, for a skip, the first cause along its chain of dependencies.
	skipCause string
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

// Failed tells whether the run found problems at or above failOn: any fail, and with failOn warning
// any warn too. Unknown and skip never fail a run.
func (r Report) Failed(failOn Severity) bool {
	n := r.Counts()
	return n[StatusFail] > 0 || (failOn == SeverityWarning && n[StatusWarn] > 0)
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
