package cli

import (
	"bytes"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// load reads what the flags point at: the client secret and the IdP CA. Problems are usage errors
// that name the flag; the secret itself never appears in a message.
func (o *installOptions) load() error {
	f := &o.flags
	if f.caFile != "" {
		ca, err := readCAFile(f.caFile)
		if err != nil {
			return usageErrorf("--oidc-ca-file: %w", err)
		}
		o.input.IDPCA = ca
	}
	if f.helmValues {
		return nil // the values reference a Secret the user creates
	}
	secret, err := o.clientSecret()
	if err != nil {
		return err
	}
	o.input.ClientSecret = secret
	return nil
}

// readCAFile accepts a file of PEM certificates and nothing else: a private key there would end up
// in a ConfigMap.
func readCAFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path) //nolint:gosec // the user names this file on the command line
	if err != nil {
		return nil, err
	}
	n := 0
	for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
		if block.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("%s holds a %s block: give only CA certificates", path, block.Type)
		}
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return data, nil
}

// clientSecret reads the secret from --oidc-client-secret-file, else the environment, else a prompt
// on the terminal. It is never taken from a flag value, which would show in ps and shell history.
func (o *installOptions) clientSecret() (string, error) {
	var (
		secret string
		err    error
	)
	switch file := o.flags.clientSecretFile; {
	case file == "-":
		secret, err = readAllTrimmed(o.root.streams.In)
	case file != "":
		secret, err = readFileTrimmed(file)
	case o.root.getenv(envClientSecret) != "":
		return o.root.getenv(envClientSecret), nil
	default:
		secret, err = o.readSecret()
	}
	if err != nil {
		return "", usageErrorf("--oidc-client-secret-file: %w", err)
	}
	if secret == "" {
		return "", usageErrorf("--oidc-client-secret-file: the client secret is empty")
	}
	return secret, nil
}

func readFileTrimmed(path string) (string, error) {
	f, err := os.Open(path) //nolint:gosec // the user names this file on the command line
	if err != nil {
		return "", err
	}
	defer func() { _ = f.Close() }()
	return readAllTrimmed(f)
}

func readAllTrimmed(r io.Reader) (string, error) {
	data, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		return "", fmt.Errorf("read the client secret: %w", err)
	}
	return strings.TrimRight(string(bytes.TrimPrefix(data, []byte("\ufeff"))), "\r\n"), nil
}

// errNoSecret explains every way to give the client secret.
var errNoSecret = errors.New("the OIDC client secret is required: pass --oidc-client-secret-file, set " +
	envClientSecret + ", or run install on a terminal to be asked for it")

// promptSecret asks on the terminal with echo off; without a terminal it explains the alternatives.
func (o *installOptions) promptSecret() (string, error) {
	in, ok := o.root.streams.In.(*os.File)
	if !ok || !term.IsTerminal(int(in.Fd())) {
		return "", errNoSecret
	}
	fmt.Fprintf(o.root.streams.ErrOut, "OIDC client secret for client %q: ", o.flags.clientID)
	data, err := term.ReadPassword(int(in.Fd()))
	fmt.Fprintln(o.root.streams.ErrOut)
	if err != nil {
		return "", fmt.Errorf("read the client secret from the terminal: %w", err)
	}
	return strings.TrimSpace(string(data)), nil
}
