package cli

import (
	"strings"
	"testing"
)

// TestDoctorThatCouldNotLookFails: a run whose every check ended unknown or skipped (here a --timeout
// too short to reach the API server) exits 1 and says that nothing was verified, in every format.
func TestDoctorThatCouldNotLookFails(t *testing.T) {
	for _, format := range []string{"", "json", "short"} {
		code, stdout, stderr := run(t, nil, "doctor", "--kubeconfig="+emptyKubeconfig(t), "--server="+hungAPIServer(t),
			"--insecure-skip-tls-verify", "--timeout=1ms", "-o", format)
		if code != ExitFailure || !strings.Contains(stderr, "error: no check could look at anything") || stdout == "" {
			t.Errorf("-o %q: exit %d, want %d and the reason; stderr:\n%s\nstdout:\n%s", format, code, ExitFailure, stderr, stdout)
		}
	}
}

func TestDoctorFailOnValues(t *testing.T) {
	for value, want := range map[string]int{"error": ExitFailure, "warning": ExitFailure, "unknown": ExitFailure, "info": ExitUsage} {
		code, _, stderr := run(t, nil, "doctor", "--kubeconfig="+emptyKubeconfig(t), "--server=https://127.0.0.1:1",
			"--timeout=5s", "-o", "short", "--fail-on", value)
		if code != want {
			t.Errorf("--fail-on %s: exit %d, want %d; stderr:\n%s", value, code, want, stderr)
		}
	}
	if _, _, stderr := run(t, nil, "doctor", "--fail-on", "info"); !strings.Contains(stderr, "use error, warning or unknown") {
		t.Errorf("--fail-on info does not name the values:\n%s", stderr)
	}
}
