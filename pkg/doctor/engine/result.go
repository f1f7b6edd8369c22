package engine

import (
	"fmt"
	"strings"
)

// Status is the outcome of a check.
type Status string

// The statuses. Unknown (the check could not look: forbidden, timed out, unreachable) is neither a pass
// nor a failure; skip means the check did not apply or a check it depends on did not pass.
const (
	StatusPass    Status = "pass"
	StatusWarn    Status = "warn"
	StatusFail    Status = "fail"
	StatusSkip    Status = "skip"
	StatusUnknown Status = "unknown"
)

// Statuses lists every status in the order summaries use.
var Statuses = []Status{StatusPass, StatusWarn, StatusFail, StatusSkip, StatusUnknown}

// Result is what a check found.
type Result struct {
	Status   Status
	Message  string   // one line: what was found, with the names and values that matter
	Evidence Evidence // structured facts behind the message (SANs found, the flag seen, ...)
	// Vars fill hint placeholders that are not evidence (the namespace, a Deployment name, ...).
	Vars map[string]string
	// Missing is, for a skip, the input the run was not given, with the flags that give it ("a user
	// token (--token-file, ...)"); the sign-in chain says which hops were judged without it.
	Missing string
	// Cause names the check's Cause whose hint applies; "" for the check's Hint.
	Cause string
}

// Pass reports that the check holds.
func Pass(format string, args ...any) Result { return newResult(StatusPass, format, args) }

// Problem reports that the check does not hold; the runner turns it into fail or warn by severity.
func Problem(format string, args ...any) Result { return newResult(StatusFail, format, args) }

// Warn reports a problem that is only a warning even for a check of severity error (a certificate
// expiring soon, say).
func Warn(format string, args ...any) Result { return newResult(StatusWarn, format, args) }

// NotApplicable skips a check that does not apply to this setup; the message says why.
func NotApplicable(format string, args ...any) Result { return newResult(StatusSkip, format, args) }

// NeedsInput skips a check that needs an input the run was not given; missing names it with the
// flags that give it, and the message says the same for the check's own line.
func NeedsInput(missing, format string, args ...any) Result {
	r := newResult(StatusSkip, format, args)
	r.Missing = missing
	return r
}

// Unknown reports that the check could not look; the message names the missing permission or the
// address that did not answer.
func Unknown(format string, args ...any) Result { return newResult(StatusUnknown, format, args) }

func newResult(s Status, format string, args []any) Result {
	return Result{Status: s, Message: fmt.Sprintf(format, args...)}
}

// With returns the result with one more piece of evidence. A value is a string, a []string or
// anything with a fmt representation.
func (r Result) With(key string, value any) Result {
	r.Evidence = append(append(Evidence(nil), r.Evidence...), Item{Key: key, Value: value})
	return r
}

// Because returns the result with the named cause, whose hint (Check.Causes) replaces the check's.
func (r Result) Because(cause string) Result {
	r.Cause = cause
	return r
}

// WithVar returns the result with a hint placeholder value that is not evidence.
func (r Result) WithVar(key, value string) Result {
	vars := make(map[string]string, len(r.Vars)+1)
	for k, v := range r.Vars {
		vars[k] = v
	}
	vars[key] = value
	r.Vars = vars
	return r
}

// expandHint fills the <name> placeholders of hint from the result's vars, its evidence, then the
// run's vars; unknown placeholders stay.
func (r Result) expandHint(hint string, global map[string]string) string {
	if hint == "" || !strings.Contains(hint, "<") {
		return hint
	}
	var pairs []string
	for k, v := range r.Vars {
		pairs = append(pairs, "<"+k+">", v)
	}
	for _, it := range r.Evidence {
		if _, ok := r.Vars[it.Key]; !ok {
			pairs = append(pairs, "<"+it.Key+">", it.String())
		}
	}
	for k, v := range global {
		if _, ok := r.Vars[k]; !ok && r.Evidence.Get(k) == nil {
			pairs = append(pairs, "<"+k+">", v)
		}
	}
	return strings.NewReplacer(pairs...).Replace(hint)
}
