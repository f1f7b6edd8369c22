#!/usr/bin/env bash
# Lint the plugin module with the pinned golangci-lint (hack/tools/golangci-lint) and .golangci.yml.
# The first run builds golangci-lint into the user cache (see hack/tool.sh); later runs start at once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# A misspelt key in .golangci.yml would otherwise be ignored without a word.
hack/tool.sh golangci-lint config verify
hack/tool.sh golangci-lint run ./...
