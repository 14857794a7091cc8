#!/usr/bin/env python3
"""Score a ``recension report`` output directory against generator truth.

Usage::

    python3 scripts/score.py --truth OUT/truth --report REPORT_DIR [--json]

``OUT/truth`` is written by ``scripts/gen_corpus.py``; ``REPORT_DIR`` holds
``recension report`` output. Each score needs one report file and is ``n/a``
when that file is absent, so a peer tool that only clusters can be scored by
writing a ``clusters.csv`` alone.

Scores
------

clustering (``clusters.csv``)
    Pairwise precision, recall and F1. The items are paragraph copies
    (witness, paragraph id). A reported member is mapped to the truth
    paragraph whose piece contains its ``line_start`` (else the one it
    overlaps most); a member spanning both pieces of a page-broken paragraph
    is one copy. A member on no paragraph (a page number, say) is an item of
    its own, so pairing it is a false pair. A copy that appears in two
    reported clusters counts in the first only. Pairs are counted from the
    contingency table, so a giant cluster costs no memory.

    Fragment attachment: a paragraph copy split by a page break (truth rows
    with ``pieces`` = 2) is *attached* when each of its pieces is in some
    reported cluster that also holds a member of another witness's copy of
    the same paragraph. A member stands for the copy it maps to (as above)
    and covers each piece of that copy whose lines it overlaps, so a member
    spanning both pieces (segmentation rejoined them) covers both; ``role``
    is not looked at. Score = attached copies / split copies.

variants (``variants.csv``)
    A row *explains* an injected variant when witness and file agree, the
    line is the same and the column falls within the variant's span in the
    noisy file, widened by ``--tolerance`` characters on each side (an aligner
    may shift a boundary). Rows are matched one-to-one, greedily, in file
    order, each to the nearest unmatched variant. Recall = matched variants /
    injected variants (kinds confusable, substitution, deletion, insertion,
    transposition, number, word, punctuation). Precision = matched rows /
    counted rows, where rows of category ``formal`` or ``hyphenation`` are not
    counted (they describe layout and normalization, which the truth keeps as
    structural or formal changes, not variants). Formal changes are reported
    separately.

ranking (``witnesses.csv``)
    Kendall's tau-b between the reported ``rank`` and the true rank, and
    whether the reported order is exactly the true order.

consensus (``apparatus.jsonl``, with ``report.json``'s documents)
    For each cluster, the majority paragraph id of its members; its clean
    text and the cluster's consensus are normalized (``normalize``), all
    whitespace is removed (whitespace is formal, and tools differ in where
    they keep a space, e.g. after a comma), and they are compared: accuracy =
    1 - Levenshtein / len(clean), floored at 0, averaged with clean-length
    weights.

Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import json
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

VARIANT_KINDS = ("confusable", "substitution", "deletion", "insertion", "transposition", "number", "word", "punctuation")
# The recension category that describes each injected kind best.
EXPECTED_CATEGORY = {
    "confusable": "confusable",
    "substitution": "substitution",
    "deletion": "deletion",
    "insertion": "insertion",
    "transposition": "transposition",
    "number": "number",
    "word": "substitution",
    "punctuation": "punctuation",
}
UNCOUNTED_CATEGORIES = ("formal", "hyphenation")
DEFAULT_TOLERANCE = 3

# ---------------------------------------------------------------------------
# Normalization (SPEC §4), mirrored from recension so consensus compares fairly

_FOLD = str.maketrans(
    {
        **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"},
        **{c: '"' for c in "\u201c\u201d\u201e\u201f\u00ab\u00bb\u301d\u301e\u301f\uff02"},
        **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\uff07"},
    }
)
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WS_RE = re.compile(r"\s+")
_HAN_GAP_RE = re.compile(f"(?<=[{_HAN}]) (?=[{_HAN}])")


def normalize(text: str) -> str:
    """The comparison form of SPEC §4.

    NFKC (full width to half width), dashes folded to ``-``, quotes folded to
    ``"`` and ``'``, lowercase, whitespace runs collapsed to one space and
    dropped between two Han characters, ends trimmed.

    >>> normalize("中国，  美国 “Hello”—World")
    '中国, 美国 "hello"-world'
    """
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).lower()
    text = _WS_RE.sub(" ", text).strip()
    return _HAN_GAP_RE.sub("", text)


def levenshtein(a: str, b: str) -> int:
    """Unit-cost edit distance (Hyyrö's bit-parallel form of Myers' algorithm).

    Python integers serve as bit vectors of any length, so this costs
    O(len(a)) big-integer operations rather than O(len(a) · len(b)) steps.
    """
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    peq: dict[str, int] = {}
    for i, ch in enumerate(b):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    full = (1 << m) - 1
    top = 1 << (m - 1)
    pv, mv, score = full, 0, m
    for ch in a:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | ~(xh | pv)
        mh = pv & xh
        if ph & top:
            score += 1
        elif mh & top:
            score -= 1
        ph = (ph << 1) | 1
        mh <<= 1
        pv = (mh | ~(xv | ph)) & full
        mv = ph & xv & full
    return score


# ---------------------------------------------------------------------------
# Truth


def rel_file(path: str) -> str:
    """The corpus-relative form of a report path: its last two components.

    The generator writes ``<witness>/<doc>.txt``, and a report names files as
    reached from its argument (``/tmp/c/corpus/w2/doc00007.txt``).
    """
    parts = [p for p in re.split(r"[\\/]+", path) if p and p != "."]
    return "/".join(parts[-2:])


@dataclass
class TruthError:
    """One injected change, as recorded in ``errors.csv``."""

    witness: str
    file: str
    para_id: str
    line: int
    column: int
    clean: str
    noisy: str
    kind: str


@dataclass
class Truth:
    """Everything the scorer needs from a generator truth directory."""

    # (witness, file) -> sorted [(line_start, line_end, para_id)] of pieces
    pieces: dict[tuple[str, str], list[tuple[int, int, str]]] = field(default_factory=dict)
    # para_id -> number of witnesses holding a copy
    copies: Counter = field(default_factory=Counter)
    # (witness, para_id) of a copy split by a page break -> [(file, line_start,
    # line_end)] of its pieces, in piece order
    splits: dict[tuple[str, str], list[tuple[str, int, int]]] = field(default_factory=dict)
    variants: list[TruthError] = field(default_factory=list)
    formal: list[TruthError] = field(default_factory=list)
    structural: Counter = field(default_factory=Counter)
    ranks: dict[str, int] = field(default_factory=dict)
    clean_path: Path | None = None

    def para_at(self, witness: str, file: str, line_start: int, line_end: int) -> str | None:
        """The paragraph id a reported member stands for, or None."""
        pieces = self.pieces.get((witness, file))
        if not pieces:
            return None
        starts = [p[0] for p in pieces]
        j = bisect.bisect_right(starts, line_start) - 1
        if j >= 0 and pieces[j][0] <= line_start <= pieces[j][1]:
            return pieces[j][2]
        overlap: Counter = Counter()
        k = max(j, 0)
        while k < len(pieces) and pieces[k][0] <= line_end:
            lo, hi = max(pieces[k][0], line_start), min(pieces[k][1], line_end)
            if hi >= lo:
                overlap[pieces[k][2]] += hi - lo + 1
            k += 1
        if not overlap:
            return None
        return min(overlap, key=lambda pid: (-overlap[pid], pid))


def load_truth(truth_dir: Path) -> Truth:
    """Read ``paragraphs.csv``, ``errors.csv`` and ``witnesses.csv``."""
    truth = Truth(clean_path=truth_dir / "clean.jsonl")
    seen_copy: set[tuple[str, str]] = set()
    split_rows: dict[tuple[str, str], list[tuple[int, str, int, int]]] = {}
    with open(truth_dir / "paragraphs.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            key = (r["witness"], r["file"])
            lo, hi = int(r["line_start"]), int(r["line_end"])
            truth.pieces.setdefault(key, []).append((lo, hi, r["para_id"]))
            if (r["witness"], r["para_id"]) not in seen_copy:
                seen_copy.add((r["witness"], r["para_id"]))
                truth.copies[r["para_id"]] += 1
            if int(r.get("pieces") or 1) >= 2:
                split_rows.setdefault((r["witness"], r["para_id"]), []).append((int(r.get("piece") or 0), r["file"], lo, hi))
    for pieces in truth.pieces.values():
        pieces.sort()
    truth.splits = {copy: [(f, lo, hi) for _, f, lo, hi in sorted(rows)] for copy, rows in split_rows.items()}
    with open(truth_dir / "errors.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            kind = r["kind"]
            if kind in VARIANT_KINDS or kind == "formal":
                e = TruthError(r["witness"], r["file"], r["para_id"], int(r["line"]), int(r["column"]), r["clean"], r["noisy"], kind)
                (truth.variants if kind != "formal" else truth.formal).append(e)
            else:
                truth.structural[kind] += 1
    with open(truth_dir / "witnesses.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            truth.ranks[r["witness"]] = int(r["true_rank"])
    return truth


def load_clean(path: Path, wanted: set[str]) -> dict[str, str]:
    """Clean texts of the paragraph ids in `wanted`."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec["para_id"] in wanted:
                out[rec["para_id"]] = rec["text"]
    return out


