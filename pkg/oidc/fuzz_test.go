package oidc

import (
	"strings"
	"testing"
	"time"
)

// FuzzParseToken: ParseToken never panics, and its errors never quote the input.
func FuzzParseToken(f *testing.F) {
	f.Add(sign(f, testKey, "k1", aliceClaims("https://idp.example", time.Unix(1_800_000_000, 0))).Reveal())
	f.Add(unsigned(map[string]any{"iss": "x"}).Reveal())
	f.Add("a.b.c")
	f.Add("eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjFlMzAwfQ.c2ln")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseToken(NewSecret(s))
		if err != nil {
			// Long enough not to be found in the message by chance (the token "1" is in "1 segments").
			if tok := strings.TrimSpace(s); len(tok) >= 12 && strings.Contains(err.Error(), tok) {
				t.Fatalf("error quotes the token: %v", err)
			}
			return
		}
		_ = p.Claims.View()
		_, _ = DefaultMapping("x").Apply(p.Claims)
	})
}
