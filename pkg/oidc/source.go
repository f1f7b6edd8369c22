package oidc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
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

// maxTokenFile bounds what is read: an ID token is a few KiB.
const maxTokenFile = 1 << 20

// Token reads the file and checks it holds one compact JWS.
func (f FileSource) Token(_ context.Context) (Secret, error) {
	r := f.Stdin
	if f.Path != "-" {
		file, err := os.Open(f.Path)
		if err != nil {
			return Secret{}, fmt.Errorf("open the token file: %w", err)
		}
		defer func() { _ = file.Close() }()
		r = file
	}
	if r == nil {
		return Secret{}, errors.New("no standard input to read the token from")
	}
	b, err := io.ReadAll(io.LimitReader(r, maxTokenFile))
	if err != nil {
		return Secret{}, fmt.Errorf("read the token from %s: %w", f.Describe(), err)
	}
	tok := NewSecret(string(b))
	if tok.IsZero() {
		return Secret{}, fmt.Errorf("%s holds no token: write the ID token into it", f.Describe())
	}
	return tok, nil
}

// Describe names the file, or standard input.
func (f FileSource) Describe() string {
	if f.Path == "-" {
		return "standard input"
	}
	return "file " + f.Path
}
