#!/usr/bin/env bash
# Build a pinned development tool once and run it (or print its path).
#
#   hack/tool.sh golangci-lint run ./...   build if missing, then exec the tool
#   hack/tool.sh --path krew               build if missing, then print the binary's path
#
# Each tool is pinned by a `tool` directive in a small module of its own (hack/tools/<tool>/go.mod, and
# hack/krew/go.mod for krew), so the plugin's go.mod stays lean. Binaries are cached per tool version and
# Go version under
#   ${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-capsule-headlamp/tools/<tool>-<version>/<go-version>/<binary>
# because a cold build takes minutes on a small machine while a cached one costs nothing. The Go version is
# part of the key since linters must be built by a Go at least as new as the code they read.
# Progress goes to stderr; stdout carries only the path (--path) or the tool's own output.
set -euo pipefail

usage() {
	echo "usage: $0 [--path] <golangci-lint|goreleaser|krew|validate-krew-manifest> [args...]" >&2
	exit 2
}

print_path=false
if [[ ${1:-} == --path ]]; then
	print_path=true
	shift
fi
[[ $# -ge 1 ]] || usage
tool=$1
shift

# Each tool: the module that pins it (under hack/), the package to build and the binary name. The package
# must be a `tool` directive of that module; krew's two binaries share hack/krew with the manifest tests, so
# the krew that validates and installs in tests is the one developers run.
case $tool in
golangci-lint) mod=tools/golangci-lint pkg=github.com/golangci/golangci-lint/v2/cmd/golangci-lint bin=golangci-lint ;;
goreleaser) mod=tools/goreleaser pkg=github.com/goreleaser/goreleaser/v2 bin=goreleaser ;;
krew) mod=krew pkg=sigs.k8s.io/krew/cmd/krew bin=kubectl-krew ;; # kubectl finds krew by this name
validate-krew-manifest) mod=krew pkg=sigs.k8s.io/krew/cmd/validate-krew-manifest bin=validate-krew-manifest ;;
*) usage ;;
esac

moddir=$(cd "$(dirname "${BASH_SOURCE[0]}")/$mod" && pwd)
gomod=$moddir/go.mod

# The version is that of the required module whose path is the longest prefix of the package. Reading
# go.mod (rather than asking the go command) keeps the cached path lookup fast and offline.
version=$(awk -v pkg="$pkg" '
	$1 == "tool" && $2 == pkg { found = 1 }
	$1 == "tool" && $2 == "(" { intool = 1; next }
	intool && $1 == ")" { intool = 0 }
	intool && $1 == pkg { found = 1 }
	$1 == "require" && NF >= 3 && $2 != "(" { req[$2] = $3 }
	$1 == "require" && $2 == "(" { inreq = 1; next }
	inreq && $1 == ")" { inreq = 0 }
	inreq { req[$1] = $2 }
	END {
		best = ""
		for (m in req) if ((pkg == m || index(pkg, m "/") == 1) && length(m) > length(best)) best = m
		if (!found || best == "") exit 1
		print req[best]
	}' "$gomod") || {
	echo "tool.sh: $gomod has no tool directive for $pkg or no version for it" >&2
	exit 1
}

goversion=$(go env GOVERSION)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-capsule-headlamp/tools
dir=$cache/$tool-$version/$goversion
path=$dir/$bin

if [[ ! -x $path ]]; then
	echo "tool.sh: building $tool $version with $goversion into $dir (cold builds take minutes)" >&2
	mkdir -p "$dir"
	# Build beside the final path and rename: the rename is atomic, so two racing builds both succeed and a
	# reader never sees a half-written binary.
	tmp=$(mktemp -d "$dir/.build.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	start=$SECONDS
	(cd "$moddir" && GOWORK=off CGO_ENABLED=0 go build -trimpath -o "$tmp/$bin" "$pkg")
	mv -f "$tmp/$bin" "$path"
	rm -rf "$tmp"
	trap - EXIT
	echo "tool.sh: built $tool $version in $((SECONDS - start))s" >&2
fi

if $print_path; then
	echo "$path"
	exit 0
fi
exec "$path" "$@"
