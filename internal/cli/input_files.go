package cli

import (
	"errors"
	"io"
	"os"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/oidc"
	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// readCredential reads the credential file a flag names ("-": stdin) with the one credential reader, so
// that install and doctor accept the same files. Any problem is a usage error naming the flag and the
// file, never the content; holds says what belongs in the file.
func readCredential(flag, path string, stdin io.Reader, holds string) (oidc.Secret, error) {
	s, err := oidc.ReadCredentialFile(path, stdin)
	switch {
	case errors.Is(err, oidc.ErrEmptyCredential):
		return oidc.Secret{}, usageErrorf("%s: %w: write %s into it", flag, err, holds)
	case err != nil:
		return oidc.Secret{}, usageErrorf("%s: %w", flag, err)
	}
	return s, nil
}

// readCAFile reads the CA bundle a flag names with trust's one bundle reader (size limit, certificates
// only, duplicates dropped). Any problem is a usage error naming the flag.
func readCAFile(flag, path string) (trust.Bundle, error) {
	f, err := os.Open(path) //nolint:gosec // the user names the file on the command line
	if err != nil {
		return trust.Bundle{}, usageErrorf("%s: %w: name a readable file", flag, err)
	}
	defer func() { _ = f.Close() }()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return trust.Bundle{}, usageErrorf("%s %s is a folder: name a file", flag, path)
	}
	b, err := trust.ReadBundle(f)
	switch {
	case errors.Is(err, trust.ErrNoCertificate):
		return b, usageErrorf("%s %s holds no PEM certificate: give the IdP's CA certificate in PEM", flag, path)
	case err != nil:
		return b, usageErrorf("%s %s: %w", flag, path, err)
	}
	return b, nil
}
