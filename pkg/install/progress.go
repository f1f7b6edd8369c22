package install

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// spinnerFrames animate the progress line on a terminal.
var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// spinInterval is how often the spinner turns on a terminal.
const spinInterval = 200 * time.Millisecond

// progress shows a status line: redrawn in place with a spinner on a terminal, and printed only when
// it changes otherwise (logs stay readable). It is safe for concurrent use: the spinner turns in its
// own goroutine while a watch waits.
type progress struct {
	mu    sync.Mutex
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
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(msg)
}

func (p *progress) draw(msg string) {
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

// spin turns the spinner of the current line every spinInterval on a terminal until the returned stop
// is called, so that a wait that sees no change still shows it is alive.
func (p *progress) spin() (stop func()) {
	if !p.tty {
		return func() {}
	}
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(spinInterval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				p.mu.Lock()
				if p.last != "" {
					p.draw(p.last)
				}
				p.mu.Unlock()
			}
		}
	}()
	return func() { close(done); <-finished }
}

// line prints a line that stays, clearing the spinner first.
func (p *progress) line(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
	fmt.Fprintf(p.w, format+"\n", args...)
	p.last = ""
}

func (p *progress) clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
}

func (p *progress) erase() {
	if p.tty && p.last != "" {
		fmt.Fprint(p.w, "\r\033[K")
		p.last = ""
	}
}
