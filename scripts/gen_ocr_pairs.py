#!/usr/bin/env python3
"""OCR-like pairs of pages with a known character error rate.

Usage::

    python3 scripts/gen_ocr_pairs.py --out DIR --cer 0.1 [--seed 1]
                                     [--source FILE_OR_DIR ...]

Writes ``DIR/gt/<page>.txt`` (the ground truth: paragraphs of the source
texts, one blank line between paragraphs) and ``DIR/ocr/<page>.txt`` (the
same text with noise at the rate asked for, and paragraphed otherwise), and
``DIR/truth.json``: per page and in total, the ground truth's characters and
the edits injected.

The noise is single-character substitutions, insertions and deletions (in
the proportions 6:2:2) of non-space characters, never at two neighbouring
positions, so that two edits can seldom be undone or merged by an alignment
and the Levenshtein distance between ground truth and OCR is the number of
edits injected, or a little less. Characters are counted as recension's OCR
evaluation counts them (NFKC; whitespace runs as one space, none at the
ends of a paragraph; case kept), and the noise never changes what that
counting does: it does not touch spaces, and what it puts in is a letter or
digit of the page itself.

The OCR's paragraphing differs from the ground truth's, as an engine's
block detection does: some paragraphs are run together (a space where the
blank line was), some are split at a space, and every OCR paragraph is
hard-wrapped at 60 to 80 characters. None of that is an edit.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def paragraphs(path: Path) -> list[str]:
    """The paragraphs of a text file: blocks between blank lines, lines
    joined by a space, whitespace runs as one space."""
    text = path.read_text(encoding="utf-8")
    # Plain text: Markdown's heading, quote and emphasis marks (which
    # recension strips where a paragraph begins) are left out, so that a
    # paragraph run into another keeps no mark in its middle.
    text = re.sub(r"(?m)^\s*(#+|>)\s*", "", text).replace("**", "").replace("__", "")
    blocks = [" ".join(b.split()) for b in text.split("\n\n")]
    return [unicodedata.normalize("NFKC", b) for b in blocks if len(b) >= 40]


def noisy(text: str, cer: float, rng: random.Random) -> tuple[str, int]:
    """`text` with about `cer · len(text)` single-character edits at
    non-space positions, no two neighbours; returns the text and the
    edits."""
    alphabet = sorted({c for c in text if c.isalnum()}) or list("abcdefghij")
    candidates = [i for i, c in enumerate(text) if not c.isspace()]
    want = round(cer * len(text))
    rng.shuffle(candidates)
    chosen: set[int] = set()
    for i in candidates:
        if len(chosen) == want:
            break
        if i - 1 in chosen or i + 1 in chosen:
            continue
        chosen.add(i)
    out: list[str] = []
    edits = 0
    for i, c in enumerate(text):
        if i not in chosen:
            out.append(c)
            continue
        kind = rng.choices(["sub", "ins", "del"], weights=[6, 2, 2])[0]
        if kind == "del":
            edits += 1
            continue
        if kind == "ins":
            out.append(c)
            out.append(rng.choice(alphabet))
            edits += 1
            continue
        other = [a for a in alphabet if a != c]
        out.append(rng.choice(other))
        edits += 1
    return "".join(out), edits


def wrap(text: str, rng: random.Random) -> str:
    """Hard-wraps a paragraph at spaces, lines of 60 to 80 characters."""
    lines: list[str] = []
    line = ""
    width = rng.randint(60, 80)
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
            width = rng.randint(60, 80)
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "\n".join(lines)


def repaginate(paras: list[str], rng: random.Random) -> list[str]:
    """The OCR's paragraphs: neighbours run together, long ones split."""
    out: list[str] = []
    i = 0
    while i < len(paras):
        p = paras[i]
        if i + 1 < len(paras) and rng.random() < 0.25:
            p = f"{p} {paras[i + 1]}"
            i += 1
        spaces = [k for k, c in enumerate(p) if c == " "]
        if len(p) > 200 and spaces and rng.random() < 0.3:
            k = spaces[len(spaces) // 2]
            out.extend([p[:k], p[k + 1 :]])
        else:
            out.append(p)
        i += 1
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--cer", type=float, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--source",
        type=Path,
        nargs="*",
        default=[REPO / "data" / "sample", REPO / "tests" / "fixtures" / "icdar2019_pl1" / "gt"],
    )
    ap.add_argument("--per-page", type=int, default=4, help="paragraphs per page")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    files: list[Path] = []
    for s in args.source:
        files.extend(sorted(s.glob("*.txt")) if s.is_dir() else [s])
    paras = [p for f in files for p in paragraphs(f)]
    (args.out / "gt").mkdir(parents=True, exist_ok=True)
    (args.out / "ocr").mkdir(parents=True, exist_ok=True)
    pages = []
    total_chars = total_edits = 0
    for n in range(0, len(paras), args.per_page):
        page = paras[n : n + args.per_page]
        name = f"page{n // args.per_page:04d}.txt"
        noised = [noisy(p, args.cer, rng) for p in page]
        # One space between paragraphs, as recension counts them.
        chars = sum(len(p) for p in page) + len(page) - 1
        edits = sum(e for _, e in noised)
        (args.out / "gt" / name).write_text("\n\n".join(page) + "\n", encoding="utf-8")
        ocr = repaginate([t for t, _ in noised], rng)
        (args.out / "ocr" / name).write_text(
            "\n\n".join(wrap(p, rng) for p in ocr) + "\n", encoding="utf-8"
        )
        pages.append({"page": name, "chars": chars, "edits": edits})
        total_chars += chars
        total_edits += edits
    truth = {
        "cer_asked": args.cer,
        "chars": total_chars,
        "edits": total_edits,
        "cer": total_edits / total_chars,
        "pages": pages,
    }
    (args.out / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    print(f"{len(pages)} pages, {total_chars} characters, {total_edits} edits, CER {truth['cer']:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
