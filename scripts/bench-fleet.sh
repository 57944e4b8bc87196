#!/usr/bin/env bash
# The fleet's two numbers (BENCHMARKS.md), whole processes, with hyperfine:
#  1. `msr-expose fleet verify` of 50 endpoints on 127.0.0.1 against 50
#     sequential `curl --cacert … /v2/_catalog` runs, paired in one hyperfine
#     call. The endpoints: nginx's stream module listening on 50 ports and
#     passing TCP through (as a load balancer does) to one real Docker
#     Distribution registry serving the fixtures' chain — CHAIN=ec (ECDSA
#     P-256, the default) or CHAIN=rsa (RSA-4096).
#  2. `msr-expose fleet generate` of 100 caches (every method) into a fresh
#     directory: bundles, Kustomize bases and overlays, ApplicationSet, Flux.
# Usage: scripts/bench-fleet.sh [RUNS]   (needs hyperfine: apt-get install hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
chain=${CHAIN:-ec}
dir=$PWD/target/tmp/bench-fixtures
[ -f "$dir/.done" ] || { tests/fixtures/make-certs.sh "$dir" >/dev/null && touch "$dir/.done"; }
cargo build -q --release -p msr-expose
bin=$PWD/target/release/msr-expose
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT
free_ports() {
  python3 -c 'import socket,sys
ss=[socket.socket() for _ in range(int(sys.argv[1]))]
[s.bind(("127.0.0.1",0)) for s in ss]
print(" ".join(str(s.getsockname()[1]) for s in ss))' "$1"
}
wait_port() { for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.05; done; echo "nothing on $1" >&2; exit 1; }

case $chain in
  ec) cert=$dir/ec-chain.pem key=$dir/ec-leaf.key ca=$dir/ec-root.pem host=cache.example.com ;;
  rsa) cert=$dir/chain.pem key=$dir/leaf.key ca=$dir/root.pem host=worker1.example.com ;;
  *) echo "CHAIN is ec or rsa" >&2; exit 2 ;;
esac

# --- fleet verify: 50 endpoints ---------------------------------------------
read -r reg <<<"$(free_ports 1)"
cat > "$work/registry.yml" <<CFG
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/data
http:
  addr: 127.0.0.1:$reg
  tls:
    certificate: $cert
    key: $key
CFG
docker-registry serve "$work/registry.yml" >/dev/null 2>&1 &
pids+=($!)
wait_port "$reg"

read -r -a ports <<<"$(free_ports 50)"
mkdir -p "$work/nginx"
{
  echo "load_module /usr/lib/nginx/modules/ngx_stream_module.so;"
  echo "user root root; worker_processes 1; pid $work/nginx/nginx.pid; error_log $work/nginx/error.log warn;"
  echo "events { worker_connections 1024; }"
  echo "stream { server {"
  for p in "${ports[@]}"; do echo "  listen 127.0.0.1:$p;"; done
  echo "  proxy_pass 127.0.0.1:$reg; } }"
} > "$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)
for p in "${ports[@]}"; do wait_port "$p"; done

{
  printf 'defaults:\n  method: nodeport\n  nodePortRange: 1024-65535\n  nodeFqdn: %s\n  ca: %s\ncaches:\n' "$host" "$ca"
  i=0; for p in "${ports[@]}"; do i=$((i+1)); printf '  - name: site%02d\n    nodePort: %s\n' "$i" "$p"; done
} > "$work/fleet.yaml"
resolve=()
: > "$work/curls.sh"
for p in "${ports[@]}"; do
  resolve+=(--resolve "$host:$p:127.0.0.1")
  echo "curl -sS --cacert $ca --resolve $host:$p:127.0.0.1 https://$host:$p/v2/_catalog >/dev/null" >> "$work/curls.sh"
done
"$bin" fleet verify --config "$work/fleet.yaml" "${resolve[@]}" | tail -1
hyperfine -N --warmup 2 --runs "$runs" --export-json "$work/verify.json" \
  -n "msr-expose fleet verify (50 endpoints, --concurrency 16)" \
  "$bin fleet verify --config $work/fleet.yaml ${resolve[*]}" \
  -n "50 sequential curl --cacert" \
  "bash $work/curls.sh"
python3 - "$work/verify.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
fleet, curl = r[0]["mean"], r[1]["mean"]
print(f"fleet verify {fleet*1000:.1f} ms, 50 curls {curl*1000:.1f} ms: {fleet/curl:.3f} of the sequential time (target: at most 0.2)")
PY

# --- fleet generate: 100 caches ---------------------------------------------
methods=(nodeport loadbalancer gateway traefik openshift istio ingress)
{
  printf 'gitops:\n  repoURL: https://git.example.com/ops/msr-caches.git\ncaches:\n'
  for i in $(seq 100); do
    m=${methods[$(( (i-1) % 7 ))]}
    printf '  - name: site%03d\n    method: %s\n    context: site%03d-admin\n' "$i" "$m" "$i"
    case $m in
      nodeport) printf '    nodeFqdn: worker%d.example.com\n    nodePort: %d\n' "$i" $((30000 + i)) ;;
      gateway) printf '    externalFqdn: cache-%03d.example.com\n    gatewayClassName: envoy-gatewayingress\n' "$i" ;;
      *) printf '    externalFqdn: cache-%03d.example.com\n' "$i" ;;
    esac
  done
} > "$work/fleet100.yaml"
"$bin" fleet generate -q --config "$work/fleet100.yaml" --out-dir "$work/out" | wc -l | sed 's/$/ files written for 100 caches/'
hyperfine -N --warmup 3 --runs "$runs" --prepare "rm -rf $work/out" --export-json "$work/generate.json" \
  -n "msr-expose fleet generate (100 caches, fresh directory)" \
  "$bin fleet generate -q --config $work/fleet100.yaml --out-dir $work/out"
python3 - "$work/generate.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"fleet generate of 100 caches: {r['mean']*1000:.1f} ms mean, {r['max']*1000:.1f} ms max (target: at most 100 ms)")
PY
# The same into memory (tmpfs): the process's own work, without the disk's
# file creation, which varies with the machine's disk from run to run.
if [ -d /dev/shm ]; then
  shm=$(mktemp -d /dev/shm/msr-fleet.XXXXXX)
  hyperfine -N --warmup 3 --runs "$runs" --prepare "rm -rf $shm/out" \
    -n "msr-expose fleet generate (100 caches, fresh directory on tmpfs)" \
    "$bin fleet generate -q --config $work/fleet100.yaml --out-dir $shm/out"
  rm -rf "$shm"
fi
