package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// TestDoctorHungAPIServer: an API server that accepts connections and never answers fails CLUSTER-API
// (exit 1), naming its address, and the bundle written afterwards does not wait for it. The hung
// server is a listener of its own, so the sandbox's API server keeps running for the other tests.
func TestDoctorHungAPIServer(t *testing.T) {
	hung, err := stack.ListenHung(t.Context(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = hung.Close() })
	server := "https://" + hung.Addr()
	bundle := filepath.Join(t.TempDir(), "doctor.tar.gz")
	rep, run := doctorRun(t, nil, adminEnv(), "--server", server, "--timeout=6s", "--check-timeout=2s", "--bundle", bundle)
	expectExit(t, run, 1)
	api := rep.byID()["CLUSTER-API"]
	if api.Status != "fail" || !strings.Contains(api.Message, server) || api.Hint == "" {
		t.Errorf("CLUSTER-API: %s %q (hint %q)", api.Status, api.Message, api.Hint)
	}
	if _, err := os.Stat(bundle); err != nil {
		t.Errorf("no bundle after the report: %v", err)
	}
}
