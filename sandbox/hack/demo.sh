#!/usr/bin/env bash
# Builds the plugin and the sandbox, starts the sandbox (detached) and shows the identity chain working.
# Usage: sandbox/hack/demo.sh   (from anywhere in the repository; stop with `bin/sandbox down`)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="$root/bin"
mkdir -p "$bin"

echo "demo: building the sandbox CLI" >&2
(cd "$root/sandbox" && go build -o "$bin/sandbox" ./cmd/sandbox)
if [ -d "$root/cmd/kubectl-capsule-headlamp" ]; then
  echo "demo: building the plugin" >&2
  (cd "$root" && CGO_ENABLED=0 go build -o "$bin/kubectl-capsule_headlamp" ./cmd/kubectl-capsule-headlamp)  # kubectl maps capsule-headlamp to this name
fi

if "$bin/sandbox" status >/dev/null 2>&1; then
  echo "demo: a sandbox is already running; reusing it" >&2
else
  "$bin/sandbox" up >/dev/null   # prints progress and timings on stderr
fi

# kubectl from the sandbox build, and the plugin, on PATH for the commands printed below.
kubectl_dir="$("$bin/sandbox" build 2>/dev/null | awk '$1=="kubernetes"{print $2}')"
export PATH="$bin:$kubectl_dir:$PATH"
eval "$("$bin/sandbox" env)"

"$bin/sandbox" demo
echo
echo "In this shell: export PATH=\"$bin:$kubectl_dir:\$PATH\" && eval \"\$(sandbox env)\""
echo "Stop:          $bin/sandbox down"
