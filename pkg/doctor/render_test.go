package doctor

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/internal/golden"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// sampleReport has every status, evidence, a multi-line hint and two categories.
func sampleReport() Report {
	o := func(id ID, cat string, st Status, msg string) Outcome {
		return Outcome{ID: id, Title: "Title of " + string(id), Category: cat, Severity: SeverityError,
			Docs: DocsURL + "#" + strings.ToLower(string(id)), Result: Result{Status: st, Message: msg}, Duration: 12 * time.Millisecond}
	}
	san := o("PROXY-TLS-SAN", "capsule-proxy", StatusFail, "the certificate does not name capsule-proxy.capsule-system.svc")
	san.Evidence = Evidence{{Key: "host", Value: "capsule-proxy.capsule-system.svc"}, {Key: "sans", Value: []string{"wrong.example.com"}}}
	san.Hint = "Re-issue the certificate with that name:\nkubectl -n capsule-system delete secret capsule-proxy"
	warn := o("HEADLAMP-REPLICAS", "Headlamp", StatusWarn, "2 replicas: sessions live in one pod")
	warn.Severity, warn.Hint = SeverityWarning, "kubectl -n capsule-system scale deployment/headlamp --replicas=1"
	return Report{Duration: 1234 * time.Millisecond, Outcomes: []Outcome{
		o("PROXY-SERVICE", "capsule-proxy", StatusPass, "capsule-system/capsule-proxy port 9001"),
		san,
		skippedAfter(o("PROXY-TLS-LIVE", "capsule-proxy", StatusSkip, "needs PROXY-TLS-SAN, which failed"), "PROXY-TLS-SAN", StatusFail),
		o("HEADLAMP-FOUND", "Headlamp", StatusPass, ""),
		warn,
		o("HEADLAMP-CA", "Headlamp", StatusUnknown, "forbidden: get secrets in capsule-system"),
	}}
}

// skippedAfter records, as the runner does, that o was skipped because check root ended in status.
func skippedAfter(o Outcome, root ID, status Status) Outcome {
	verb := map[Status]string{StatusFail: "failed", StatusUnknown: "could not be checked"}[status]
	o.Skip = skipOrigin{Root: root, Status: status, Cause: string(root) + " " + verb}
	return o
}

func TestRenderGolden(t *testing.T) {
	tests := map[string]func(*bytes.Buffer) error{
		"report.txt":       func(b *bytes.Buffer) error { return WriteText(b, sampleReport(), style.Palette{}, false) },
		"report-short.txt": func(b *bytes.Buffer) error { return WriteText(b, sampleReport(), style.Palette{}, true) },
		"report.json":      func(b *bytes.Buffer) error { return WriteJSON(b, sampleReport()) },
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
	if err := WriteJSON(&b, sampleReport()); err != nil {
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

func TestFailedTable(t *testing.T) {
	report := func(sts ...Status) Report {
		var r Report
		for _, s := range sts {
			r.Outcomes = append(r.Outcomes, Outcome{Result: Result{Status: s}})
		}
		return r
	}
	tests := []struct {
		name   string
		r      Report
		failOn Severity
		want   bool
	}{
		{"all pass", report(StatusPass, StatusPass), SeverityError, false},
		{"skip and unknown never fail", report(StatusPass, StatusSkip, StatusUnknown), SeverityWarning, false},
		{"warn under fail-on error", report(StatusPass, StatusWarn), SeverityError, false},
		{"warn under fail-on warning", report(StatusPass, StatusWarn), SeverityWarning, true},
		{"fail", report(StatusFail, StatusPass), SeverityError, true},
		{"fail under fail-on warning", report(StatusFail), SeverityWarning, true},
		{"empty", report(), SeverityError, false},
	}
	for _, tt := range tests {
		if got := tt.r.Failed(tt.failOn); got != tt.want {
			t.Errorf("%s: Failed(%s) = %v, want %v", tt.name, tt.failOn, got, tt.want)
		}
	}
}
