package krew

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
)

// The host's archive holds the plugin built from this checkout; the other platforms' archives hold a
// stub, enough to prove their uri, sha256, archive format and bin fit together in a real install.
func TestKrewInstallsEveryPlatform(t *testing.T) {
	root := repoRoot(t)
	p := mustDecode(t, readFile(t, filepath.Join(root, "plugins.yaml")))
	host := runtime.GOOS + "/" + runtime.GOARCH
	dir := t.TempDir()
	plugin := buildPlugin(t, root, p.Spec.Version, dir)
	common := []archiveFile{
		{name: "LICENSE", mode: 0o644, content: readFile(t, filepath.Join(root, "LICENSE"))},
		{name: "README.md", mode: 0o644, content: readFile(t, filepath.Join(root, "README.md"))},
	}

	archives := map[string]string{}
	contents := map[string][]byte{}
	var checksums bytes.Buffer
	for _, pl := range p.Spec.Platforms {
		key := platformKey(pl)
		contents[key] = []byte("#!/bin/sh\necho stub for " + key + "\n")
		if key == host {
			contents[key] = plugin
		}
		archive := filepath.Join(dir, path.Base(pl.URI))
		pack(t, archive, append([]archiveFile{{name: pl.Bin, mode: 0o755, content: contents[key]}}, common...))
		archives[key] = archive
		fmt.Fprintf(&checksums, "%s  %s\n", sha256File(t, archive), filepath.Base(archive))
	}
	if archives[host] == "" {
		t.Fatalf("plugins.yaml offers no platform for this machine (%s)", host)
	}

	// Render the manifest exactly as a release does, from a checksums file in goreleaser's format.
	sums := writeFile(t, dir, "checksums.txt", checksums.Bytes())
	rendered := run(t, exec.Command("bash", filepath.Join(root, "hack", "krew-manifest.sh"), p.Spec.Version, sums))
	if err := validate(t, toolPath(t, "validate-krew-manifest"), []byte(rendered)); err != nil {
		t.Fatalf("the rendered manifest is invalid: %v\n%s", err, rendered)
	}
	manifest := writeFile(t, dir, pluginName+".yaml", []byte(rendered))

	krew := toolPath(t, "krew")
	for _, pl := range p.Spec.Platforms {
		key, archive := platformKey(pl), archives[platformKey(pl)]
		t.Run(key, func(t *testing.T) {
			k := newKrewEnv(t, key)
			run(t, k.command(krew, "install", "--manifest="+manifest, "--archive="+archive))
			installed := k.checkInstalled(t, p.Spec.Version)
			if got := readFile(t, installed); !bytes.Equal(got, contents[key]) {
				t.Fatalf("%s is not the binary packed for %s", installed, key)
			}
			if key == host {
				checkVersion(t, k, p.Spec.Version)
			}
		})
	}
}

// buildPlugin builds the plugin from the checkout as the release does (static, trimmed paths, the
// version variables set by ldflags) and returns the binary's bytes.
func buildPlugin(t *testing.T, root, version, dir string) []byte {
	t.Helper()
	out := filepath.Join(dir, binName)
	pkg := "github.com/projectcapsule/kubectl-capsule-headlamp/internal/version"
	ldflags := fmt.Sprintf("-X %s.Version=%s -X %s.Commit=%s -X %s.Date=%s",
		pkg, version, pkg, testCommit, pkg, testDate)
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", ldflags, "-o", out, "./cmd/kubectl-capsule-headlamp")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	run(t, cmd)
	return readFile(t, out)
}

// The commit and date the test build stamps into the plugin, to find them again in its output.
const (
	testCommit = "0123456789abcdef0123456789abcdef01234567"
	testDate   = "2026-01-02T03:04:05Z"
)

// checkVersion runs the installed plugin through krew's link, as kubectl would, and wants the stamps
// of the test build back: the version the manifest names, and no cluster contacted.
func checkVersion(t *testing.T, k krewEnv, version string) {
	t.Helper()
	link := filepath.Join(k.root, "bin", binName)
	out := run(t, k.command(link, "version", "--client", "-o", "json"))
	var got map[string]map[string]string
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("version -o json printed something else than JSON: %v\n%s", err, out)
	}
	want := map[string]map[string]string{
		"clientVersion": {"version": version, "commit": testCommit, "date": testDate},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("version --client -o json:\ngot  %v\nwant %v", got, want)
	}
}
