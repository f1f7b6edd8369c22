package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"k8s.io/cli-runtime/pkg/genericiooptions"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/catalogue/identity"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

func parseIdentity(t *testing.T, args ...string) (*identityOptions, error) {
	t.Helper()
	o := &identityOptions{}
	fs := pflag.NewFlagSet("doctor", pflag.ContinueOnError)
	addIdentityFlags(fs, o)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return o, o.validate()
}

func TestIdentityFlagsValidate(t *testing.T) {
	cases := []struct {
		args []string
		want string // empty: valid
	}{
		{nil, ""},
		{[]string{"--token-file", "-"}, ""},
		{[]string{"--username", "alice@example.com", "--password-file", "pw"}, ""},
		{[]string{"--browser", "--port", "8000"}, ""},
		{[]string{"--token-file", "t", "--browser"}, "alternatives"},
		{[]string{"--password-file", "pw"}, "needs --username"},
		{[]string{"--username", "a", "--password-file", "-", "--token-file", "-"}, "alternatives"},
		{[]string{"--port", "0"}, "not a TCP port"},
		{[]string{"--bundle", "out.zip"}, ".tar.gz"},
	}
	for _, tc := range cases {
		o, err := parseIdentity(t, tc.args...)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%v: %v, want %q", tc.args, err, tc.want)
		}
		if err == nil && o.port == 0 {
			t.Errorf("%v: port left at 0", tc.args)
		}
	}
}

func TestIdentityTokenSources(t *testing.T) {
	o, err := parseIdentity(t, "--token-file", "-")
	if err != nil {
		t.Fatal(err)
	}
	src, err := o.tokenSource(identityIO{in: strings.NewReader("a.b.c\n")})(identity.Expectation{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := src.Token(t.Context())
	if err != nil || tok.ID.Reveal() != "a.b.c" || o.tokenFromIDP() {
		t.Fatalf("stdin token: %v", err)
	}
	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("alice-password\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	o, _ = parseIdentity(t, "--username", "alice@example.com", "--password-file", pw)
	d := &oidc.Discovery{TokenEndpoint: "https://idp/token"}
	src, err = o.tokenSource(identityIO{})(identity.Expectation{ClientID: "headlamp", Scopes: []string{"profile", "groups"}}, d, nil)
	g, ok := src.(oidc.PasswordGrant)
	if err != nil || !ok || g.Password.Reveal() != "alice-password" || strings.Join(g.Scopes, ",") != "openid,profile,groups" || !o.tokenFromIDP() {
		t.Fatalf("password grant: %+v %v", src, err)
	}
	o, _ = parseIdentity(t, "--username", "alice@example.com")
	if _, err := o.tokenSource(identityIO{})(identity.Expectation{}, d, nil); err == nil || !strings.Contains(err.Error(), "--password-file") {
		t.Errorf("no terminal and no password file: %v", err)
	}
	if o, _ := parseIdentity(t); o.tokenSource(identityIO{}) != nil {
		t.Error("a token source without a token flag")
	}
}

// TestClientSecretFromStdin: --oidc-client-secret-file - reads the command's standard input.
func TestClientSecretFromStdin(t *testing.T) {
	o, err := parseIdentity(t, "--oidc-client-secret-file", "-")
	if err != nil {
		t.Fatal(err)
	}
	root := &rootOptions{streams: genericiooptions.IOStreams{In: strings.NewReader("s3cret\n"), Out: io.Discard, ErrOut: io.Discard}}
	env, err := o.identityEnv(root, nil, nil)
	if err != nil || env.ClientSecret.Reveal() != "s3cret" {
		t.Fatalf("client secret from stdin: %v", err)
	}
}

// TestStdinHoldsOneCredential: standard input can be read once, so only one credential flag may say -.
func TestStdinHoldsOneCredential(t *testing.T) {
	for _, args := range [][]string{
		{"--oidc-client-secret-file", "-", "--token-file", "-"},
		{"--oidc-client-secret-file", "-", "--username", "a", "--password-file", "-"},
	} {
		code, _, stderr := run(t, nil, append([]string{"doctor"}, args...)...)
		if code != ExitUsage || !strings.Contains(stderr, "standard input") {
			t.Errorf("%v: exit %d, want %d; stderr: %s", args, code, ExitUsage, stderr)
		}
	}
}

// TestPasswordPromptedUnderTheCommandsContext: the password is asked for when the token is requested,
// with that request's context, so that the end of the command ends the prompt (and puts the terminal back).
func TestPasswordPromptedUnderTheCommandsContext(t *testing.T) {
	o, err := parseIdentity(t, "--username", "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var asked context.Context
	prompt := func(ctx context.Context, _ string) (oidc.Secret, error) {
		asked = ctx
		return promptedSecret(ctx, "", ctx.Err())
	}
	d := &oidc.Discovery{TokenEndpoint: "https://idp.invalid/token"}
	src, err := o.tokenSource(identityIO{prompt: prompt})(identity.Expectation{ClientID: "headlamp"}, d, nil)
	if err != nil || asked != nil {
		t.Fatalf("the password was asked for before the token (%v)", err)
	}
	if _, err := src.Token(ctx); asked != ctx || !errors.Is(err, context.Canceled) {
		t.Errorf("prompt under %v: %v", asked, err)
	}
	if src.Describe() != "password grant for alice@example.com" {
		t.Errorf("Describe = %q", src.Describe())
	}
}

func TestPromptedSecret(t *testing.T) {
	var exit *ExitError
	if _, err := promptedSecret(t.Context(), "", errPromptInterrupted); !errors.As(err, &exit) || exit.Code != ExitInterrupted {
		t.Errorf("Ctrl-C at the prompt: %v", err)
	}
	if _, err := promptedSecret(t.Context(), "", nil); err == nil || !strings.Contains(err.Error(), "--password-file") {
		t.Errorf("empty password: %v", err)
	}
	if pw, err := promptedSecret(t.Context(), "pw", nil); err != nil || pw.Reveal() != "pw" {
		t.Errorf("password: %v", err)
	}
}
