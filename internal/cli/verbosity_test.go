package cli

import (
	"bytes"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"

	"k8s.io/klog/v2"
)

// TestVerbosityLogsRequestsButNoCredential: -v=N logs the client's requests on stderr as kubectl does,
// and at no level a token (from the kubeconfig or --token, in headers or the curl command), a body
// (which can hold a client secret), or a URL's user info.
func TestVerbosityLogsRequestsButNoCredential(t *testing.T) {
	const kubeconfigToken, flagToken, bodySecret = "kubeconfig-s3cret-token", "flag-s3cret-token", "b0dy-s3cret"
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"major":"1","minor":"37","gitVersion":"v1.37.2","platform":"` + bodySecret + `"}`))
	}))
	t.Cleanup(srv.Close)
	kc := kubeconfigWith(t, srv.URL)
	withToken := kubeconfigWith(t, srv.URL)
	data, err := os.ReadFile(withToken)
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), "not-a-real-token", kubeconfigToken, 1))
	if err := os.WriteFile(withToken, data, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, level := range []int{0, 6, 7, 8, 9, 10} {
		for name, args := range map[string][]string{
			"kubeconfig token": {"version", "--kubeconfig", withToken},
			"--token":          {"version", "--kubeconfig", kc, "--token", flagToken},
		} {
			args = append(args, "--insecure-skip-tls-verify", "-v="+strconv.Itoa(level))
			code, stdout, stderr := run(t, nil, args...)
			if code != ExitOK || !strings.Contains(stdout, "v1.37.2") {
				t.Fatalf("%s -v=%d: exit %d\n%s", name, level, code, stderr)
			}
			for _, secret := range []string{kubeconfigToken, flagToken, bodySecret} {
				if strings.Contains(stderr, secret) {
					t.Errorf("%s -v=%d logs %q:\n%s", name, level, secret, stderr)
				}
			}
			want := map[int]string{0: "", 6: srv.URL + "/version", 7: "<masked>", 8: "not logged: bodies can hold credentials", 9: "curl -v -XGET"}
			if w, ok := want[level]; ok && (w == "" && stderr != "" || !strings.Contains(stderr, w)) {
				t.Errorf("%s -v=%d: stderr does not show %q:\n%s", name, level, w, stderr)
			}
		}
	}
}

func TestVerbosityMustNotBeNegative(t *testing.T) {
	if code, _, stderr := run(t, nil, "version", "--client", "-v=-1"); code != ExitUsage || !strings.Contains(stderr, "-v -1") {
		t.Errorf("-v=-1: exit %d\n%s", code, stderr)
	}
}

func TestScrubValuesDropsBodiesAndUserInfo(t *testing.T) {
	got := scrubValues([]any{"body", `{"data":{"client-secret":"czNjcmV0"}}`, "url", "https://u:s3cret@api:6443/version", "status", 200})
	if s := got[1].(string); strings.Contains(s, "czNjcmV0") || !strings.Contains(s, "37 bytes, not logged") {
		t.Errorf("body logged as %q", s)
	}
	if got[3] != "https://REDACTED@api:6443/version" || got[5] != 200 {
		t.Errorf("values = %v", got)
	}
	// The port-forward tunnel logs what it writes: an HTTP request to a pod, with its bearer token.
	tunnel := scrubValues([]any{"length", 60, "data", "GET /version HTTP/1.1\r\nAuthorization: Bearer eyJ-s3cret\r\n\r\n"})
	if s := tunnel[3].(string); strings.Contains(s, "eyJ-s3cret") || !strings.Contains(s, "not logged") {
		t.Errorf("tunnel data logged as %q", s)
	}
}

// TestQuietByDefault: at level 0 client-go's own error logs (here: a response body it could not read
// in time) stay out of stderr, which holds the command's one error line.
func TestQuietByDefault(t *testing.T) {
	stop := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"major":`))
		w.(http.Flusher).Flush()
		select { // the rest of the body never comes
		case <-stop:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(stop) })
	klogOut := captureKlog(t)
	code, _, stderr := run(t, nil, "version", "--kubeconfig", kubeconfigWith(t, srv.URL),
		"--insecure-skip-tls-verify", "--request-timeout", "1s")
	if code != ExitFailure {
		t.Errorf("exit %d, want %d\n%s", code, ExitFailure, stderr)
	}
	if lines := strings.Split(strings.TrimSpace(stderr), "\n"); len(lines) != 1 || !strings.HasPrefix(lines[0], "error: ") {
		t.Errorf("want one error line on stderr, got:\n%s", stderr)
	}
	if klogOut.Len() != 0 {
		t.Errorf("client-go logged at level 0:\n%s", klogOut)
	}
}

// captureKlog sends what klog writes without a logger (to the process's stderr, which run does not
// capture) to a buffer for the rest of the test.
func captureKlog(t *testing.T) *bytes.Buffer {
	t.Helper()
	fs := flag.NewFlagSet("klog", flag.ContinueOnError)
	klog.InitFlags(fs)
	if err := fs.Set("logtostderr", "false"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	klog.SetOutput(&buf)
	t.Cleanup(func() {
		klog.SetOutput(os.Stderr)
		_ = fs.Set("logtostderr", "true")
	})
	return &buf
}