# ---------------------------------------------------------------------------
# Scores


def _ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def fragment_attachment(truth: Truth, covered: list[tuple[tuple[str, str], int, str]], holders: dict[tuple[str, str], set[str]]) -> dict:
    """The fragment attachment score (see the module docstring).

    `covered` lists (split copy, piece index, cluster id) for every reported
    member that covers a piece; `holders` maps (cluster id, para_id) to the
    witnesses with a member of that paragraph in that cluster.
    """
    attached_pieces = {
        (copy, k) for copy, k, cid in covered if holders.get((cid, copy[1]), set()) - {copy[0]}
    }
    attached = sum(
        1 for copy, pieces in truth.splits.items() if all((copy, k) in attached_pieces for k in range(len(pieces)))
    )
    total = len(truth.splits)
    return {"attached": attached, "total": total, "share": _ratio(attached, total)}


def score_clusters(truth: Truth, path: Path) -> dict:
    """Pairwise precision/recall/F1 of ``clusters.csv`` against paragraph ids, and fragment attachment."""
    clusters: dict[str, list[tuple]] = {}
    unmapped = 0
    split_pids = {pid for _, pid in truth.splits}
    covered: list[tuple[tuple[str, str], int, str]] = []
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            file = rel_file(r["file"])
            lo, hi = int(r["line_start"]), int(r["line_end"])
            pid = truth.para_at(r["witness"], file, lo, hi)
            if pid is None:
                unmapped += 1
                item = ("junk", r["witness"], file, r["line_start"], r["line_end"])
            else:
                item = (r["witness"], pid)
                if pid in split_pids:
                    holders[(r["cluster_id"], pid)].add(r["witness"])
                    for k, (pfile, plo, phi) in enumerate(truth.splits.get(item, ())):
                        if pfile == file and max(lo, plo) <= min(hi, phi):
                            covered.append((item, k, r["cluster_id"]))
            clusters.setdefault(r["cluster_id"], []).append(item)
    owner: dict[tuple, str] = {}
    predicted = shared = members = 0
    for cid, items in clusters.items():
        labels: Counter = Counter()
        for item in items:
            if item in owner:
                continue
            owner[item] = cid
            labels[item[1] if item[0] != "junk" else item] += 1
        size = sum(labels.values())
        members += size
        predicted += _pairs(size)
        shared += sum(_pairs(n) for n in labels.values())
    true_pairs = sum(_pairs(n) for n in truth.copies.values())
    p, r = _ratio(shared, predicted), _ratio(shared, true_pairs)
    return {
        "precision": p,
        "recall": r,
        "f1": _f1(p, r),
        "clusters": len(clusters),
        "members": members,
        "unmapped_members": unmapped,
        "pairs_reported": predicted,
        "pairs_true": true_pairs,
        "pairs_shared": shared,
        "fragments": fragment_attachment(truth, covered, holders),
    }


