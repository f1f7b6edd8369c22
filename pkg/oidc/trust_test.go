package oidc

import (
	"strings"
	"testing"
)

func TestTrustPoolNamesTheView(t *testing.T) {
	_, err := Trust{Name: "headlamp", PEM: []byte("junk")}.Pool()
	if err == nil || !strings.Contains(err.Error(), "headlamp") {
		t.Fatalf("err = %v, want it to name the view", err)
	}
}
