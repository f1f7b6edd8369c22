package krew

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// krewEnv is a throw-away krew installation: its own KREW_ROOT, HOME and TMPDIR under t.TempDir, and
// the os/arch krew installs for (KREW_OS, KREW_ARCH), so any platform's entry can be installed here.
type krewEnv struct {
	root, home, tmp string
	goos, goarch    string
}

func newKrewEnv(t *testing.T, key string) krewEnv {
	t.Helper()
	dir := t.TempDir()
	goos, goarch, _ := strings.Cut(key, "/")
	k := krewEnv{
		root: filepath.Join(dir, "krew"), home: filepath.Join(dir, "home"), tmp: filepath.Join(dir, "tmp"),
		goos: goos, goarch: goarch,
	}
	for _, d := range []string{k.home, k.tmp} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatalf("create %s: %v", d, err)
		}
	}
	return k
}

// command runs bin in an environment built from scratch, so neither the developer's krew, kubeconfig
// nor network can leak in. Krew stays offline by itself here: --manifest skips the index update,
// --archive replaces the download and KREW_NO_UPGRADE_CHECK stops the release check. The proxy
// variables point at a closed local port so any other network attempt fails at once instead of
// reaching out, and PATH holds only krew's bin directory (no git, no kubectl).
func (k krewEnv) command(bin string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{
		"HOME=" + k.home,
		"TMPDIR=" + k.tmp,
		"PATH=" + filepath.Join(k.root, "bin"),
		"KREW_ROOT=" + k.root,
		"KREW_OS=" + k.goos,
		"KREW_ARCH=" + k.goarch,
		"KREW_NO_UPGRADE_CHECK=1",
		"KREW_DEFAULT_INDEX_URI=" + filepath.Join(k.tmp, "no-index"),
		"KUBECONFIG=" + filepath.Join(k.home, "no-kubeconfig"),
		"NO_COLOR=1",
		"HTTPS_PROXY=http://127.0.0.1:9", "HTTP_PROXY=http://127.0.0.1:9",
		"https_proxy=http://127.0.0.1:9", "http_proxy=http://127.0.0.1:9",
	}
	return cmd
}

// checkInstalled checks what krew leaves behind for the plugin (the link kubectl finds, the files of
// this version in the store, the receipt) and returns the installed binary's path.
func (k krewEnv) checkInstalled(t *testing.T, version string) string {
	t.Helper()
	link := filepath.Join(k.root, "bin", binFor(k.goos+"/"+k.goarch))
	target, err := os.Readlink(link)
	if err != nil {
		t.Fatalf("krew did not link %s: %v", link, err)
	}
	store := filepath.Join(k.root, "store", pluginName, version)
	if filepath.Dir(target) != store {
		t.Fatalf("%s points to %s, want a file in %s", link, target, store)
	}
	// Krew's index requires a licence in the archive; the README travels with it as the manual.
	for _, f := range []string{"LICENSE", "README.md", filepath.Join("..", "..", "..", "receipts", pluginName+".yaml")} {
		if _, err := os.Stat(filepath.Join(store, f)); err != nil {
			t.Fatalf("missing after install: %v", err)
		}
	}
	return target
}
