package e2e

import (
	"context"
	"errors"
	"strings"
	"testing"

	apiserverv1 "k8s.io/apiserver/pkg/apis/apiserver/v1"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// The checks of the API server's JWT state, read from its /metrics.
var apiserverMetricsChecks = []string{"AUTHN-CONFIG-LOADED", "AUTHN-JWKS-FETCH", "IDP-KEYS-APISERVER"}

// TestDoctorAPIServerMetrics: healthy, the API server runs the file and holds Dex's live keys; a file it
// refuses to reload, and a second API server that runs another file, fail AUTHN-CONFIG-LOADED naming
// the API server out of step; keys Dex replaced make IDP-KEYS-APISERVER warn.
func TestDoctorAPIServerMetrics(t *testing.T) {
	installHeadlamp(t)
	auth := []string{"--authentication-config", authConfigFile()}
	t.Run("healthy", func(t *testing.T) {
		// A token verified makes the API server fetch Dex's keys: the JWKS checks then have a fetch to judge.
		if _, err := sb.WhoAmI(t.Context(), stack.Alice.Email, stack.HeadlampClientID, stack.APIServerURL); err != nil {
			t.Fatal(err)
		}
		rep, run := doctorRun(t, nil, adminEnv(), auth...)
		expectExit(t, run, 0)
		expectHealthy(t, rep, tokenSkip)
		for _, id := range apiserverMetricsChecks {
			if o := rep.byID()[id]; o.Status != "pass" {
				t.Errorf("%s = %s %q, want pass", id, o.Status, o.Message)
			}
		}
	})
	t.Run("a file the API server refuses to reload", func(t *testing.T) {
		// anonymous may not change without a restart: the API server keeps the configuration it runs.
		restore, err := sb.EditAuthConfig(t.Context(), func(c *apiserverv1.AuthenticationConfiguration) {
			c.Anonymous = &apiserverv1.AnonymousAuthConfig{Enabled: false}
		})
		restoreAtEnd(t, restore)
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, "the API server refuses the edited file", func(ctx context.Context) error {
			m, err := sb.APIServerMetrics(ctx, stack.APIServerURL)
			if err != nil {
				return err
			}
			if !strings.Contains(m, `apiserver_authentication_config_controller_automatic_reloads_total{apiserver_id_hash=`) ||
				!strings.Contains(m, `status="failure"`) {
				return errors.New("no failed reload in /metrics yet")
			}
			return nil
		})
		rep, run := doctorRun(t, nil, adminEnv(), auth...)
		expectOnly(t, rep, "AUTHN-CONFIG-LOADED", "fail", nil, "refused "+authConfigFile()+" at its last reload",
			"still runs the configuration it loaded before", "Fix the file")
		expectExit(t, run, 1)
	})
	t.Run("Dex rotated its keys", func(t *testing.T) {
		if _, err := sb.WhoAmI(t.Context(), stack.Alice.Email, stack.HeadlampClientID, stack.APIServerURL); err != nil {
			t.Fatal(err)
		}
		restore, err := sb.RotateDexKeys(t.Context())
		restoreAtEnd(t, restore)
		if err != nil {
			t.Fatal(err)
		}
		// No token reaches the API server meanwhile: one signed with the new key could make it fetch again.
		rep, run := doctorRun(t, nil, adminEnv(), auth...)
		expectOnly(t, rep, "IDP-KEYS-APISERVER", "warn", nil, "holds another key set of", "than the IdP serves now",
			"failed to verify id token signature", "Restart")
		expectExit(t, run, 0)
	})
	t.Run("a second API server runs another file", func(t *testing.T) {
		restore, err := sb.StartSecondAPIServer(t.Context(), func(c *apiserverv1.AuthenticationConfiguration) {
			c.JWT[0].Issuer.Audiences = append(c.JWT[0].Issuer.Audiences, "another-client")
		})
		restoreAtEnd(t, restore)
		if err != nil {
			t.Fatal(err)
		}
		// Through the first API server: it runs the file, and the evidence names the one not judged.
		rep, run := doctorRun(t, nil, adminEnv(), auth...)
		expectExit(t, run, 0)
		if o := rep.byID()["AUTHN-CONFIG-LOADED"]; o.Status != "pass" || !strings.Contains(o.text(), "1 of 2 API servers not judged: "+stack.SecondAPIServer) {
			t.Errorf("AUTHN-CONFIG-LOADED through the first API server = %s %q, want a pass naming %s as not judged", o.Status, o.text(), stack.SecondAPIServer)
		}
		// Through the second, as --server says: named by its identity Lease, out of step.
		rep, run = doctorRun(t, nil, adminEnv(), append(auth, "--server", stack.SecondAPIServerURL)...)
		expectOnly(t, rep, "AUTHN-CONFIG-LOADED", "fail", nil, stack.SecondAPIServer+" runs another configuration",
			"judged "+stack.SecondAPIServer+" (the API server answering at "+stack.SecondAPIServerURL+")", "1 of 2 API servers not judged")
		expectExit(t, run, 1)
	})
}
