#!/usr/bin/env bash
# Whole-process time of `msr-expose verify` (release) against
# `curl --cacert … /v2/_catalog` on the same real Docker Distribution registry
# on 127.0.0.1 (TLS, the fixtures' chain), paired runs with hyperfine.
# Usage: scripts/bench-verify.sh [RUNS]   (needs hyperfine: apt-get install hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-100}
dir=target/tmp/bench-fixtures
[ -f "$dir/.done" ] || tests/fixtures/make-certs.sh "$dir" >/dev/null
cargo build -q --release -p msr-expose
bin=$PWD/target/release/msr-expose
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/config.yml" <<CFG
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/data
http:
  addr: 127.0.0.1:$port
  tls:
    certificate: $PWD/$dir/chain.pem
    key: $PWD/$dir/leaf.key
CFG
docker-registry serve "$work/config.yml" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.05; done
url="https://worker1.example.com:$port"
resolve="worker1.example.com:$port:127.0.0.1"
"$bin" verify --url "$url" --ca "$dir/root.pem" --resolve "$resolve" -o json |
  python3 -c 'import json,sys; print("stages:", json.dumps(json.load(sys.stdin)["stages"]))' || true
hyperfine -N --warmup 5 --runs "$runs" \
  -n "msr-expose verify" "$bin verify --url $url --ca $dir/root.pem --resolve $resolve" \
  -n "curl --cacert" "curl -sS --cacert $dir/root.pem --resolve $resolve $url/v2/_catalog"
