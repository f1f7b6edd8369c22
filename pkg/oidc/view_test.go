package oidc

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestViewRedacts(t *testing.T) {
	now := time.Unix(1_800_000_000, 0).UTC()
	claims := aliceClaims("https://idp.example", now)
	inner := sign(t, testKey, "k1", map[string]any{"x": "y"}).Reveal()
	claims["_claim_sources"] = map[string]any{"src1": map[string]any{"access_token": "opaque-secret"}}
	claims["nested"] = map[string]any{"list": []any{inner}}
	tok := sign(t, testKey, "k1", claims)
	p, err := ParseToken(tok)
	if err != nil {
		t.Fatal(err)
	}
	v := p.Claims.View()
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out := string(js)
	for _, leak := range []string{tok.Reveal(), inner, "opaque-secret", "n-0S6_WzA2Mj", "77QmUPtjPfzWtF2AnpK9RQ"} {
		if strings.Contains(out, leak) {
			t.Errorf("view leaks %q: %s", leak, out)
		}
	}
	if v["email"] != "alice@example.com" || v["exp"] != now.Add(time.Hour).Format(time.RFC3339) || v["nonce"] != redacted {
		t.Errorf("view = %s", out)
	}
}
