#!/usr/bin/env bash
# Run the end-to-end tests against the sandbox (a real kube-apiserver, etcd, Dex, Capsule and KWOK).
#
#   hack/ci/e2e.sh                 every e2e test
#   hack/ci/e2e.sh -test.run TestLogin -test.v   flags for the compiled test binary
#
# Everything that needs the network happens first: the sandbox binaries are built (or found in the
# cache; a cold build takes ~16-20 minutes on 2 cores and prints progress), modules are downloaded and the
# test binary is compiled. The tests then run in a private network namespace when the machine allows
# one, because the sandbox's ports are fixed and must not clash with anything else running here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD

(cd sandbox && go run ./cmd/sandbox build)
go mod download
(cd e2e && go mod download)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd e2e && go test -c -o "$work/e2e.test" .)

run=("$work/e2e.test" -test.count=1 -test.timeout=60m "$@")
isolate() { unshare "$@" --net bash -c 'ip link set lo up && cd "$0" && exec "${@}"' "$root/e2e" "${run[@]}"; }
if unshare --net true 2>/dev/null; then
	isolate
elif unshare --user --map-root-user --net true 2>/dev/null; then
	isolate --user --map-root-user
else
	echo "e2e: no private network namespace here; running on the host network (ports must be free)" >&2
	cd e2e && exec "${run[@]}"
fi
