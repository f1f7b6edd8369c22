package oidc

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/go-jose/go-jose/v4"
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

// signatureAlgorithms are every JWS algorithm go-jose knows: parsing takes any of them, and Verify then
// holds the token to the algorithms the IdP advertises.
var signatureAlgorithms = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512, jose.EdDSA, jose.HS256, jose.HS384, jose.HS512,
}

// segments names the parts of a compact JWS, in order, for messages.
var segments = []string{"header", "payload", "signature"}

// ParseToken decodes a compact JWS (header.payload.signature) with go-jose, without verifying it. Its
// errors say which segment is wrong and never quote the token.
func ParseToken(tok Secret) (*Parsed, error) {
	raw := tok.Reveal()
	switch n := strings.Count(raw, ".") + 1; {
	case n == 5:
		return nil, errors.New("the token is encrypted (JWE, 5 segments): Headlamp and the API server need a signed ID token (JWS)")
	case n != 3:
		return nil, fmt.Errorf("malformed token: %d dot-separated segments, want 3 (header.payload.signature): pass the ID token, not an access token or a file of several", n)
	}
	jws, err := jose.ParseSignedCompact(raw, signatureAlgorithms)
	if err != nil {
		return nil, parseError(strings.Split(raw, "."), err)
	}
	sig := jws.Signatures[0]
	p := Parsed{Header: Header{Algorithm: sig.Protected.Algorithm, KeyID: sig.Protected.KeyID}}
	p.Header.Type, _ = sig.Protected.ExtraHeaders[jose.HeaderType].(string)
	claims := map[string]json.RawMessage{}
	if err := json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &claims); err != nil {
		return nil, errors.New("malformed token payload: not a JSON object")
	}
	if p.Claims, err = decodeClaims(claims); err != nil {
		return nil, fmt.Errorf("malformed token payload: %w", err)
	}
	if len(sig.Signature) == 0 {
		return nil, errors.New("malformed token signature: empty or not base64url")
	}
	return &p, nil
}

// parseError turns go-jose's complaint into one naming the segment, without echoing the input.
func parseError(parts []string, err error) error {
	var alg *jose.ErrUnexpectedSignatureAlgorithm
	switch {
	case errors.As(err, &alg) && (alg.Got == "" || strings.EqualFold(string(alg.Got), "none")):
		return ErrUnsigned
	case errors.As(err, &alg):
		return fmt.Errorf("malformed token header: signature algorithm %.16q is not a JWS algorithm", alg.Got)
	case errors.As(err, new(base64.CorruptInputError)):
		for i, part := range parts {
			if _, bad := base64.RawURLEncoding.DecodeString(part); bad != nil {
				return fmt.Errorf("malformed token %s: not base64url", segments[i])
			}
		}
	}
	// What is left is about the protected header: not a JSON object, or holding what JOSE forbids
	// (a private embedded key, say).
	if strings.Contains(err.Error(), "invalid protected header") {
		return errors.New("malformed token header: not a JSON object")
	}
	return fmt.Errorf("malformed token header: %s", strings.TrimPrefix(err.Error(), "go-jose/go-jose: "))
}
