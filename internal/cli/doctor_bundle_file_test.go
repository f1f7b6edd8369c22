package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/projectcapsule/kubectl-capsule-headlamp/pkg/doctor/bundle"
)

func TestWriteBundleFileIsPrivateAndNew(t *testing.T) {
	path := filepath.Join(t.TempDir(), "b.tar.gz")
	if err := writeBundleFile(path, bundle.Bundle{Created: time.Now()}, false); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Size() == 0 {
		t.Fatalf("bundle file: %v %v", fi.Mode(), err)
	}
	if err := writeBundleFile(path, bundle.Bundle{Created: time.Now()}, false); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("a second write without --force = %v, want a refusal naming --force", err)
	}
}

// TestWriteBundleFileNeverFollowsASymlink: a symlink at --bundle (to a file of the user's, or to
// nothing yet) is refused without --force, and replaced itself with it: the target is never written.
func TestWriteBundleFileNeverFollowsASymlink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "precious")
	if err := os.WriteFile(target, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "not-yet")
	for name, to := range map[string]string{"link.tar.gz": target, "dangling.tar.gz": dangling} {
		link := filepath.Join(dir, name)
		if err := os.Symlink(to, link); err != nil {
			t.Skipf("no symlinks here: %v", err)
		}
		if err := checkBundlePath(link, false); err == nil || !strings.Contains(err.Error(), "already exists: pass --force") {
			t.Errorf("%s: validation = %v, want a usage error naming --force", name, err)
		}
		if err := writeBundleFile(link, bundle.Bundle{Created: time.Now()}, false); err == nil {
			t.Errorf("%s: written through the symlink without --force", name)
		}
		if err := checkBundlePath(link, true); err != nil {
			t.Errorf("%s: validation with --force = %v", name, err)
		}
		if err := writeBundleFile(link, bundle.Bundle{Created: time.Now()}, true); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if fi, err := os.Lstat(link); err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: after --force the path is %v (%v), want a regular 0600 file", name, fi.Mode(), err)
		}
	}
	if data, err := os.ReadFile(target); err != nil || string(data) != "keep me" {
		t.Errorf("the symlink's target changed: %q, %v", data, err)
	}
	if _, err := os.Lstat(dangling); err == nil {
		t.Error("the dangling symlink's target was created")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".doctor-bundle-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestBundleFlagsAreChecked(t *testing.T) {
	existing := filepath.Join(t.TempDir(), "old.tar.gz")
	if err := os.WriteFile(existing, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--bundle", existing}, "already exists: pass --force to replace it"},
		{[]string{"--force"}, "--force replaces an existing --bundle file: it needs --bundle"},
	} {
		code, stdout, stderr := run(t, nil, append([]string{"doctor", "-o", "short"}, tt.args...)...)
		if code != ExitUsage || stdout != "" || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, stdout, stderr, tt.want)
		}
	}
}