def score_variants(truth: Truth, path: Path, tolerance: int) -> dict:
    """Variant recall and precision of ``variants.csv`` (see the module docstring)."""
    index: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    for i, e in enumerate(truth.variants):
        index[(e.witness, e.file, e.line)].append(i)
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            rows.append((r["witness"], rel_file(r["file"]), int(r["line"]), int(r["column"]), (r.get("category") or "").strip()))
    rows.sort()
    matched_err: dict[int, str] = {}
    counted = matched_rows = formal_rows = hyphen_rows = 0
    for witness, file, line, col, category in rows:
        if category == "formal":
            formal_rows += 1
            continue
        if category == "hyphenation":
            hyphen_rows += 1
            continue
        counted += 1
        best, best_d = None, None
        for i in index.get((witness, file, line), ()):
            if i in matched_err:
                continue
            e = truth.variants[i]
            lo, hi = e.column, e.column + max(len(e.noisy), 1) - 1
            if not lo - tolerance <= col <= hi + tolerance:
                continue
            d = 0 if lo <= col <= hi else min(abs(col - lo), abs(col - hi))
            if best_d is None or d < best_d:
                best, best_d = i, d
        if best is not None:
            matched_err[best] = category
            matched_rows += 1
    by_kind: dict[str, dict] = {}
    for kind in VARIANT_KINDS:
        ids = [i for i, e in enumerate(truth.variants) if e.kind == kind]
        hit = sum(1 for i in ids if i in matched_err)
        by_kind[kind] = {"recall": _ratio(hit, len(ids)), "matched": hit, "injected": len(ids)}
    agree = sum(1 for i, cat in matched_err.items() if EXPECTED_CATEGORY[truth.variants[i].kind] == cat)
    p, r = _ratio(matched_rows, counted), _ratio(len(matched_err), len(truth.variants))
    return {
        "recall": r,
        "precision": p,
        "f1": _f1(p, r),
        "injected": len(truth.variants),
        "matched": len(matched_err),
        "rows": len(rows),
        "rows_counted": counted,
        "rows_formal": formal_rows,
        "rows_hyphenation": hyphen_rows,
        "category_agreement": _ratio(agree, len(matched_err)),
        "by_kind": by_kind,
        "tolerance": tolerance,
    }


