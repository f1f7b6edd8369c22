package catalogue

import (
	"regexp"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/area"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

// TestCatalogueIsValid: IDs unique and well formed, dependencies on earlier checks only, every fact
// needed is produced, with the identity inputs a command gives and with a fixed proxy endpoint.
func TestCatalogueIsValid(t *testing.T) {
	for _, id := range []identity.Env{{}, {Proxy: &identity.ProxyEndpoint{}}} {
		if err := engine.Validate(Checks(), Facts(area.Env{}, id)); err != nil {
			t.Fatal(err)
		}
	}
}

// TestEveryCheckJudgesAHop: the sign-in chain accounts for every check, once.
func TestEveryCheckJudgesAHop(t *testing.T) {
	for _, c := range Checks() {
		n := 0
		for _, h := range Hops() {
			if h.Judges(c.ID) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s judges %d hops of the sign-in chain, want 1", c.ID, n)
		}
	}
}

// TestHintPlaceholdersAreKnown keeps hints from showing a placeholder nothing can fill.
func TestHintPlaceholdersAreKnown(t *testing.T) {
	known := map[string]bool{}
	for k := range (area.Env{}).HintVars() {
		known[k] = true
	}
	// Filled by the checks' own results.
	for _, k := range []string{"missing", "uncovered", "ca-key", "proxy-port", "client-id", "prefix", "group", "binding", "issuer",
		"pod", "discovery-issuer", "hpa", "flags", "configuration", "claim", "apiserver", "running", "fetched", "tenant"} {
		known[k] = true
	}
	re := regexp.MustCompile(`<([a-z-]+)>`)
	for _, c := range Checks() {
		hints := []string{c.Hint}
		for _, x := range c.Causes {
			hints = append(hints, x.Hint)
		}
		for _, h := range hints {
			for _, m := range re.FindAllStringSubmatch(h, -1) {
				if !known[m[1]] {
					t.Errorf("%s: hint placeholder <%s> is filled by nothing", c.ID, m[1])
				}
			}
		}
	}
}
