// Package krew holds the tests of the plugin's krew packaging: the repository's plugins.yaml checked by
// krew's own validator and by the project's rules, the manifest text kept equal to the krews section of
// .goreleaser.yaml, and a real krew install of locally built archives into a temporary KREW_ROOT.
//
// The module also pins krew itself (see the tool directives in go.mod), so the krew that validates and
// installs in these tests is the one hack/tool.sh gives developers.
package krew