def kendall_tau_b(xs: list[float], ys: list[float]) -> float | None:
    """Kendall's tau-b of two paired rankings (None when either is constant)."""
    conc = disc = tie_x = tie_y = 0
    n = len(xs)
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = xs[i] - xs[j], ys[i] - ys[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                tie_x += 1
            elif dy == 0:
                tie_y += 1
            elif (dx > 0) == (dy > 0):
                conc += 1
            else:
                disc += 1
    den = math.sqrt((conc + disc + tie_x) * (conc + disc + tie_y))
    return (conc - disc) / den if den else None


def score_ranking(truth: Truth, path: Path) -> dict:
    """Kendall tau of ``witnesses.csv`` ranks against the true ranks."""
    reported: dict[str, float] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r.get("rank", "").strip():
                reported[r["witness"]] = float(r["rank"])
    common = sorted(set(reported) & set(truth.ranks))
    tau = kendall_tau_b([truth.ranks[w] for w in common], [reported[w] for w in common]) if len(common) >= 2 else None
    true_order = sorted(truth.ranks, key=lambda w: truth.ranks[w])
    got_order = sorted(reported, key=lambda w: (reported[w], w))
    distinct = len(set(reported.values())) == len(reported)
    return {
        "kendall_tau": tau,
        "exact": got_order == true_order and distinct,
        "true_order": true_order,
        "reported_order": got_order,
        "missing": sorted(set(truth.ranks) - set(reported)),
    }


def score_consensus(truth: Truth, path: Path) -> dict:
    """Character accuracy of each cluster's consensus (``apparatus.jsonl``,
    one cluster per line, members naming ``report.json``'s documents) against
    the clean text."""
    report = json.loads((path.parent / "report.json").read_text(encoding="utf-8"))
    documents = report.get("documents", []) if isinstance(report, dict) else []
    majority: list[tuple[str, str]] = []
    unmapped = clusters = 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            c = json.loads(line)
            clusters += 1
            votes: Counter = Counter()
            for m in c.get("members", []):
                doc = documents[m["doc"]]
                pid = truth.para_at(doc["witness"], rel_file(doc["file"]), int(m["lines"][0]), int(m["lines"][1]))
                if pid is not None:
                    votes[pid] += 1
            if not votes:
                unmapped += 1
                continue
            pid = min(votes, key=lambda p: (-votes[p], p))
            majority.append((pid, c.get("text", "")))
    clean = load_clean(truth.clean_path, {pid for pid, _ in majority}) if truth.clean_path else {}
    total = correct = exact = 0
    for pid, consensus in majority:
        ref = _WS_RE.sub("", normalize(clean[pid]))
        dist = levenshtein(_WS_RE.sub("", normalize(consensus)), ref)
        exact += dist == 0
        total += len(ref)
        correct += max(0, len(ref) - dist)
    return {
        "accuracy": _ratio(correct, total),
        "clusters": clusters,
        "scored": len(majority),
        "exact": exact,
        "unmapped_clusters": unmapped,
        "clean_chars": total,
    }


def score(truth_dir: Path, report_dir: Path, tolerance: int = DEFAULT_TOLERANCE) -> dict:
    """All scores that the files present in `report_dir` allow."""
    truth = load_truth(truth_dir)
    out: dict = {
        "truth": str(truth_dir),
        "report": str(report_dir),
        "formal": {"truth": len(truth.formal)},
        "structural": dict(sorted(truth.structural.items())),
    }
    sections = (
        ("clustering", "clusters.csv", lambda p: score_clusters(truth, p)),
        ("variants", "variants.csv", lambda p: score_variants(truth, p, tolerance)),
        ("ranking", "witnesses.csv", lambda p: score_ranking(truth, p)),
        ("consensus", "apparatus.jsonl", lambda p: score_consensus(truth, p)),
    )
    for name, file, fn in sections:
        path = report_dir / file
        out[name] = fn(path) if path.exists() else None
    if out["variants"] is not None:
        out["formal"]["rows"] = out["variants"]["rows_formal"]
    return out


# ---------------------------------------------------------------------------
# Output


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.4f}"


