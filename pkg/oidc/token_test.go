package oidc

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseTokenReadsClaims(t *testing.T) {
	now := time.Unix(1_800_000_000, 0).UTC()
	p, err := ParseToken(sign(t, testKey, "k1", aliceClaims("https://idp.example/dex", now)))
	if err != nil {
		t.Fatal(err)
	}
	if p.Header.Algorithm != "RS256" || p.Header.KeyID != "k1" || p.Header.Type != "JWT" {
		t.Errorf("header = %+v, want RS256, kid k1 and typ JWT", p.Header)
	}
	c := p.Claims
	if c.Issuer != "https://idp.example/dex" || !c.HasAudience("headlamp") || !c.Expiry.Equal(now.Add(time.Hour)) || !c.IssuedAt.Equal(now) {
		t.Errorf("claims = %+v", c)
	}
	if c.HasAudience("kubernetes") || c.HasAudience("") {
		t.Error("HasAudience accepts an audience the token lacks")
	}
}

func TestParseTokenRejects(t *testing.T) {
	good := sign(t, testKey, "k1", aliceClaims("https://idp.example", time.Now())).Reveal()
	parts := strings.Split(good, ".")
	cases := map[string]struct {
		token string
		want  string
	}{
		"empty":               {"", "1 dot-separated segments"},
		"two segments":        {parts[0] + "." + parts[1], "2 dot-separated segments"},
		"four segments":       {good + ".x", "4 dot-separated"},
		"encrypted":           {"a.b.c.d.e", "encrypted (JWE"},
		"header not base64":   {"!!!." + parts[1] + "." + parts[2], "header: not base64url"},
		"header not JSON":     {"bm90IGpzb24." + parts[1] + "." + parts[2], "header: not a JSON object"},
		"payload not base64":  {parts[0] + ".%%%." + parts[2], "payload: not base64url"},
		"payload not object":  {parts[0] + ".WzEsMl0." + parts[2], "payload: not a JSON object"},
		"aud wrong type":      {parts[0] + "." + b64(`{"aud":3}`) + "." + parts[2], `"aud" is neither`},
		"exp wrong type":      {parts[0] + "." + b64(`{"exp":"tomorrow"}`) + "." + parts[2], `"exp" is not a date`},
		"signature missing":   {parts[0] + "." + parts[1] + ".", "signature: empty"},
		"signature not b64":   {parts[0] + "." + parts[1] + ".***", "signature"},
		"alg none":            {unsigned(map[string]any{"iss": "x"}).Reveal(), "not signed"},
		"alg missing":         {b64(`{"typ":"JWT"}`) + "." + parts[1] + "." + parts[2], "not signed"},
		"alg unknown":         {b64(`{"alg":"RS1"}`) + "." + parts[1] + "." + parts[2], `header: signature algorithm "RS1" is not a JWS algorithm`},
		"private key in jwk":  {b64(`{"alg":"HS256","jwk":{"kty":"oct","k":"c2VjcmV0"}}`) + "." + parts[1] + "." + parts[2], "malformed token header: "},
		"iss wrong type":      {parts[0] + "." + b64(`{"iss":["a"]}`) + "." + parts[2], `"iss" has the wrong type`},
		"exp beyond any date": {parts[0] + "." + b64(`{"exp":1e300}`) + "." + parts[2], `"exp" is not a date`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseToken(NewSecret(tc.token))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.want)
			}
			if len(tc.token) > 8 && strings.Contains(err.Error(), tc.token) {
				t.Error("the error quotes the token")
			}
		})
	}
	if _, err := ParseToken(unsigned(nil)); !errors.Is(err, ErrUnsigned) {
		t.Errorf("alg none: %v, want ErrUnsigned", err)
	}
}

func b64(s string) string { return strings.TrimRight(encodeRaw([]byte(s)), "=") }
