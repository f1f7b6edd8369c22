package oidc

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"
)

// Claims are the claims of an ID token that the checks read, plus every claim as raw JSON for the
// mappings (any claim can be the username or groups claim) and the redacted view.
type Claims struct {
	Issuer    string
	Subject   string
	Audience  []string
	Expiry    time.Time // zero when absent
	IssuedAt  time.Time // zero when absent
	NotBefore time.Time // zero when absent
	Nonce     string
	Raw       map[string]json.RawMessage
}

// decodeClaims reads the registered claims from a decoded payload. Wrong types for them are errors,
// as they are for every verifier.
func decodeClaims(raw map[string]json.RawMessage) (Claims, error) {
	c := Claims{Raw: raw}
	var err error
	for name, dst := range map[string]*string{"iss": &c.Issuer, "sub": &c.Subject, "nonce": &c.Nonce} {
		if err = optionalJSON(raw, name, dst); err != nil {
			return c, err
		}
	}
	if c.Audience, err = audience(raw["aud"]); err != nil {
		return c, err
	}
	for name, dst := range map[string]*time.Time{"exp": &c.Expiry, "iat": &c.IssuedAt, "nbf": &c.NotBefore} {
		if *dst, err = numericDate(raw, name); err != nil {
			return c, err
		}
	}
	return c, nil
}

func optionalJSON(raw map[string]json.RawMessage, name string, dst any) error {
	v, ok := raw[name]
	if !ok {
		return nil
	}
	if err := json.Unmarshal(v, dst); err != nil {
		return fmt.Errorf("claim %q has the wrong type", name)
	}
	return nil
}

// audience accepts the two forms RFC 7519 allows: a string or a list of strings.
func audience(v json.RawMessage) ([]string, error) {
	if v == nil {
		return nil, nil
	}
	var one string
	if json.Unmarshal(v, &one) == nil {
		return []string{one}, nil
	}
	var many []string
	if err := json.Unmarshal(v, &many); err != nil {
		return nil, fmt.Errorf(`claim "aud" is neither a string nor a list of strings`)
	}
	return many, nil
}

// numericDate reads a NumericDate (seconds since the epoch, possibly fractional).
func numericDate(raw map[string]json.RawMessage, name string) (time.Time, error) {
	var secs float64
	if v, ok := raw[name]; !ok || string(v) == "null" {
		return time.Time{}, nil
	}
	if err := optionalJSON(raw, name, &secs); err != nil || math.IsInf(secs, 0) || math.Abs(secs) > 1e11 {
		return time.Time{}, fmt.Errorf("claim %q is not a date in seconds since 1970", name)
	}
	whole, frac := math.Modf(secs)
	return time.Unix(int64(whole), int64(frac*1e9)).UTC(), nil
}

// HasAudience tells whether any of ids is among the token's audiences.
func (c Claims) HasAudience(ids ...string) bool {
	return slices.ContainsFunc(ids, func(id string) bool { return id != "" && slices.Contains(c.Audience, id) })
}

// Has tells whether the claim is present (and not null).
func (c Claims) Has(name string) bool {
	v, ok := c.Raw[name]
	return ok && string(v) != "null"
}

// StringClaim returns the value of a claim that must be a non-empty string (a user name, say), or why
// it is not one.
func (c Claims) StringClaim(name string) (string, error) { return stringClaim(c, name) }
