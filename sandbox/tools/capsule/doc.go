// Package tools pins the capsule version the sandbox builds (see the tool directives in go.mod). It holds
// no code; it exists so that go vet and go test have a package to look at in this module.
package tools
