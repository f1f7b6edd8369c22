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

.PHONY: test
test: check unit ## Everything CI runs: static checks and all tests

.PHONY: check
check: fmt-check vet tidy-check ## Static checks: gofmt, go vet, go mod tidy

.PHONY: unit
unit: ## Unit tests with the race detector
	CGO_ENABLED=1 go test -race -count=1 ./...

.PHONY: vet
vet:
	go vet ./...

.PHONY: fmt-check
fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

.PHONY: tidy-check
tidy-check:
	go mod tidy -diff

.PHONY: clean
clean: ## Remove build output
	rm -rf bin dist
