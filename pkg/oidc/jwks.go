package oidc

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/go-jose/go-jose/v4"
)

// KeySet is the IdP's published signing keys.
type KeySet struct {
	URL  string
	Keys []jose.JSONWebKey
	// Hash is "sha256:<hex>" of the key set's body as served: the API server labels the key set it
	// holds the same way in /metrics, so the two compare.
	Hash string
}

// KeyInfo describes one published key, for the report.
type KeyInfo struct {
	ID        string `json:"kid"`
	Algorithm string `json:"alg,omitempty"`
	Use       string `json:"use,omitempty"`
}

// FetchKeySet fetches the JWKS at url. A key set without a usable public signing key is an error:
// no token of this IdP could be verified.
func FetchKeySet(ctx context.Context, c *http.Client, url string) (*KeySet, error) {
	resp, err := get(ctx, c, url)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(resp.body, &doc); err != nil {
		return nil, fmt.Errorf("decode the key set at %s: %w", url, err)
	}
	ks := &KeySet{URL: url, Hash: fmt.Sprintf("sha256:%x", sha256.Sum256(resp.body))}
	for _, raw := range doc.Keys {
		var k jose.JSONWebKey
		// Keys of types go-jose does not know are skipped, as every verifier does.
		if k.UnmarshalJSON(raw) == nil && k.Valid() && k.IsPublic() && k.Use != "enc" {
			ks.Keys = append(ks.Keys, k)
		}
	}
	if len(ks.Keys) == 0 {
		return nil, fmt.Errorf("the key set at %s has no public signing key: no token of this IdP can be verified", url)
	}
	return ks, nil
}

// Info lists the keys for the report.
func (ks *KeySet) Info() []KeyInfo {
	var out []KeyInfo
	for _, k := range ks.Keys {
		out = append(out, KeyInfo{ID: k.KeyID, Algorithm: k.Algorithm, Use: k.Use})
	}
	return out
}
