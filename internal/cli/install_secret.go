package cli

import (
	"bytes"
	"context"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"strings"
)

// load reads what the flags point at: the client secret and the IdP CA. Problems are usage errors
// that name the flag; the secret itself never appears in a message. ctx ends a prompt for the secret.
func (o *installOptions) load(ctx context.Context) error {
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
	secret, err := o.givenSecret()
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

// givenSecret reads the secret from --oidc-client-secret-file, else the environment; "" when
// neither gives one. It is never taken from a flag value, which would show in ps and shell history.
func (o *installOptions) givenSecret() (string, error) {
	var (
		secret string
		err    error
	)
	switch file := o.flags.clientSecretFile; {
	case file == "-":
		secret, err = readAllTrimmed(o.root.streams.In)
	case file != "":
		secret, err = readFileTrimmed(file)
	default:
		return o.root.getenv(envClientSecret), nil
	}
	return checkSecret(secret, err)
}

// promptedSecret asks for the secret on the terminal. The prompt's errors keep their own exit
// codes: no terminal is a usage error, Ctrl-C 130.
func (o *installOptions) promptedSecret(ctx context.Context) (string, error) {
	secret, err := o.readSecret(ctx)
	if err != nil {
		return "", err
	}
	return checkSecret(secret, nil)
}

func checkSecret(secret string, err error) (string, error) {
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
