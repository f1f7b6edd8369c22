package identity

import (
	"strings"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/authn"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

func TestAPIServerKeys(t *testing.T) {
	const issuer = "https://dex.example.com/dex"
	live := &oidc.KeySet{URL: issuer + "/keys", Hash: authn.HashOf(`{"keys":["new"]}`)}
	holding := func(body string) authn.APIServerState {
		return authn.APIServerState{IDHash: authn.HashOf("apiserver-cp2"), Issuers: map[string]authn.IssuerState{
			authn.HashOf(issuer): {LastSuccess: time.Unix(100, 0), KeySetHash: authn.HashOf(body)},
		}}
	}
	cases := []struct {
		name  string
		state authn.APIServerState
		want  engine.Status
		says  string
	}{
		{"the live key set", holding(`{"keys":["new"]}`), engine.StatusPass, "cp2 holds the key set"},
		{"keys from before a rotation", holding(`{"keys":["old"]}`), engine.StatusFail,
			"cp2 holds another key set of " + issuer + " (" + authn.HashOf(`{"keys":["old"]}`) + ", fetched 1970-01-01T00:01:40Z)"},
		{"no keys fetched yet", authn.APIServerState{IDHash: authn.HashOf("apiserver-cp2")}, engine.StatusSkip, "first token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := authn.Metrics{Server: "https://lb:6443", APIServers: []authn.APIServerState{tc.state},
				Known: []authn.Identity{{Lease: "apiserver-cp2", Host: "cp2", IDHash: authn.HashOf("apiserver-cp2")}}}
			f := engine.NewFacts(time.Now(), map[engine.FactName]any{
				authn.FactMetrics.Name(): m, idExpect.Name(): Expectation{Issuer: issuer}, idKeySet.Name(): live,
			}, nil)
			r := checkAPIServerKeys(t.Context(), f)
			if r.Status != tc.want || !strings.Contains(r.Message, tc.says) {
				t.Errorf("= %s %q, want %s saying %q", r.Status, r.Message, tc.want, tc.says)
			}
		})
	}
}
