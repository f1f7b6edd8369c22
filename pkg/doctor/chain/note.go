package chain

import (
	"fmt"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// hopNote says in one line what a hop's verdict rests on: the checks that broke it, or that nothing
// judged it, or the live probes that asked the running components, or else that it was judged from
// configuration only (partly, when some checks were stopped by others); then which of its checks did not run and why, grouped by where their skips started.
func hopNote(h Hop, skips []engine.SkipOrigin) string {
	var parts []string
	switch {
	case len(h.Broken) > 0:
		parts = append(parts, joinIDs(h.Broken))
	case h.Status == engine.StatusSkip:
		parts = append(parts, "not checked")
	case len(h.Probed) > 0:
		parts = append(parts, "probed live ("+joinIDs(h.Probed)+")")
	case len(skips) > 0 && !lacksInput(skips):
		parts = append(parts, "partly checked")
	default:
		parts = append(parts, "configuration only")
	}
	return strings.Join(append(parts, skipGroups(skips)...), "; ")
}

func lacksInput(skips []engine.SkipOrigin) bool {
	for _, o := range skips {
		if o.Missing != "" {
			return true
		}
	}
	return false
}

// skipGroups counts skipped checks by why they did not run, in order of first appearance: checks that
// need an input the run was not given ("3 checks need a user token (...)"), then checks stopped by
// another check ("2 checks not run (PROXY-ENDPOINTS failed)").
func skipGroups(skips []engine.SkipOrigin) []string {
	var keys []string
	count := map[string]int{}
	for _, o := range skips {
		key := o.Missing
		if key == "" {
			key = originShort(o)
		}
		if count[key] == 0 {
			keys = append(keys, key)
		}
		count[key]++
	}
	var needs, stopped []string
	for _, key := range keys {
		n := count[key]
		if isMissing(skips, key) {
			needs = append(needs, fmt.Sprintf("%d %s %s %s", n, plural(n, "check"), needVerb(n), key))
		} else {
			stopped = append(stopped, fmt.Sprintf("%d %s not run (%s)", n, plural(n, "check"), key))
		}
	}
	return append(needs, stopped...)
}

func isMissing(skips []engine.SkipOrigin, key string) bool {
	for _, o := range skips {
		if o.Missing == key {
			return true
		}
	}
	return false
}

// originShort names the check a chain of skips started from and what happened to it.
func originShort(o engine.SkipOrigin) string {
	switch o.Status {
	case engine.StatusFail:
		return string(o.Root) + " failed"
	case engine.StatusUnknown:
		return string(o.Root) + " could not be checked"
	}
	if o.Cause == engine.SkippedByFlag {
		return string(o.Root) + " " + engine.SkippedByFlag
	}
	return string(o.Root) + " does not apply here"
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

func needVerb(n int) string {
	if n == 1 {
		return "needs"
	}
	return "need"
}

func joinIDs(ids []engine.ID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = string(id)
	}
	return strings.Join(s, ", ")
}
