package oidc

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"time"
)

// hiddenClaims carry values that are credentials or link a token to a session: the view never shows them.
// _claim_sources may hold an access token for distributed claims.
var hiddenClaims = map[string]bool{
	"at_hash": true, "c_hash": true, "s_hash": true, "nonce": true, "sid": true, "_claim_sources": true,
}

// jwtShape matches a string that looks like a compact JWS or JWE: shown as redacted wherever it occurs.
var jwtShape = regexp.MustCompile(`^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*`)

var timeClaims = map[string]bool{"exp": true, "iat": true, "nbf": true, "auth_time": true, "updated_at": true}

// View returns the claims for a report: every claim by name, dates as RFC 3339 (UTC), and the values of
// hash, nonce and session claims, and of anything shaped like a token, replaced by [redacted]. It never
// contains the token itself.
func (c Claims) View() ClaimsView {
	out := make(ClaimsView, len(c.Raw))
	for name, raw := range c.Raw {
		if hiddenClaims[name] {
			out[name] = redacted
			continue
		}
		var v any
		if json.Unmarshal(raw, &v) != nil {
			continue
		}
		if secs, ok := v.(float64); ok && timeClaims[name] {
			v = time.Unix(int64(secs), 0).UTC().Format(time.RFC3339)
		}
		out[name] = redactTokens(v)
	}
	return out
}

// ClaimsView is the redacted claims of a token: a JSON object in machine output.
type ClaimsView map[string]any

// String lists the claims as name=value, sorted by name, for text output.
func (v ClaimsView) String() string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		b, _ := json.Marshal(v[k])
		parts[i] = k + "=" + string(b)
	}
	return strings.Join(parts, " ")
}

// redactTokens walks a decoded JSON value and hides token-shaped strings.
func redactTokens(v any) any {
	switch t := v.(type) {
	case string:
		if jwtShape.MatchString(t) {
			return redacted
		}
	case []any:
		for i := range t {
			t[i] = redactTokens(t[i])
		}
	case map[string]any:
		for k := range t {
			t[k] = redactTokens(t[k])
		}
	}
	return v
}
