package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestPlanSelection(t *testing.T) {
	catalogue := []Check{check("T-A", nil, nil), check("T-B", []ID{"T-A"}, nil), check("T-C", []ID{"T-B"}, nil), check("T-D", nil, nil)}
	tests := []struct {
		name       string
		only, skip []ID
		want       map[ID]Status
	}{
		{"all", nil, nil, map[ID]Status{"T-A": StatusPass, "T-B": StatusPass, "T-C": StatusPass, "T-D": StatusPass}},
		{"only brings its premises", []ID{"T-C"}, nil, map[ID]Status{"T-A": StatusPass, "T-B": StatusPass, "T-C": StatusPass}},
		{"skip skips dependents", nil, []ID{"T-B"}, map[ID]Status{"T-A": StatusPass, "T-B": StatusSkip, "T-C": StatusSkip, "T-D": StatusPass}},
		{"only and skip", []ID{"T-D", "T-A"}, []ID{"T-D"}, map[ID]Status{"T-A": StatusPass, "T-D": StatusSkip}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Run(t.Context(), mustPlan(t, catalogue, nil, tt.only, tt.skip), RunOptions{})
			got := statuses(r)
			if len(got) != len(tt.want) {
				t.Fatalf("ran %v, want %v", got, tt.want)
			}
			for id, st := range tt.want {
				if got[id] != st {
					t.Errorf("%s = %s, want %s", id, got[id], st)
				}
			}
		})
	}
}

func TestPlanUnknownIDs(t *testing.T) {
	catalogue := []Check{check("T-A", nil, nil)}
	_, err := NewPlan(catalogue, nil, []ID{"T-A", "T-NOPE"}, []ID{"T-ZIP"})
	var unknown *UnknownCheckError
	if !errors.As(err, &unknown) || len(unknown.IDs) != 2 {
		t.Fatalf("err = %v, want both unknown IDs", err)
	}
	if !strings.Contains(err.Error(), "T-NOPE, T-ZIP") || !strings.Contains(err.Error(), "--list-checks") {
		t.Errorf("message %q should name the IDs and --list-checks", err)
	}
}

func TestValidateRejectsMalformedCatalogues(t *testing.T) {
	k := Key[int]("k")
	loop := []Fact{{Name: "a", Needs: []FactName{"b"}}, {Name: "b", Needs: []FactName{"a"}}}
	needy := check("T-N", nil, nil)
	needy.Needs = []FactName{k.Name()}
	asker := check("T-Q", nil, nil)
	asker.Asks = []FactName{k.Name()}
	both := check("T-Q", nil, nil)
	both.Needs, both.Asks = []FactName{k.Name()}, []FactName{k.Name()}
	kFact := []Fact{Define(k, nil, func(context.Context, Facts) (int, error) { return 0, nil })}
	noHint := check("T-H", nil, nil)
	noHint.Hint = ""
	tests := map[string]struct {
		checks []Check
		facts  []Fact
		want   string
	}{
		"bad id":           {[]Check{check("lower-case", nil, nil)}, nil, "AREA-WHAT"},
		"duplicate":        {[]Check{check("T-A", nil, nil), check("T-A", nil, nil)}, nil, "defined twice"},
		"forward dep":      {[]Check{check("T-B", []ID{"T-A"}, nil), check("T-A", nil, nil)}, nil, "not defined before"},
		"missing fact":     {[]Check{needy}, nil, "undefined fact"},
		"fact cycle":       {nil, loop, "needs itself"},
		"missing asked":    {[]Check{asker}, nil, "asks for undefined fact"},
		"needs and asks":   {[]Check{both}, kFact, "both needs and asks"},
		"no hint":          {[]Check{noHint}, nil, "hint"},
		"unknown severity": {[]Check{{ID: "T-S", Title: "t", Category: "c", Hint: "h", Run: check("T-X", nil, nil).Run}}, nil, "severity"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			err := Validate(tt.checks, tt.facts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

// TestPlanDropsDependenciesOutsideItsCatalogue: a part of the catalogue runs alone, without the
// checks of other parts it depends on when all run; with them, the dependency holds.
func TestPlanDropsDependenciesOutsideItsCatalogue(t *testing.T) {
	part := []Check{check("T-B", []ID{"T-A", "T-OTHER-PART"}, nil), check("T-C", []ID{"T-OTHER-PART"}, nil)}
	part = append([]Check{check("T-A", nil, nil)}, part...)
	r := Run(t.Context(), mustPlan(t, part, nil, nil, nil), RunOptions{})
	if got := statuses(r); got["T-B"] != StatusPass || got["T-C"] != StatusPass {
		t.Errorf("alone: %v, want every check run", got)
	}
	failing := check("T-OTHER-PART", nil, func(context.Context, Facts) Result { return Problem("down") })
	whole := append([]Check{failing}, part...)
	r = Run(t.Context(), mustPlan(t, whole, nil, nil, nil), RunOptions{})
	if got := statuses(r); got["T-B"] != StatusSkip || got["T-C"] != StatusSkip {
		t.Errorf("whole: %v, want the checks after T-OTHER-PART skipped", got)
	}
	if part[1].DependsOn[1] != "T-OTHER-PART" {
		t.Errorf("planning changed the caller's catalogue: %v", part[1].DependsOn)
	}
}
