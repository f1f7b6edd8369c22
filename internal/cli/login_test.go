package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/login"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/output"
)

func TestLoginFlagValidation(t *testing.T) {
	tests := []struct {
		args     []string
		inStderr string
	}{
		{[]string{"login", "--port", "0"}, "--port must be between 1 and 65535, not 0"},
		{[]string{"login", "--port", "70000"}, "--port must be between 1 and 65535"},
		{[]string{"login", "--url", "headlamp.example.com"}, "give an http or https address"},
		{[]string{"login", "--url", "https://h.example.com/?x=1"}, "give an http or https address without query"},
		{[]string{"login", "--url", "https://user:pa55word@h.example.com"}, `--url "https://REDACTED@h.example.com" carries user info`},
		{[]string{"login", "--url", "https://user:pa5/5word@h.example.com"}, "--url is not a URL: check its syntax"},
		{[]string{"login", "--url", "https://h.example.com", "--port", "9000"}, "--port is for the port-forward, which --url skips"},
		{[]string{"login", "--path", "oidc"}, "--path \"oidc\" must start with /"},
		{[]string{"login", "--path", "//evil.example.com"}, "which a browser reads as another host"},
		{[]string{"login", "--path", `/\evil.example.com`}, "holds a backslash"},
		{[]string{"login", "--path", "/\t/evil.example.com"}, "--path must not hold spaces or control characters"},
		{[]string{"login", "-o", "table"}, `--output: unsupported output format "table"`},
		{[]string{"login", "extra"}, `unknown command "extra"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := run(t, nil, tt.args...)
			if code != ExitUsage || !strings.Contains(stderr, tt.inStderr) || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 2 and %q", code, stdout, stderr, tt.inStderr)
			}
			if strings.Contains(stderr, "pa55") || strings.Contains(stderr, "pa5/5") {
				t.Errorf("stderr repeats the password of --url:\n%s", stderr)
			}
		})
	}
}

func TestLoginWithoutHeadlampFails(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/apis/apps/v1/namespaces/tenants-ui/deployments" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"kind":"DeploymentList","apiVersion":"apps/v1","items":[]}`))
	}))
	defer srv.Close()
	code, stdout, stderr := run(t, nil, "login", "-n", "tenants-ui", "--no-browser", "--server", srv.URL, "--kubeconfig", emptyKubeconfig(t))
	if code != ExitFailure || stdout != "" {
		t.Errorf("exit %d, stdout %q; want exit 1 and no URL", code, stdout)
	}
	if !strings.Contains(stderr, "error: no Headlamp deployment found in namespace tenants-ui: install one with `kubectl capsule-headlamp install`") {
		t.Errorf("stderr does not say Headlamp is missing:\n%s", stderr)
	}
}

func TestLoginLooksForTheDeploymentNamedByHeadlamp(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}`))
	}))
	defer srv.Close()
	code, _, stderr := run(t, nil, "login", "-n", "tenants-ui", "--headlamp", "mine", "--no-browser",
		"--server", srv.URL, "--kubeconfig", emptyKubeconfig(t))
	if code != ExitFailure || !strings.Contains(stderr, "error: get deployment tenants-ui/mine") {
		t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and the named deployment looked up", code, stderr)
	}
}

func TestLoginPrintsTheURLOrTheSession(t *testing.T) {
	accepted := true
	s := login.Session{URL: "http://localhost:8080/oidc?cluster=main", HeadlampURL: "http://localhost:8080",
		ReachedBy: login.ByPortForward, Pod: "headlamp-1", LocalPort: 8080,
		RedirectURI: "http://localhost:8080/oidc-callback", RedirectURIAccepted: &accepted}
	streams, _, out, _ := genericiooptions.NewTestIOStreams()
	o := &loginOptions{root: &rootOptions{streams: streams}, format: output.Text}
	if err := o.print(s); err != nil || out.String() != s.URL+"\n" {
		t.Errorf("text output %q, %v; want the URL alone", out, err)
	}
	out.Reset()
	o.format = output.JSON
	if err := o.print(s); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for key, want := range map[string]any{"url": s.URL, "reachedBy": "port-forward", "pod": "headlamp-1",
		"localPort": float64(8080), "redirectURI": s.RedirectURI, "redirectURIAccepted": true} {
		if got[key] != want {
			t.Errorf("JSON %s = %v, want %v", key, got[key], want)
		}
	}
}

// TestLoginShowsNoUserInfoReadFromTheCluster: Headlamp's -oidc-callback-url comes from its Deployment;
// a password in it stays out of the session login prints.
func TestLoginShowsNoUserInfoReadFromTheCluster(t *testing.T) {
	s := login.Session{URL: "http://localhost:8080/oidc?cluster=main", HeadlampURL: "http://localhost:8080",
		RedirectURI: "https://cb:s3cretpw@headlamp.example.com/oidc-callback"}
	streams, _, out, _ := genericiooptions.NewTestIOStreams()
	o := &loginOptions{root: &rootOptions{streams: streams}, format: output.YAML}
	if err := o.print(s); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "s3cretpw") || !strings.Contains(out.String(), "https://REDACTED@headlamp.example.com/oidc-callback") {
		t.Errorf("the session shows the callback URL's user info, or not the URL:\n%s", out)
	}
}
