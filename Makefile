# Séjour: the two commands of the README.
#   make run    build the applicant site and serve it with the embedded local mode on http://127.0.0.1:8080 (state in ./data)
#   make test   every check CI runs; installs what it needs first (once)
#
# CARGO_TARGET_DIR is honoured (CI sets a persistent one); by default target/.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
ADDR ?= 127.0.0.1:8080
DATA_DIR ?= ./data
LAMBDA_TARGET := aarch64-unknown-linux-gnu
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
SEJOUR := $(TARGET_DIR)/debug/sejour
SITE := frontend/applicant
NODE_MODULES := frontend/node_modules/.installed
CHROMIUM := /usr/bin/chromium

.NOTPARALLEL:

.PHONY: help run test fmt-check clippy cargo-test schemathesis cfn-lint lambdas check-lambdas tools rust-tools bench-import bench-logins bench-queue site site-test chromium

help:
	@echo "make run           build the site, serve it and the embedded local mode on http://$(ADDR) (data in $(DATA_DIR))"
	@echo "make test          fmt, clippy, cargo test (with moto), the site's tests (vitest, Playwright + axe),"
	@echo "                   schemathesis, cfn-lint, cargo lambda build + check"
	@echo "make site          build the applicant site into $(SITE)/dist (types generated from the API first)"
	@echo "make lambdas       cargo lambda build --release --arm64, copied to build/lambda/bootstrap (every function)"
	@echo "make bench-import  import 100,000 generated state records, twice (time and peak memory)"
	@echo "make bench-logins  peak memory of serve: first start with demo data, then a storm of parallel logins"
	@echo "make bench-queue   the agents' queue, search and counts on 100,000 local cases in 10 préfectures"

run: site
	"$(SEJOUR)" serve --addr $(ADDR) --data-dir $(DATA_DIR) --site $(SITE)/dist

test: tools fmt-check clippy cargo-test site-test schemathesis cfn-lint lambdas check-lambdas

fmt-check: rust-tools
	cargo fmt --all -- --check

clippy: rust-tools
	cargo clippy --workspace --all-targets -- -D warnings

# The AWS contract tests start moto (scripts/moto-server: one request at a time) on 127.0.0.1 themselves.
cargo-test: $(VENV)/.installed
	SEJOUR_MOTO_SERVER="$(CURDIR)/scripts/moto-server" cargo test --workspace

# Bounded, seeded runs against a `sejour serve` the script starts (anonymous, applicant, agent).
schemathesis: $(VENV)/.installed
	cargo build -p sejour-cli --bin sejour
	scripts/schemathesis.sh "$(SEJOUR)"

# The applicant site: npm packages from the lock file, the API's OpenAPI document (from the binary) and the
# TypeScript types generated from it, then the static build (tsc + vite) into $(SITE)/dist.
site: $(NODE_MODULES)
	cargo build -p sejour-cli --bin sejour
	mkdir -p build
	"$(SEJOUR)" openapi > build/openapi.json
	cd $(SITE) && npm run --silent types && npm run build

# Unit tests (vitest), the browser tests against a `sejour serve` they start (Playwright with Debian's
# chromium: the journey at 360 px, axe on every page, resume and conflicts), then the build report.
site-test: site chromium
	cd $(SITE) && npm test
	cd $(SITE) && SEJOUR_BIN="$(SEJOUR)" npx playwright test
	cd $(SITE) && npm run --silent report

$(NODE_MODULES): frontend/package-lock.json frontend/package.json $(SITE)/package.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

# Debian's chromium for the browser tests (never a browser downloaded by a test tool).
chromium:
	@test -x $(CHROMIUM) || { echo "installing Debian's chromium"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

cfn-lint: $(VENV)/.installed
	$(VENV)/bin/cfn-lint infra/template.yaml

# The one binary of every function, sejour-lambda (SEJOUR_FUNCTION picks what it runs), built for arm64
# (cargo-lambda and zig come from the venv) and copied to build/lambda/, the template's CodeUri.
lambdas: $(VENV)/.installed rust-tools
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" cargo lambda build --release --arm64 -p sejour-functions
	mkdir -p build/lambda
	cp "$(TARGET_DIR)/lambda/sejour-lambda/bootstrap" build/lambda/bootstrap

# The template against `sejour functions` (the endpoint table) and the built bootstrap.
check-lambdas: $(VENV)/.installed lambdas
	cargo build -p sejour-cli --bin sejour
	SEJOUR_BIN="$(SEJOUR)" $(VENV)/bin/python scripts/check-lambdas.py

tools: $(VENV)/.installed rust-tools

# Python tools, pinned: moto (AWS emulator for the contract tests), cfn-lint, cargo-lambda.
$(VENV)/.installed: scripts/requirements-dev.txt
	$(PYTHON) -m venv $(VENV) || { \
	  echo "python3 -m venv failed: installing Debian's python3-venv"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv && \
	  $(PYTHON) -m venv --clear $(VENV); }
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r scripts/requirements-dev.txt
	touch $@

rust-tools:
	@cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
	@rustup target list --installed | grep -qx $(LAMBDA_TARGET) || rustup target add $(LAMBDA_TARGET)

bench-import:
	scripts/bench-import.sh

bench-logins:
	cargo build --release -p sejour-cli --bin sejour
	$(PYTHON) scripts/bench-logins.py

bench-queue:
	cargo bench -p sejour --bench queue
