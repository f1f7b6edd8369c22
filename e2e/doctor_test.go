package e2e

import (
	"testing"
)

// TestDoctor installs Headlamp once and runs doctor against the healthy sandbox and against each fault
// knob; each fault restores the sandbox before the next case.
func TestDoctor(t *testing.T) {
	installHeadlamp(t)
	t.Run("healthy", func(t *testing.T) {
		rep, run := doctorRun(t, nil, adminEnv(), "--authentication-config", authConfigFile())
		if run.Code != 0 {
			t.Errorf("exit %d on a healthy sandbox", run.Code)
		}
		expectHealthy(t, rep, tokenSkip)
	})
}
