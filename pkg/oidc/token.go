package oidc

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrUnsigned is returned for a token whose header announces no signature algorithm ("none" or
// nothing): no verifier accepts it, and it must not be trusted.
var ErrUnsigned = errors.New(`the token is not signed (alg "none"): ask the IdP for a signed ID token`)

// Header is the JOSE header of a signed token.
type Header struct {
	Algorithm string `json:"alg"`
	KeyID     string `json:"kid,omitempty"`
	Type      string `json:"typ,omitempty"`
}

// Parsed is a token split into its header and claims, not yet verified.
type Parsed struct {
	Header Header
	Claims Claims
}

// ParseToken decodes a compact JWS (header.payload.signature) without verifying it. Its errors say
// which segment is wrong and never quote the token.
func ParseToken(tok Secret) (*Parsed, error) {
	parts := strings.Split(tok.Reveal(), ".")
	switch {
	case len(parts) == 5:
		return nil, errors.New("the token is encrypted (JWE, 5 segments): Headlamp and the API server need a signed ID token (JWS)")
	case len(parts) != 3:
		return nil, fmt.Errorf("malformed token: %d dot-separated segments, want 3 (header.payload.signature): pass the ID token, not an access token or a file of several", len(parts))
	}
	var p Parsed
	if err := decodeSegment(parts[0], &p.Header); err != nil {
		return nil, fmt.Errorf("malformed token header: %w", err)
	}
	if a := p.Header.Algorithm; a == "" || strings.EqualFold(a, "none") {
		return nil, ErrUnsigned
	}
	raw := map[string]json.RawMessage{}
	if err := decodeSegment(parts[1], &raw); err != nil {
		return nil, fmt.Errorf("malformed token payload: %w", err)
	}
	claims, err := decodeClaims(raw)
	if err != nil {
		return nil, fmt.Errorf("malformed token payload: %w", err)
	}
	p.Claims = claims
	if sig, err := base64.RawURLEncoding.DecodeString(parts[2]); err != nil || len(sig) == 0 {
		return nil, errors.New("malformed token signature: empty or not base64url")
	}
	return &p, nil
}

// decodeSegment decodes one base64url segment holding a JSON object. The messages name the problem
// without echoing the input.
func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return errors.New("not base64url")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return errors.New("not a JSON object")
	}
	return nil
}
