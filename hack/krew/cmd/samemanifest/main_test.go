package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestCompareIgnoresLayoutButNotContent(t *testing.T) {
	orig, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "plugins.yaml"))
	if err != nil {
		t.Fatalf("read plugins.yaml: %v", err)
	}
	manifest := string(orig)
	// The same content with the comments dropped and the first platform moved to the end.
	body := manifest[strings.Index(manifest, "apiVersion:"):]
	head, platforms, _ := strings.Cut(body, "  platforms:\n")
	first, rest, _ := strings.Cut(strings.TrimPrefix(platforms, "  - "), "\n  - ")
	reordered := head + "  platforms:\n  - " + rest + "  - " + first + "\n"
	firstSum := regexp.MustCompile(`sha256: "[0-9a-f]{64}"`).FindString(manifest)
	changedSum := strings.Replace(manifest, firstSum, `sha256: "`+strings.Repeat("ab", 32)+`"`, 1)

	tests := []struct {
		name, b string
		want    string // empty: no difference expected
	}{
		{"same", manifest, ""},
		{"reordered without comments", reordered, ""},
		{"another checksum", changedSum, "platform linux/amd64 differs"},
		{"another caveat", strings.Replace(manifest, "Any directory", "Some directory", 1), "spec differs"},
	}
	dir := t.TempDir()
	a := filepath.Join(dir, "a.yaml")
	if err := os.WriteFile(a, orig, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.b == manifest && tc.name != "same" {
				t.Fatalf("the mutation did not apply")
			}
			b := filepath.Join(dir, "b.yaml")
			if err := os.WriteFile(b, []byte(tc.b), 0o600); err != nil {
				t.Fatal(err)
			}
			diffs, err := compareFiles(a, b)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(diffs, "\n")
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Fatalf("want differences containing %q, got:\n%s", tc.want, got)
			}
		})
	}
}
