package e2e

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// unansweringAPIServer completes TLS and takes requests, and answers none until the test ends: the
// case kubectl's default of no request timeout leaves hanging.
func unansweringAPIServer(t *testing.T) string {
	t.Helper()
	stop := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-stop:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(stop) }) // first: srv.Close waits for the handlers
	return srv.URL
}

// TestCommandsGiveUpOnAnAPIServerThatNeverAnswers: every command that calls the API server ends
// with exit 1 and says what to check, instead of hanging.
func TestCommandsGiveUpOnAnAPIServerThatNeverAnswers(t *testing.T) {
	server := unansweringAPIServer(t)
	for name, args := range map[string][]string{
		"version":   {"version"},
		"install":   {"install", "--oidc-issuer-url", "https://dex.example.com/dex"},
		"uninstall": {"uninstall"},
		"login":     {"login", "--no-browser"},
		// An explicit --request-timeout is the bound the message names.
		"version --request-timeout": {"version", "--request-timeout", "3s"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			args := append(args, "--server", server, "--insecure-skip-tls-verify")
			run := runPlugin(t, nil, []string{"CAPSULE_HEADLAMP_OIDC_CLIENT_SECRET=e2e-unused-secret"}, args...)
			if run.Code != 1 {
				t.Errorf("exit code %d, want 1", run.Code)
			}
			within := "the API server did not answer within "
			if slices.Contains(args, "--request-timeout") {
				within += "3s"
			}
			mustContain(t, "stderr", run.Stderr, "error: ", within,
				"check that the cluster of the current context is up", "--request-timeout")
			if strings.Count(run.Stderr, "error: ") != 1 {
				t.Errorf("want one error line:\n%s", run.Stderr)
			}
		})
	}
}
