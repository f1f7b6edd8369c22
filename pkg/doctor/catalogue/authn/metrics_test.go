package authn

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authconfig"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/headlampview"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
)

func TestAuthnMetrics(t *testing.T) {
	const issuer = "https://dex.example.com/dex"
	issuerHash := fmt.Sprintf("sha256:%x", sha256.Sum256([]byte(issuer)))
	file := &authconfig.Config{Path: "auth.yaml", Hash: "sha256:file"}
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
		file    *authconfig.Config
		want    engine.Status
		says    string
	}{
		{"issuer fetched its keys", series("success") + config("sha256:file"), file, engine.StatusPass, "configured"},
		{"keys never fetched", series("failure"), nil, engine.StatusFail, "cannot fetch the signing keys"},
		{"another file runs", series("success") + config("sha256:other"), file, engine.StatusFail, "another configuration"},
		{"no series yet, the given file runs", config("sha256:file"), file, engine.StatusPass, "same sha256"},
		{"no series yet, no file to compare", config("sha256:file"), nil, engine.StatusUnknown, "no token was verified"},
		{"no structured authentication", "process_start_time_seconds 1.7e+09\n", nil, engine.StatusSkip, "no JWT authenticator"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := parseAuthnMetrics([]byte(tc.metrics))
			if err != nil {
				t.Fatal(err)
			}
			f := engine.NewFacts(time.Now(), map[engine.FactName]any{
				factMetrics.Name():           m,
				headlampview.FactView.Name(): headlampview.View{OIDC: headlampview.OIDC{IssuerURL: issuer}},
				authconfig.Fact.Name():       tc.file,
			}, nil)
			r := checkAuthnMetrics(t.Context(), f)
			if r.Status != tc.want || !strings.Contains(r.Message, tc.says) {
				t.Errorf("= %s %q, want %s saying %q", r.Status, r.Message, tc.want, tc.says)
			}
		})
	}
}
