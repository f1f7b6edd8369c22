package engine

import "testing"

func TestFailedTable(t *testing.T) {
	report := func(sts ...Status) Report {
		var r Report
		for _, s := range sts {
			r.Outcomes = append(r.Outcomes, Outcome{Result: Result{Status: s}})
		}
		return r
	}
	tests := []struct {
		name   string
		r      Report
		failOn Severity
		want   bool
	}{
		{"all pass", report(StatusPass, StatusPass), SeverityError, false},
		{"skip and unknown never fail", report(StatusPass, StatusSkip, StatusUnknown), SeverityWarning, false},
		{"warn under fail-on error", report(StatusPass, StatusWarn), SeverityError, false},
		{"warn under fail-on warning", report(StatusPass, StatusWarn), SeverityWarning, true},
		{"fail", report(StatusFail, StatusPass), SeverityError, true},
		{"fail under fail-on warning", report(StatusFail), SeverityWarning, true},
		{"empty", report(), SeverityError, false},
	}
	for _, tt := range tests {
		if got := tt.r.Failed(tt.failOn); got != tt.want {
			t.Errorf("%s: Failed(%s) = %v, want %v", tt.name, tt.failOn, got, tt.want)
		}
	}
}

// TestGateRules: --fail-on unknown fails on anything but pass and skip; a run in which no check
// looked at anything is blind, whatever --fail-on says.
func TestGateRules(t *testing.T) {
	report := func(sts ...Status) Report {
		var r Report
		for _, s := range sts {
			r.Outcomes = append(r.Outcomes, Outcome{Result: Result{Status: s}})
		}
		return r
	}
	tests := []struct {
		name        string
		r           Report
		failUnknown bool
		blind       bool
	}{
		{"all pass", report(StatusPass, StatusSkip), false, false},
		{"an unknown", report(StatusPass, StatusUnknown), true, false},
		{"a warning", report(StatusPass, StatusWarn), true, false},
		{"a failure", report(StatusFail), true, false},
		{"only unknown and skip", report(StatusUnknown, StatusSkip, StatusSkip), true, true},
		{"only skip", report(StatusSkip), false, true},
		{"empty", report(), false, false},
	}
	for _, tt := range tests {
		if got := tt.r.Failed(FailOnUnknown); got != tt.failUnknown {
			t.Errorf("%s: Failed(unknown) = %v, want %v", tt.name, got, tt.failUnknown)
		}
		if got := tt.r.Blind(); got != tt.blind {
			t.Errorf("%s: Blind() = %v, want %v", tt.name, got, tt.blind)
		}
	}
}

func TestSummarize(t *testing.T) {
	many := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}
	for _, tt := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{many[:2], "a, b"},
		{many[:10], "a, b, c, d, e, f, g, h, i, j"},
		{many, "a, b, c, d, e and 6 more (11 in all)"},
	} {
		if got := Summarize(tt.in); got != tt.want {
			t.Errorf("Summarize(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
