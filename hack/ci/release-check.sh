#!/usr/bin/env bash
# Check the release configuration and build what a release builds, without publishing anything.
#
#   hack/ci/release-check.sh         goreleaser check, then a snapshot build for this machine only
#   hack/ci/release-check.sh --full  goreleaser check, then a snapshot release of all six platforms
#                                    (archives, checksums, krew manifest), and the krew manifest that
#                                    hack/krew-manifest.sh renders from those checksums must equal the
#                                    one goreleaser wrote. Cross-compiling six targets is slow on a small
#                                    machine, so CI runs the short form and releases run --full.
#
# Either way the built binary must print the version goreleaser stamped into it: a wrong -X path in the
# ldflags is silently ignored by the linker and would ship "dev" builds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

goreleaser=$(hack/tool.sh --path goreleaser)
"$goreleaser" check

bin=dist/kubectl-capsule_headlamp
if [[ ${1:-} == --full ]]; then
	"$goreleaser" release --snapshot --clean --skip=publish
	bin=$(jq -r --arg os "$(go env GOOS)" --arg arch "$(go env GOARCH)" \
		'.[] | select(.type == "Binary" and .goos == $os and .goarch == $arch) | .path' dist/artifacts.json)
	version=v$(jq -r .version dist/metadata.json)
	hack/krew-manifest.sh "$version" dist/checksums.txt >dist/krew/rendered.yaml
	(cd hack/krew && go run ./cmd/samemanifest ../../dist/krew/rendered.yaml ../../dist/krew/capsule-headlamp.yaml)
else
	"$goreleaser" build --snapshot --clean --single-target --output "$bin"
	version=v$(jq -r .version dist/metadata.json)
fi

out=$("$bin" version --client -o json)
if ! grep -qF "\"$version\"" <<<"$out"; then
	echo "release-check: $bin does not report version $version; check the -X ldflags in .goreleaser.yaml:" >&2
	echo "$out" >&2
	exit 1
fi
echo "release-check: goreleaser config OK, $bin reports $version" >&2
