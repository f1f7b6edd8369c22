package doctor

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/render"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/checks.md from the catalogue")

const docsPath = "../../docs/checks.md"

func TestCatalogueIsValid(t *testing.T) {
	if err := Validate(Catalogue(), AllFacts(Env{})); err != nil {
		t.Fatal(err)
	}
}

func TestDocsInSync(t *testing.T) {
	want := render.Markdown(Catalogue())
	if *updateDocs {
		if err := os.MkdirAll(filepath.Dir(docsPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(docsPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatalf("read %s (generate it with go test ./pkg/doctor -update-docs): %v", docsPath, err)
	}
	if string(got) != want {
		t.Fatalf("%s is out of sync with the catalogue: run go test ./pkg/doctor -update-docs", docsPath)
	}
}

// TestEveryDocsLinkHasAnAnchor derives anchors from the headings the way GitHub does (lower case) and
// checks that every check's link points at one.
func TestEveryDocsLinkHasAnAnchor(t *testing.T) {
	anchors := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^### (\S+)$`).FindAllStringSubmatch(render.Markdown(Catalogue()), -1) {
		anchors[strings.ToLower(m[1])] = true
	}
	for _, c := range Catalogue() {
		anchor := strings.TrimPrefix(c.DocsLink(), DocsURL+"#")
		if !anchors[anchor] {
			t.Errorf("%s links to #%s, which docs/checks.md lacks", c.ID, anchor)
		}
	}
}

// TestHintPlaceholdersAreKnown keeps hints from showing a placeholder nothing can fill.
func TestHintPlaceholdersAreKnown(t *testing.T) {
	known := map[string]bool{}
	for k := range (Env{}).HintVars() {
		known[k] = true
	}
	// Filled by the checks' own results.
	for _, k := range []string{"missing", "uncovered", "ca-key", "proxy-port", "client-id", "prefix", "group", "binding", "issuer"} {
		known[k] = true
	}
	re := regexp.MustCompile(`<([a-z-]+)>`)
	for _, c := range Catalogue() {
		for _, m := range re.FindAllStringSubmatch(c.Hint, -1) {
			if !known[m[1]] {
				t.Errorf("%s: hint placeholder <%s> is filled by nothing", c.ID, m[1])
			}
		}
	}
}
