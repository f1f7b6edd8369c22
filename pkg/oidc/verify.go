package oidc

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
	"strings"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
)

// VerifyInput is what a token is verified against.
type VerifyInput struct {
	// Issuer is the issuer the token must carry, exactly.
	Issuer string
	// ClientIDs are the audiences accepted: the token's aud must contain one of them (Headlamp's client
	// id or its validator client id).
	ClientIDs []string
	// Keys is the IdP's key set.
	Keys *KeySet
	// Algorithms are the signing algorithms the IdP advertises; none means RS256, the OIDC default.
	Algorithms []string
	// Now is the time to judge exp, nbf and iat by: the API server's clock, since it decides.
	Now time.Time
}

// Verification is the outcome of each step; nil means the step passed.
type Verification struct {
	Signature error
	Issuer    error
	Audience  error
	Expiry    error
	// IssuedAt is a warning: an iat in the future means the clocks of the IdP and the API server
	// disagree, which the API server tolerates but makes expiry errors likely.
	IssuedAt error
}

// Err returns the first failed step that makes the token unusable, or nil.
func (v Verification) Err() error {
	return errors.Join(v.Signature, v.Issuer, v.Audience, v.Expiry)
}

// Verify checks tok's signature with go-oidc against the key set, then its iss, aud, exp, nbf and iat,
// each on its own so that a report can say which one is wrong.
func Verify(ctx context.Context, tok Secret, claims Claims, in VerifyInput) Verification {
	var v Verification
	cfg := &gooidc.Config{
		SkipClientIDCheck:    true,
		SkipExpiryCheck:      true,
		SkipIssuerCheck:      true,
		SupportedSigningAlgs: in.Algorithms,
	}
	if in.Keys == nil {
		v.Signature = errors.New("no key set to verify the signature with: the IdP's JWKS could not be fetched")
	} else if _, err := gooidc.NewVerifier(in.Issuer, staticKeys(in.Keys), cfg).Verify(ctx, tok.Reveal()); err != nil {
		v.Signature = fmt.Errorf("signature does not verify against the IdP's published keys (%s): was the token issued by another IdP or key?", strings.TrimPrefix(err.Error(), "oidc: "))
	}
	v.Issuer = CompareIssuers(in.Issuer, claims.Issuer)
	if !claims.HasAudience(in.ClientIDs...) {
		v.Audience = fmt.Errorf("audience %q does not contain %s: the token was issued for another client", claims.Audience, strings.Join(quoteAll(in.ClientIDs), " or "))
	}
	v.Expiry = checkTimes(claims, in.Now)
	if !claims.IssuedAt.IsZero() && claims.IssuedAt.After(in.Now.Add(time.Minute)) {
		v.IssuedAt = fmt.Errorf("issued at %s, %s after the API server's time: the IdP's and the API server's clocks disagree", claims.IssuedAt.Format(time.RFC3339), claims.IssuedAt.Sub(in.Now).Round(time.Second))
	}
	return v
}

// checkTimes applies go-oidc's rules (exp required and in the future; nbf at most 5 minutes ahead).
func checkTimes(c Claims, now time.Time) error {
	switch {
	case c.Expiry.IsZero():
		return errors.New(`the token has no "exp" claim: verifiers reject it`)
	case !c.Expiry.After(now):
		return fmt.Errorf("expired at %s, %s before the API server's time %s: get a new token", c.Expiry.Format(time.RFC3339), now.Sub(c.Expiry).Round(time.Second), now.Format(time.RFC3339))
	case !c.NotBefore.IsZero() && c.NotBefore.After(now.Add(5*time.Minute)):
		return fmt.Errorf("not valid before %s, later than the API server's time %s: check the clocks", c.NotBefore.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	return nil
}

func staticKeys(ks *KeySet) *gooidc.StaticKeySet {
	var keys []crypto.PublicKey
	for _, k := range ks.Keys {
		switch k.Key.(type) {
		case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
			keys = append(keys, k.Key)
		}
	}
	return &gooidc.StaticKeySet{PublicKeys: keys}
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
