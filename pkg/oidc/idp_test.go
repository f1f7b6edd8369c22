package oidc

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

// testKey is one RSA key shared by the tests of this package: generating keys is slow.
var testKey = mustKey()

func mustKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err) // test set-up only
	}
	return k
}

// sign returns a compact JWS of claims signed by key with RS256 and key id kid.
func sign(t testing.TB, key *rsa.PrivateKey, kid string, claims map[string]any) Secret {
	t.Helper()
	s, err := signRaw(key, kid, claims)
	if err != nil {
		t.Fatal(err)
	}
	return NewSecret(s)
}

func signRaw(key *rsa.PrivateKey, kid string, claims map[string]any) (string, error) {
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

// unsigned builds a token with alg none, which no library here will sign.
func unsigned(claims map[string]any) Secret {
	seg := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return NewSecret(seg(map[string]string{"alg": "none"}) + "." + seg(claims) + ".")
}

// aliceClaims are the claims Dex gives alice for client headlamp, at time now.
func aliceClaims(issuer string, now time.Time) map[string]any {
	return map[string]any{
		"iss": issuer, "sub": "CiQwOGE4Njg0Yi1kYjg4", "aud": "headlamp", "exp": now.Add(time.Hour).Unix(),
		"iat": now.Unix(), "nonce": "n-0S6_WzA2Mj", "at_hash": "77QmUPtjPfzWtF2AnpK9RQ",
		"email": "alice@example.com", "email_verified": true, "groups": []string{"tenant-a-owners", "developers"},
		"name": "alice",
	}
}

// testIdP serves a discovery document and a key set over TLS with a certificate of its own test CA.
type testIdP struct {
	srv    *httptest.Server
	keys   jose.JSONWebKeySet
	issuer string // what the discovery document claims; defaults to the server URL
	scopes []string
	codes  map[string]pendingCode // authorization codes handed out by the fake browser
}

type pendingCode struct{ challenge, nonce string }

const testClientSecret = "s3cret-of-headlamp"

func newTestIdP(t *testing.T) *testIdP {
	t.Helper()
	idp := &testIdP{codes: map[string]pendingCode{}, keys: jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &testKey.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}}}
	mux := http.NewServeMux()
	mux.HandleFunc("/dex/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer": idp.issuer, "jwks_uri": idp.srv.URL + "/dex/keys", "token_endpoint": idp.srv.URL + "/dex/token",
			"authorization_endpoint": idp.srv.URL + "/dex/auth", "scopes_supported": idp.scopes,
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("/dex/token", idp.token)
	mux.HandleFunc("/dex/keys", func(w http.ResponseWriter, r *http.Request) { _ = json.NewEncoder(w).Encode(idp.keys) })
	idp.srv = httptest.NewUnstartedServer(mux)
	idp.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // handshake errors are what some tests provoke
	idp.srv.StartTLS()
	t.Cleanup(idp.srv.Close)
	idp.issuer = idp.srv.URL + "/dex"
	idp.scopes = []string{"openid", "email", "groups", "profile", "offline_access"}
	return idp
}

// caPEM is the PEM of the test server's certificate, which is its own CA.
func (idp *testIdP) caPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: idp.srv.Certificate().Raw})
}

func encodeRaw(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// otherCAPEM is a self-signed CA that signed nothing the tests serve.
func otherCAPEM(t *testing.T) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "other CA"}, IsCA: true, BasicConstraintsValid: true,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &testKey.PublicKey, testKey)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

// token is a token endpoint: basic client auth, password and authorization code (PKCE S256) grants.
func (idp *testIdP) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok || id != "headlamp" || secret != testClientSecret {
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	claims := aliceClaims(idp.issuer, time.Now())
	switch r.PostFormValue("grant_type") {
	case "password":
		if r.PostFormValue("username") != "alice@example.com" || r.PostFormValue("password") != "alice-password" {
			oauthError(w, http.StatusUnauthorized, "invalid_grant")
			return
		}
	case "authorization_code":
		pc, ok := idp.codes[r.PostFormValue("code")]
		sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
		if !ok || encodeRaw(sum[:]) != pc.challenge {
			oauthError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
		claims["nonce"] = pc.nonce
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	tok, err := signRaw(testKey, "k1", claims)
	if err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "opaque", "token_type": "bearer", "id_token": tok, "expires_in": 3600})
}

func oauthError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": "test IdP says " + code})
}
