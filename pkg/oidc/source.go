package oidc

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// Source gives an ID token. Implementations never print, log or put on a command line the token or
// the credentials that obtain it.
type Source interface {
	// Token returns an ID token.
	Token(ctx context.Context) (Secret, error)
	// Describe says, for the report, where the token comes from ("file /path", "password grant for
	// alice@example.com"): never a credential.
	Describe() string
}

// FileSource reads a token from a file, or from Stdin when Path is "-".
type FileSource struct {
	Path  string
	Stdin io.Reader
}

// Token reads the file with the one credential reader.
func (f FileSource) Token(_ context.Context) (Secret, error) {
	tok, err := ReadCredentialFile(f.Path, f.Stdin)
	if errors.Is(err, ErrEmptyCredential) {
		return Secret{}, fmt.Errorf("%s holds no token: write the ID token into it", f.Describe())
	}
	return tok, err
}

// Describe names the file, or standard input.
func (f FileSource) Describe() string { return CredentialSource(f.Path) }
