// Package oidctest is a small OpenID provider for tests: discovery, key set and token endpoint over TLS
// with its own certificate, and a signer for tokens of any shape (the ones real IdPs will not make).
package oidctest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Key is one RSA key shared by the tests: generating keys is slow.
var Key = MustKey()

// MustKey generates an RSA key, panicking on failure (tests only).
func MustKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err) //nolint:forbidigo // test set-up only: without a key no test can run
	}
	return k
}

// Sign returns a compact JWS of claims signed by key with RS256 and key id kid.
func Sign(t testing.TB, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	s, err := SignRaw(key, kid, claims)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// SignRaw is Sign without a test.
func SignRaw(key *rsa.PrivateKey, kid string, claims map[string]any) (string, error) {
	opts := (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, opts)
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// Unsigned builds a token with alg none, which no library here will sign.
func Unsigned(claims map[string]any) string {
	seg := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return seg(map[string]string{"alg": "none"}) + "." + seg(claims) + "."
}

// AliceClaims are the claims Dex gives alice for client headlamp, at time now.
func AliceClaims(issuer string, now time.Time) map[string]any {
	return map[string]any{
		"iss": issuer, "sub": "CiQwOGE4Njg0Yi1kYjg4", "aud": "headlamp", "exp": now.Add(time.Hour).Unix(),
		"iat": now.Unix(), "nonce": "n-0S6_WzA2Mj", "at_hash": "77QmUPtjPfzWtF2AnpK9RQ",
		"email": "alice@example.com", "email_verified": true, "groups": []string{"tenant-a-owners", "developers"},
		"name": "alice",
	}
}

// IDP serves a discovery document and a key set over TLS with a certificate of its own test CA.
type IDP struct {
	Server *httptest.Server
	Keys   jose.JSONWebKeySet
	Issuer string                 // what the discovery document claims; defaults to the server URL + /dex
	Scopes []string               // scopes_supported
	Codes  map[string]PendingCode // authorization codes handed out by a fake browser
	// Lifetime is how long the ID tokens it issues are valid (an hour when zero).
	Lifetime time.Duration
	// Refresh says which refresh tokens it issues and redeems (see refresh.go).
	Refresh RefreshPolicy
	// RedirectURIs are the redirect URIs registered for its clients; empty accepts any (see auth.go).
	RedirectURIs []string
	refresh      refreshTokens
}

// PendingCode is an authorization code bound to a PKCE challenge and a nonce, and the scopes the
// authorization request asked for.
type PendingCode struct{ Challenge, Nonce, Scopes string }

// ClientSecret is the secret of client headlamp.
const ClientSecret = "s3cret-of-headlamp"

// New starts an IdP for the test.
func New(t testing.TB) *IDP {
	t.Helper()
	idp := &IDP{Codes: map[string]PendingCode{}, Keys: jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &Key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}}}
	mux := http.NewServeMux()
	mux.HandleFunc("/dex/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer": idp.Issuer, "jwks_uri": idp.Server.URL + "/dex/keys", "token_endpoint": idp.Server.URL + "/dex/token",
			"authorization_endpoint": idp.Server.URL + "/dex/auth", "scopes_supported": idp.Scopes,
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("/dex/token", idp.token)
	mux.HandleFunc("/dex/auth", idp.authorize)
	mux.HandleFunc("/dex/keys", func(w http.ResponseWriter, r *http.Request) { _ = json.NewEncoder(w).Encode(idp.Keys) })
	idp.Server = httptest.NewUnstartedServer(mux)
	idp.Server.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake errors are what some tests provoke
	idp.Server.StartTLS()
	t.Cleanup(idp.Server.Close)
	idp.Issuer = idp.Server.URL + "/dex"
	idp.Scopes = []string{"openid", "email", "groups", "profile", "offline_access"}
	return idp
}

// CAPEM is the PEM of the test server's certificate, which is its own CA.
func (idp *IDP) CAPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: idp.Server.Certificate().Raw})
}

// EncodeRaw is base64url without padding.
func EncodeRaw(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// OtherCAPEM is a self-signed CA that signed nothing the tests serve.
func OtherCAPEM(t *testing.T) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "other CA"}, IsCA: true, BasicConstraintsValid: true,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &Key.PublicKey, Key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// token is a token endpoint: basic client auth, password and authorization code (PKCE S256) grants.
func (idp *IDP) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok || id != "headlamp" || secret != ClientSecret {
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	claims := AliceClaims(idp.Issuer, time.Now())
	if idp.Lifetime > 0 {
		claims["exp"] = time.Now().Add(idp.Lifetime).Unix()
	}
	scope := r.PostFormValue("scope")
	switch r.PostFormValue("grant_type") {
	case "password":
		if r.PostFormValue("username") != "alice@example.com" || r.PostFormValue("password") != "alice-password" {
			oauthError(w, http.StatusUnauthorized, "invalid_grant")
			return
		}
	case "authorization_code":
		pc, ok := idp.Codes[r.PostFormValue("code")]
		sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
		if !ok || EncodeRaw(sum[:]) != pc.Challenge {
			oauthError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
		claims["nonce"], scope = pc.Nonce, pc.Scopes
	case "refresh_token":
		if !idp.redeem(w, r.PostFormValue("refresh_token")) {
			return
		}
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	tok, err := SignRaw(Key, "k1", claims)
	if err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error")
		return
	}
	answer := map[string]any{"access_token": "opaque", "token_type": "bearer", "id_token": tok, "expires_in": 3600}
	if rt := idp.issueRefresh(r.PostFormValue("grant_type"), scope); rt != "" {
		answer["refresh_token"] = rt
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(answer)
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": "test IdP says " + code})
}
