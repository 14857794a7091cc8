#!/usr/bin/env python3
"""Character error rates against a reference witness, computed independently.

For every paragraph of the ground truth that both the reference and a witness
hold, the witness's text is read from its files (pieces cut by a page break
joined in order, wrapped lines unwrapped), both texts are normalized as
SPEC §4 says (with recension's rule for spaces next to punctuation), and their Levenshtein distance is summed; the rate is the sum
over the reference's characters. This is what ``recension report
--reference W`` reports in ``witnesses.csv``, computed without recension's
segmentation, clustering or alignment, so the two can be compared:

    python3 scripts/reference_cer.py --truth T/truth --corpus T/corpus \\
        --reference w1 [--report DIR]

With ``--report``, the rates in DIR/witnesses.csv are printed beside these
and the largest absolute difference last; the exit status is 1 when it is
above ``--tolerance`` (default 0.002).
"""
from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from score import levenshtein, normalize  # noqa: E402


def _is_word(c: str) -> bool:
    return c.isalnum() and not ("\u2e80" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af" or "\uff00" <= c <= "\uffef")


def comparison_text(text: str) -> str:
    """SPEC §4 normalization (score.normalize), then recension's whitespace
    rule: a space stays only between two word characters (Latin letters or
    digits); next to punctuation it is typography."""
    t = normalize(text)
    return "".join(
        c
        for i, c in enumerate(t)
        if c != " " or (0 < i < len(t) - 1 and _is_word(t[i - 1]) and _is_word(t[i + 1]))
    )


def unwrap(lines: list[str]) -> str:
    """Joins a paragraph's lines: a line-end hyphen before a lowercase letter
    is a broken word, any other line end is a space."""
    text = ""
    for line in (l.strip() for l in lines):
        if not line:
            continue
        if text.endswith("-") and line[:1].islower() and text[-2:-1].isalpha():
            text = text[:-1] + line
        elif text:
            text += " " + line
        else:
            text = line
    return text


def paragraph_texts(truth: Path, corpus: Path) -> dict[str, dict[str, str]]:
    """witness → para_id → text, pieces joined in piece order."""
    pieces: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    files: dict[str, list[str]] = {}
    with open(truth / "paragraphs.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["file"] not in files:
                files[r["file"]] = (corpus / r["file"]).read_text(encoding="utf-8").split("\n")
            lines = files[r["file"]][int(r["line_start"]) - 1 : int(r["line_end"])]
            pieces[(r["witness"], r["para_id"])].append((int(r["piece"]), unwrap(lines)))
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for (witness, para), parts in pieces.items():
        out[witness][para] = " ".join(t for _, t in sorted(parts))
    return out


def reference_cer(texts: dict[str, dict[str, str]], reference: str) -> dict[str, float]:
    """witness → Σ distance / Σ reference characters over shared paragraphs."""
    ref = texts[reference]
    rates = {}
    for witness, paras in sorted(texts.items()):
        if witness == reference:
            continue
        edits = chars = 0
        for para, text in paras.items():
            if para in ref:
                a, b = comparison_text(ref[para]), comparison_text(text)
                edits += levenshtein(a, b)
                chars += len(a)
        if chars:
            rates[witness] = edits / chars
    return rates


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--truth", type=Path, required=True)
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--reference", required=True, help="the reference witness (w1, w2, …)")
    ap.add_argument("--report", type=Path, help="a report directory to compare with")
    ap.add_argument("--tolerance", type=float, default=0.002)
    a = ap.parse_args(argv)
    rates = reference_cer(paragraph_texts(a.truth, a.corpus), a.reference)
    reported: dict[str, float] = {}
    if a.report:
        with open(a.report / "witnesses.csv", encoding="utf-8", newline="") as f:
            reported = {r["witness"]: float(r["cer"]) for r in csv.DictReader(f) if r["cer"]}
    worst = 0.0
    for witness, rate in rates.items():
        line = f"{witness}  independent {rate:.6f}"
        if witness in reported:
            diff = abs(reported[witness] - rate)
            worst = max(worst, diff)
            line += f"  recension {reported[witness]:.6f}  difference {diff:.6f}"
        print(line)
    if a.report:
        print(f"largest difference {worst:.6f} (tolerance {a.tolerance})")
        return 0 if worst <= a.tolerance else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
