// Package style decides whether output is coloured and colours it. Colour is used only when the writer
// is a terminal, unless the user says otherwise with --color or NO_COLOR (https://no-color.org).
package style

import (
	"fmt"
	"io"
	"os"

	"github.com/fatih/color"
	"github.com/mattn/go-isatty"
)

// Mode is the value of the --color flag.
type Mode string

// The accepted values of --color.
const (
	Auto   Mode = "auto"
	Always Mode = "always"
	Never  Mode = "never"
)

// Modes lists the accepted values of --color, for help texts and completion.
var Modes = []string{string(Auto), string(Always), string(Never)}

// ParseMode checks a --color value.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(s); m {
	case Auto, Always, Never:
		return m, nil
	default:
		return "", fmt.Errorf("invalid color mode %q: use one of auto, always, never", s)
	}
}

// Enabled decides whether to colour output written to w. An explicit --color=always or never wins;
// in auto mode NO_COLOR (any non-empty value) or TERM=dumb turn colour off, and otherwise colour is on
// only when w is a terminal.
func Enabled(mode Mode, getenv func(string) string, w io.Writer) bool {
	switch mode {
	case Always:
		return true
	case Never:
		return false
	}
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	return IsTerminal(w)
}

// IsTerminal reports whether w is a terminal (a character device, or a Cygwin/MSYS pty).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// Palette colours strings when enabled and returns them unchanged otherwise. The zero value is a
// palette without colour.
type Palette struct {
	enabled bool
}

// NewPalette returns a palette for output written to w.
func NewPalette(mode Mode, getenv func(string) string, w io.Writer) Palette {
	return Palette{enabled: Enabled(mode, getenv, w)}
}

// Enabled reports whether the palette colours.
func (p Palette) Enabled() bool { return p.enabled }

// Green colours success.
func (p Palette) Green(s string) string { return p.paint(s, color.FgGreen) }

// Red colours failures.
func (p Palette) Red(s string) string { return p.paint(s, color.FgRed) }

// Yellow colours warnings.
func (p Palette) Yellow(s string) string { return p.paint(s, color.FgYellow) }

// Faint de-emphasises secondary text such as hints and skipped items.
func (p Palette) Faint(s string) string { return p.paint(s, color.Faint) }

// Bold emphasises headings.
func (p Palette) Bold(s string) string { return p.paint(s, color.Bold) }

func (p Palette) paint(s string, attr color.Attribute) string {
	c := color.New(attr)
	// fatih/color keeps a process-wide switch; set it per colour so palettes stay independent.
	if p.enabled {
		c.EnableColor()
	} else {
		c.DisableColor()
	}
	return c.Sprint(s)
}
