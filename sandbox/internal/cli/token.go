package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/sandbox/stack"
)

// runToken writes an ID token to a 0600 file; the token itself is never printed.
func runToken(ctx context.Context, st Streams, dir string, args []string) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	user := fs.String("user", stack.Alice.Email, "sandbox user")
	client := fs.String("client", stack.HeadlampClientID, "OIDC client: headlamp (confidential) or kubernetes (public)")
	scopes := fs.String("scopes", strings.Join(stack.DefaultScopes, ","), "comma-separated scopes")
	out := fs.String("out", "", "file to write the token to (required)")
	if err := fs.Parse(args); err != nil || *out == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: sandbox token --out FILE [--user EMAIL] [--client headlamp|kubernetes] [--scopes a,b]", errUsage)
	}
	s, err := attach(dir)
	if err != nil {
		return err
	}
	tok, err := s.Token(ctx, *user, *client, strings.Split(*scopes, ","))
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, []byte(tok), 0o600); err != nil {
		return fmt.Errorf("write token: %w", err)
	}
	fmt.Fprintf(st.Err, "sandbox: wrote the %s token of %s to %s\n", *client, *user, *out)
	return nil
}

// runKubeconfig writes a kubeconfig: admin, or a user's token direct or through the proxy stand-in.
func runKubeconfig(ctx context.Context, st Streams, dir string, args []string) error {
	fs := flag.NewFlagSet("kubeconfig", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	user := fs.String("user", "admin", "admin, or a sandbox user's email")
	viaProxy := fs.Bool("proxy", false, "go through the capsule-proxy stand-in (token from client headlamp)")
	out := fs.String("out", "", "file to write (required)")
	if err := fs.Parse(args); err != nil || *out == "" || fs.NArg() > 0 {
		return fmt.Errorf("%w: sandbox kubeconfig --out FILE [--user admin|EMAIL] [--proxy]", errUsage)
	}
	s, err := attach(dir)
	if err != nil {
		return err
	}
	switch {
	case *user == "admin":
		err = s.WriteAdminKubeconfig(*out)
	case *viaProxy:
		err = s.WriteProxyKubeconfig(ctx, *out, *user)
	default:
		err = s.WriteUserKubeconfig(ctx, *out, *user)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(st.Err, "sandbox: wrote %s\n", *out)
	return nil
}

func attach(dir string) (*stack.Stack, error) {
	if supervisorPid(dir) == 0 {
		return nil, errNotRunning
	}
	return stack.Attach(dir, nil)
}
