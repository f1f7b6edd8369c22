package identity_test

import (
	"strings"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/engine"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// TestSessionChecks: each way a Headlamp session ends early (or may) is named by the session check
// that explains it, and only by it among the session checks.
func TestSessionChecks(t *testing.T) {
	lifetime := func(s *scenario, d time.Duration) {
		iat := time.Now()
		s.claims["iat"], s.claims["exp"] = iat.Unix(), iat.Add(d).Unix()
	}
	cases := []struct {
		name   string
		change func(s *scenario)
		want   map[engine.ID]engine.Status
		say    string // in the message of the first non-passing check of want
	}{
		{"no offline_access, tokens shorter than the session", func(s *scenario) { s.exp.Scopes = []string{"profile", "email", "groups"} },
			map[engine.ID]engine.Status{identity.IDSessionRefreshToken: engine.StatusSkip, identity.IDSessionRefresh: engine.StatusSkip, identity.IDSessionLifetime: engine.StatusFail}, "cannot refresh"},
		{"no offline_access, tokens as long as the session", func(s *scenario) {
			s.exp.Scopes, s.exp.SessionTTL = []string{"profile", "email", "groups"}, time.Hour
		}, map[engine.ID]engine.Status{identity.IDSessionRefreshToken: engine.StatusSkip, identity.IDSessionRefresh: engine.StatusSkip, identity.IDSessionLifetime: engine.StatusPass}, "offline_access"},
		{"the IdP issues no refresh token", func(s *scenario) { s.noRefresh = true },
			map[engine.ID]engine.Status{identity.IDSessionRefreshToken: engine.StatusFail, identity.IDSessionRefresh: engine.StatusSkip,
				identity.IDSessionLifetime: engine.StatusFail}, "holds no refresh token"},
		{"the IdP refuses the refresh grant", func(s *scenario) { s.idp.Refresh.NoGrant = true },
			map[engine.ID]engine.Status{identity.IDSessionRefreshToken: engine.StatusPass, identity.IDSessionRefresh: engine.StatusFail,
				identity.IDSessionLifetime: engine.StatusFail}, "unsupported_grant_type"},
		{"Headlamp does not trust the IdP for refreshes", func(s *scenario) { s.exp.HeadlampTrust.PEM = nil },
			map[engine.ID]engine.Status{identity.IDSessionRefresh: engine.StatusFail, identity.IDSessionLifetime: engine.StatusFail}, "Headlamp trusts"},
		{"wrong client secret", func(s *scenario) { s.exp.ClientSecret = oidc.NewSecret("wrong") },
			map[engine.ID]engine.Status{identity.IDSessionRefresh: engine.StatusFail, identity.IDSessionLifetime: engine.StatusFail}, `rejected client "headlamp"`},
		{"short-lived tokens", func(s *scenario) { lifetime(s, 2*time.Minute) },
			map[engine.ID]engine.Status{identity.IDSessionRefresh: engine.StatusPass, identity.IDSessionLifetime: engine.StatusWarn}, "only 2m"},
		{"short-lived tokens without refresh", func(s *scenario) { lifetime(s, 2*time.Minute); s.idp.Refresh.NoGrant = true },
			map[engine.ID]engine.Status{identity.IDSessionRefresh: engine.StatusFail, identity.IDSessionLifetime: engine.StatusFail}, "every session ends after 2m"},
		{"a token from a file", func(s *scenario) { s.fromFile = true },
			map[engine.ID]engine.Status{identity.IDSessionRefreshToken: engine.StatusSkip, identity.IDSessionRefresh: engine.StatusSkip,
				identity.IDSessionLifetime: engine.StatusUnknown}, "--username or --browser"},
		{"a token from a file, as long as the session", func(s *scenario) { s.fromFile, s.exp.SessionTTL = true, time.Hour },
			map[engine.ID]engine.Status{identity.IDSessionRefreshToken: engine.StatusSkip, identity.IDSessionRefresh: engine.StatusSkip}, "as long as the session"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newScenario(t)
			tc.change(s)
			out := s.run(t)
			said := ""
			for _, id := range []engine.ID{identity.IDSessionRefreshToken, identity.IDSessionRefresh, identity.IDSessionLifetime} {
				o := out[id]
				want, ok := tc.want[id]
				if !ok {
					want = engine.StatusPass
				}
				if o.Status != want {
					t.Errorf("%s = %s %q, want %s", id, o.Status, o.Message, want)
				}
				said += o.Message + "\n"
			}
			if !strings.Contains(said, tc.say) {
				t.Errorf("no session check says %q:\n%s", tc.say, said)
			}
		})
	}
}
