package engine

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
)

var idPattern = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)

// Validate checks that a catalogue is well formed: IDs unique and in the ID style, dependencies declared
// earlier in the catalogue (so there are no cycles and the output reads top-down), every needed fact
// produced, every check complete. It is a programming error for it to fail; tests call it.
func Validate(catalogue []Check, facts []Fact) error {
	var errs []error
	produced := map[FactName]bool{}
	for _, f := range facts {
		if produced[f.Name] {
			errs = append(errs, fmt.Errorf("fact %q defined twice", f.Name))
		}
		produced[f.Name] = true
	}
	for _, f := range facts {
		for _, n := range f.Needs {
			if !produced[n] {
				errs = append(errs, fmt.Errorf("fact %q needs undefined fact %q", f.Name, n))
			}
		}
	}
	errs = append(errs, factCycles(facts)...)
	seen := map[ID]bool{}
	for _, c := range catalogue {
		errs = append(errs, validateCheck(c, seen, produced)...)
		seen[c.ID] = true
	}
	return errors.Join(errs...)
}

func validateCheck(c Check, earlier map[ID]bool, produced map[FactName]bool) []error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("check %s: "+format, append([]any{c.ID}, args...)...))
	}
	if !idPattern.MatchString(string(c.ID)) {
		bad("ID must look like AREA-WHAT")
	}
	if earlier[c.ID] {
		bad("defined twice")
	}
	if c.Title == "" || c.Category == "" || c.Run == nil || c.Hint == "" {
		bad("title, category, hint and Run are required")
	}
	if c.Severity != SeverityError && c.Severity != SeverityWarning {
		bad("severity %q is neither error nor warning", c.Severity)
	}
	errs = append(errs, validateCauses(c)...)
	for _, d := range c.DependsOn {
		if !earlier[d] {
			bad("depends on %s, which is not defined before it", d)
		}
	}
	return append(errs, validateFacts(c, produced)...)
}

// validateFacts checks that the facts c needs or asks for are produced, and none is both.
func validateFacts(c Check, produced map[FactName]bool) []error {
	var errs []error
	for _, n := range c.Needs {
		if !produced[n] {
			errs = append(errs, fmt.Errorf("check %s: needs undefined fact %q", c.ID, n))
		}
	}
	for _, n := range c.Asks {
		switch {
		case !produced[n]:
			errs = append(errs, fmt.Errorf("check %s: asks for undefined fact %q", c.ID, n))
		case slices.Contains(c.Needs, n):
			errs = append(errs, fmt.Errorf("check %s: both needs and asks for fact %q", c.ID, n))
		}
	}
	return errs
}

// validateCauses checks that each cause of c has a unique name, says when it applies and what to do.
func validateCauses(c Check) []error {
	var errs []error
	seen := map[string]bool{}
	for _, x := range c.Causes {
		if x.Name == "" || x.When == "" || x.Hint == "" || seen[x.Name] {
			errs = append(errs, fmt.Errorf("check %s: cause %q needs a unique name, a when and a hint", c.ID, x.Name))
		}
		seen[x.Name] = true
	}
	return errs
}

// factCycles reports facts that need themselves, directly or not: the run would wait for ever.
func factCycles(facts []Fact) []error {
	needs := map[FactName][]FactName{}
	for _, f := range facts {
		needs[f.Name] = f.Needs
	}
	const (
		visiting = 1
		done     = 2
	)
	state := map[FactName]int{}
	var errs []error
	var visit func(FactName)
	visit = func(n FactName) {
		switch state[n] {
		case visiting:
			errs = append(errs, fmt.Errorf("fact %q needs itself", n))
			return
		case done:
			return
		}
		state[n] = visiting
		for _, m := range needs[n] {
			visit(m)
		}
		state[n] = done
	}
	for _, f := range facts {
		visit(f.Name)
	}
	return errs
}
