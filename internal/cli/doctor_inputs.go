package cli

import (
	"io"
	"os"
)

// validateInputs reads every file doctor's flags name, and checks the bundle's folder, so that a bad
// one is a usage error (exit 2) before any check runs, not a failed check, or an error after the run.
// Standard input ("-") stays lazy: it can be read only once, by the flag that names it.
func (o *doctorOptions) validateInputs() error {
	id := &o.identity
	credentials := []struct{ flag, path, holds string }{
		{"--token-file", id.tokenFile, "the ID token"},
		{"--password-file", id.passwordFile, "the password"},
		{"--oidc-client-secret-file", id.clientSecretFile, "the client secret"},
	}
	for _, c := range credentials {
		if c.path == "" || c.path == "-" {
			continue
		}
		if _, err := readCredential(c.flag, c.path, nil, c.holds); err != nil {
			return err
		}
	}
	if o.authConfig != "" { // an empty file is AUTHN-CONFIG-VALID's finding
		if _, err := readInputFile("--authentication-config", o.authConfig, 1); err != nil {
			return err
		}
	}
	if id.oidcCAFile != "" {
		if _, err := readCAFile("--oidc-ca-file", id.oidcCAFile); err != nil {
			return err
		}
	}
	if id.username != "" && id.passwordFile == "" && terminalPrompt(o.root.streams.In, io.Discard) == nil {
		return usageErrorf("--username needs a terminal to ask for the password: pass --password-file (- for standard input)")
	}
	return checkBundlePath(id.bundle, id.forceBundle)
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
