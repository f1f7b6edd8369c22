package oidc

import (
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

func TestVerify(t *testing.T) {
	const issuer = "https://idp.example/dex"
	keys := &KeySet{Keys: []jose.JSONWebKey{{Key: &testKey.PublicKey, KeyID: "k1", Algorithm: "RS256"}}}
	api := time.Unix(1_800_000_000, 0).UTC() // the API server's clock
	in := VerifyInput{Issuer: issuer, ClientIDs: []string{"headlamp"}, Keys: keys, Now: api}
	with := func(change func(map[string]any)) map[string]any {
		c := aliceClaims(issuer, api)
		change(c)
		return c
	}
	cases := []struct {
		name   string
		token  Secret
		in     VerifyInput
		field  func(Verification) error
		expect string // empty: every step passes
	}{
		{"alice for headlamp", sign(t, testKey, "k1", aliceClaims(issuer, api)), in, nil, ""},
		{"validator client id accepted", sign(t, testKey, "k1", with(func(c map[string]any) { c["aud"] = []string{"validator", "x"} })),
			VerifyInput{Issuer: issuer, ClientIDs: []string{"headlamp", "validator"}, Keys: keys, Now: api}, nil, ""},
		{"another key", sign(t, mustKey(), "k1", aliceClaims(issuer, api)), in, func(v Verification) error { return v.Signature }, "signature does not verify"},
		{"no key set", sign(t, testKey, "k1", aliceClaims(issuer, api)), VerifyInput{Issuer: issuer, ClientIDs: []string{"headlamp"}, Now: api},
			func(v Verification) error { return v.Signature }, "no key set"},
		{"wrong issuer", sign(t, testKey, "k1", aliceClaims("https://other.example", api)), in, func(v Verification) error { return v.Issuer }, "differs from"},
		{"trailing slash", sign(t, testKey, "k1", aliceClaims(issuer+"/", api)), in, func(v Verification) error { return v.Issuer }, "trailing slash"},
		{"client kubernetes", sign(t, testKey, "k1", with(func(c map[string]any) { c["aud"] = "kubernetes" })), in,
			func(v Verification) error { return v.Audience }, `["kubernetes"] does not contain "headlamp"`},
		{"expired on the API server's clock", sign(t, testKey, "k1", with(func(c map[string]any) { c["exp"] = api.Add(-time.Minute).Unix() })), in,
			func(v Verification) error { return v.Expiry }, "expired at"},
		{"no exp", sign(t, testKey, "k1", with(func(c map[string]any) { delete(c, "exp") })), in, func(v Verification) error { return v.Expiry }, `no "exp"`},
		{"nbf far ahead", sign(t, testKey, "k1", with(func(c map[string]any) { c["nbf"] = api.Add(time.Hour).Unix() })), in,
			func(v Verification) error { return v.Expiry }, "not valid before"},
		{"iat ahead", sign(t, testKey, "k1", with(func(c map[string]any) { c["iat"] = api.Add(10 * time.Minute).Unix() })), in,
			func(v Verification) error { return v.IssuedAt }, "clocks"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ParseToken(tc.token)
			if err != nil {
				t.Fatal(err)
			}
			v := Verify(t.Context(), tc.token, p.Claims, tc.in)
			if tc.field == nil {
				if v.Err() != nil || v.IssuedAt != nil {
					t.Fatalf("want a valid token, got %v / %v", v.Err(), v.IssuedAt)
				}
				return
			}
			err = tc.field(v)
			if err == nil || !strings.Contains(err.Error(), tc.expect) {
				t.Fatalf("got %v, want an error mentioning %q", err, tc.expect)
			}
			if strings.Contains(err.Error(), tc.token.Reveal()) {
				t.Error("the error quotes the token")
			}
		})
	}
}

func TestVerifyUsesTheGivenClockNotTheLocalOne(t *testing.T) {
	const issuer = "https://idp.example"
	keys := &KeySet{Keys: []jose.JSONWebKey{{Key: &testKey.PublicKey}}}
	past := time.Unix(1_000_000_000, 0) // a token long expired by the local clock...
	tok := sign(t, testKey, "", aliceClaims(issuer, past))
	p, err := ParseToken(tok)
	if err != nil {
		t.Fatal(err)
	}
	// ...is valid for an API server whose clock reads that time.
	v := Verify(t.Context(), tok, p.Claims, VerifyInput{Issuer: issuer, ClientIDs: []string{"headlamp"}, Keys: keys, Now: past.Add(time.Minute)})
	if v.Err() != nil {
		t.Fatalf("judged by the local clock: %v", v.Err())
	}
}
