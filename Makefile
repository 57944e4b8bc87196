# msr-expose: the two commands a newcomer needs are `make serve` and `make test`.
# Every target runs `make setup` first, which installs only what is missing
# (but `make install`, which needs only cargo).

SHELL := /bin/bash
CARGO ?= cargo
WASM_ENV = eval "$$(scripts/wasm-env.sh)"

.PHONY: setup build test lint wasm-core dist serve bench bench-page size install fuzz release

setup:
	@scripts/setup.sh

build: setup
	$(CARGO) build --workspace --bins

## Every test: formatting, lints, the core for wasm32, the page, unit and
## integration tests, the JS API in Node, the page in Chromium (axe-core for
## accessibility), the size gate
## (tests/e2e/size.test.mjs: what Chromium transfers for the served page,
## brotli and gzip), x509-limbo's server cases (../shared/x509-limbo),
## and every fuzz target for 20 s (scripts/fuzz.sh; FUZZING.md).
test: setup lint build wasm-core dist
	set -o pipefail; { $(CARGO) test --workspace 2>&1 && \
	  scripts/fuzz.sh smoke 20 2>&1 && \
	  (cd tests/e2e && node --test --test-concurrency=1 --test-reporter=tap) 2>&1; } | scripts/tally.sh

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	@# The core as the browser builds it: without ICU4X's tables (unicode.rs).
	$(CARGO) clippy -p msr-expose-core --no-default-features --all-targets -- -D warnings
	@# The JS API's fleet module (dist/pkg/msr-expose-fleet.js).
	$(CARGO) clippy -p msr-expose-web-api --features fleet --all-targets -- -D warnings

## The core must build for the browser: nothing native may creep in.
wasm-core: setup
	@$(WASM_ENV) && echo "wasm32 route: $$MSR_WASM_ROUTE" && \
	  $(CARGO) build -p msr-expose-core --target wasm32-unknown-unknown

## dist/: the page, the single-file page, the JS API (ES module + types).
dist: setup
	scripts/build-web.sh

## Fails when a Chromium load of the served page transfers more than its
## budgets (310 877 bytes with brotli, 371 869 from a gzip-only host; the JS
## API alone 208 033 with brotli, its fleet module 228 777;
## tests/e2e/size.test.mjs, BENCHMARKS.md); needs `make dist`.
size: setup
	@cd tests/e2e && node --test size.test.mjs

## Builds everything and serves the page at http://127.0.0.1:8080 (Ctrl-C stops).
serve: build dist
	@echo
	@echo "msr-expose is at http://127.0.0.1:8080/  (single file: dist/msr-expose.html)"
	@exec python3 scripts/serve.py dist 8080

bench: setup
	$(CARGO) bench -p msr-expose-crypto

## Each fuzz target for FUZZ_SECONDS (default 20) from seeds made of the test
## fixtures; long runs: scripts/fuzz.sh run TARGET RUNS (FUZZING.md).
FUZZ_SECONDS ?= 20
fuzz: setup
	scripts/fuzz.sh smoke $(FUZZ_SECONDS)

## Page timings in Chromium (medians; target/web-bench.json, BENCHMARKS.md).
bench-page: dist
	cd tests/e2e && node bench-page.mjs

## The CLI with its man pages and completions under $(DESTDIR)$(PREFIX):
## bin/msr-expose, bin/kubectl-msr_expose (a link: `kubectl msr-expose`),
## share/man/man1/msr-expose*.1, and the bash, zsh and fish completion
## scripts where those shells look for them.
PREFIX ?= /usr/local
install:
	$(CARGO) build --release --locked -p msr-expose
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/man/man1" \
	  "$(DESTDIR)$(PREFIX)/share/bash-completion/completions" \
	  "$(DESTDIR)$(PREFIX)/share/zsh/site-functions" \
	  "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d"
	install -m 0755 target/release/msr-expose "$(DESTDIR)$(PREFIX)/bin/msr-expose"
	ln -sf msr-expose "$(DESTDIR)$(PREFIX)/bin/kubectl-msr_expose"
	target/release/msr-expose man --dir "$(DESTDIR)$(PREFIX)/share/man/man1"
	target/release/msr-expose completion bash > "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/msr-expose"
	target/release/msr-expose completion zsh > "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_msr-expose"
	target/release/msr-expose completion fish > "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/msr-expose.fish"

## The release artifacts in target/release-artifacts (scripts/release.sh):
## the CLI archive for Linux x86_64 (with the kubectl plugin, man pages and
## completions), the dist/ archive, the npm package, the CLI's SBOM
## (CycloneDX), the krew manifest and SHA256SUMS; byte for byte the same
## wherever the same commit is built (SOURCE_DATE_EPOCH honoured;
## tests/e2e/release.test.mjs builds it twice and compares).
release: setup dist
	scripts/release.sh
