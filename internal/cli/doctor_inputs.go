package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
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
	return checkBundleFolder(id.bundle)
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

func isDirErr(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// checkBundleFolder checks that --bundle can be written: the folder exists and takes a new file. It
// tries with a file of its own, removed at once, because permission bits do not tell (ACLs, read-only
// mounts); the bundle itself is written only after the run.
func checkBundleFolder(path string) error {
	if path == "" {
		return nil
	}
	if isDirErr(path) {
		return usageErrorf("--bundle %s is a folder: name a .tar.gz file", path)
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	switch {
	case err != nil:
		return usageErrorf("--bundle: the folder %s: %w: create it first, or name a file in another folder", dir, err)
	case !st.IsDir():
		return usageErrorf("--bundle: %s is not a folder: name a file in an existing folder", dir)
	}
	probe, err := os.CreateTemp(dir, ".doctor-bundle-*")
	if err != nil {
		return usageErrorf("--bundle: cannot write in %s: %w: name a file in a folder you may write to", dir, err)
	}
	_ = probe.Close()
	if err := os.Remove(probe.Name()); err != nil {
		return fmt.Errorf("remove the probe file %s: %w", probe.Name(), err)
	}
	return nil
}
