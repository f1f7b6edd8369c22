package oidc

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testClient(idp *testIDP, secret string) Client {
	return Client{ID: "headlamp", Secret: NewSecret(secret), TokenURL: idp.Server.URL + "/dex/token", AuthURL: idp.Server.URL + "/dex/auth"}
}

func TestPasswordGrant(t *testing.T) {
	idp := newTestIDP(t)
	hc, _ := Trust{PEM: idp.CAPEM()}.HTTPClient()
	g := PasswordGrant{Client: testClient(idp, testClientSecret), Username: "alice@example.com", Password: NewSecret("alice-password"), Scopes: []string{"openid", "groups"}, HTTP: hc}
	tok, err := g.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if p, err := ParseToken(tok.ID); err != nil || p.Claims.Issuer != idp.Issuer {
		t.Fatalf("token: %v", err)
	}
	if !tok.Refresh.IsZero() {
		t.Error("a refresh token for a grant without offline_access")
	}
	if strings.Contains(g.Describe(), "alice-password") || !strings.Contains(g.Describe(), "alice@example.com") {
		t.Errorf("Describe() = %q", g.Describe())
	}
	g.Client.Secret = NewSecret("wrong")
	if _, err := g.Token(t.Context()); !errors.Is(err, ErrClientRejected) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("wrong client secret: %v, want ErrClientRejected without the secret", err)
	}
	g.Client.Secret, g.Password = NewSecret(testClientSecret), NewSecret("bad-password")
	if _, err := g.Token(t.Context()); err == nil || errors.Is(err, ErrClientRejected) || strings.Contains(err.Error(), "bad-password") {
		t.Errorf("wrong password: %v", err)
	}
}

func TestProbeClient(t *testing.T) {
	idp := newTestIDP(t)
	hc, _ := Trust{PEM: idp.CAPEM()}.HTTPClient()
	if err := ProbeClient(t.Context(), hc, testClient(idp, testClientSecret), "http://localhost:8080/oidc-callback"); err != nil {
		t.Errorf("right secret: %v", err)
	}
	if err := ProbeClient(t.Context(), hc, testClient(idp, "wrong"), "http://localhost:8080/oidc-callback"); !errors.Is(err, ErrClientRejected) {
		t.Errorf("wrong secret: %v, want ErrClientRejected", err)
	}
}

func TestFileSource(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "token")
	if err := os.WriteFile(path, []byte("a.b.c\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tok, err := FileSource{Path: path}.Token(t.Context())
	if err != nil || tok.ID.Reveal() != "a.b.c" || !tok.Refresh.IsZero() {
		t.Fatalf("file: %v", err)
	}
	tok, err = FileSource{Path: "-", Stdin: strings.NewReader("x.y.z")}.Token(t.Context())
	if err != nil || tok.ID.Reveal() != "x.y.z" {
		t.Fatalf("stdin: %v", err)
	}
	if _, err := (FileSource{Path: "-", Stdin: strings.NewReader("\n")}).Token(t.Context()); err == nil || !strings.Contains(err.Error(), "standard input holds no token") {
		t.Errorf("empty stdin: %v", err)
	}
	if _, err := (FileSource{Path: filepath.Join(dir, "missing")}).Token(t.Context()); err == nil {
		t.Error("missing file: no error")
	}
}
