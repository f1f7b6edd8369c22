package cli

import (
	"io"
	"os"
	"strings"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/trust"
)

// validateInputs reads every file doctor's flags name, and checks the bundle's folder, so that a bad
// one is a usage error (exit 2) before any check runs, not a failed check, or an error after the run.
// Standard input ("-") stays lazy: it can be read only once, by the flag that names it.
func (o *doctorOptions) validateInputs() error {
	id := &o.identity
	files := []struct {
		flag, path, holds string
	}{
		{"--token-file", id.tokenFile, "the ID token"},
		{"--password-file", id.passwordFile, "the password"},
		{"--oidc-client-secret-file", id.clientSecretFile, "the client secret"},
		{"--authentication-config", o.authConfig, ""}, // an empty file is AUTHN-CONFIG-VALID's finding
	}
	for _, f := range files {
		if err := checkInputFile(f.flag, f.path, f.holds); err != nil {
			return err
		}
	}
	if err := checkCAFile("--oidc-ca-file", id.oidcCAFile); err != nil {
		return err
	}
	if id.username != "" && id.passwordFile == "" && terminalPrompt(o.root.streams.In, io.Discard) == nil {
		return usageErrorf("--username needs a terminal to ask for the password: pass --password-file (- for standard input)")
	}
	return checkBundlePath(id.bundle, id.forceBundle)
}

// checkInputFile reads path, the value of flag; holds, when set, names what the file must not be
// empty of. The content is dropped: the command reads the file again when it needs it.
func checkInputFile(flag, path, holds string) error {
	if path == "" || path == "-" {
		return nil
	}
	data, err := readInputFile(flag, path, maxSecretFile)
	if err != nil {
		return err
	}
	if holds != "" && strings.TrimSpace(string(data)) == "" {
		return usageErrorf("%s %s is empty: write %s into it", flag, path, holds)
	}
	return nil
}

// readInputFile reads up to limit bytes of the file named by flag, refusing a folder.
func readInputFile(flag, path string, limit int64) ([]byte, error) {
	f, err := os.Open(path) //nolint:gosec // the user names the file on the command line
	if err != nil {
		return nil, usageErrorf("%s: %w: name a readable file", flag, err)
	}
	defer func() { _ = f.Close() }()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, usageErrorf("%s %s is a folder: name a file", flag, path)
	}
	data, err := io.ReadAll(io.LimitReader(f, limit))
	if err != nil {
		return nil, usageErrorf("%s: read %s: %w", flag, path, err)
	}
	return data, nil
}

// maxCAFile bounds what is read of --oidc-ca-file: a system bundle is a few hundred KiB.
const maxCAFile = 16 << 20

// checkCAFile accepts a file holding at least one PEM certificate, as install does.
func checkCAFile(flag, path string) error {
	if path == "" {
		return nil
	}
	data, err := readInputFile(flag, path, maxCAFile)
	if err != nil {
		return err
	}
	if _, err := trust.ParseBundle(data); err != nil {
		return usageErrorf("%s %s holds no PEM certificate (%w): give the IdP's CA certificate in PEM", flag, path, err)
	}
	return nil
}
