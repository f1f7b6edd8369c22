package krew

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"sigs.k8s.io/krew/pkg/index"
	"sigs.k8s.io/yaml"
)

const (
	pluginName = "capsule-headlamp"
	homepage   = "https://github.com/projectcapsule/kubectl-capsule-headlamp"
	// binName is the file kubectl looks up for `kubectl capsule-headlamp`.
	binName = "kubectl-capsule_headlamp"
	// completionHelper is the executable kubectl asks for a plugin's completions.
	completionHelper = "kubectl_complete-capsule_headlamp"
	// archivePrefix matches the archives' name_template in .goreleaser.yaml.
	archivePrefix = "kubectl-capsule-headlamp_"

	maxShortDescription = 50
	maxDescriptionWidth = 80
)

// releasePlatforms are the os/arch pairs every release ships, each exactly once.
var releasePlatforms = []string{
	"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64",
}

// decode reads a manifest strictly, so a misspelt field fails instead of being dropped as krew does.
func decode(manifest []byte) (index.Plugin, error) {
	var p index.Plugin
	if err := yaml.UnmarshalStrict(manifest, &p); err != nil {
		return p, fmt.Errorf("decode manifest strictly: %w", err)
	}
	return p, nil
}

// checkRules applies the project's rules that krew's validator does not know about: text limits, the
// completion caveat, and exactly the six release platforms with the right binary and archive each.
func checkRules(manifest []byte) error {
	p, err := decode(manifest)
	if err != nil {
		return err
	}
	var errs []error
	if n := utf8.RuneCountInString(p.Spec.ShortDescription); n > maxShortDescription {
		errs = append(errs, fmt.Errorf("shortDescription has %d characters, at most %d", n, maxShortDescription))
	}
	for i, line := range strings.Split(p.Spec.Description, "\n") {
		if n := utf8.RuneCountInString(line); n > maxDescriptionWidth {
			errs = append(errs, fmt.Errorf("description line %d is %d columns wide, at most %d", i+1, n, maxDescriptionWidth))
		}
	}
	if !strings.Contains(p.Spec.Caveats, completionHelper) || !strings.Contains(p.Spec.Caveats, "__complete") {
		errs = append(errs, fmt.Errorf("caveats must show the %s helper that calls __complete", completionHelper))
	}
	if p.Spec.Homepage != homepage {
		errs = append(errs, fmt.Errorf("homepage is %q, want %q", p.Spec.Homepage, homepage))
	}
	return errors.Join(append(errs, checkPlatforms(p)...)...)
}

// checkPlatforms wants each release platform once, with the binary name and the release archive URL that
// goreleaser produces for it.
func checkPlatforms(p index.Plugin) []error {
	var errs []error
	seen := map[string]bool{}
	for _, pl := range p.Spec.Platforms {
		key := platformKey(pl)
		if seen[key] {
			errs = append(errs, fmt.Errorf("platform %s is listed twice", key))
		}
		seen[key] = true
		if pl.Bin != binFor(key) {
			errs = append(errs, fmt.Errorf("%s: bin is %q, want %q", key, pl.Bin, binFor(key)))
		}
		if want := releaseURI(p.Spec.Version, key); pl.URI != want {
			errs = append(errs, fmt.Errorf("%s: uri is %q, want %q", key, pl.URI, want))
		}
	}
	for _, key := range releasePlatforms {
		if !seen[key] {
			errs = append(errs, fmt.Errorf("missing platform %s", key))
		}
	}
	return errs
}

// platformKey is "os/arch" from a platform's matchLabels selector.
func platformKey(pl index.Platform) string {
	if pl.Selector == nil {
		return "<no selector>"
	}
	return pl.Selector.MatchLabels["os"] + "/" + pl.Selector.MatchLabels["arch"]
}

func binFor(key string) string {
	if strings.HasPrefix(key, "windows/") {
		return binName + ".exe"
	}
	return binName
}

// releaseURI is where the release of version keeps the archive for key (zip on Windows, tar.gz elsewhere).
func releaseURI(version, key string) string {
	goos, goarch, _ := strings.Cut(key, "/")
	ext := ".tar.gz"
	if goos == "windows" {
		ext = ".zip"
	}
	file := archivePrefix + strings.TrimPrefix(version, "v") + "_" + goos + "_" + goarch + ext
	return homepage + "/releases/download/" + version + "/" + file
}

// mustDecode is decode for manifests a test expects to be valid.
func mustDecode(t *testing.T, manifest []byte) index.Plugin {
	t.Helper()
	p, err := decode(manifest)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return p
}
