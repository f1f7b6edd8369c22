package krew

import (
	"path/filepath"
	"testing"

	"sigs.k8s.io/yaml"
)

// goreleaserConfig is the part of .goreleaser.yaml that must agree with plugins.yaml.
type goreleaserConfig struct {
	Builds []struct {
		Binary string `json:"binary"`
	} `json:"builds"`
	Archives []struct {
		NameTemplate string `json:"name_template"`
	} `json:"archives"`
	Krews []struct {
		Name             string `json:"name"`
		Homepage         string `json:"homepage"`
		ShortDescription string `json:"short_description"`
		Description      string `json:"description"`
		Caveats          string `json:"caveats"`
	} `json:"krews"`
}

// The release writes its own manifest from the krews section while plugins.yaml is kept in the
// repository: both must say the same, and name the binary and archives as the rules expect.
func TestGoreleaserAgreesWithManifest(t *testing.T) {
	root := repoRoot(t)
	p := mustDecode(t, readFile(t, filepath.Join(root, "plugins.yaml")))
	var cfg goreleaserConfig
	if err := yaml.Unmarshal(readFile(t, filepath.Join(root, ".goreleaser.yaml")), &cfg); err != nil {
		t.Fatalf("decode .goreleaser.yaml: %v", err)
	}
	if len(cfg.Builds) != 1 || len(cfg.Archives) != 1 || len(cfg.Krews) != 1 {
		t.Fatalf("want one build, one archive and one krew entry, got %d, %d and %d",
			len(cfg.Builds), len(cfg.Archives), len(cfg.Krews))
	}
	k := cfg.Krews[0]
	fields := []struct{ name, goreleaser, manifest string }{
		{"name", k.Name, p.Name},
		{"homepage", k.Homepage, p.Spec.Homepage},
		{"short description", k.ShortDescription, p.Spec.ShortDescription},
		{"description", k.Description, p.Spec.Description},
		{"caveats", k.Caveats, p.Spec.Caveats},
		{"binary", cfg.Builds[0].Binary, binName},
		{"archive name", cfg.Archives[0].NameTemplate, "{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}"},
	}
	for _, f := range fields {
		if f.goreleaser != f.manifest {
			t.Errorf("%s differs:\n.goreleaser.yaml: %q\nwant:             %q", f.name, f.goreleaser, f.manifest)
		}
	}
}
