#!/usr/bin/env python3
"""Per-crate code size of a wasm module, from `twiggy top --format csv` of the
module as wasm-bindgen writes it, names kept (scripts/size-breakdown.sh). A function counts for the
crate its path starts with (its impl's crate for `<T as Trait>` items)."""
import csv, re, sys, collections
agg = collections.Counter()
for r in csv.DictReader(open(sys.argv[1])):
    n, s = r["Name"], int(r["ShallowSize"])
    if "names\" subsection" in n or n.startswith(("custom section", 'export "__wbindgen_describe')):
        continue
    if n.startswith("data segment"):
        agg["(static data)"] += s
        continue
    m = re.match(r"[<&\s(*]*(?:dyn |mut )*([a-z_][a-z0-9_]*)\[[0-9a-f]+\]::", n)
    agg[m.group(1) if m else "(other)"] += s
total = sum(agg.values())
print(f"| crate | bytes (raw, code + data) | share |\n|---|---:|---:|")
for k, v in agg.most_common(int(sys.argv[2]) if len(sys.argv) > 2 else 25):
    print(f"| {k} | {v} | {100 * v / total:.1f}% |")
print(f"| total | {total} | |")
