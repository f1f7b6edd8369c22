package krew

import (
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// krewValidate runs krew's own validator (structure, sha256 and version formats, selectors that match a
// supported platform and do not overlap) under the file name krew insists on: <plugin name>.yaml.
func krewValidate(t *testing.T, validator string, manifest []byte) error {
	t.Helper()
	path := writeFile(t, t.TempDir(), pluginName+".yaml", manifest)
	_, err := output(exec.Command(validator, "-manifest", path, "-skip-install"))
	return err
}

// validate is krew's validation plus the project's rules.
func validate(t *testing.T, validator string, manifest []byte) error {
	t.Helper()
	return errors.Join(krewValidate(t, validator, manifest), checkRules(manifest))
}

func TestManifestIsValid(t *testing.T) {
	manifest := readFile(t, filepath.Join(repoRoot(t), "plugins.yaml"))
	if err := validate(t, toolPath(t, "validate-krew-manifest"), manifest); err != nil {
		t.Fatalf("plugins.yaml: %v", err)
	}
}

func TestBrokenManifestsAreRejected(t *testing.T) {
	manifest := string(readFile(t, filepath.Join(repoRoot(t), "plugins.yaml")))
	validator := toolPath(t, "validate-krew-manifest")
	// In old and new, {v} stands for spec.version and {n} for it without the "v", so the cases survive
	// a release that renders a new version into plugins.yaml.
	version := mustDecode(t, []byte(manifest)).Spec.Version
	expand := strings.NewReplacer("{v}", version, "{n}", strings.TrimPrefix(version, "v")).Replace
	linuxAMD64 := "download/{v}/kubectl-capsule-headlamp_{n}_linux_amd64"
	tests := []struct {
		name, old, new, want string
	}{
		// Caught by krew's validator.
		{"old api version", "/v1alpha2", "/v1alpha1", `apiVersion="krew.googlecontainertools.github.com/v1alpha1"`},
		{"wrong kind", "kind: Plugin", "kind: Plugins", `kind="Plugins"`},
		{"name differs from the file name", "name: capsule-headlamp", "name: capsule_headlamp", "should be named"},
		{"version without v", "version: {v}", "version: {n}", "failed to parse plugin version"},
		{"sha256 not hex", `sha256: "`, `sha256: "z`, "`sha256` value"},
		{"bin missing", "    bin: kubectl-capsule_headlamp\n", "", "`bin` has to be set"},
		{"unsupported selector key", "os: linux", "distro: linux", `key "distro" not supported`},
		{"selector matching no platform", "arch: arm64", "arch: riscv64", "doesn't match any supported platforms"},
		{"overlapping selectors", "os: darwin\n        arch: amd64", "os: linux\n        arch: amd64", "overlapping"},
		// Caught by the project's rules.
		{"misspelt field", "  homepage:", "  homepag:", "unknown field"},
		{"short description too long", "shortDescription: Install", "shortDescription: Install, upgrade", "at most 50"},
		{"description line too wide", "generates shell completion scripts\n", "generates shell completion scripts for bash, zsh, fish and powershell\n", "columns wide"},
		{"caveat without the completion helper", "__complete", "completion", "caveats must show"},
		{"windows bin without .exe", "bin: kubectl-capsule_headlamp.exe", "bin: kubectl-capsule_headlamp", "windows/amd64: bin"},
		{"windows archive as tar.gz", "windows_amd64.zip", "windows_amd64.tar.gz", "windows/amd64: uri"},
		{"uri of another release", linuxAMD64, "download/v0.0.1/kubectl-capsule-headlamp_0.0.1_linux_amd64", "linux/amd64: uri"},
		{"uri of another platform", linuxAMD64, "download/{v}/kubectl-capsule-headlamp_{n}_linux_arm64", "linux/amd64: uri"},
		{"platform missing", "os: windows\n        arch: arm64", "os: windows\n        arch: amd64", "missing platform windows/arm64"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := expand(tc.old)
			if !strings.Contains(manifest, old) {
				t.Fatalf("plugins.yaml no longer contains %q: update this case", old)
			}
			broken := strings.Replace(manifest, old, expand(tc.new), 1)
			err := validate(t, validator, []byte(broken))
			if err == nil {
				t.Fatalf("the manifest with %q replaced by %q was accepted", old, expand(tc.new))
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("rejected for another reason: want %q in\n%v", tc.want, err)
			}
		})
	}
}
