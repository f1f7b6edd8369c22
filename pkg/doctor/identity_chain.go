package doctor

import (
	"fmt"
	"io"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

// Hop is one link of the sign-in chain with the verdict of the checks that judge it.
type Hop struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Status Status `json:"status"`
	// Checks are the checks behind the verdict; Broken are those of them that failed or could not look.
	Checks []ID `json:"checks"`
	Broken []ID `json:"broken,omitempty"`
	// Skipped are the hop's checks that did not run. Partial is true when some ran and some did not:
	// the verdict then judges only what ran. Note says in words what the verdict rests on and what
	// was left out, and why (as the text output prints it).
	Skipped []ID   `json:"skipped"`
	Partial bool   `json:"partial"`
	Note    string `json:"note,omitempty"`
}

// hopDef says which checks judge a hop: exact IDs, and ID prefixes for the checks of doctor part 1.
type hopDef struct {
	from, to string
	ids      []ID
	prefixes []string
}

// chainHops follow a sign-in: the browser reaches Headlamp, Headlamp signs in at the IdP and gets a
// token, forwards it to capsule-proxy, which has the API server review it, and Capsule filters. Each
// check judges the hop whose failure it explains.
var chainHops = []hopDef{
	{from: "browser", to: "Headlamp", ids: []ID{"HEADLAMP-FOUND", "HEADLAMP-READY", "HEADLAMP-REPLICAS", "HEADLAMP-SA-TOKEN", "HEADLAMP-RBAC"}},
	{from: "Headlamp", to: "IdP", ids: []ID{"HEADLAMP-OIDC", "HEADLAMP-SCOPES", "HEADLAMP-INSECURE-SSL",
		IDIdPDiscovery, IDIdPDiscoveryHeadlamp, IDIdPIssuerMatch, IDIdPKeys, IDIdPGroupsScope,
		IDIdPClient, IDTokenObtained, IDTokenSignature, IDTokenIssuer, IDTokenAudience, IDTokenExpiry}},
	{from: "Headlamp", to: "capsule-proxy", ids: []ID{"HEADLAMP-API-HOST", "HEADLAMP-CA", "HEADLAMP-RESTART", IDReviewProxy},
		prefixes: []string{"PROXY-"}},
	{from: "capsule-proxy", to: "API server", ids: []ID{IDIdPAPIServerTrust, IDTokenEmailVerified, IDTokenGroups, IDTokenIdentity, IDReviewAPIServer},
		prefixes: []string{"CLUSTER-", "AUTHN-"}},
	{from: "API server", to: "Capsule tenant", ids: []ID{IDTenantUserGroup, IDTenantOwned, IDTenantNamespaces}, prefixes: []string{"CAPSULE-"}},
}

// Chain computes the hops of the sign-in chain from a report. A hop no check judged has status skip;
// a hop some of whose checks were skipped is partial, and its note says which did not run and why, so
// that a pass never claims more than the checks that ran.
func Chain(r Report) []Hop {
	var hops []Hop
	for _, def := range chainHops {
		h := Hop{From: def.from, To: def.to, Status: StatusSkip, Checks: []ID{}, Skipped: []ID{}}
		var skips []skipOrigin
		for _, o := range r.Outcomes {
			if !def.judges(o.ID) {
				continue
			}
			h.Checks = append(h.Checks, o.ID)
			switch o.Status {
			case StatusFail, StatusUnknown:
				h.Broken = append(h.Broken, o.ID)
			case StatusSkip:
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

func (d hopDef) judges(id ID) bool {
	for _, x := range d.ids {
		if x == id {
			return true
		}
	}
	for _, p := range d.prefixes {
		if strings.HasPrefix(string(id), p) {
			return true
		}
	}
	return false
}

// statusRank orders statuses for a hop's verdict: a failure anywhere breaks the hop, then "could not
// look", then a warning; a hop passes when its checks passed (skipped ones do not count).
var statusRank = map[Status]int{StatusSkip: 0, StatusPass: 1, StatusWarn: 2, StatusUnknown: 3, StatusFail: 4}

func worse(a, b Status) Status {
	if statusRank[b] > statusRank[a] {
		return b
	}
	return a
}

// WriteChain prints the chain: one line per hop with its verdict and its note (the checks that broke
// it, those that did not run).
func WriteChain(w io.Writer, hops []Hop, p style.Palette) error {
	var b strings.Builder
	b.WriteString(p.Bold("Sign-in chain") + "\n")
	for _, h := range hops {
		line := fmt.Sprintf("  %s %s -> %s", paintGlyph(p, h.Status), h.From, h.To)
		if h.Note != "" {
			line += p.Faint(": " + h.Note)
		}
		b.WriteString(line + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func paintGlyph(p style.Palette, s Status) string {
	g := glyphs[s]
	switch s {
	case StatusPass:
		return p.Green(g)
	case StatusFail:
		return p.Red(g)
	case StatusWarn, StatusUnknown:
		return p.Yellow(g)
	}
	return p.Faint(g)
}
