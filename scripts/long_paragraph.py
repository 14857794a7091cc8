#!/usr/bin/env python3
"""Write one very long paragraph in three noisy versions.

The paragraph is made of the sentences of the seed transcripts (``data/sample``
by default) drawn in a seeded random order until it reaches ``--chars``
characters, on one line, so ``recension`` sees it as a single paragraph. Each
of the three versions gets its own rate of character noise (substitutions,
deletions, insertions, swaps of neighbours) and a few dropped and repeated
clauses.

Usage::

    python3 scripts/long_paragraph.py --out /tmp/long --chars 1000000 --seed 7
    recension report /tmp/long/corpus -o /tmp/long/report -q
    recension diff /tmp/long/corpus/w1/long.txt /tmp/long/corpus/w2/long.txt

Output: ``OUT/corpus/w1/long.txt``, ``w2``, ``w3`` (UTF-8, one line each) and
``OUT/clean.txt``, the paragraph without noise. Python 3.11 standard library
only; the same arguments give byte-identical output.
"""
from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

# Noise per character of each version: a good, a fair and a poor copy.
RATES = (0.002, 0.005, 0.01)
# Clauses (20 to 200 characters) dropped or repeated per million characters.
BLOCKS_PER_MILLION = 20


def sentences(source: Path) -> list[str]:
    """The seed text's sentences, markup and line breaks removed."""
    out: list[str] = []
    for path in sorted(source.iterdir()):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            line = re.sub(r"[#*_>`]+", "", line).strip()
            if not line:
                continue
            for s in re.split(r"(?<=[。！？!?])|(?<=\.)\s+", line):
                s = s.strip()
                if len(s) >= 8:
                    out.append(s)
    return out


def paragraph(seeds: list[str], length: int, rng: random.Random) -> str:
    parts: list[str] = []
    total = 0
    while total < length:
        s = rng.choice(seeds)
        parts.append(s)
        total += len(s) + 1
    return " ".join(parts)[:length]


def noisy(clean: str, rate: float, alphabet: list[str], rng: random.Random) -> str:
    chars = list(clean)
    out: list[str] = []
    i = 0
    blocks = BLOCKS_PER_MILLION * len(chars) / 1_000_000
    block_rate = blocks / max(len(chars), 1)
    while i < len(chars):
        if rng.random() < block_rate:
            n = rng.randint(20, 200)
            if rng.random() < 0.5:
                i += n  # a clause dropped
                continue
            out.extend(chars[max(0, i - n) : i])  # a clause repeated
        if rng.random() < rate:
            kind = rng.randrange(4)
            if kind == 0:
                out.append(rng.choice(alphabet))
            elif kind == 1:
                pass
            elif kind == 2:
                out.append(rng.choice(alphabet))
                out.append(chars[i])
            elif i + 1 < len(chars):
                out.append(chars[i + 1])
                out.append(chars[i])
                i += 1
            i += 1
            continue
        out.append(chars[i])
        i += 1
    return "".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--chars", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--source", type=Path, default=Path(__file__).parent.parent / "data" / "sample")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    seeds = sentences(args.source)
    clean = paragraph(seeds, args.chars, rng)
    alphabet = sorted(set(clean) - {" "})
    (args.out / "corpus").mkdir(parents=True, exist_ok=True)
    (args.out / "clean.txt").write_text(clean + "\n", encoding="utf-8")
    for k, rate in enumerate(RATES, start=1):
        d = args.out / "corpus" / f"w{k}"
        d.mkdir(parents=True, exist_ok=True)
        (d / "long.txt").write_text(noisy(clean, rate, alphabet, rng) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
