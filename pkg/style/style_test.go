package style

import (
	"bytes"
	"io"
	"os"
	"testing"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestEnabled(t *testing.T) {
	// A pipe is never a terminal, whatever the environment, so auto mode must stay plain on it.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })

	tests := []struct {
		name string
		mode Mode
		env  map[string]string
		w    io.Writer
		want bool
	}{
		{"auto on a buffer", Auto, nil, &bytes.Buffer{}, false},
		{"auto on a pipe", Auto, nil, w, false},
		{"always on a buffer", Always, nil, &bytes.Buffer{}, true},
		{"always beats NO_COLOR", Always, map[string]string{"NO_COLOR": "1"}, &bytes.Buffer{}, true},
		{"never", Never, nil, &bytes.Buffer{}, false},
		{"NO_COLOR in auto", Auto, map[string]string{"NO_COLOR": "1"}, &bytes.Buffer{}, false},
		{"dumb terminal in auto", Auto, map[string]string{"TERM": "dumb"}, &bytes.Buffer{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Enabled(tt.mode, env(tt.env), tt.w); got != tt.want {
				t.Errorf("Enabled(%s) = %v, want %v", tt.mode, got, tt.want)
			}
		})
	}
}

func TestPalette(t *testing.T) {
	if got := (Palette{}).Red("x"); got != "x" {
		t.Errorf("plain palette coloured %q", got)
	}
	coloured := NewPalette(Always, env(nil), &bytes.Buffer{}).Red("x")
	if coloured == "x" || !bytes.Contains([]byte(coloured), []byte("\x1b[")) {
		t.Errorf("coloured palette returned %q, want an ANSI sequence", coloured)
	}
	// Colouring one palette must not switch colour on for another.
	if got := NewPalette(Never, env(nil), &bytes.Buffer{}).Red("x"); got != "x" {
		t.Errorf("never palette coloured %q", got)
	}
}

func TestParseMode(t *testing.T) {
	for _, s := range Modes {
		if _, err := ParseMode(s); err != nil {
			t.Errorf("ParseMode(%q): %v", s, err)
		}
	}
	if _, err := ParseMode("purple"); err == nil {
		t.Error("ParseMode(purple) accepted a bad value")
	}
}
