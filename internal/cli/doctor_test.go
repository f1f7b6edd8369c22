package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDoctorUsageErrors(t *testing.T) {
	tests := map[string][]string{
		"unknown check":      {"doctor", "--check", "NOPE-NOPE"},
		"unknown skip":       {"doctor", "--skip", "PROXY-NOPE"},
		"bad output":         {"doctor", "-o", "yaml"},
		"bad fail-on":        {"doctor", "--fail-on", "info"},
		"zero timeout":       {"doctor", "--timeout", "0s"},
		"short catalogue":    {"doctor", "--list-checks", "-o", "short"},
		"positional":         {"doctor", "extra"},
		"empty proxy secret": {"doctor", "--proxy-secret", ""},
		"two token sources":  {"doctor", "--token-file", "t", "--browser"},
		"password alone":     {"doctor", "--password-file", "pw"},
		"bundle not tar.gz":  {"doctor", "--bundle", "out.zip"},
	}
	for name, args := range tests {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := run(t, nil, args...)
			if code != ExitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, ExitUsage, stderr)
			}
		})
	}
}

func TestDoctorListChecks(t *testing.T) {
	code, stdout, _ := run(t, nil, "doctor", "--list-checks", "-o", "json")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	var cat struct {
		SchemaVersion int
		Checks        []struct{ ID, Docs string }
	}
	if err := json.Unmarshal([]byte(stdout), &cat); err != nil {
		t.Fatal(err)
	}
	if cat.SchemaVersion != 1 || len(cat.Checks) < 25 || !strings.HasSuffix(cat.Checks[0].Docs, "#cluster-api") {
		t.Errorf("catalogue: %+v", cat)
	}
	code, stdout, _ = run(t, nil, "doctor", "--list-checks")
	if code != ExitOK || !strings.Contains(stdout, "PROXY-TLS-LIVE") || !strings.Contains(stdout, "TENANT-NAMESPACES") {
		t.Errorf("text catalogue: exit %d\n%s", code, stdout)
	}
}

// TestDoctorUnreachableClusterFails: the report, not the renderer, decides the exit code, with -o json too.
func TestDoctorUnreachableClusterFails(t *testing.T) {
	kubeconfig := "--kubeconfig=" + emptyKubeconfig(t)
	for _, format := range []string{"", "json", "short"} {
		code, stdout, _ := run(t, nil, "doctor", kubeconfig, "--server=https://127.0.0.1:1", "--timeout=5s", "-o", format)
		if code != ExitFailure || !strings.Contains(stdout, "CLUSTER-API") {
			t.Errorf("-o %q: exit %d, want %d\n%s", format, code, ExitFailure, stdout)
		}
		chain := map[string]string{"": "Sign-in chain", "short": "Sign-in chain", "json": `"chain": [`}[format]
		if !strings.Contains(stdout, chain) || !strings.Contains(stdout, "capsule-proxy -> API server") && format != "json" {
			t.Errorf("-o %q does not end with the sign-in chain:\n%s", format, stdout)
		}
	}
}

// TestDoctorCorruptKubeconfig: doctor refuses a kubeconfig that does not parse as a usage error, like
// the other commands, before any check runs.
func TestDoctorCorruptKubeconfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(path, []byte("not: [yaml"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, nil, "doctor", "--kubeconfig="+path)
	if code != ExitUsage || stdout != "" || !strings.Contains(stderr, "error: --kubeconfig "+path+" is not a kubeconfig") {
		t.Errorf("exit %d, stdout %q, stderr: %s", code, stdout, stderr)
	}
}

// hungAPIServer is a TLS server that accepts requests and never answers them until the test ends.
func hungAPIServer(t *testing.T) string {
	t.Helper()
	done := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-done }))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) }) // runs first: Close waits for the handlers
	return srv.URL
}

// TestDoctorHungAPIServer: doctor fails CLUSTER-API against an API server that never answers, and
// writing the bundle afterwards ends within --timeout instead of waiting for the server.
func TestDoctorHungAPIServer(t *testing.T) {
	bundle := filepath.Join(t.TempDir(), "b.tar.gz")
	code, stdout, stderr := run(t, nil, "doctor", "--kubeconfig="+emptyKubeconfig(t), "--server="+hungAPIServer(t),
		"--insecure-skip-tls-verify", "--timeout=2s", "--check-timeout=1s", "--bundle="+bundle, "-o", "short")
	if code != ExitFailure || !strings.Contains(stdout, "CLUSTER-API") || !strings.Contains(stdout, "did not answer") {
		t.Errorf("exit %d, want %d\n%s\n%s", code, ExitFailure, stdout, stderr)
	}
	if _, err := os.Stat(bundle); err != nil {
		t.Errorf("no bundle: %v", err)
	}
}
