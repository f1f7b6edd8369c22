package oidc

import (
	"encoding/pem"
	"strings"
	"testing"
)

func TestParseCertificates(t *testing.T) {
	idp := newTestIdP(t)
	certs, err := ParseCertificates(append(idp.caPEM(), idp.caPEM()...))
	if err != nil || len(certs) != 2 {
		t.Fatalf("two certificates: %d, %v", len(certs), err)
	}
	key := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("secret-key-bytes")})
	cases := map[string]struct {
		data []byte
		want string
	}{
		"empty":       {nil, "no PEM certificate"},
		"not PEM":     {[]byte("hello"), "no PEM certificate"},
		"private key": {append(idp.caPEM(), key...), `block 2 is a "PRIVATE KEY"`},
		"garbage DER": {pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1, 2, 3}}), "PEM block 1"},
	}
	for name, tc := range cases {
		_, err := ParseCertificates(tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "secret-key-bytes") {
			t.Errorf("%s: the error quotes the key", name)
		}
	}
}

func TestTrustPoolNamesTheView(t *testing.T) {
	_, err := Trust{Name: "headlamp", PEM: []byte("junk")}.Pool()
	if err == nil || !strings.Contains(err.Error(), "headlamp") {
		t.Fatalf("err = %v, want it to name the view", err)
	}
}
