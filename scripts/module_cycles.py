#!/usr/bin/env python3
"""Print the dependency graph between the top-level modules of src/ and any
cycle in it (exit status 1 when there is one).

A module depends on another when its code (comments and doc comments left
out) names ``crate::other``, or ``super::other`` from a file of a
subdirectory. ``cargo test`` runs this through tests/architecture.rs.

    python3 scripts/module_cycles.py [--graph]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
ROOTS = {"lib", "main"}


def code_lines(text: str) -> str:
    """The text without // comments (doc comments included)."""
    return "\n".join(line.split("//", 1)[0] for line in text.splitlines())


def graph(src: Path = SRC) -> dict[str, set[str]]:
    """Top-level module -> the top-level modules its code names."""
    deps: dict[str, set[str]] = {}
    for path in sorted(src.rglob("*.rs")):
        parts = path.relative_to(src).with_suffix("").parts
        top = parts[0]
        if top in ROOTS:
            continue
        names = set(re.findall(r"\bcrate::([a-z_][a-z0-9_]*)", code_lines(path.read_text(encoding="utf-8"))))
        deps.setdefault(top, set()).update(n for n in names if n != top)
    return deps


def cycles(deps: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component of two or more modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(deps.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(deps):
        if v not in index:
            visit(v)
    return sorted(out)


def main(argv: list[str]) -> int:
    deps = graph()
    if "--graph" in argv:
        for m in sorted(deps):
            print(f"{m}: {' '.join(sorted(deps[m]))}")
    found = cycles(deps)
    for c in found:
        print("cycle: " + " ↔ ".join(c))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
