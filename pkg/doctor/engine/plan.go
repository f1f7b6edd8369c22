package engine

import (
	"fmt"
	"slices"
	"strings"
)

// Plan is what a run executes: the selected checks in catalogue order, the checks the user skipped, and
// the facts they may need.
type Plan struct {
	checks  []Check
	skipped map[ID]bool
	facts   map[FactName]Fact
}

// UnknownCheckError reports --check or --skip IDs that are not in the catalogue.
type UnknownCheckError struct{ IDs []ID }

func (e *UnknownCheckError) Error() string {
	names := make([]string, len(e.IDs))
	for i, id := range e.IDs {
		names[i] = string(id)
	}
	return fmt.Sprintf("unknown check %s: list them with --list-checks", strings.Join(names, ", "))
}

// NewPlan selects checks from the catalogue. With only, just those checks run, plus the checks they
// depend on (their premises); checks in skip are reported as skipped, and so are the checks depending on
// them. Unknown IDs are an *UnknownCheckError. A catalogue may be a part of the whole one (the identity
// checks alone): dependencies on checks it does not hold are dropped.
func NewPlan(catalogue []Check, facts []Fact, only, skip []ID) (*Plan, error) {
	catalogue = withinCatalogue(catalogue)
	if err := Validate(catalogue, facts); err != nil {
		return nil, err
	}
	byID := map[ID]Check{}
	for _, c := range catalogue {
		byID[c.ID] = c
	}
	var unknown []ID
	for _, id := range slices.Concat(only, skip) {
		if _, ok := byID[id]; !ok && !slices.Contains(unknown, id) {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) > 0 {
		return nil, &UnknownCheckError{IDs: unknown}
	}
	p := &Plan{skipped: map[ID]bool{}, facts: map[FactName]Fact{}}
	selected := closure(byID, only)
	for _, c := range catalogue {
		if len(only) == 0 || selected[c.ID] {
			p.checks = append(p.checks, c)
		}
	}
	for _, id := range skip {
		p.skipped[id] = true
	}
	for _, f := range facts {
		p.facts[f.Name] = f
	}
	return p, nil
}

// withinCatalogue drops the dependencies on checks the catalogue does not hold, so that a part of the
// whole catalogue runs on its own: the identity checks depend on PROXY-ENDPOINTS when both run,
// and run alone in their tests. The whole catalogue's test validates every dependency.
func withinCatalogue(catalogue []Check) []Check {
	held := map[ID]bool{}
	for _, c := range catalogue {
		held[c.ID] = true
	}
	out := make([]Check, len(catalogue))
	for i, c := range catalogue {
		c.DependsOn = slices.DeleteFunc(slices.Clone(c.DependsOn), func(d ID) bool { return !held[d] })
		out[i] = c
	}
	return out
}

// Checks returns the planned checks in catalogue order.
func (p *Plan) Checks() []Check { return slices.Clone(p.checks) }

// Runs reports whether the plan runs the check: selected, and not skipped with --skip.
func (p *Plan) Runs(id ID) bool {
	return !p.skipped[id] && slices.ContainsFunc(p.checks, func(c Check) bool { return c.ID == id })
}

// closure returns ids and every check they depend on, transitively.
func closure(byID map[ID]Check, ids []ID) map[ID]bool {
	seen := map[ID]bool{}
	var visit func(ID)
	visit = func(id ID) {
		if seen[id] {
			return
		}
		seen[id] = true
		for _, d := range byID[id].DependsOn {
			visit(d)
		}
	}
	for _, id := range ids {
		visit(id)
	}
	return seen
}
