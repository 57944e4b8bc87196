#!/usr/bin/env bash
# cargo-fuzz (libFuzzer) for every parser that reads untrusted text; the
# targets are in fuzz/fuzz_targets, FUZZING.md records the long runs.
#
#   scripts/fuzz.sh seed               corpora from the test fixtures, in target/fuzz-corpus/TARGET
#   scripts/fuzz.sh smoke [SECONDS]    every target for SECONDS (default 20) from fresh seeds
#                                      (in target/fuzz-smoke);
#                                      ends with a cargo-test-style result line for the tally
#   scripts/fuzz.sh run TARGET RUNS    one target for RUNS executions (-runs), growing its corpus
#
# FUZZ_MAX_LEN caps an input's length (default 65536; long runs use less
# where longer inputs only repeat what shorter ones reach — FUZZING.md).
# FUZZ_SANITIZER=none runs without AddressSanitizer (several times faster; the
# crates forbid unsafe code, so it mostly finds panics, hangs and memory blow-ups).
#
# Needs nightly Rust (through rustup) and cargo-fuzz (scripts/setup.sh installs
# cargo-fuzz when nightly is there). Without them `smoke` says so and counts
# the targets as ignored: make test still runs everything else.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
targets=(spec host pem tls_check permalink flags http_answer fleet)
corpus_root=$root/target/fuzz-corpus

have_toolchain() {
  rustup toolchain list 2>/dev/null | grep -q '^nightly' && cargo fuzz --version >/dev/null 2>&1
}

put() { # put TARGET NAME CONTENT — one seed file
  mkdir -p "$corpus_root/$1"; printf '%b' "$3" > "$corpus_root/$1/$2"
}

