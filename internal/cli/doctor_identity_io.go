package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
)

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
	}
	s := oidc.NewSecret(pw)
	if s.IsZero() {
		return oidc.Secret{}, errors.New("empty password: type the password, or pass --password-file")
	}
	return s, nil
}

// promptInterrupted is Ctrl-C typed at the password prompt: doctor stops its run on it.
type promptInterrupted struct{}

func (promptInterrupted) Error() string        { return "interrupted at the password prompt" }
func (promptInterrupted) Is(target error) bool { return target == doctor.ErrInterrupted }
