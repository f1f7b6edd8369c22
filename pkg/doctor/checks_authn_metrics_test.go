package doctor

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestAuthnMetrics(t *testing.T) {
	const issuer = "https://dex.example.com/dex"
	issuerHash := fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(issuer)))
	file := &AuthConfig{Path: "auth.yaml", Hash: "sha256:file"}
	series := func(result string) string {
		return `apiserver_authentication_jwt_authenticator_jwks_fetch_last_timestamp_seconds{apiserver_id_hash="x",jwt_issuer_hash="` +
			issuerHash + `",result="` + result + `"} 1.7e+09` + "\n"
	}
	config := func(hash string) string {
		return `apiserver_authentication_config_controller_last_config_info{apiserver_id_hash="x",hash="` + hash + `"} 1` + "\n"
	}
	cases := []struct {
		name    string
		metrics string
		file    *AuthConfig
		want    Status
		says    string
	}{
		{"issuer fetched its keys", series("success") + config("sha256:file"), file, StatusPass, "configured"},
		{"keys never fetched", series("failure"), nil, StatusFail, "cannot fetch the signing keys"},
		{"another file runs", series("success") + config("sha256:other"), file, StatusFail, "another configuration"},
		{"no series yet, the given file runs", config("sha256:file"), file, StatusPass, "same sha256"},
		{"no series yet, no file to compare", config("sha256:file"), nil, StatusUnknown, "no token was verified"},
		{"no structured authentication", "process_start_time_seconds 1.7e+09\n", nil, StatusSkip, "no JWT authenticator"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := parseAuthnMetrics([]byte(tc.metrics))
			if err != nil {
				t.Fatal(err)
			}
			f := NewFacts(time.Now(), map[FactName]any{
				factMetrics.Name():    m,
				factHeadlamp.Name():   HeadlampView{OIDC: HeadlampOIDC{IssuerURL: issuer}},
				factAuthConfig.Name(): tc.file,
			}, nil)
			r := checkAuthnMetrics(t.Context(), f)
			if r.Status != tc.want || !strings.Contains(r.Message, tc.says) {
				t.Errorf("= %s %q, want %s saying %q", r.Status, r.Message, tc.want, tc.says)
			}
		})
	}
}
