// Command samemanifest fails when two krew manifests differ in content, ignoring comments, layout and
// the order of platforms. hack/ci/release-check.sh --full uses it to prove that the manifest goreleaser
// writes from its krews section equals the one hack/krew-manifest.sh renders from plugins.yaml.
package main

import (
	"fmt"
	"os"
	"reflect"
	"sort"

	"sigs.k8s.io/krew/pkg/index"
	"sigs.k8s.io/yaml"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: samemanifest A.yaml B.yaml")
		os.Exit(2)
	}
	diffs, err := compareFiles(os.Args[1], os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(2)
	}
	for _, d := range diffs {
		fmt.Fprintln(os.Stderr, d)
	}
	if len(diffs) > 0 {
		os.Exit(1)
	}
}

func compareFiles(a, b string) ([]string, error) {
	pa, err := load(a)
	if err != nil {
		return nil, err
	}
	pb, err := load(b)
	if err != nil {
		return nil, err
	}
	return compare(pa, pb), nil
}

func load(path string) (index.Plugin, error) {
	var p index.Plugin
	data, err := os.ReadFile(path)
	if err != nil {
		return p, fmt.Errorf("read manifest: %w", err)
	}
	if err := yaml.UnmarshalStrict(data, &p); err != nil {
		return p, fmt.Errorf("decode manifest %s: %w", path, err)
	}
	return p, nil
}

// compare lists the differences field by field; platforms are matched by their os/arch selector.
func compare(a, b index.Plugin) []string {
	var diffs []string
	check := func(field string, x, y any) {
		if !reflect.DeepEqual(x, y) {
			diffs = append(diffs, fmt.Sprintf("%s differs:\n%s---\n%s", field, show(x), show(y)))
		}
	}
	check("apiVersion", a.APIVersion, b.APIVersion)
	check("kind", a.Kind, b.Kind)
	check("metadata.name", a.Name, b.Name)
	sa, sb := a.Spec, b.Spec
	sa.Platforms, sb.Platforms = nil, nil
	check("spec", sa, sb)
	pa, pb := byPlatform(a), byPlatform(b)
	for _, key := range keys(pa, pb) {
		check("platform "+key, pa[key], pb[key])
	}
	return diffs
}

// show renders a value as YAML, the way the manifests spell it.
func show(v any) string {
	b, err := yaml.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%+v\n", v)
	}
	return string(b)
}

func byPlatform(p index.Plugin) map[string]index.Platform {
	m := map[string]index.Platform{}
	for _, pl := range p.Spec.Platforms {
		key := "<no selector>"
		if pl.Selector != nil {
			key = pl.Selector.MatchLabels["os"] + "/" + pl.Selector.MatchLabels["arch"]
		}
		m[key] = pl
	}
	return m
}

func keys(ms ...map[string]index.Platform) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range ms {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}
