# msr-expose: the two commands a newcomer needs are `make serve` and `make test`.
# Every target runs `make setup` first, which installs only what is missing.

SHELL := /bin/bash
CARGO ?= cargo
WASM_ENV = eval "$$(scripts/wasm-env.sh)"
# The page's size budget: wasm + JS + CSS, gzipped (bytes).
SIZE_BUDGET := 400000

.PHONY: setup build test lint wasm-core dist serve bench size

setup:
	@scripts/setup.sh

build: setup
	$(CARGO) build --workspace --bins

## Every test: formatting, lints, the core for wasm32, the page, unit and
## integration tests, the JS API in Node, the page in Chromium, the size budget.
test: setup lint build wasm-core dist
	set -o pipefail; { $(CARGO) test --workspace 2>&1 && \
	  (cd tests/e2e && node --test --test-concurrency=1 --test-reporter=tap) 2>&1; } | scripts/tally.sh
	@$(MAKE) --no-print-directory size

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## The core must build for the browser: nothing native may creep in.
wasm-core: setup
	@$(WASM_ENV) && echo "wasm32 route: $$MSR_WASM_ROUTE" && \
	  $(CARGO) build -p msr-expose-core --target wasm32-unknown-unknown

## dist/: the page, the single-file page, the JS API (ES module + types).
dist: setup
	scripts/build-web.sh

## Fails when the page's wasm + JS + CSS pass the budget, gzipped.
size:
	@python3 -c "import json,sys; s=json.load(open('dist/sizes.json')); t=s['total_gzip']; \
	print(f'page size: {t} bytes gzipped (wasm {s[\"wasm_gzip\"]}, js {s[\"js_gzip\"]}, css {s[\"css_gzip\"]}); budget $(SIZE_BUDGET)'); \
	sys.exit(0 if t <= $(SIZE_BUDGET) else 1)"

## Builds everything and serves the page at http://127.0.0.1:8080 (Ctrl-C stops).
serve: build dist
	@echo
	@echo "msr-expose is at http://127.0.0.1:8080/  (single file: dist/msr-expose.html)"
	@cd dist && exec python3 -m http.server --bind 127.0.0.1 8080

bench: setup
	$(CARGO) bench -p msr-expose-crypto
