#!/usr/bin/env python3
"""The peer tools of the benchmark, run the way a user of each would run them.

Runs inside the benchmark's virtual environment (``target/bench-venv``, made
by ``scripts/bench.sh``), which has datasketch and collatex. Two commands:

``minhash CORPUS -o OUT``
    Near-duplicate clustering with datasketch: every immediate child of
    CORPUS is a source; its text files are split into paragraphs at blank
    lines, normalized as recension normalizes (``score.normalize``), reduced
    to recension's comparison key (letters, digits and combining marks:
    whitespace and punctuation dropped), shingled into character n-grams
    (``--shingle-han`` when at least half the key is Han, ``--shingle-latin``
    otherwise; a key shorter than n is one shingle; as recension's
    ``minhash::shingle_len`` and ``shingle_hashes``), hashed into a MinHash
    of ``--num-perm`` (default 128) permutations, and looked up in a
    MinHashLSH index (threshold 0.5).
    Candidate pairs whose MinHash-estimated Jaccard reaches the threshold are
    joined with union-find (``--no-verify`` joins every candidate: at 128
    permutations datasketch picks 25 bands of 5 rows, whose false candidates
    chain thousands of paragraphs together). Writes ``OUT/clusters.csv`` in
    recension's format, so ``score.py`` scores both tools the same way.

``collatex FILE... [--out JSON]``
    Character-level collation with the collatex package: every file is a
    witness whose tokens are its characters (runs of whitespace become one
    space token), collated into one alignment table.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from score import normalize  # noqa: E402  (the path above)

TEXT_SUFFIXES = (".txt", ".md", "")


def is_han(ch: str) -> bool:
    """Mirror of recension's ``chars::is_han``."""
    c = ord(ch)
    return (
        0x3400 <= c <= 0x4DBF
        or 0x4E00 <= c <= 0x9FFF
        or 0xF900 <= c <= 0xFAFF
        or 0x20000 <= c <= 0x2EBEF
        or 0x2F800 <= c <= 0x2FA1F
        or 0x30000 <= c <= 0x3134F
        or c in (0x3005, 0x3007)
    )


def is_mark(ch: str) -> bool:
    """Mirror of recension's ``chars::is_mark`` (the combining blocks)."""
    c = ord(ch)
    return 0x300 <= c <= 0x36F or 0x1AB0 <= c <= 0x1AFF or 0x1DC0 <= c <= 0x1DFF or 0x20D0 <= c <= 0x20FF or 0xFE20 <= c <= 0xFE2F


def comparison_key(text: str) -> str:
    """Recension's ``comparison_chars`` of the normalized text: no whitespace, no punctuation."""
    return "".join(ch for ch in normalize(text) if ch.isalnum() or is_mark(ch))


def sources(corpus: Path) -> list[tuple[str, list[Path]]]:
    """(source name, its text files) for each immediate child of `corpus`, sorted."""
    out = []
    for child in sorted(corpus.iterdir()):
        if child.name.startswith("."):
            continue
        if child.is_dir():
            files = sorted(p for p in child.rglob("*") if p.is_file() and p.suffix in TEXT_SUFFIXES)
            out.append((child.name, files))
        elif child.is_file() and child.suffix in TEXT_SUFFIXES:
            out.append((child.stem, [child]))
    return out


def paragraphs(path: Path):
    """Yield (line_start, line_end, text) for each blank-line separated block."""
    lines = path.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    start = None
    for i, line in enumerate(lines + [""], 1):
        if line.strip():
            if start is None:
                start = i
        elif start is not None:
            yield start, i - 1, "\n".join(lines[start - 1 : i - 1])
            start = None


def shingles(text: str, han: int, latin: int) -> set[bytes]:
    """Character n-grams of the comparison key (n by script), as recension's ``shingles``."""
    key = comparison_key(text)
    n = han if sum(1 for ch in key if is_han(ch)) * 2 >= len(key) else latin
    if len(key) <= n:
        return {key.encode("utf-8")} if key else set()
    return {key[i : i + n].encode("utf-8") for i in range(len(key) - n + 1)}


class UnionFind:
    """Disjoint sets over 0..n-1 with path halving and union by size."""

    def __init__(self, n: int):
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]


def shingled_items(a: argparse.Namespace) -> tuple[list[tuple], list[set[bytes]]]:
    """Every paragraph of the corpus with shingles, as (source, path,
    line_start, line_end, text), and its shingle set."""
    items = []
    sets = []
    for name, files in sources(a.corpus):
        for path in files:
            shown = str(a.corpus / path.relative_to(a.corpus))
            for lo, hi, text in paragraphs(path):
                s = shingles(text, a.shingle_han, a.shingle_latin)
                if s:
                    items.append((name, shown, lo, hi, text))
                    sets.append(s)
    return items, sets


