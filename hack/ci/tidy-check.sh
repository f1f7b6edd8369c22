#!/usr/bin/env bash
# Fail when `go mod tidy` would change any module of the repository: the plugin, the tool modules, the
# krew tests, the sandbox and e2e modules, and any module added later (found by their go.mod files,
# tracked or new, skipping ignored directories such as dist/).
#
#   hack/ci/tidy-check.sh              every module
#   hack/ci/tidy-check.sh . e2e        only the modules in these directories
#
# Tidying a tool module downloads the tests' dependencies of everything the tool uses (goreleaser's
# alone are about 0.8 GB more than its build needs), so a fresh machine pays minutes for it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

failed=0
while IFS= read -r gomod; do
	dir=$(dirname "$gomod")
	echo "tidy-check: $dir" >&2
	if [[ ! -f $gomod ]]; then
		echo "tidy-check: $dir holds no go.mod" >&2
		failed=1
		continue
	fi
	# -diff prints what tidy would change and exits non-zero, leaving the files alone.
	if ! (cd "$dir" && GOWORK=off go mod tidy -diff); then
		echo "tidy-check: run 'go mod tidy' in $dir and commit the result" >&2
		failed=1
	fi
done < <(if [[ $# -gt 0 ]]; then
	printf '%s/go.mod\n' "$@"
else
	git ls-files --cached --others --exclude-standard -- 'go.mod' '*/go.mod' | sort -u
fi)
exit "$failed"
