// Package version reports the build of the plugin. The release pipeline sets the variables with
// -ldflags "-X"; a plain `go install module@version` falls back to the module version Go recorded.
package version

import "runtime/debug"

// Set at link time by the release build; see .goreleaser.yaml and the Makefile.
var (
	Version = ""
	Commit  = ""
	Date    = ""
)

// Info describes the client build.
type Info struct {
	Version string `json:"version"`
	Commit  string `json:"commit,omitempty"`
	Date    string `json:"date,omitempty"`
}

// Get returns the build information, falling back to the module version recorded by the Go toolchain
// when the binary was built without ldflags.
func Get() Info {
	info := Info{Version: Version, Commit: Commit, Date: Date}
	if info.Version != "" {
		return info
	}
	info.Version = "devel"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		info.Version = bi.Main.Version
	}
	return info
}
