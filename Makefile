# kubectl-capsule-headlamp: build, install, test and demo. `make help` lists the targets.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

MODULE  := github.com/projectcapsule/kubectl-capsule-headlamp
BIN     := bin/kubectl-capsule_headlamp
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
COMMIT  ?= $(shell git rev-parse --short HEAD 2>/dev/null)
DATE    ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS := -s -w -X $(MODULE)/internal/version.Version=$(VERSION) \
	-X $(MODULE)/internal/version.Commit=$(COMMIT) -X $(MODULE)/internal/version.Date=$(DATE)
INSTALL_DIR ?= $(or $(shell go env GOBIN),$(shell go env GOPATH)/bin)

export CGO_ENABLED ?= 0

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

.PHONY: build
build: ## Build bin/kubectl-capsule_headlamp
	go build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/kubectl-capsule-headlamp

.PHONY: install
install: build ## Put the plugin and its kubectl completion helper on the PATH ($(INSTALL_DIR))
	install -d $(INSTALL_DIR)
	install -m 0755 $(BIN) scripts/kubectl_complete-capsule_headlamp $(INSTALL_DIR)/

# Modules with Go code of their own; the tool modules under hack/tools and sandbox/tools only pin versions.
CODE_MODULES := . sandbox e2e hack/krew

.PHONY: test
test: check unit krew-test release-check e2e ## Everything CI runs: static checks and all tests

.PHONY: check
check: fmt-check vet tidy-check lint ## Static checks: gofmt, go vet, go mod tidy, golangci-lint

.PHONY: unit
unit: ## Unit tests with the race detector (the plugin and the sandbox's own logic)
	CGO_ENABLED=1 go test -race -count=1 ./...
	cd sandbox && CGO_ENABLED=1 go test -race -count=1 ./...

.PHONY: vet
vet:
	for m in $(CODE_MODULES); do (cd $$m && go vet ./...); done

.PHONY: e2e
e2e: ## End-to-end tests on the sandbox (builds its binaries on first use; E2E_FLAGS='-test.run TestLogin')
	hack/ci/e2e.sh $(E2E_FLAGS)

.PHONY: bench
bench: ## Benchmarks on the sandbox: install vs kubectl, doctor at 2,000 namespaces vs 2 (they print ratios)
	hack/ci/e2e.sh -test.run '^$$' -test.bench . -test.benchtime 9x

.PHONY: demo
demo: ## Build everything, start the sandbox, install Headlamp and run doctor against it
	sandbox/hack/demo.sh

.PHONY: sandbox-build
sandbox-build: ## Build (or find in the cache) the sandbox components; ~16-20 min cold on 2 cores
	cd sandbox && go run ./cmd/sandbox build

.PHONY: sandbox-up
sandbox-up: ## Start the sandbox in the background (prints the KUBECONFIG to export)
	cd sandbox && go run ./cmd/sandbox up

.PHONY: sandbox-down
sandbox-down: ## Stop the sandbox, leaving no process behind
	cd sandbox && go run ./cmd/sandbox down

.PHONY: lint
lint: ## golangci-lint (pinned in hack/tools, built once into the cache)
	hack/ci/lint.sh

.PHONY: krew-test
krew-test: ## Validate plugins.yaml with krew's own code and install the plugin with a real krew
	cd hack/krew && go test -count=1 ./...

.PHONY: release-check
release-check: ## goreleaser check and a snapshot build for this platform
	hack/ci/release-check.sh

.PHONY: fmt-check
fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

.PHONY: tidy-check
tidy-check: ## go mod tidy leaves every module of the repository unchanged
	hack/ci/tidy-check.sh

.PHONY: release-snapshot
release-snapshot: ## Snapshot release of all six platforms; its krew manifest must equal plugins.yaml
	hack/ci/release-check.sh --full

.PHONY: clean
clean: ## Remove build output
	rm -rf bin dist
