#!/usr/bin/env bash
# Whole-process time of `msr-expose generate` (release) against kubectl's own
# client-side generation of a NodePort Service, paired with hyperfine.
# Usage: scripts/bench-generate.sh [RUNS]   (needs hyperfine and kubectl)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
cargo build -q --release -p msr-expose
export KUBECONFIG=/dev/null   # no cluster is contacted (--dry-run=client)
hyperfine -N --warmup 5 --runs "$runs" \
  -n "msr-expose generate (Service + steps, validated)" \
  "target/release/msr-expose generate --method nodeport --node-fqdn worker1.example.com -q" \
  -n "kubectl create service nodeport --dry-run=client -o yaml" \
  "kubectl create service nodeport msr-cache --tcp=443:443 -n msr --dry-run=client -o yaml"
