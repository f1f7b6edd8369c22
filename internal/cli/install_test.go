package cli

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/headlamp"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/install"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust/trusttest"
)

// parseInstall parses argv like the command does and returns the validated options.
func parseInstall(t *testing.T, namespace string, args ...string) (*installOptions, error) {
	t.Helper()
	streams, _, _, _ := genericiooptions.NewTestIOStreams()
	kube := genericclioptions.NewConfigFlags(true)
	kube.Namespace = &namespace
	o := &installOptions{root: &rootOptions{streams: streams, getenv: func(string) string { return "" }, kube: kube}}
	cmd := o.command()
	if err := cmd.ParseFlags(args); err != nil {
		t.Fatalf("parse %q: %v", args, err)
	}
	return o, o.validate()
}

func TestInstallArgvToInput(t *testing.T) {
	o, err := parseInstall(t, "", "--oidc-issuer-url", "https://dex.example.com/dex")
	if err != nil {
		t.Fatal(err)
	}
	want := headlamp.New("capsule-system")
	want.OIDC.IssuerURL = "https://dex.example.com/dex"
	if !reflect.DeepEqual(o.input.Settings, want) {
		t.Errorf("defaults:\n got %+v\nwant %+v", o.input.Settings, want)
	}
	if o.input.DryRun != install.DryRunNone || !o.input.Wait || o.input.Timeout != 3*time.Minute || o.input.ForceConflicts {
		t.Errorf("modes: %+v", o.input)
	}

	o, err = parseInstall(t, "tools",
		"--oidc-issuer-url=https://kc.internal/realms/x", "--oidc-client-id=ui", "--oidc-scopes", "openid email groups",
		"--oidc-use-access-token", "--oidc-use-pkce", "--oidc-callback-url=https://ui.example.com/h/oidc-callback",
		"--oidc-ca-file=ca.pem", "--oidc-ca-trust=only", "--proxy-service=cp", "--proxy-namespace=proxy", "--proxy-port=443",
		"--proxy-ca-secret=cp-tls", "--proxy-ca-key=ca", "--proxy-ca-bundle=cp-bundle", "--proxy-ca-bundle-key=bundle.pem",
		"--image=registry.local/headlamp:dev", "--base-url=/h", "--ingress-host=ui.example.com", "--ingress-class=nginx",
		"--ingress-tls-secret=ui-tls", "--dry-run", "-o", "json", "--wait=false", "--force-conflicts")
	if err != nil {
		t.Fatal(err)
	}
	s := o.input.Settings
	checks := map[string]bool{
		"namespace":    s.Namespace == "tools",
		"client id":    s.OIDC.ClientID == "ui",
		"scopes":       reflect.DeepEqual(s.OIDC.Scopes, []string{"email", "groups"}),
		"switches":     s.OIDC.UseAccessToken && s.OIDC.UsePKCE,
		"IdP CA":       s.OIDC.CA != nil && s.OIDC.CA.Trust == headlamp.TrustReplace && s.OIDC.CA.Path == headlamp.IDPCADir+"/ca.crt",
		"proxy":        s.Proxy.Service == "cp" && s.Proxy.Namespace == "proxy" && s.Proxy.Port == 443 && s.Proxy.Secret == "cp-tls",
		"proxy CA key": o.input.ProxyCAKey == "ca",
		"bundle":       o.input.ProxyCABundle != nil && *o.input.ProxyCABundle == headlamp.KeyRef{Kind: headlamp.KindConfigMap, Name: "cp-bundle", Key: "bundle.pem"},
		"image/base":   s.Image == "registry.local/headlamp:dev" && s.BaseURL == "/h",
		"ingress":      s.Ingress != nil && *s.Ingress == headlamp.Ingress{Host: "ui.example.com", ClassName: "nginx", TLSSecret: "ui-tls"},
		"modes":        o.input.DryRun == install.DryRunClient && !o.input.Wait && o.input.ForceConflicts && o.format == "json",
	}
	for name, ok := range checks {
		if !ok {
			t.Errorf("%s not taken from argv: %+v", name, o.input)
		}
	}
}

