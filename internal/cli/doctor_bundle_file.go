package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/bundle"
)

// bundleMode keeps the bundle to its owner: it holds names, groups and cluster details, if no
// credential.
const bundleMode = 0o600

// checkBundlePath checks that --bundle can be written before any check runs: the folder exists and
// takes a new file, and nothing is at path yet unless force (--force) allows replacing it. It tries
// with a file of its own, removed at once, because permission bits do not tell (ACLs, read-only
// mounts); the bundle itself is written only after the run.
func checkBundlePath(path string, force bool) error {
	if path == "" {
		return nil
	}
	if st, err := os.Lstat(path); err == nil {
		switch {
		case st.IsDir():
			return usageErrorf("--bundle %s is a folder: name a .tar.gz file", path)
		case !force:
			return usageErrorf("--bundle %s already exists: pass --force to replace it, or name a new file", path)
		}
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

// writeBundleFile writes the bundle to path with mode 0600, never through a symlink. Without force it
// creates path and fails if anything is there (O_EXCL: a symlink counts, even a dangling one, and is
// not followed). With force it writes a new file beside path and renames it over: an existing symlink
// is replaced, its target left alone.
func writeBundleFile(path string, b bundle.Bundle, force bool) error {
	if force {
		return replaceFile(path, func(w io.Writer) error { return bundle.Write(w, b) })
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, bundleMode) //nolint:gosec // --bundle names the file to write
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("the bundle %s appeared while doctor ran: pass --force to replace it, or name a new file", path)
	}
	if err != nil {
		return fmt.Errorf("create the bundle %s: %w", path, err)
	}
	if err := writeAndClose(f, func(w io.Writer) error { return bundle.Write(w, b) }); err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("write the bundle %s: %w", path, err)
	}
	return nil
}

// replaceFile writes a temporary file in path's folder and renames it to path, so that path is
// either the old file or the whole new one, and a symlink at path is replaced rather than followed.
func replaceFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".doctor-bundle-*") // mode 0600
	if err != nil {
		return fmt.Errorf("create the bundle beside %s: %w", path, err)
	}
	if err := writeAndClose(tmp, write); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("write the bundle %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		_ = os.Remove(tmp.Name())
		return fmt.Errorf("replace %s with the bundle: %w", path, err)
	}
	return nil
}

func writeAndClose(f *os.File, write func(io.Writer) error) error {
	if err := write(f); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
