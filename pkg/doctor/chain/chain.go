// Package chain judges the sign-in chain from a report: each hop between the browser and the tenant
// gets the verdict of the checks that judge it, and says what that verdict rests on. Which checks judge
// which hop is the catalogue's to say (Def); nothing here prints.
package chain

import (
	"slices"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// Hop is one link of the sign-in chain with the verdict of the checks that judge it.
type Hop struct {
	From   string        `json:"from"`
	To     string        `json:"to"`
	Status engine.Status `json:"status"`
	// Checks are the checks behind the verdict; Broken are those of them that failed or could not look.
	Checks []engine.ID `json:"checks"`
	Broken []engine.ID `json:"broken,omitempty"`
	// Skipped are the hop's checks that did not run. Partial is true when some ran and some did not:
	// the verdict then judges only what ran. Note says in words what the verdict rests on and what
	// was left out, and why (as the text output prints it).
	Skipped []engine.ID `json:"skipped"`
	Partial bool        `json:"partial"`
	Note    string      `json:"note,omitempty"`
	// Probed are the hop's live probes that ran (a request to the running components, not a reading
	// of their configuration); a hop with none was judged from configuration only.
	Probed []engine.ID `json:"probed"`
}

// Def says which checks judge a hop: exact IDs, and ID prefixes for whole areas.
type Def struct {
	From, To string
	IDs      []engine.ID
	Prefixes []string
	// Live are the checks among them that probe the running components.
	Live []engine.ID
}

// Compute judges the hops defs describe from a report. A hop no check judged has status skip; a hop
// some of whose checks were skipped is partial, and its note says which did not run and why, so that a
// pass never claims more than the checks that ran.
func Compute(r engine.Report, defs []Def) []Hop {
	var hops []Hop
	for _, def := range defs {
		h := Hop{From: def.From, To: def.To, Status: engine.StatusSkip, Checks: []engine.ID{}, Skipped: []engine.ID{}, Probed: []engine.ID{}}
		var skips []engine.SkipOrigin
		for _, o := range r.Outcomes {
			if !def.Judges(o.ID) {
				continue
			}
			h.Checks = append(h.Checks, o.ID)
			if slices.Contains(def.Live, o.ID) && o.Status != engine.StatusSkip && o.Status != engine.StatusUnknown {
				h.Probed = append(h.Probed, o.ID)
			}
			switch o.Status {
			case engine.StatusFail, engine.StatusUnknown:
				h.Broken = append(h.Broken, o.ID)
			case engine.StatusSkip:
				h.Skipped = append(h.Skipped, o.ID)
				skips = append(skips, o.Origin())
			}
			h.Status = worse(h.Status, o.Status)
		}
		h.Partial = len(h.Skipped) > 0 && len(h.Skipped) < len(h.Checks)
		h.Note = hopNote(h, skips)
		hops = append(hops, h)
	}
	return hops
}

// Judges tells whether the check id judges the hop.
func (d Def) Judges(id engine.ID) bool {
	if slices.Contains(d.IDs, id) || slices.Contains(d.Live, id) {
		return true
	}
	for _, p := range d.Prefixes {
		if strings.HasPrefix(string(id), p) {
			return true
		}
	}
	return false
}

// statusRank orders statuses for a hop's verdict: a failure anywhere breaks the hop, then "could not
// look", then a warning; a hop passes when its checks passed (skipped ones do not count).
var statusRank = map[engine.Status]int{engine.StatusSkip: 0, engine.StatusPass: 1, engine.StatusWarn: 2,
	engine.StatusUnknown: 3, engine.StatusFail: 4}

func worse(a, b engine.Status) engine.Status {
	if statusRank[b] > statusRank[a] {
		return b
	}
	return a
}