seed() {
  rm -rf "$corpus_root"; mkdir -p "$corpus_root"
  local fx=$root/target/fuzz-fixtures
  [ -f "$fx/.done" ] || { tests/fixtures/make-certs.sh "$fx" >/dev/null; touch "$fx/.done"; }
  # Certificates, keys, CSRs, PKCS#7/#12, SSH keys: every fixture file.
  mkdir -p "$corpus_root/pem" "$corpus_root/tls_check"
  for f in "$fx"/*; do
    [ -f "$f" ] || continue
    cp "$f" "$corpus_root/pem/$(basename "$f")"
  done
  # The whole check: (cert, key, CA) triples cut by the target's header bytes.
  local n=0
  for leaf in "$fx"/*-chain.pem; do
    for key in "$fx/$(basename "$leaf" -chain.pem).key" "$fx/leaf.key" "$fx/ec-leaf.key"; do
      [ -f "$key" ] || continue
      for ca in "$fx/root.pem" "$fx/ec-root.pem" "$fx/chain-root.pem"; do
        [ -f "$ca" ] || continue
        n=$((n + 1)); [ $n -gt 300 ] && break 3
        python3 - "$leaf" "$key" "$ca" "$corpus_root/tls_check/seed$n" <<'PY'
import sys
cert, key, ca = (open(p, 'rb').read() for p in sys.argv[1:4])
rest = cert + key + ca
a = min(len(cert) * 256 // len(rest), 255)          # the target cuts at a/256 …
b = min(len(key) * 256 // max(len(key + ca), 1), 255)  # … then b/256 of the rest
open(sys.argv[4], 'wb').write(bytes([a, b, 3]) + rest)
PY
      done
    done
  done
  # Specs: the README's and one per method.
  awk '/^```yaml$/{y=1;next} /^```$/{y=0} y' README.md > "$corpus_root/readme.yaml" || true
  mkdir -p "$corpus_root/spec"; mv "$corpus_root/readme.yaml" "$corpus_root/spec/"
  put spec nodeport 'method: nodeport\nnodeFqdn: worker1.example.com\nnodePort: 30443\n'
  put spec loadbalancer 'method: loadbalancer\nexternalFqdn: cache.example.com\nloadBalancerIp: 192.0.2.50\n'
  put spec gateway 'method: gateway\nexternalFqdn: cache.example.com\ngatewayClassName: cilium\n'
  put spec traefik 'method: traefik\nexternalFqdn: cache.example.com\nentryPoints: [websecure]\n'
  put spec ingress '{"method":"ingress","externalFqdn":"cache.example.com","namespace":"msr","selector":{"app":"msr-cache"}}'
  put spec openshift 'method: openshift\nexternalFqdn: cache.apps.example.com\ninsecureEdgeTerminationPolicy: Redirect\n'
  put spec istio 'method: istio\nexternalFqdn: cache.example.com\nistioSelector: {istio: ingressgateway}\n'
  put spec istio-attached '{"method":"istio","externalFqdn":"cache.example.com","istioGateway":"istio-system/shared"}'
  put spec preset 'platform: mke3\nexternalFqdn: cache.example.com\n'
  put spec anchors 'a: &a [1,2]\nb: *a\nmethod: nodeport\n'
  # Fleets: every method, shared defaults, gitops, a JSON one.
  put fleet yaml 'gitops:\n  repoURL: https://git.example.com/caches.git\n  path: sites\ndefaults:\n  method: gateway\n  ca: msr.cert.pem\ncaches:\n  - name: eu1\n    externalFqdn: cache-eu1.example.com\n    gatewayClassName: eg\n  - name: us1\n    method: nodeport\n    nodeFqdn: w1.example.com\n    nodePort: 30443\n  - name: ap1\n    method: istio\n    externalFqdn: cache-ap1.example.com\n    istioGateway: istio-system/shared\n'
  put fleet json '{"defaults":{"method":"traefik"},"caches":[{"name":"eu1","externalFqdn":"a.example.com","serviceName":"c1","namespace":"r1"},{"name":"us1","externalFqdn":"b.example.com","entryPoints":["tls"]},{"name":"os1","method":"openshift","externalFqdn":"c.apps.example.com"}]}'
  # Hosts: the FQDN table's inputs.
  mkdir -p "$corpus_root/host"
  python3 - tests/integration/fqdn_table.rs "$corpus_root/host" <<'PY'
import hashlib, re, sys
for lit in re.findall(r'^    \("((?:[^"\\]|\\.)*)"', open(sys.argv[1]).read(), re.M):
    host = re.sub(r'\\u\{([0-9a-fA-F]+)\}', lambda m: chr(int(m.group(1), 16)), lit)
    host = host.replace('\\n', '\n').replace('\\t', '\t').replace('\\0', '\0')
    data = host.encode()
    open(f"{sys.argv[2]}/{hashlib.sha256(data).hexdigest()[:16]}", 'wb').write(data)
PY
  # Links, flag values, HTTP answers.
  put permalink valid '#spec=%7B%22method%22%3A%22nodeport%22%2C%22nodeFqdn%22%3A%22w1.example.com%22%7D'
  put permalink anchor '#step-3'
  put flags url 'https://cache.example.com:8443/v2/'
  put flags url6 'https://[fd00::1]:30443'
  put flags resolve 'cache.example.com:443:203.0.113.7'
  put flags duration '1m30.5s'
  put flags selector 'app=msr-cache,tier=registry'
  put http_answer ok 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 19\r\n\r\n{"repositories":[]}'
  put http_answer chunked 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n13\r\n{"repositories":[]}\r\n0\r\n\r\n'
  put http_answer auth 'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm="https://auth.example.com/token"\r\nContent-Length: 0\r\n\r\n'
  put http_answer backend 'HTTP/1.1 404 Not Found\r\nContent-Length: 21\r\n\r\ndefault backend - 404'
  echo "fuzz: seeds in $corpus_root ($(find "$corpus_root" -type f | wc -l) files)" >&2
}

# Runs one target; the corpus directory grows, artifacts go to target/fuzz-artifacts.
run_target() { # run_target TARGET EXTRA-ARGS…
  local t=$1; shift
  mkdir -p "$root/target/fuzz-artifacts/$t"
  (cd fuzz && cargo +nightly fuzz run -O -s "${FUZZ_SANITIZER:-address}" "$t" "$corpus_root/$t" -- \
    -artifact_prefix="$root/target/fuzz-artifacts/$t/" -timeout=10 -rss_limit_mb=2048 \
    -max_len="${FUZZ_MAX_LEN:-65536}" -print_final_stats=1 "$@")
}

case ${1:-} in
  seed) seed ;;
  smoke)
    secs=${2:-20}
    if ! have_toolchain; then
      echo "fuzz: nightly Rust or cargo-fuzz missing: the ${#targets[@]} fuzz targets are not run (FUZZING.md)"
      echo "test result: ok. 0 passed; 0 failed; ${#targets[@]} ignored; 0 measured; 0 filtered out"
      exit 0
    fi
    corpus_root=$root/target/fuzz-smoke   # fresh seeds; never touches the long runs' corpora
    seed
    (cd fuzz && cargo +nightly fuzz build -O >/dev/null 2>&1) || (cd fuzz && cargo +nightly fuzz build -O)
    passed=0 failed=0
    for t in "${targets[@]}"; do
      if out=$(run_target "$t" -max_total_time="$secs" 2>&1); then
        echo "fuzz $t ... ok ($(grep -o 'stat::number_of_executed_units: [0-9]*' <<<"$out" | awk '{print $2}') executions in ${secs} s)"
        passed=$((passed + 1))
      else
        echo "fuzz $t ... FAILED"; tail -40 <<<"$out"
        failed=$((failed + 1))
      fi
    done
    echo "test result: $([ $failed -eq 0 ] && echo ok || echo FAILED). $passed passed; $failed failed; 0 ignored; 0 measured; 0 filtered out"
    [ $failed -eq 0 ] ;;
  run)
    t=${2:?usage: fuzz.sh run TARGET RUNS}; runs=${3:?usage: fuzz.sh run TARGET RUNS}
    [ -d "$corpus_root/$t" ] || seed
    run_target "$t" -runs="$runs" ;;
  *) sed -n '2,17p' "$0"; exit 2 ;;
esac
