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

# The plugin's own job, on this cluster: install Headlamp behind the capsule-proxy stand-in, then let
# doctor judge the whole chain, alice's sign-in included. Secrets go through files, never argv.
section() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }
section "kubectl capsule-headlamp install"
kubectl-capsule_headlamp install --oidc-issuer-url "$SANDBOX_OIDC_ISSUER" \
  --oidc-client-secret-file "$SANDBOX_HEADLAMP_CLIENT_SECRET_FILE" --oidc-ca-file "$SANDBOX_OIDC_CA"
section "kubectl capsule-headlamp doctor (no user token)"
kubectl-capsule_headlamp doctor --authentication-config "$SANDBOX_AUTHN_CONFIG" || true
token="$(mktemp)"
trap 'rm -f "$token"' EXIT
"$bin/sandbox" token --user alice@example.com --client headlamp --out "$token"
section "kubectl capsule-headlamp doctor --token-file (alice, a tenant owner)"
kubectl-capsule_headlamp doctor --authentication-config "$SANDBOX_AUTHN_CONFIG" --token-file "$token" -o short || true
section "kubectl capsule-headlamp login --no-browser -o json (Ctrl-C ends the port-forward; here it stops after 3 s)"
timeout --signal=INT 3 kubectl-capsule_headlamp login --no-browser -o json || true
echo
echo "In this shell: export PATH=\"$bin:$kubectl_dir:\$PATH\" && eval \"\$(sandbox env)\""
echo "Stop:          $bin/sandbox down"
