package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/chain"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

// WriteChain prints the chain: one line per hop with its verdict and its note (the checks that broke
// it, those that did not run).
func WriteChain(w io.Writer, hops []chain.Hop, p style.Palette) error {
	var b strings.Builder
	b.WriteString(p.Bold("Sign-in chain") + "\n")
	for _, h := range hops {
		line := fmt.Sprintf("  %s %s -> %s", glyph(p, h.Status), h.From, h.To)
		if h.Note != "" {
			line += p.Faint(": " + h.Note)
		}
		b.WriteString(line + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