def write_clusters(out: Path, items: list[tuple], uf: UnionFind) -> int:
    """Writes the union-find's sets of two or more as `out/clusters.csv`
    (recension's columns); returns how many."""
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(uf.find(i), []).append(i)
    out.mkdir(parents=True, exist_ok=True)
    n_clusters = 0
    with open(out / "clusters.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["cluster_id", "witness", "file", "line_start", "line_end", "role", "similarity", "chars", "preview"])
        for members in sorted((g for g in groups.values() if len(g) >= 2), key=lambda g: g[0]):
            n_clusters += 1
            for i in members:
                name, shown, lo, hi, text = items[i]
                w.writerow([n_clusters, name, shown, lo, hi, "witness", "", len(text), text[:40].replace("\n", " ")])
    return n_clusters


def cmd_minhash(a: argparse.Namespace) -> int:
    from datasketch import MinHash, MinHashLSH

    t0 = time.perf_counter()
    items, shingle_sets = shingled_items(a)
    sets = [list(s) for s in shingle_sets]
    t1 = time.perf_counter()
    lsh = MinHashLSH(threshold=a.threshold, num_perm=a.num_perm)
    uf = UnionFind(len(items))
    minhashes = []
    candidates = joined = 0
    for i, m in enumerate(MinHash.generator(sets, num_perm=a.num_perm, seed=1)):
        for j in lsh.query(m):
            candidates += 1
            if not a.verify or m.jaccard(minhashes[j]) >= a.threshold:
                uf.union(i, j)
                joined += 1
        lsh.insert(i, m, check_duplication=False)
        minhashes.append(m)
    t2 = time.perf_counter()
    n_clusters = write_clusters(a.out, items, uf)
    print(
        f"minhash: {len(items)} paragraphs, {candidates} candidate pairs, {joined} joined, {n_clusters} clusters;"
        f" read+shingle {t1 - t0:.1f} s, minhash+lsh {t2 - t1:.1f} s",
        file=sys.stderr,
    )
    return 0


def cmd_rensa(a: argparse.Namespace) -> int:
    """rensa (Rust MinHash with Python bindings) as its README shows it for
    bulk work: one call makes every signature, one inserts them, one
    queries them all; candidates verified by estimated Jaccard, then
    connected components. Prints the CPU seconds of its MinHash and LSH
    core (on the shingle sets already made) apart from the whole."""
    from rensa import RMinHash, RMinHashLSH

    c0 = time.process_time()
    items, shingle_sets = shingled_items(a)
    sets = [[t.decode("utf-8") for t in s] for s in shingle_sets]
    c1 = time.process_time()
    minhashes = RMinHash.from_token_sets(sets, num_perm=a.num_perm, seed=1)
    lsh = RMinHashLSH(threshold=a.threshold, num_perm=a.num_perm, num_bands=a.bands)
    lsh.insert_many(minhashes, 0)
    found = lsh.query_all(minhashes)
    uf = UnionFind(len(items))
    candidates = joined = 0
    for i, cands in enumerate(found):
        for j in cands:
            if j <= i:
                continue
            candidates += 1
            if minhashes[i].jaccard(minhashes[j]) >= a.threshold:
                uf.union(i, j)
                joined += 1
    c2 = time.process_time()
    n_clusters = write_clusters(a.out, items, uf)
    print(
        f"rensa: {len(items)} paragraphs, {candidates} candidate pairs, {joined} joined, {n_clusters} clusters;"
        f" read+shingle {c1 - c0:.2f} CPU s, core {c2 - c1:.2f} CPU s",
        file=sys.stderr,
    )
    return 0


def char_tokens(text: str) -> list[dict]:
    """One collatex token per character; a whitespace run is one space token."""
    return [{"t": ch} for ch in re.sub(r"\s+", " ", text).strip()]


def cmd_collatex(a: argparse.Namespace) -> int:
    from collatex import Collation, collate

    witnesses = [{"id": p.stem, "tokens": char_tokens(p.read_text(encoding="utf-8-sig"))} for p in a.files]
    collation = Collation.create_from_dict({"witnesses": witnesses})
    t0 = time.perf_counter()
    table = collate(collation, output="table", segmentation=False)
    columns = len(table.columns)
    print(f"collatex: {len(witnesses)} witnesses, {sum(len(w['tokens']) for w in witnesses)} tokens, {columns} columns in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if a.out:
        a.out.write_text(json.dumps({"columns": columns}) + "\n", encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description="Peer tools for scripts/bench.sh (run in its virtual environment).")
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("minhash", help="datasketch MinHashLSH clustering, written as clusters.csv")
    m.add_argument("corpus", type=Path, help="corpus directory: each immediate child is a source")
    m.add_argument("-o", "--out", type=Path, required=True, help="output directory for clusters.csv")
    m.add_argument("--threshold", type=float, default=0.5, help="MinHashLSH Jaccard threshold (default 0.5)")
    m.add_argument("--num-perm", type=int, default=128, help="MinHash permutations (default 128)")
    m.add_argument("--shingle-han", type=int, default=2, help="shingle size for Han paragraphs (default 2)")
    m.add_argument("--shingle-latin", type=int, default=5, help="shingle size for other paragraphs (default 5)")
    m.add_argument(
        "--no-verify",
        dest="verify",
        action="store_false",
        help="join every LSH candidate pair, not only those whose estimated Jaccard reaches the threshold",
    )
    r = sub.add_parser("rensa", help="rensa RMinHashLSH clustering, written as clusters.csv")
    r.add_argument("corpus", type=Path, help="corpus directory: each immediate child is a source")
    r.add_argument("-o", "--out", type=Path, required=True, help="output directory for clusters.csv")
    r.add_argument("--threshold", type=float, default=0.5, help="Jaccard threshold (default 0.5)")
    r.add_argument("--num-perm", type=int, default=128, help="MinHash permutations (default 128)")
    r.add_argument("--bands", type=int, default=32, help="LSH bands (default 32: 4 rows of 128, as recension's 30 × 4)")
    r.add_argument("--shingle-han", type=int, default=2, help="shingle size for Han paragraphs (default 2)")
    r.add_argument("--shingle-latin", type=int, default=5, help="shingle size for other paragraphs (default 5)")
    c = sub.add_parser("collatex", help="character-level collation with collatex")
    c.add_argument("files", type=Path, nargs="+", help="witness files")
    c.add_argument("--out", type=Path, help="write a small JSON summary here")
    a = ap.parse_args(argv)
    return {"minhash": cmd_minhash, "rensa": cmd_rensa, "collatex": cmd_collatex}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
