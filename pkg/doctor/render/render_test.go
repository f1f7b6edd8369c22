package render

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/internal/golden"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/chain"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// sampleReport has every status, evidence, a multi-line hint and two categories.
func sampleReport() engine.Report {
	o := func(id engine.ID, cat string, st engine.Status, msg string) engine.Outcome {
		return engine.Outcome{ID: id, Title: "Title of " + string(id), Category: cat, Severity: engine.SeverityError,
			Docs: engine.DocsURL + "#" + strings.ToLower(string(id)), Result: engine.Result{Status: st, Message: msg}, Duration: 12 * time.Millisecond}
	}
	san := o("PROXY-TLS-SAN", "capsule-proxy", engine.StatusFail, "the certificate does not name capsule-proxy.capsule-system.svc")
	san.Evidence = engine.Evidence{{Key: "host", Value: "capsule-proxy.capsule-system.svc"}, {Key: "sans", Value: []string{"wrong.example.com"}}}
	san.Hint = "Re-issue the certificate with that name:\nkubectl -n capsule-system delete secret capsule-proxy"
	warn := o("HEADLAMP-REPLICAS", "Headlamp", engine.StatusWarn, "2 replicas: sessions live in one pod")
	warn.Severity, warn.Hint = engine.SeverityWarning, "kubectl -n capsule-system scale deployment/headlamp --replicas=1"
	return engine.Report{Duration: 1234 * time.Millisecond, Outcomes: []engine.Outcome{
		o("PROXY-SERVICE", "capsule-proxy", engine.StatusPass, "capsule-system/capsule-proxy port 9001"),
		san,
		skippedAfter(o("PROXY-TLS-LIVE", "capsule-proxy", engine.StatusSkip, "needs PROXY-TLS-SAN, which failed"), "PROXY-TLS-SAN", engine.StatusFail),
		o("HEADLAMP-FOUND", "Headlamp", engine.StatusPass, ""),
		warn,
		o("HEADLAMP-CA", "Headlamp", engine.StatusUnknown, "forbidden: get secrets in capsule-system"),
	}}
}

// sampleChain is a chain of two hops over the sample report.
func sampleChain() []chain.Hop {
	return chain.Compute(sampleReport(), []chain.Def{
		{From: "browser", To: "Headlamp", Prefixes: []string{"HEADLAMP-"}},
		{From: "Headlamp", To: "capsule-proxy", Prefixes: []string{"PROXY-"}},
	})
}

// skippedAfter records, as the runner does, that o was skipped because check root ended in status.
func skippedAfter(o engine.Outcome, root engine.ID, status engine.Status) engine.Outcome {
	verb := map[engine.Status]string{engine.StatusFail: "failed", engine.StatusUnknown: "could not be checked"}[status]
	o.Skip = engine.SkipOrigin{Root: root, Status: status, Cause: string(root) + " " + verb}
	return o
}

func TestRenderGolden(t *testing.T) {
	tests := map[string]func(*bytes.Buffer) error{
		"report.txt":       func(b *bytes.Buffer) error { return WriteText(b, sampleReport(), style.Palette{}, false) },
		"report-short.txt": func(b *bytes.Buffer) error { return WriteText(b, sampleReport(), style.Palette{}, true) },
		"report.json":      func(b *bytes.Buffer) error { return WriteJSON(b, sampleReport(), sampleChain()) },
		"report-color.txt": func(b *bytes.Buffer) error {
			return WriteText(b, sampleReport(), style.NewPalette(style.Always, os.Getenv, b), false)
		},
	}
	for name, render := range tests {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			if err := render(&b); err != nil {
				t.Fatal(err)
			}
			golden.Assert(t, name, b.Bytes(), *update)
		})
	}
}

func TestJSONSchema(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sampleReport(), sampleChain()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		SchemaVersion int
		Summary       map[string]int
		Checks        []map[string]any
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != SchemaVersion || doc.Summary["total"] != 6 || doc.Summary["fail"] != 1 {
		t.Errorf("header: %+v", doc)
	}
	for _, key := range []string{"id", "title", "category", "status", "message", "evidence", "durationMs"} {
		if _, ok := doc.Checks[1][key]; !ok {
			t.Errorf("check record lacks %q", key)
		}
	}
}
