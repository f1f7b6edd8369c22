package oidc

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// MaxCredential bounds a credential read from a file or standard input: an ID token is a few KiB, a
// password or a client secret far less, and no server takes a header this large.
const MaxCredential = 64 << 10

// The ways reading a credential fails; the errors name the source, never what it holds.
var (
	ErrEmptyCredential = errors.New("is empty or holds only white space")
	ErrTooLarge        = fmt.Errorf("is larger than %d KiB, more than any credential", MaxCredential>>10)
)

// ReadCredentialFile is the one reader of credentials (tokens, passwords, client secrets): the file at
// path, or stdin when path is "-". It reads at most MaxCredential bytes and keeps what NewSecret keeps
// (no byte-order mark, no surrounding white space or newline). A folder, an empty result or a larger
// input is an error naming the source.
func ReadCredentialFile(path string, stdin io.Reader) (Secret, error) {
	where := CredentialSource(path)
	r := stdin
	if path != "-" {
		f, err := os.Open(path) //nolint:gosec // the user names the file that holds their credential
		if err != nil {
			return Secret{}, err // *PathError: "open <path>: <why>"
		}
		defer func() { _ = f.Close() }()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return Secret{}, fmt.Errorf("%s is a folder: name a file", where)
		}
		r = f
	}
	if r == nil {
		return Secret{}, fmt.Errorf("no %s to read from", where)
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxCredential+1))
	switch {
	case err != nil:
		return Secret{}, fmt.Errorf("read %s: %w", where, err)
	case len(b) > MaxCredential:
		return Secret{}, fmt.Errorf("%s %w", where, ErrTooLarge)
	}
	s := NewSecret(string(b))
	if s.IsZero() {
		return Secret{}, fmt.Errorf("%s %w", where, ErrEmptyCredential)
	}
	return s, nil
}

// CredentialSource names where a credential comes from: "standard input" for "-", else "file <path>".
func CredentialSource(path string) string {
	if path == "-" {
		return "standard input"
	}
	return "file " + path
}
