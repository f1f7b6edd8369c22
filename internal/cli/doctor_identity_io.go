package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/bundle"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

// maxSecretFile bounds what is read for a password or a client secret.
const maxSecretFile = 64 << 10

// readSecretFile reads a credential from a file, or from stdin for "-".
func readSecretFile(path string, stdin io.Reader, what string) (oidc.Secret, error) {
	r := stdin
	if path != "-" {
		f, err := os.Open(path) //nolint:gosec // the user names the file that holds their credential
		if err != nil {
			return oidc.Secret{}, fmt.Errorf("open the %s file: %w", what, err)
		}
		defer func() { _ = f.Close() }()
		r = f
	}
	if r == nil {
		return oidc.Secret{}, fmt.Errorf("no standard input to read the %s from", what)
	}
	b, err := io.ReadAll(io.LimitReader(r, maxSecretFile))
	if err != nil {
		return oidc.Secret{}, fmt.Errorf("read the %s: %w", what, err)
	}
	s := oidc.NewSecret(string(b))
	if s.IsZero() {
		return s, fmt.Errorf("the %s file %s is empty", what, path)
	}
	return s, nil
}

// terminalPrompt asks for a credential on the terminal without echo; nil when in is not a terminal,
// so that a password is never read from a pipe by surprise. It reads with install's readPassword,
// which puts the terminal back however the read ends (Enter, Ctrl-C, the end of ctx).
func terminalPrompt(in io.Reader, errOut io.Writer) func(context.Context, string) (oidc.Secret, error) {
	f, ok := in.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return func(ctx context.Context, label string) (oidc.Secret, error) {
		_, _ = fmt.Fprint(errOut, label)
		pw, err := readPassword(ctx, f)
		_, _ = fmt.Fprintln(errOut)
		return promptedSecret(ctx, pw, err)
	}
}

// promptedSecret turns what readPassword returned into the password, or an error saying so: Ctrl-C
// typed at the prompt stays the command's interruption (exit 130).
func promptedSecret(ctx context.Context, pw string, err error) (oidc.Secret, error) {
	var exit *ExitError
	switch {
	case errors.As(err, &exit):
		return oidc.Secret{}, &ExitError{Code: exit.Code, Err: promptInterrupted{}}
	case ctx.Err() != nil:
		return oidc.Secret{}, fmt.Errorf("read the password: %w", ctx.Err())
	case err != nil:
		return oidc.Secret{}, fmt.Errorf("read the password: %w", err)
	case pw == "":
		return oidc.Secret{}, errors.New("empty password: type the password, or pass --password-file")
	}
	return oidc.NewSecret(pw), nil
}

// promptInterrupted is Ctrl-C typed at the password prompt: doctor stops its run on it.
type promptInterrupted struct{}

func (promptInterrupted) Error() string        { return "interrupted at the password prompt" }
func (promptInterrupted) Is(target error) bool { return target == doctor.ErrInterrupted }

// writeBundleFile writes the bundle to path with mode 0600: it holds names, groups and cluster
// details, if no credential.
func writeBundleFile(path string, b bundle.Bundle) (err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600) //nolint:gosec // --bundle names the file to write
	if err != nil {
		return fmt.Errorf("create the bundle %s: %w", path, err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write the bundle %s: %w", path, cerr)
		}
	}()
	if err := f.Chmod(0o600); err != nil { // an existing file keeps its mode on open
		return fmt.Errorf("restrict the bundle %s to its owner: %w", path, err)
	}
	return bundle.Write(f, b)
}
