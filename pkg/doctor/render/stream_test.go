package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/style"
)

// TestTextStreamPrintsAsResultsCome: outcomes arriving in any order print in report order, each as
// soon as those before it are known, and the whole output is WriteText's.
func TestTextStreamPrintsAsResultsCome(t *testing.T) {
	r := sampleReport()
	var want bytes.Buffer
	if err := WriteText(&want, r, style.Palette{}, false); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	s := NewText(&got, style.Palette{}, false)
	var checks []engine.Check
	for _, o := range r.Outcomes {
		checks = append(checks, engine.Check{ID: o.ID})
	}
	s.Begin(checks)
	s.Observe(r.Outcomes[1]) // the second check finishes first: nothing to print yet
	if got.Len() != 0 {
		t.Fatalf("printed before the first check finished:\n%s", got.String())
	}
	s.Observe(r.Outcomes[0])
	if !strings.Contains(got.String(), "PROXY-SERVICE") || !strings.Contains(got.String(), "PROXY-TLS-SAN") {
		t.Fatalf("the first two results are not printed once both are known:\n%s", got.String())
	}
	for i := len(r.Outcomes) - 1; i >= 2; i-- {
		s.Observe(r.Outcomes[i])
	}
	if err := s.End(r); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("streamed output differs from the report's:\ngot:\n%s\nwant:\n%s", got.String(), want.String())
	}
}

// TestTextSummarisesLongLists: 2,000 namespaces are a count and the first few in text, all of them in
// JSON.
func TestTextSummarisesLongLists(t *testing.T) {
	var names []string
	for i := range 2000 {
		names = append(names, fmt.Sprintf("ns-%04d", i))
	}
	o := engine.Outcome{ID: "TENANT-NAMESPACES", Category: "Tenant", Result: engine.Unknown("listed").With("namespaces", names)}
	r := engine.Report{Outcomes: []engine.Outcome{o}}
	var text, js bytes.Buffer
	if err := WriteText(&text, r, style.Palette{}, false); err != nil {
		t.Fatal(err)
	}
	if err := WriteJSON(&js, r, nil); err != nil {
		t.Fatal(err)
	}
	if want := "namespaces: ns-0000, ns-0001, ns-0002, ns-0003, ns-0004 and 1995 more (2000 in all)\n"; !strings.Contains(text.String(), want) {
		t.Errorf("text lacks %q:\n%s", want, text.String())
	}
	if strings.Contains(text.String(), "ns-1999") || !strings.Contains(js.String(), `"ns-1999"`) {
		t.Errorf("the whole list belongs in JSON only")
	}
}
