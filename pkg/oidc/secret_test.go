package oidc

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

func TestSecretNeverPrints(t *testing.T) {
	const value = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJl"
	s := NewSecret(value + "\n")
	if s.Reveal() != value {
		t.Fatalf("Reveal lost or kept white space: got %d bytes, want %d", len(s.Reveal()), len(value))
	}
	holder := struct{ Token Secret }{s}
	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		outputs = append(outputs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, holder), fmt.Sprintf(verb, &holder))
	}
	j, err := json.Marshal(holder)
	if err != nil {
		t.Fatal(err)
	}
	y, err := yaml.Marshal(holder)
	if err != nil {
		t.Fatal(err)
	}
	outputs = append(outputs, string(j), string(y), fmt.Sprint(s), fmt.Sprintln(s))
	for _, out := range outputs {
		if strings.Contains(out, "c2VjcmV0") || strings.Contains(out, value) {
			t.Errorf("secret leaked in %q", out)
		}
		if !strings.Contains(out, redacted) {
			t.Errorf("output %q does not say the value was redacted", out)
		}
	}
}

func TestSecretIsZero(t *testing.T) {
	if !NewSecret(" \n").IsZero() {
		t.Error("a blank secret is not zero")
	}
	if NewSecret("x").IsZero() {
		t.Error("a non-blank secret is zero")
	}
}
