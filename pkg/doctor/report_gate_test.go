package doctor

import (
	"testing"
	"time"
)

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

// TestARunCutShortIsBlind: a --timeout too short to reach anything leaves a blind report.
func TestARunCutShortIsBlind(t *testing.T) {
	p, err := NewPlan(Catalogue(), AllFacts(hungEnv(t)), []ID{"CLUSTER-API", IDTokenObtained}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep := Run(t.Context(), p, RunOptions{Timeout: time.Nanosecond, CheckTimeout: time.Minute}); !rep.Blind() {
		t.Errorf("a run cut short after 1ns is not blind: %+v", statuses(rep))
	}
}
