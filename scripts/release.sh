#!/usr/bin/env bash
# The release artifacts, into target/release-artifacts/ (`make release`, after
# `make dist`):
#   msr-expose-V-x86_64-unknown-linux-gnu.tar.gz  the CLI (glibc ≥ 2.34 and its
#       libgcc_s, nothing else), the kubectl plugin link, man pages,
#       completions for bash, zsh and fish, LICENSE, README.md
#   msr-expose-web-V.tar.gz    dist/: the page, the single file, the JS API,
#                              each file with its .br and .gz
#   msr-expose-V.tgz           the npm package (target/npm, scripts/build-npm.mjs)
#   msr-expose-V.cdx.json      the CLI's SBOM (CycloneDX 1.5, cargo-cyclonedx)
#   msr-expose.yaml            the krew plugin manifest, with the CLI archive's sha256
#   SHA256SUMS                 every file above
# Reproducible: the same commit gives the same bytes wherever it is built.
# Times are SOURCE_DATE_EPOCH (default: the commit's date); paths are
# remapped out of the binary; archives list their entries sorted, with fixed
# owners and modes; gzip writes no name or time. The SBOM, whose tool writes
# the time and a random serial number (cyclonedx-rust-cargo#514), gets
# SOURCE_DATE_EPOCH as its time, a serial number derived from its content
# (a UUID v5), and the source's paths relative to the tree.
# RELEASE_URL: where the archives will be downloadable (the krew manifest's
# uri), default the repository's releases/download/vV.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

log() { printf 'release: %s\n' "$*" >&2; }

meta=$(cargo metadata --no-deps --format-version 1 --offline)
field() { # a field of the CLI's package; a missing one stops the release
  python3 -c 'import json,sys; p=[p for p in json.load(sys.stdin)["packages"] if p["name"]=="msr-expose"][0]; v=p.get(sys.argv[1]); print(v) if v else sys.exit("release: cli/Cargo.toml has no " + sys.argv[1])' "$1" <<<"$meta"
}
version=$(field version)
repository=$(field repository)
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
release_url=${RELEASE_URL:-$repository/releases/download/v$version}
triple=x86_64-unknown-linux-gnu
out=target/release-artifacts

for f in dist/index.html dist/pkg/msr-expose.js "target/npm/msr-expose-$version.tgz"; do
  [ -e "$f" ] || { log "$f is missing: run make dist first (make release does)"; exit 2; }
done

# --- the CLI -------------------------------------------------------------------
# Its own target directory, so that the remapped paths never mix with
# `cargo build`'s artifacts. Both the tree and cargo's home are remapped: the
# binary names no path of the machine it was built on.
cargo_home=${CARGO_HOME:-$HOME/.cargo}
log "building the CLI for $triple (release profile)"
RUSTFLAGS="--remap-path-prefix=$root=/msr-expose --remap-path-prefix=$cargo_home=/cargo" \
  CARGO_TARGET_DIR=target/release-build \
  cargo build --release --locked -p msr-expose --target "$triple" --quiet
binary=target/release-build/$triple/release/msr-expose

rm -rf "$out"
mkdir -p "$out"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# Deterministic archives: sorted entries, the epoch's time, root's owner,
# modes from the file's executable bit only.
archive() { # archive OUT.tar.gz DIR NAME: DIR/NAME as OUT
  tar --sort=name --format=gnu --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
    --mode='u=rwX,go=rX' -C "$2" -cf - "$3" | gzip -9n > "$1"
}

cli_name=msr-expose-$version-$triple
d=$stage/$cli_name
install -d "$d/bin" "$d/share/man/man1" "$d/share/bash-completion/completions" \
  "$d/share/zsh/site-functions" "$d/share/fish/vendor_completions.d"
install -m 0755 "$binary" "$d/bin/msr-expose"
ln -s msr-expose "$d/bin/kubectl-msr_expose"
"$binary" man --dir "$d/share/man/man1"
"$binary" completion bash > "$d/share/bash-completion/completions/msr-expose"
"$binary" completion zsh > "$d/share/zsh/site-functions/_msr-expose"
"$binary" completion fish > "$d/share/fish/vendor_completions.d/msr-expose.fish"
cp LICENSE README.md "$d/"
archive "$out/$cli_name.tar.gz" "$stage" "$cli_name"

# --- the page and the npm package ---------------------------------------------
web_name=msr-expose-web-$version
cp -r dist "$stage/$web_name"
archive "$out/$web_name.tar.gz" "$stage" "$web_name"
cp "target/npm/msr-expose-$version.tgz" "$out/"

# --- the SBOM --------------------------------------------------------------------
log "writing the SBOM (cargo-cyclonedx)"
cargo cyclonedx --manifest-path cli/Cargo.toml --spec-version 1.5 -f json \
  --target "$triple" --override-filename msr-expose.sbom -q
python3 - cli/msr-expose.sbom.json "$out/msr-expose-$version.cdx.json" "$root" "$version" <<'PY'
import datetime, hashlib, json, os, sys, uuid
src, dst, root, version = sys.argv[1:]
bom = json.load(open(src))
os.remove(src)
epoch = int(os.environ["SOURCE_DATE_EPOCH"])
bom["metadata"]["timestamp"] = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
bom.pop("serialNumber", None)
text = json.dumps(bom, indent=2, sort_keys=True).replace("file://" + root, "file:///msr-expose-" + version)
bom = json.loads(text)
digest = hashlib.sha256(json.dumps(bom, sort_keys=True).encode()).hexdigest()
bom["serialNumber"] = "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "sha256:" + digest))
open(dst, "w").write(json.dumps(bom, indent=2, sort_keys=True) + "\n")
PY
# It writes one beside every workspace member with a binary target (the
# web crates' cdylibs too); only the CLI's ships.
rm -f -- */msr-expose.sbom.json

# --- the krew manifest -----------------------------------------------------------
sha=$(sha256sum "$out/$cli_name.tar.gz" | cut -d' ' -f1)
cat > "$out/msr-expose.yaml" <<EOF
apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: msr-expose
spec:
  version: v$version
  homepage: $repository
  shortDescription: Expose an MSR cache through exactly one interface
  description: |
    Generates, checks, applies and verifies the one external interface of a
    Mirantis Secure Registry cache (NodePort, LoadBalancer, Gateway API
    TLSRoute, Traefik, OpenShift Route, Istio or ingress-nginx), with its
    certificate checked as the registry's Go clients check it. Reads the
    kubeconfig as kubectl does (--kubeconfig, KUBECONFIG, --context).
  platforms:
  - selector:
      matchLabels:
        os: linux
        arch: amd64
    uri: $release_url/$cli_name.tar.gz
    sha256: $sha
    bin: msr-expose
    files:
    - from: $cli_name/bin/msr-expose
      to: .
    - from: $cli_name/LICENSE
      to: .
EOF

(cd "$out" && find . -maxdepth 1 -type f ! -name SHA256SUMS -printf '%f\n' | LC_ALL=C sort | xargs sha256sum > SHA256SUMS)
log "artifacts in $out:"
(cd "$out" && ls -l --time-style=+ | tail -n +2 >&2)
