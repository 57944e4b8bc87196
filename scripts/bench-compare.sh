#!/usr/bin/env bash
# Scripted comparison: whole-process time of `msr-expose check` (release)
# against `openssl verify` + `openssl x509 -checkhost` on the same fixtures.
# Prints mean milliseconds per run over N runs. Usage: scripts/bench-compare.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-50}
dir=target/tmp/bench-fixtures
[ -f "$dir/.done" ] || tests/fixtures/make-certs.sh "$dir" >/dev/null
cargo build -q --release -p msr-expose
bin=target/release/msr-expose
ms() { # label, command...
  local label=$1; shift
  local start end
  start=$(date +%s%N)
  for _ in $(seq "$n"); do "$@" >/dev/null 2>&1 || true; done
  end=$(date +%s%N)
  awk -v l="$label" -v d="$((end - start))" -v n="$n" 'BEGIN { printf "%-70s %8.2f ms\n", l, d / n / 1000000 }'
}
for chain in "chain.pem leaf.key root.pem leaf.pem RSA-4096" "ec-chain.pem ec-leaf.sec1.key ec-root.pem ec-leaf.pem ECDSA"; do
  set -- $chain
  ms "msr-expose check ($5 chain, key, CA, name)" "$bin" check --cert "$dir/$1" --key "$dir/$2" --ca "$dir/$3" --external-fqdn cache.example.com
  ms "openssl verify ($5 chain only: no name, key or usage checks)" openssl verify -CAfile "$dir/$3" -untrusted "$dir/$1" "$dir/$4"
done
