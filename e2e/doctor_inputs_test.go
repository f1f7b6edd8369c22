package e2e

import (
	"path/filepath"
	"strings"
	"testing"
)

// doctorWrongPlaces runs doctor with inputs a user gets wrong: a namespace that does not exist is
// HEADLAMP-FOUND's finding, said once; an input file that cannot be used is a usage error (exit 2)
// naming its flag, before any check runs.
func doctorWrongPlaces(t *testing.T) {
	t.Run("a namespace that does not exist", func(t *testing.T) {
		rep, run := doctorRun(t, nil, adminEnv(), "-n", "nosuchns")
		expectExit(t, run, 1)
		o := expectOnly(t, rep, "HEADLAMP-FOUND", "fail", nil, "namespace nosuchns does not exist")
		if strings.Count(o.Message, "no Headlamp deployment found") > 1 {
			t.Errorf("HEADLAMP-FOUND repeats itself: %q", o.Message)
		}
	})
	t.Run("input files that cannot be used", func(t *testing.T) {
		for _, args := range [][]string{
			{"--token-file", "/nope"},
			{"--token-file", t.TempDir()},
			{"--oidc-ca-file", "/etc/hostname"},
			{"--bundle", filepath.Join("/nodir", "x.tar.gz")},
			{"--proxy-address", "bogus"},
		} {
			run := runPlugin(t, nil, adminEnv(), append([]string{"doctor", "-o", "short"}, args...)...)
			expectExit(t, run, 2)
			if run.Stdout != "" || !strings.Contains(run.Stderr, args[0]) {
				t.Errorf("%v: want a usage error naming %s before any check\nstdout: %s\nstderr: %s", args, args[0], run.Stdout, run.Stderr)
			}
		}
	})
}
