package e2e

import (
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestDoctorSession signs alice in with Headlamp's client and scopes and has doctor try Headlamp's
// refresh: on the healthy sandbox every session check passes; a Dex without the refresh_token grant
// fails SESSION-REFRESH alone (its tokens last the whole session), short-lived tokens warn, and both
// together end every session early.
func TestDoctorSession(t *testing.T) {
	installHeadlamp(t)
	args := []string{"--authentication-config", authConfigFile(), "--username", stack.Alice.Email,
		"--password-file", secretFile(t, "password", stack.Alice.Password)}
	t.Run("healthy", func(t *testing.T) {
		rep, run := doctorRun(t, nil, adminEnv(), args...)
		expectAlice(t, rep, run)
		for _, id := range []string{"SESSION-REFRESH-TOKEN", "SESSION-REFRESH", "SESSION-LIFETIME"} {
			if o := rep.byID()[id]; o.Status != "pass" {
				t.Errorf("%s = %s %q on the healthy sandbox", id, o.Status, o.Message)
			}
		}
	})
	t.Run("no refresh grant", func(t *testing.T) {
		dexWith(t, stack.DexSettings{NoRefreshGrant: true})
		rep, run := doctorRun(t, nil, adminEnv(), args...)
		expectOnly(t, rep, "SESSION-REFRESH", "fail", nil, "unsupported_grant_type", "oauth2.grantTypes")
		expectExit(t, run, 1)
	})
	t.Run("short-lived tokens", func(t *testing.T) {
		dexWith(t, stack.DexSettings{IDTokenLifetime: 2 * time.Minute})
		rep, _ := doctorRun(t, nil, adminEnv(), args...)
		expectOnly(t, rep, "SESSION-LIFETIME", "warn", nil, "only 2m")
	})
	t.Run("short-lived tokens without refresh", func(t *testing.T) {
		dexWith(t, stack.DexSettings{IDTokenLifetime: 2 * time.Minute, NoRefreshGrant: true})
		rep, _ := doctorRun(t, nil, adminEnv(), args...)
		expectOnly(t, rep, "SESSION-LIFETIME", "fail", []string{"SESSION-REFRESH"}, "every session ends after 2m", "-session-ttl")
	})
}

// dexWith restarts Dex with ds for the rest of the test.
func dexWith(t *testing.T, ds stack.DexSettings) {
	t.Helper()
	restore, err := sb.RestartDexWith(t.Context(), ds)
	t.Cleanup(func() {
		ctx, cancel := cleanupCtx()
		defer cancel()
		if err := restore(ctx); err != nil {
			t.Errorf("restore Dex: %v", err)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}
