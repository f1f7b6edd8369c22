package install

import (
	"fmt"
	"io"
)

// spinnerFrames animate the progress line on a terminal.
var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// progress shows a status line: redrawn in place with a spinner on a terminal, and printed only when
// it changes otherwise (logs stay readable).
type progress struct {
	w     io.Writer
	tty   bool
	last  string
	frame int
}

func newProgress(w io.Writer, tty bool) *progress {
	if w == nil {
		w = io.Discard
	}
	return &progress{w: w, tty: tty}
}

func (p *progress) update(msg string) {
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%s %s", spinnerFrames[p.frame%len(spinnerFrames)], msg)
		p.frame++
		p.last = msg
		return
	}
	if msg != p.last {
		fmt.Fprintln(p.w, msg)
		p.last = msg
	}
}

// line prints a line that stays, clearing the spinner first.
func (p *progress) line(format string, args ...any) {
	p.clear()
	fmt.Fprintf(p.w, format+"\n", args...)
	p.last = ""
}

func (p *progress) clear() {
	if p.tty && p.last != "" {
		fmt.Fprint(p.w, "\r\033[K")
		p.last = ""
	}
}
