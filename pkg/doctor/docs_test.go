package doctor

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/render"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/checks.md from the catalogue")

const docsPath = "../../docs/checks.md"

func TestDocsInSync(t *testing.T) {
	want := render.Markdown(catalogue.Documented())
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
	for _, m := range regexp.MustCompile(`(?m)^### (\S+)$`).FindAllStringSubmatch(render.Markdown(catalogue.Documented()), -1) {
		anchors[strings.ToLower(m[1])] = true
	}
	for _, c := range catalogue.Documented() {
		anchor := strings.TrimPrefix(c.DocsLink(), engine.DocsURL+"#")
		if !anchors[anchor] {
			t.Errorf("%s links to #%s, which docs/checks.md lacks", c.ID, anchor)
		}
	}
}
