package podlog

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestWriterWritesCRIEntries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pod.log")
	w, err := Open(path, "stderr")
	if err != nil {
		t.Fatal(err)
	}
	w.now = func() time.Time { return time.Date(2026, 12, 6, 10, 0, 0, 5, time.UTC) }
	if _, err := w.Write([]byte("first\nsecond")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "2026-12-06T10:00:00.000000005Z stderr F first\n2026-12-06T10:00:00.000000005Z stderr F second\n"
	if string(data) != want {
		t.Errorf("log file:\n%s\nwant:\n%s", data, want)
	}
	lines, err := Lines(strings.NewReader(string(data)))
	if err != nil || !slices.Equal(lines, []string{"first", "second"}) {
		t.Errorf("Lines = %q, %v", lines, err)
	}
}
