#!/usr/bin/env python3
"""Import circles between the modules of a crate: the arrows of its `use`
paths must point one way. Reads CRATE/src/**/*.rs as text (test modules
left out) and draws an arrow from a module to every module it names:
`crate::a::b` and `super::…` paths (to the longest module they name), a
`use super::{…}` (to the parent), and a parent naming its child's items
(`gateway::GatewayRoute` in `method.rs`; a bare `mod gateway;` is no
arrow). lib.rs and main.rs only declare and re-export, so arrows into the
crate root are not drawn. Prints each circle (a strongly connected set of
modules) and exits 1 when there is one.

    python3 scripts/module-cycles.py core
"""
import os
import re
import sys


def modules(src):
    out = {}
    for d, _, files in os.walk(src):
        for f in files:
            if not f.endswith(".rs"):
                continue
            rel = os.path.relpath(os.path.join(d, f), src)[:-3]
            if rel in ("lib", "main"):
                name = ""
            elif rel.endswith("/mod"):
                name = rel[:-4].replace("/", "::")
            else:
                name = rel.replace("/", "::")
            out[name] = os.path.join(d, f)
    return out


def arrows(mods):
    edges = {m: set() for m in mods}
    for m, path in mods.items():
        text = open(path, encoding="utf-8").read()
        text = text.split("#[cfg(test)]")[0]
        text = re.sub(r"//.*", "", text)
        here = m.split("::") if m else []
        children = [c for c in mods if c.rsplit("::", 1)[0] == m and c != m and (m or "::" not in c)]
        for child in children:
            if re.search(r"(?<![:\w])" + re.escape(child.split("::")[-1]) + r"::", text):
                edges[m].add(child)
        # Inline `mod x { use super::… }` blocks speak of their own file.
        inline = re.search(r"\bmod \w+ \{", text) is not None
        if re.search(r"\bsuper::\{", text) and here and not inline:
            edges[m].add("::".join(here[:-1]))
        for base, path_ in re.findall(r"\b(crate|super)((?:::[a-z_][a-z0-9_]*)+)", text):
            if base == "super" and inline:
                continue
            segs = path_.strip(":").split("::")
            start = [] if base == "crate" else here[:-1]
            target = None
            for k in range(len(segs), 0, -1):
                cand = "::".join(start + segs[:k])
                if cand in mods:
                    target = cand
                    break
            if target is None and base == "super":
                target = "::".join(start)
            if target is not None and target != m:
                edges[m].add(target)
    for m in edges:
        edges[m].discard("")
    return edges


def circles(edges):
    index, low, stack, on, found = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def main():
    crate = sys.argv[1]
    mods = modules(os.path.join(crate, "src"))
    edges = arrows(mods)
    found = circles(edges)
    for comp in found:
        inner = [f"{a} -> {b}" for a in comp for b in sorted(edges[a]) if b in comp]
        print(f"{crate}: import circle among {', '.join(comp)}: {'; '.join(inner)}")
    print(f"{crate}: {len(mods)} modules, {len(found)} import circles")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