def render(s: dict) -> str:
    """The human-readable table."""
    lines = [f"truth {s['truth']}  report {s['report']}"]
    c = s["clustering"]
    if c is None:
        lines.append("clustering  n/a (no clusters.csv)")
    else:
        lines.append(
            f"clustering  precision {_fmt(c['precision'])}  recall {_fmt(c['recall'])}  F1 {_fmt(c['f1'])}"
            f"   pairs {c['pairs_shared']} shared / {c['pairs_reported']} reported / {c['pairs_true']} true;"
            f" {c['clusters']} clusters, {c['unmapped_members']} members on no paragraph"
        )
        fr = c["fragments"]
        lines.append(f"  fragments attached {fr['attached']}/{fr['total']} ({_fmt(fr['share'])}) of the copies split by a page break")
    v = s["variants"]
    if v is None:
        lines.append("variants    n/a (no variants.csv)")
    else:
        lines.append(
            f"variants    recall {_fmt(v['recall'])} ({v['matched']}/{v['injected']})"
            f"  precision {_fmt(v['precision'])} ({v['matched']}/{v['rows_counted']} rows)  F1 {_fmt(v['f1'])}"
            f"   not counted: {v['rows_formal']} formal, {v['rows_hyphenation']} hyphenation rows; tolerance {v['tolerance']}"
        )
        kinds = "  ".join(
            f"{k} {_fmt(d['recall'])} ({d['matched']}/{d['injected']})" for k, d in v["by_kind"].items() if d["injected"]
        )
        lines.append(f"  by kind   {kinds}")
        lines.append(f"  category  {_fmt(v['category_agreement'])} of matched rows carry the expected category")
    f = s["formal"]
    rows = f"; {f['rows']} rows reported as formal" if "rows" in f else ""
    lines.append(f"formal      {f['truth']} formal changes in the truth (not variants){rows}")
    st = ", ".join(f"{k} {n}" for k, n in s["structural"].items()) or "none"
    lines.append(f"structural  {st} (not variants)")
    r = s["ranking"]
    if r is None:
        lines.append("ranking     n/a (no witnesses.csv)")
    else:
        lines.append(
            f"ranking     kendall tau {_fmt(r['kendall_tau'])}  exact order {'yes' if r['exact'] else 'no'}"
            f"   true {' < '.join(r['true_order'])}   reported {' < '.join(r['reported_order'])}"
        )
    k = s["consensus"]
    if k is None:
        lines.append("consensus   n/a (no apparatus.jsonl)")
    else:
        lines.append(
            f"consensus   character accuracy {_fmt(k['accuracy'])} over {k['scored']} clusters"
            f" ({k['clean_chars']} clean chars, {k['exact']} exact)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description="Score a recension report directory against gen_corpus.py truth.")
    ap.add_argument("--truth", type=Path, required=True, help="the generator's truth directory (OUT/truth)")
    ap.add_argument("--report", type=Path, required=True, help="a report directory (clusters.csv, variants.csv, witnesses.csv, report.json, apparatus.jsonl)")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("--tolerance", type=int, default=DEFAULT_TOLERANCE, help=f"columns a variant row may miss its span by (default {DEFAULT_TOLERANCE})")
    a = ap.parse_args(argv)
    if not (a.truth / "paragraphs.csv").exists():
        ap.error(f"{a.truth} has no paragraphs.csv")
    if not a.report.is_dir():
        ap.error(f"{a.report} is not a directory")
    s = score(a.truth, a.report, a.tolerance)
    print(json.dumps(s, indent=2, ensure_ascii=False) if a.json else render(s))
    return 0


if __name__ == "__main__":
    sys.exit(main())
