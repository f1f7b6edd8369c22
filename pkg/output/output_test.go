package output

import (
	"bytes"
	"testing"
)

// TestPrintJSON: the one encoder indents by two, ends with a newline and leaves <, > and & as they are
// (a URL's query or a hint's <placeholder> stays readable).
func TestPrintJSON(t *testing.T) {
	var b bytes.Buffer
	if err := Print(&b, JSON, map[string]string{"url": "https://idp/auth?a=1&b=<x>"}); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"url\": \"https://idp/auth?a=1&b=<x>\"\n}\n"; b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	if err := Print(&b, Text, nil); err == nil {
		t.Error("text is not a structured format")
	}
}
