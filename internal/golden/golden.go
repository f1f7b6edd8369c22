// Package golden compares test output with files under a package's testdata folder.
package golden

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Assert fails t when got differs from testdata/name. With update set (each package's -update
// flag) it first rewrites the file, so that the diff is reviewed in version control.
func Assert(t testing.TB, name string, got []byte, update bool) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if update {
		if err := os.WriteFile(path, got, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path) //nolint:gosec // a file of the test's own testdata folder
	if err != nil {
		t.Fatalf("read golden file %s (run go test -update to create it): %v", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update and review the diff)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}
