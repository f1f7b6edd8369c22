package oidc

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// Tokens are what a sign-in gives: the ID token and, when the IdP issued one with it, the refresh
// token Headlamp would keep to renew the session. Both are credentials and never print.
type Tokens struct {
	ID Secret
	// Refresh is zero when the IdP issued none (no offline_access, an IdP that does not hand them to
	// this client) or the token came from a file.
	Refresh Secret
}

// Source gives an ID token. Implementations never print, log or put on a command line the token or
// the credentials that obtain it.
type Source interface {
	// Token returns an ID token and, when the sign-in gave one, the refresh token.
	Token(ctx context.Context) (Tokens, error)
	// Describe says, for the report, where the token comes from ("file /path", "password grant for
	// alice@example.com"): never a credential.
	Describe() string
}

// FileSource reads a token from a file, or from Stdin when Path is "-".
type FileSource struct {
	Path  string
	Stdin io.Reader
}

// Token reads the file with the one credential reader. A file holds no refresh token.
func (f FileSource) Token(_ context.Context) (Tokens, error) {
	tok, err := ReadCredentialFile(f.Path, f.Stdin)
	if errors.Is(err, ErrEmptyCredential) {
		return Tokens{}, fmt.Errorf("%s holds no token: write the ID token into it", f.Describe())
	}
	return Tokens{ID: tok}, err
}

// Describe names the file, or standard input.
func (f FileSource) Describe() string { return CredentialSource(f.Path) }