func TestInstallRejectsBadFlags(t *testing.T) {
	issuer := "--oidc-issuer-url=https://dex.example.com"
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--oidc-issuer-url=http://dex.example.com"}, "--oidc-issuer-url \"http://dex.example.com\" must use https"},
		{[]string{"--oidc-issuer-url=https://dex.example.com/?tenant=a"}, "must not have a query"},
		{[]string{issuer, "--oidc-scopes=openid"}, "--oidc-scopes needs at least one scope"},
		{[]string{issuer, "--oidc-client-id="}, "--oidc-client-id must not be empty"},
		{[]string{issuer, "--oidc-callback-url=https://x/cb"}, "--oidc-callback-url"},
		{[]string{issuer, "--oidc-ca-trust=maybe"}, "use append or only"},
		{[]string{issuer, "--proxy-port=0"}, "--proxy-port 0 is not a port number"},
		{[]string{issuer, "--proxy-service=Capsule_Proxy"}, "--proxy-service"},
		{[]string{issuer, "--ingress-class=nginx"}, "need --ingress-host"},
		{[]string{issuer, "--dry-run=maybe"}, "--dry-run: invalid dry-run mode"},
		{[]string{issuer, "-o", "table"}, "--output: unsupported output format"},
		{[]string{issuer, "--helm-values", "-o", "yaml"}, "--helm-values prints a values file"},
		{[]string{issuer, "--helm-values", "--dry-run=server"}, "it does not go with --dry-run=server"},
		{[]string{"--oidc-issuer-url=https://user:s3cretpw@dex.example.com"}, `"https://REDACTED@dex.example.com" must not carry user info`},
		{[]string{issuer, "--oidc-callback-url=https://cb:s3cretpw@h/oidc-callback"}, "--oidc-callback-url \"https://REDACTED@h/oidc-callback\" must not carry user info"},
		{[]string{issuer, "--oidc-validator-issuer-url=https://s3cretpw@dex.example.com"}, "--oidc-validator-issuer-url"},
		{[]string{issuer, "--timeout=0s"}, "--timeout 0s must be positive"},
		{[]string{issuer, "--base-url=headlamp"}, "--base-url"},
	}
	for _, tt := range tests {
		_, err := parseInstall(t, "", tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: err = %v, want %q", tt.args, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cretpw") {
			t.Errorf("%q: the error repeats a URL's password: %v", tt.args, err)
		}
		if code := exitCode(t.Context(), err, true); err != nil && code != ExitUsage {
			t.Errorf("%q: exit code %d, want %d", tt.args, code, ExitUsage)
		}
	}
	// What an installed Headlamp may supply is required only when nothing is installed.
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "--oidc-issuer-url is required"},
		{[]string{issuer, "--oidc-ca-trust=only"}, "--oidc-ca-trust needs --oidc-ca-file"},
	} {
		o, err := parseInstall(t, "", tt.args...)
		if err != nil {
			t.Fatalf("%q: %v", tt.args, err)
		}
		o.input = install.KeepInstalled(o.input, nil, o.given)
		err = o.required()
		if err == nil || !strings.Contains(err.Error(), tt.want) || exitCode(t.Context(), err, true) != ExitUsage {
			t.Errorf("%q: err = %v, want %q with exit code %d", tt.args, err, tt.want, ExitUsage)
		}
	}
	// All problems are named at once.
	_, err := parseInstall(t, "", "--oidc-issuer-url=http://x", "--proxy-port=0")
	if err == nil || !strings.Contains(err.Error(), "--oidc-issuer-url") || !strings.Contains(err.Error(), "--proxy-port") {
		t.Errorf("err = %v, want both flags named", err)
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestInstallClientSecretSources(t *testing.T) {
	issuer := "--oidc-issuer-url=https://dex.example.com"
	o, _ := parseInstall(t, "", issuer, "--oidc-client-secret-file", writeFile(t, "s", "from-file\n"))
	if err := o.load(t.Context()); err != nil || o.input.ClientSecret != "from-file" {
		t.Errorf("file: %q, %v", o.input.ClientSecret, err)
	}

	o, _ = parseInstall(t, "", issuer)
	o.root.getenv = func(k string) string { return map[string]string{envClientSecret: "from-env"}[k] }
	if err := o.load(t.Context()); err != nil || o.input.ClientSecret != "from-env" {
		t.Errorf("env: %q, %v", o.input.ClientSecret, err)
	}

	o, _ = parseInstall(t, "", issuer)
	if err := o.load(t.Context()); err != nil || o.input.ClientSecret != "" {
		t.Errorf("nothing given: %q, %v; the prompt waits until install knows no secret is installed", o.input.ClientSecret, err)
	}
	o.readSecret = func(context.Context) (string, error) { return "typed", nil }
	if secret, err := o.promptedSecret(t.Context()); err != nil || secret != "typed" {
		t.Errorf("prompt: %q, %v", secret, err)
	}

	o, _ = parseInstall(t, "", issuer)
	o.readSecret = o.promptSecret // test streams are no terminal
	if _, err := o.promptedSecret(t.Context()); err == nil || !strings.Contains(err.Error(), envClientSecret) {
		t.Errorf("no terminal: err = %v", err)
	}

	o, _ = parseInstall(t, "", issuer, "--oidc-client-secret-file", writeFile(t, "empty", "\n"))
	if err := o.load(t.Context()); err == nil || !strings.Contains(err.Error(), "empty") {
		t.Errorf("empty file: err = %v", err)
	}
}

// TestInstallClientSecretWhiteSpace: a file, the environment and the prompt read the secret alike (no
// byte-order mark, no surrounding white space), and a secret that is only white space is a usage error
// naming where it came from, never an empty Secret written to the cluster.
func TestInstallClientSecretWhiteSpace(t *testing.T) {
	issuer := "--oidc-issuer-url=https://dex.example.com"
	cases := []struct {
		name          string
		file, env     string
		typed         string
		want, problem string
	}{
		{name: "file with a byte-order mark and CRLF", file: "\ufeffsecret\r\n", want: "secret"},
		{name: "environment with a final newline", env: "secret\n", want: "secret"},
		{name: "typed with spaces", typed: " secret ", want: "secret"},
		{name: "file of white space", file: " \t\r\n", problem: "--oidc-client-secret-file: file "},
		{name: "file of a byte-order mark", file: "\ufeff\n", problem: "is empty or holds only white space: write the client secret into it"},
		{name: "environment of white space", env: "  ", problem: "$" + envClientSecret + " holds only white space"},
		{name: "typed white space", typed: "   ", problem: "typed at the prompt is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{issuer}
			if tc.file != "" {
				args = append(args, "--oidc-client-secret-file", writeFile(t, "secret", tc.file))
			}
			o, _ := parseInstall(t, "", args...)
			o.root.getenv = func(k string) string { return map[string]string{envClientSecret: tc.env}[k] }
			o.readSecret = func(context.Context) (string, error) { return tc.typed, nil }
			err := o.load(t.Context())
			if err == nil && tc.file == "" && tc.env == "" {
				o.input.ClientSecret, err = o.promptedSecret(t.Context())
			}
			if tc.problem == "" {
				if err != nil || o.input.ClientSecret != tc.want {
					t.Errorf("load() = %v, secret of %d bytes; want %d bytes", err, len(o.input.ClientSecret), len(tc.want))
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.problem) || exitCode(t.Context(), err, true) != ExitUsage {
				t.Errorf("load() = %v, want a usage error saying %q", err, tc.problem)
			}
		})
	}
}

func TestInstallReadsOnlyPEMCertificates(t *testing.T) {
	issuer := "--oidc-issuer-url=https://dex.example.com"
	cert := string(trusttest.NewCA(t, "idp-ca").CertPEM())
	for name, tt := range map[string]struct{ content, want string }{
		"not PEM":     {"hello", "holds no PEM certificate"},
		"private key": {cert + "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n", "PEM block 2 is a PRIVATE KEY: give only CA certificates"},
		"too large":   {strings.Repeat(cert, trust.MaxBundle/len(cert)+1), "too large"},
	} {
		o, _ := parseInstall(t, "", issuer, "--oidc-ca-file", writeFile(t, "ca.pem", tt.content), "--helm-values")
		if err := o.load(t.Context()); err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "--oidc-ca-file") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	o, _ := parseInstall(t, "", issuer, "--oidc-ca-file", filepath.Join(t.TempDir(), "missing.pem"), "--helm-values")
	if err := o.load(t.Context()); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: err = %v", err)
	}
}

func TestInstallHelmValuesNeedNoCluster(t *testing.T) {
	code, stdout, stderr := run(t, nil, "install", "--oidc-issuer-url=https://dex.example.com", "--helm-values", "--kubeconfig", emptyKubeconfig(t))
	if code != ExitOK || !strings.Contains(stdout, "clusterRoleBinding:\n  create: false") {
		t.Errorf("exit %d, stderr %s\n%s", code, stderr, stdout)
	}
}

func TestInstallUnreachableCluster(t *testing.T) {
	env := map[string]string{envClientSecret: "do-not-print-me"}
	code, stdout, stderr := run(t, env, "install", "--oidc-issuer-url=https://dex.example.com",
		"--server", "http://127.0.0.1:1", "--kubeconfig", emptyKubeconfig(t))
	if code != ExitFailure || !strings.Contains(stderr, "is the cluster of the current context reachable?") {
		t.Errorf("exit %d, stderr: %s", code, stderr)
	}
	if strings.Contains(stdout+stderr, "do-not-print-me") {
		t.Error("the client secret was printed")
	}
}
