package cli

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
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
}
