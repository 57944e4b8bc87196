# msr-expose: the two commands a newcomer needs are `make serve` and `make test`.
# Every target runs `make setup` first, which installs only what is missing.

SHELL := /bin/bash
CARGO ?= cargo
WASM_ENV = eval "$$(scripts/wasm-env.sh)"

.PHONY: setup build test lint unit wasm-core serve help-example bench

setup:
	@scripts/setup.sh

build: setup
	$(CARGO) build --workspace --bins

## Every test: formatting, lints, unit and integration tests, and the core built for wasm32.
test: setup lint build wasm-core
	set -o pipefail; $(CARGO) test --workspace 2>&1 | scripts/tally.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## The core must build for the browser: nothing native may creep in.
wasm-core: setup
	@$(WASM_ENV) && echo "wasm32 route: $$MSR_WASM_ROUTE" && \
	  $(CARGO) build -p msr-expose-core --target wasm32-unknown-unknown

## Until the web configurator lands, `serve` shows the CLI: its help and an example run.
serve: build
	@./target/debug/msr-expose --help
	@echo
	@echo '$$ msr-expose generate --method nodeport --node-fqdn worker1.example.com'
	@./target/debug/msr-expose generate --method nodeport --node-fqdn worker1.example.com

bench: setup
	$(CARGO) bench -p msr-expose-core
