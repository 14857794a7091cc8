#!/usr/bin/env python3
"""Measure character shingle sizes for MinHash near-duplicate detection.

Usage::

    python3 scripts/shingle_study.py --truth /tmp/g25k/truth \\
        [--corpus /tmp/g25k/corpus] [--realdata /work/shared/realdata/icdar2019_pl1] \\
        [--sample 200000] [--seed 1] [--paras N] [--kh 1,2,3,4] [--kl 3,4,5,6,7] \\
        [--chosen-kh 2] [--chosen-kl 5] [--source data/sample]

Prints Markdown tables to standard output (progress goes to standard error).
Python 3.11 standard library only.

What it measures
----------------

recension finds candidate pairs of paragraphs with MinHash (128 permutations)
and LSH banding over character shingles, then verifies them (normalized
Levenshtein similarity, or a containment test for fragments). This study
measures, for each candidate shingle size, how the exact Jaccard similarity of
shingle *sets* separates copies of one paragraph from different paragraphs.

Comparison key (as recension builds it): ``score.normalize`` (NFKC, folded
dashes and quotes, lowercase, whitespace collapsed), then every whitespace
character and every character of Unicode category P* or S* is dropped. A key
is *Han* when at least half its characters are in U+3400–4DBF, U+4E00–9FFF or
U+F900–FAFF; Han keys are cut into n-grams of size ``kh``, all others into
n-grams of size ``kl`` (spaces are already gone). A key shorter than the size
gives one shingle, the whole key. (recension's own punctuation test is "not
alphanumeric, whitespace or combining mark" and its Han test also covers the
supplementary ideograph planes; neither difference matters on these inputs.)

When sweeping ``kh`` the Latin size stays at ``--chosen-kl`` and vice versa, so
every copy is shingled exactly as recension would shingle it.

Inputs, from ``scripts/gen_corpus.py`` (``--truth DIR``, ``--corpus DIR``):

* a copy's text is lines ``line_start..line_end`` of its file
  (``truth/paragraphs.csv``). Wrapped lines (witnesses with ``wrapped`` = 1)
  are joined with a space for Latin and with nothing for Han, and a line that
  ends in ``-`` followed by a line starting with a lowercase letter is joined
  without the hyphen. Since the key drops whitespace and punctuation anyway,
  the joining rule hardly matters;
* a page-broken copy (``pieces`` = 2) is two pieces; its *full* key is the two
  piece keys concatenated;
* hard negatives are not recorded in the truth files. They are recovered by
  replaying ``gen_corpus``'s clean-paragraph generation with the seed and
  arguments from ``truth/meta.json`` and the seed texts in ``--source``
  (default ``data/sample``), recording which recent paragraph each hard
  negative copied half its sentences from. The replay is checked text for
  text against ``clean.jsonl``; if it does not match, the base paragraph is
  inferred instead as the recent paragraph of the same document and script
  (the last 8, as the generator keeps) sharing the most sentence text (on a
  25,000-paragraph corpus this fallback agrees with the replay on 1,096 of
  1,113 pairs).

Measurements (Jaccard J = |A∩B|/|A∪B| of shingle sets; containment
C = |A∩B|/|A|; quantiles are nearest-rank, so p0.1 of 75,000 values is the
75th smallest):

1. true pairs: every pair of whole copies (``pieces`` = 1) of one paragraph in
   two witnesses: J quantiles (min, p0.1, p1, p5, median), per script and
   size, and per witness pair at the chosen sizes, plus the normalized edit
   distance Levenshtein/max(len) of the keys on a sample of pairs;
2. page-break pieces: containment of each piece in another witness's whole
   copy, the J of the piece alone, the J of the union of both pieces'
   shingle sets against the whole copy, and the share of pieces passing
   recension's default fragment test on sets (containment ≥ 0.8, ≥ 8 shingles);
3. hard negatives: each hard-negative paragraph against the paragraph it was
   built from, every witness pair (including the same witness), full copies:
   J median/p99/p99.9/max and containment |A∩B|/min(|A|,|B|) p99/max, and
   their normalized Levenshtein similarity (what the verifier sees);
4. random negatives: ``--sample`` pairs of different paragraphs of one script
   (half Han, half Latin); each paragraph is represented by one copy from a
   random witness: J p99, p99.99, max, and containment |A∩B|/min(|A|,|B|);
5. separation: true-pair p0.1 (and min) minus hard-negative max, per size;
6. shingle counts per copy (distinct shingles, the set MinHash sees):
   median, p5, share under 8 and under 16, for whole copies and for pieces;
7. uniform-noise sweep: random substitutions, deletions and insertions at
   fixed rates applied to the keys of sampled clean paragraphs (errors
   scattered uniformly, the worst case for shingles at a given error rate):
   median and p5 J against the clean key;
8. real OCR (``--realdata DIR``, the ICDAR 2019 Polish pages): per page and
   per aligned unit, J between the OCR key and the ground-truth key for every
   ``kl``, with the CER = Levenshtein/len(ground-truth key). Units are cut
   from ``<n>.icdar_aligned.txt``: the aligned OCR and ground-truth lines are
   split at ground-truth spaces once a unit holds ``--unit-chars``
   ground-truth characters (default 300, about a Latin paragraph), and the
   ``@`` gap symbols are removed from each side. A ``#`` in the ground truth
   (no ground truth) is punctuation and so dropped from the key;
9. LSH: for bandings of 128 values, the probability 1-(1-J^r)^b that a pair of
   the measured Jaccard values becomes a candidate;
10. banding trade-off: per size and banding, the expected share of true pairs
    missed, of hard-negative pairs and of random pairs made candidates, and
    of real-OCR units within the verifier's reach (distance ≤ 0.3) missed;
11. the same for the banding recension derives from a candidate threshold t
    (``Banding::for_threshold(t, 4.0)`` in src/minhash.rs, replicated here);
12. per size, the cheapest banding (fewest random candidates) that keeps the
    expected miss of true pairs ≤ 0.1 % (and, for Latin, of verifier-reachable
    real-OCR units ≤ 5 %): sizes compared at equal recall.

Runtime on a 25,000-paragraph, 4-witness corpus is under two minutes; ``--paras``
restricts the true-pair, page-break and hard-negative measurements to a random
subset of paragraph ids if needed.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import sys
import time
import types
import unicodedata
from collections import defaultdict
from pathlib import Path

SCRIPTS_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(SCRIPTS_DIR))

import score  # noqa: E402  (scripts/score.py: normalize, levenshtein)

REPO_ROOT = SCRIPTS_DIR.parent
HAN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
BANDINGS = ((64, 2), (42, 3), (32, 4), (25, 5), (21, 6), (18, 7), (16, 8))
NOISE_RATES = (0.02, 0.05, 0.1, 0.2, 0.3)


# ---------------------------------------------------------------------------
# Keys and shingles


class _DropTable(dict):
    """str.translate table that deletes whitespace and P*/S* characters."""

    def __missing__(self, code: int):
        ch = chr(code)
        value = None if ch.isspace() or unicodedata.category(ch)[0] in "PS" else code
        self[code] = value
        return value


_DROP = _DropTable()


def comparison_key(text: str) -> str:
    """``score.normalize`` without whitespace and punctuation/symbols."""
    return score.normalize(text).translate(_DROP)


def is_han_key(key: str) -> bool:
    """At least half the characters are Han (an empty key is not)."""
    return bool(key) and 2 * len(HAN_RE.findall(key)) >= len(key)


class Copy:
    """A comparison key with its script decision cached."""

    __slots__ = ("key", "han")

    def __init__(self, key: str):
        self.key = key
        self.han = is_han_key(key)


def shingles(c: Copy, kh: int, kl: int) -> set[str]:
    """Distinct character n-grams of the key, size by the key's script."""
    key = c.key
    k = kh if c.han else kl
    n = len(key)
    if n <= k:
        return {key}
    return {key[i : i + k] for i in range(n - k + 1)}


def jaccard(a: set, b: set) -> float:
    i = len(a & b)
    u = len(a) + len(b) - i
    return i / u if u else 1.0


def quantile(xs: list, p: float) -> float:
    """Nearest-rank quantile of a sorted list (p in [0, 1])."""
    if not xs:
        return float("nan")
    idx = math.ceil(p * len(xs)) - 1
    return xs[max(0, min(len(xs) - 1, idx))]


def fmt(x: float, digits: int = 3) -> str:
    if isinstance(x, float) and math.isnan(x):
        return "–"
    return f"{x:.{digits}f}"


def table(header: list[str], rows: list[list]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if i == 0 else "--:" for i in range(len(header))) + "|"]
    for r in rows:
        out.append("| " + " | ".join(str(x) for x in r) + " |")
    return "\n".join(out)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Loading the generated corpus


def join_lines(lines: list[str], script: str) -> str:
    """Join hard-wrapped lines: drop hyphen+newline before a lowercase letter."""
    out = lines[0]
    for ln in lines[1:]:
        if out.endswith("-") and ln[:1].islower():
            out = out[:-1] + ln
        else:
            out += ("" if script == "han" else " ") + ln
    return out


def load_copies(truth: Path, corpus: Path):
    """Return {para_id: record} with script, whole copies and split pieces."""
    rows_by_file: dict[str, list[dict]] = defaultdict(list)
    with open(truth / "paragraphs.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rows_by_file[row["file"]].append(row)
    paras: dict[str, types.SimpleNamespace] = {}
    pieces_tmp: dict[tuple[str, str], dict[int, Copy]] = defaultdict(dict)
    for rel, rows in rows_by_file.items():
        lines = (corpus / rel).read_text(encoding="utf-8").split("\n")
        for row in rows:
            text = join_lines(lines[int(row["line_start"]) - 1 : int(row["line_end"])], row["script"])
            pid = row["para_id"]
            rec = paras.get(pid)
            if rec is None:
                rec = paras[pid] = types.SimpleNamespace(script=row["script"], whole={}, split={}, full={})
            c = Copy(comparison_key(text))
            if row["pieces"] == "1":
                rec.whole[row["witness"]] = c
                rec.full[row["witness"]] = c
            else:
                pieces_tmp[(pid, row["witness"])][int(row["piece"])] = c
    for (pid, w), d in pieces_tmp.items():
        if set(d) != {1, 2}:
            continue
        rec = paras[pid]
        rec.split[w] = (d[1], d[2])
        rec.full[w] = Copy(d[1].key + d[2].key)
    return paras


# ---------------------------------------------------------------------------
# Hard negatives: replay the generator, or infer


class _SpyRandom:
    """Delegates to a random.Random; remembers what choice() drew from `recent`."""

    def __init__(self, rng: random.Random, recent: list):
        self._rng = rng
        self._recent = recent
        self.base = None

    def choice(self, seq):
        x = self._rng.choice(seq)
        if seq is self._recent:
            self.base = x
        return x

    def __getattr__(self, name):
        return getattr(self._rng, name)


def replay_hard_negatives(truth: Path, source: Path, clean: list[dict]) -> list[tuple[str, str]] | None:
    """(hard negative id, base id) pairs by replaying gen_corpus, or None if it does not reproduce."""
    try:
        import gen_corpus as g
    except ImportError:
        return None
    meta = json.loads((truth / "meta.json").read_text(encoding="utf-8"))
    if meta.get("generator_version") != 1 or not source.is_dir():
        return None
    seeds = g.load_seeds(source)
    width = max(7, len(str(meta["paragraphs"])))
    found: list[tuple[str, str]] = []

    class Recorder(g.ParagraphMaker):
        counter = 0
        ids: dict[int, str] = {}
        keep: list = []

        def make(self, rng, script, recent):
            spy = _SpyRandom(rng, recent)
            text, sentences, hard = super().make(spy, script, recent)
            pid = f"p{Recorder.counter:0{width}d}"
            Recorder.counter += 1
            Recorder.ids[id(sentences)] = pid
            Recorder.keep.append(sentences)  # keeps ids unique
            if hard:
                found.append((pid, Recorder.ids[id(spy.base)]))
            return text, sentences, hard

    gen = g.Generator.__new__(g.Generator)
    gen.cfg = types.SimpleNamespace(seed=meta["seed"], han_share=meta["han_share"])
    gen.maker = Recorder(seeds, meta["hard_negative_rate"])
    gen.para_width = width
    docs, total = meta["docs"], meta["paragraphs"]
    dwidth = max(5, len(str(docs - 1)))
    next_id = 0
    for d in range(docs):
        count = total // docs + (1 if d < total % docs else 0)
        for p in gen._clean_doc(f"doc{d:0{dwidth}d}", next_id, count):
            if next_id >= len(clean) or clean[next_id]["text"] != p.text or clean[next_id]["para_id"] != p.para_id:
                return None
            next_id += 1
    return found if next_id == len(clean) else None


def _sentences(text: str, script: str) -> list[str]:
    if script == "han":
        return re.findall(r"[^。！？]+[。！？]", text)
    return re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)


def infer_hard_negatives(clean: list[dict]) -> list[tuple[str, str]]:
    """Fallback: the recent same-script paragraph of the document sharing most sentence text."""
    found = []
    recent: dict[tuple[str, str], list[tuple[str, set[str]]]] = defaultdict(list)
    for p in clean:
        sents = set(_sentences(p["text"], p["script"]))
        r = recent[(p["doc"], p["script"])]
        best, best_len = None, 0
        for pid, other in r:
            shared = sum(len(s) for s in sents & other)
            if shared > best_len:
                best, best_len = pid, shared
        if best is not None:
            found.append((p["para_id"], best))
        r.append((p["para_id"], sents))
        del r[:-8]
    return found


# ---------------------------------------------------------------------------
# Real OCR


def real_units(realdata: Path, unit_chars: int):
    """Pages [(name, ocr, gt)] and aligned units [(name, ocr, gt)]."""
    pages, units = [], []
    names = sorted((p.name.split(".")[0] for p in realdata.glob("*.gt.txt")), key=lambda s: (len(s), s))
    for n in names:
        ocr = (realdata / f"{n}.ocr.txt").read_text(encoding="utf-8").strip()
        gt = (realdata / f"{n}.gt.txt").read_text(encoding="utf-8").strip()
        pages.append((n, ocr, gt))
        aligned = realdata / f"{n}.icdar_aligned.txt"
        if not aligned.exists():
            continue
        lines = {}
        for ln in aligned.read_text(encoding="utf-8").split("\n"):
            m = re.match(r"\[\s*(\w+)\]\s?", ln)
            if m:
                lines[m.group(1)] = ln[m.end() :]
        oa, ga = lines.get("OCR_aligned"), lines.get("GS_aligned")
        if oa is None or ga is None or len(oa) != len(ga):
            log(f"shingle_study: {aligned.name}: aligned lines missing or of unequal length; no units")
            continue
        start, count, j = 0, 0, 0
        for i, ch in enumerate(ga):
            if ch != "@":
                count += 1
            if (ch == " " and count >= unit_chars) or i == len(ga) - 1:
                o = oa[start : i + 1].replace("@", "")
                g = ga[start : i + 1].replace("@", "")
                if g.strip():
                    units.append((f"{n}.{j}", o, g))
                    j += 1
                start, count = i + 1, 0
    # Merge a short last unit of a page into the one before it.
    merged: list[tuple[str, str, str]] = []
    for u in units:
        if merged and merged[-1][0].split(".")[0] == u[0].split(".")[0] and len(u[2]) < unit_chars / 2:
            name, o, g = merged.pop()
            merged.append((name, o + u[1], g + u[2]))
        else:
            merged.append(u)
    return pages, merged


# ---------------------------------------------------------------------------
# The study


def noisy(rng: random.Random, key: str, rate: float, alphabet: str) -> str:
    """Uniform random edits: each character is, with probability `rate`, substituted, deleted or followed by an insertion."""
    out = []
    for ch in key:
        if rng.random() < rate:
            op = rng.randrange(3)
            if op == 0:
                out.append(rng.choice(alphabet))
            elif op == 2:
                out.append(ch)
                out.append(rng.choice(alphabet))
        else:
            out.append(ch)
    return "".join(out)


def prob(j: float, b: int, r: int) -> float:
    """Probability that a pair of Jaccard similarity j shares one of b bands of r rows."""
    return 1 - (1 - j**r) ** b


def _integrate(f, a: float, b: float) -> float:
    """Simpson's rule with 64 intervals, as src/minhash.rs integrates."""
    n = 64
    h = (b - a) / n
    total = f(a) + f(b)
    for i in range(1, n):
        total += (4.0 if i % 2 else 2.0) * f(a + i * h)
    return total * h / 3.0


def for_threshold(threshold: float, miss_weight: float, permutations: int = 128) -> tuple[int, int]:
    """recension's Banding::for_threshold: (bands, rows) minimizing false-candidate mass + weighted missed mass."""
    best = (math.inf, (1, 1))
    for b in range(1, permutations + 1):
        for r in range(1, permutations // b + 1):
            fp = _integrate(lambda x: prob(x, b, r), 0.0, threshold)
            miss = _integrate(lambda x: 1 - prob(x, b, r), threshold, 1.0)
            err = fp + miss_weight * miss
            if err < best[0]:
                best = (err, (b, r))
    return best[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Measure character shingle sizes for MinHash near-duplicate detection (Markdown tables on stdout).")
    ap.add_argument("--truth", type=Path, required=True, help="gen_corpus truth directory (paragraphs.csv, clean.jsonl, meta.json)")
    ap.add_argument("--corpus", type=Path, help="gen_corpus corpus directory (default: TRUTH/../corpus)")
    ap.add_argument("--realdata", type=Path, help="ICDAR 2019 pages (<n>.ocr.txt, <n>.gt.txt, <n>.icdar_aligned.txt); omitted: no real-OCR tables")
    ap.add_argument("--sample", type=int, default=200000, help="random negative pairs, half per script (default 200000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed for all sampling (default 1)")
    ap.add_argument("--paras", type=int, default=0, help="use a random subset of this many paragraph ids for true pairs, pieces and hard negatives (default 0: all)")
    ap.add_argument("--kh", default="1,2,3,4", help="Han sizes to measure (default 1,2,3,4)")
    ap.add_argument("--kl", default="3,4,5,6,7", help="Latin sizes to measure (default 3,4,5,6,7)")
    ap.add_argument("--chosen-kh", type=int, default=2, help="Han size held fixed while sweeping kl, and used in the detail tables (default 2)")
    ap.add_argument("--chosen-kl", type=int, default=5, help="Latin size held fixed while sweeping kh, and used in the detail tables (default 5)")
    ap.add_argument("--source", type=Path, default=REPO_ROOT / "data" / "sample", help="gen_corpus seed texts, for replaying hard negatives (default data/sample)")
    ap.add_argument("--cer-pairs", type=int, default=2000, help="true pairs per script whose edit distance is computed (default 2000)")
    ap.add_argument("--noise-paras", type=int, default=2000, help="clean paragraphs per script in the uniform-noise sweep (default 2000)")
    ap.add_argument("--unit-chars", type=int, default=300, help="ground-truth characters per real-OCR unit (default 300)")
    a = ap.parse_args(argv)
    t_start = time.time()
    corpus = a.corpus or a.truth.parent / "corpus"
    KH = [int(x) for x in a.kh.split(",")]
    KL = [int(x) for x in a.kl.split(",")]
    K = {"han": KH, "latin": KL}
    ckh, ckl = a.chosen_kh, a.chosen_kl

    def sizes(script: str, k: int) -> tuple[int, int]:
        return (k, ckl) if script == "han" else (ckh, k)

    def chosen(script: str) -> int:
        return ckh if script == "han" else ckl

    rng = random.Random(a.seed)
    timings = {}

    # -- load ---------------------------------------------------------------
    t = time.time()
    paras = load_copies(a.truth, corpus)
    with open(a.truth / "clean.jsonl", encoding="utf-8") as f:
        clean = [json.loads(line) for line in f]
    clean_by_id = {p["para_id"]: p for p in clean}
    hn = replay_hard_negatives(a.truth, a.source, clean)
    hn_method = "replayed from gen_corpus (checked against clean.jsonl)"
    if hn is None:
        hn = infer_hard_negatives(clean)
        hn_method = "inferred from shared sentences (replay did not reproduce clean.jsonl)"
    timings["load"] = time.time() - t
    log(f"loaded {len(paras)} paragraphs, {len(hn)} hard negatives in {timings['load']:.1f} s")

    pids = sorted(paras)
    if a.paras and a.paras < len(pids):
        pids = sorted(rng.sample(pids, a.paras))
    chosen_ids = set(pids)
    n_copies = sum(len(paras[p].whole) + len(paras[p].split) for p in pids)
    mismatch = sum(1 for p in pids for c in paras[p].full.values() if c.han != (paras[p].script == "han"))

    # -- true pairs, pieces, counts -----------------------------------------
    t = time.time()
    true_j = {s: {k: [] for k in K[s]} for s in K}
    by_wpair = {s: defaultdict(list) for s in K}
    counts = {s: {k: [] for k in K[s]} for s in K}
    piece_counts = {s: {k: [] for k in K[s]} for s in K}
    cont = {s: {k: [] for k in K[s]} for s in K}
    piece_j = {s: {k: [] for k in K[s]} for s in K}
    union_j = {s: {k: [] for k in K[s]} for s in K}
    attach = {s: {k: 0 for k in K[s]} for s in K}
    n_split = {s: 0 for s in K}
    cer_candidates = {s: [] for s in K}
    for pid in pids:
        rec = paras[pid]
        s = rec.script
        ws = sorted(rec.whole)
        n_split[s] += len(rec.split)
        for x in range(len(ws)):
            for y in range(x + 1, len(ws)):
                cer_candidates[s].append((rec.whole[ws[x]].key, rec.whole[ws[y]].key))
        for k in K[s]:
            kk = sizes(s, k)
            sets = {w: shingles(rec.whole[w], *kk) for w in ws}
            cl = counts[s][k]
            for w in ws:
                cl.append(len(sets[w]))
            tj = true_j[s][k]
            for x in range(len(ws)):
                for y in range(x + 1, len(ws)):
                    j = jaccard(sets[ws[x]], sets[ws[y]])
                    tj.append(j)
                    if k == chosen(s):
                        by_wpair[s][f"{ws[x]}–{ws[y]}"].append(j)
            for w, (p1, p2) in rec.split.items():
                s1, s2 = shingles(p1, *kk), shingles(p2, *kk)
                piece_counts[s][k].extend((len(s1), len(s2)))
                u = s1 | s2
                for o in ws:
                    if o == w:
                        continue
                    full = sets[o]
                    for sp in (s1, s2):
                        c_ = len(sp & full) / len(sp)
                        cont[s][k].append(c_)
                        attach[s][k] += c_ >= 0.8 and len(sp) >= 8
                        piece_j[s][k].append(jaccard(sp, full))
                    union_j[s][k].append(jaccard(u, full))
    timings["true pairs"] = time.time() - t
    log(f"true pairs and pieces: {timings['true pairs']:.1f} s")

    # Edit distance of a sample of true pairs (chosen sizes don't matter here).
    t = time.time()
    true_dist = {}
    for s in K:
        cands = cer_candidates[s]
        sample = rng.sample(cands, min(a.cer_pairs, len(cands)))
        true_dist[s] = sorted(score.levenshtein(x, y) / max(len(x), len(y), 1) for x, y in sample)
    del cer_candidates
    timings["true-pair edit distance"] = time.time() - t

    # -- hard negatives -----------------------------------------------------
    t = time.time()
    hn_j = {s: {k: [] for k in K[s]} for s in K}
    hn_c = {s: {k: [] for k in K[s]} for s in K}
    hn_pairs = [(h, b) for h, b in hn if h in chosen_ids and b in paras and h in paras]
    hn_clean_j = {s: {k: [] for k in K[s]} for s in K}
    hn_sim = {s: [] for s in K}
    for h, b in hn_pairs:
        s = paras[h].script
        H, B = paras[h].full, paras[b].full
        ch_, cb_ = Copy(comparison_key(clean_by_id[h]["text"])), Copy(comparison_key(clean_by_id[b]["text"]))
        for x in H.values():
            for y in B.values():
                hn_sim[s].append(1 - score.levenshtein(x.key, y.key) / max(len(x.key), len(y.key), 1))
        for k in K[s]:
            kk = sizes(s, k)
            hs = [shingles(c, *kk) for c in H.values()]
            bs = [shingles(c, *kk) for c in B.values()]
            for x in hs:
                for y in bs:
                    i = len(x & y)
                    hn_j[s][k].append(i / (len(x) + len(y) - i))
                    hn_c[s][k].append(i / min(len(x), len(y)))
            hn_clean_j[s][k].append(jaccard(shingles(ch_, *kk), shingles(cb_, *kk)))
    timings["hard negatives"] = time.time() - t
    log(f"hard negatives: {timings['hard negatives']:.1f} s")

    # -- random negatives ---------------------------------------------------
    t = time.time()
    rand_j = {s: {k: [] for k in K[s]} for s in K}
    rand_c = {s: {k: [] for k in K[s]} for s in K}
    rand_pairs = {}
    for s in K:
        ids = [p for p in sorted(paras) if paras[p].script == s and paras[p].full]
        pool = [paras[p].full[rng.choice(sorted(paras[p].full))] for p in ids]
        n = a.sample // 2 if s == "han" else a.sample - a.sample // 2
        pairs = []
        while len(pairs) < n and len(pool) > 1:
            x, y = rng.randrange(len(pool)), rng.randrange(len(pool))
            if x != y:
                pairs.append((x, y))
        rand_pairs[s] = len(pairs)
        for k in K[s]:
            kk = sizes(s, k)
            sets = [shingles(c, *kk) for c in pool]
            rj, rc = rand_j[s][k], rand_c[s][k]
            for x, y in pairs:
                sx, sy = sets[x], sets[y]
                i = len(sx & sy)
                rj.append(i / (len(sx) + len(sy) - i) if i else 0.0)
                rc.append(i / min(len(sx), len(sy)) if i else 0.0)
            del sets
    timings["random negatives"] = time.time() - t
    log(f"random negatives: {timings['random negatives']:.1f} s")

    # -- uniform-noise sweep ------------------------------------------------
    t = time.time()
    noise_j = {s: {(r, k): [] for r in NOISE_RATES for k in K[s]} for s in K}
    noise_cer = {s: {r: [] for r in NOISE_RATES} for s in K}
    for s in K:
        keys = [comparison_key(p["text"]) for p in clean if p["script"] == s]
        alphabet = "".join(keys[: 2000])
        sample = rng.sample(keys, min(a.noise_paras, len(keys)))
        for key in sample:
            base = Copy(key)
            for r in NOISE_RATES:
                nz = Copy(noisy(rng, key, r, alphabet))
                if len(noise_cer[s][r]) < 300:
                    noise_cer[s][r].append(score.levenshtein(nz.key, key) / max(len(key), 1))
                for k in K[s]:
                    kk = sizes(s, k)
                    noise_j[s][(r, k)].append(jaccard(shingles(base, *kk), shingles(nz, *kk)))
    timings["noise sweep"] = time.time() - t
    log(f"noise sweep: {timings['noise sweep']:.1f} s")

    # -- real OCR -------------------------------------------------------------
    t = time.time()
    real = None
    if a.realdata:
        pages, units = real_units(a.realdata, a.unit_chars)
        real = {}
        for label, items in (("page", pages), ("unit", units)):
            rows = []
            for name, o, g in items:
                ko, kg = Copy(comparison_key(o)), Copy(comparison_key(g))
                lev = score.levenshtein(ko.key, kg.key)
                js = {k: jaccard(shingles(ko, ckh, k), shingles(kg, ckh, k)) for k in KL}
                rows.append((name, len(kg.key), lev / max(len(kg.key), 1), lev / max(len(kg.key), len(ko.key), 1), js, kg.han or ko.han))
            real[label] = rows
    timings["real OCR"] = time.time() - t

    # =======================================================================
    # Report
    for d in (true_j, counts, piece_counts, cont, piece_j, union_j, hn_j, hn_c, rand_j, rand_c, hn_clean_j):
        for s in d:
            for k in d[s]:
                d[s][k].sort()
    for s in noise_j:
        for key in noise_j[s]:
            noise_j[s][key].sort()
        for r in noise_cer[s]:
            noise_cer[s][r].sort()

    meta = json.loads((a.truth / "meta.json").read_text(encoding="utf-8"))
    P = print
    P("# Shingle-size study\n")
    P(f"Corpus `{corpus}`: {meta['paragraphs']} paragraphs, {meta['witnesses']} witnesses, rates {meta['rates']}, "
      f"seed {meta['seed']}. Paragraphs used for true pairs / pieces / hard negatives: {len(pids)}"
      f"{' (random subset)' if len(pids) < len(paras) else ' (all)'}; {n_copies} copies; "
      f"copies whose key-script decision differs from the truth script: {mismatch}.")
    P(f"Hard negatives: {len(hn)} ({hn_method}); {len(hn_pairs)} used. "
      f"Random negative pairs: {rand_pairs['han']} Han + {rand_pairs['latin']} Latin (one random-witness copy per paragraph), seed {a.seed}. "
      f"While sweeping kh the Latin size is {ckl}; while sweeping kl the Han size is {ckh}.\n")
    wit_rows = []
    wpath = a.truth / "witnesses.csv"
    if wpath.exists():
        with open(wpath, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                wit_rows.append([r["witness"], r["noise_rate"], r["half_width"], r["wrapped"]])
        P(table(["witness", "noise rate", "half-width", "wrapped"], wit_rows) + "\n")

    def sname(s):
        return "Han" if s == "han" else "Latin"

    def kname(s, k):
        return f"kh={k}" if s == "han" else f"kl={k}"

    P("## 1. True pairs (whole copies, different witnesses): Jaccard\n")
    rows = []
    for s in K:
        for k in K[s]:
            xs = true_j[s][k]
            rows.append([sname(s), kname(s, k), len(xs), fmt(quantile(xs, 0)), fmt(quantile(xs, 0.001)), fmt(quantile(xs, 0.01)), fmt(quantile(xs, 0.05)), fmt(quantile(xs, 0.5))])
    P(table(["script", "size", "pairs", "min", "p0.1", "p1", "p5", "median"], rows) + "\n")
    P("Normalized edit distance Levenshtein/max(len) of the keys of true pairs "
      f"(random sample of {a.cer_pairs} per script): " +
      "; ".join(f"{sname(s)} median {fmt(quantile(true_dist[s], .5))}, p99 {fmt(quantile(true_dist[s], .99))}, max {fmt(quantile(true_dist[s], 1))}" for s in K) + ".\n")

    P(f"### 1b. True pairs by witness pair (kh={ckh}, kl={ckl})\n")
    rows = []
    for s in K:
        for wp in sorted(by_wpair[s]):
            xs = sorted(by_wpair[s][wp])
            rows.append([sname(s), wp, len(xs), fmt(quantile(xs, 0)), fmt(quantile(xs, 0.001)), fmt(quantile(xs, 0.01)), fmt(quantile(xs, 0.5))])
    P(table(["script", "witnesses", "pairs", "min", "p0.1", "p1", "median"], rows) + "\n")

    P("## 2. Page-break pieces against another witness's whole copy\n")
    P(f"Split copies: {n_split['han']} Han, {n_split['latin']} Latin. Containment = |piece ∩ full| / |piece|; "
      "piece J = Jaccard of one piece alone; union J = Jaccard of (piece 1 ∪ piece 2) against the full copy. "
      "\"C ≥ 0.8 & ≥ 8 shingles\": share of piece pairs passing recension's default fragment test on the set "
      "(min_containment 0.8, min_fragment_shingles 8; recension also asks for one stretch, not measured here).\n")
    rows = []
    for s in K:
        for k in K[s]:
            c, pj, uj = cont[s][k], piece_j[s][k], union_j[s][k]
            rows.append([sname(s), kname(s, k), len(c), fmt(quantile(c, 0)), fmt(quantile(c, .01)), fmt(quantile(c, .05)), fmt(quantile(c, .5)),
                         f"{100 * attach[s][k] / max(len(c), 1):.1f} %",
                         fmt(quantile(pj, .05)), fmt(quantile(pj, .5)),
                         len(uj), fmt(quantile(uj, 0)), fmt(quantile(uj, .01)), fmt(quantile(uj, .05)), fmt(quantile(uj, .5))])
    P(table(["script", "size", "piece pairs", "C min", "C p1", "C p5", "C median", "C ≥ 0.8 & ≥ 8 shingles", "piece J p5", "piece J median",
             "union pairs", "union J min", "union J p1", "union J p5", "union J median"], rows) + "\n")

    P("## 3. Hard negatives (hard-negative paragraph vs its base, every witness pair, full copies)\n")
    P("C = |A∩B| / min(|A|, |B|). \"clean J max\" is the same pair on the clean (noise-free) texts.\n")
    rows = []
    for s in K:
        for k in K[s]:
            xs, cs = hn_j[s][k], hn_c[s][k]
            rows.append([sname(s), kname(s, k), len(xs), fmt(quantile(xs, .5)), fmt(quantile(xs, .99)), fmt(quantile(xs, .999)), fmt(quantile(xs, 1)),
                         fmt(quantile(hn_clean_j[s][k], 1)), fmt(quantile(cs, .99)), fmt(quantile(cs, 1))])
    P(table(["script", "size", "pairs", "J median", "J p99", "J p99.9", "J max", "clean J max", "C p99", "C max"], rows) + "\n")

    P("Normalized Levenshtein similarity 1 − Levenshtein/max(len) of the same hard-negative pairs (the verifier needs ≥ 0.7): " +
      "; ".join(f"{sname(s)} median {fmt(quantile(sorted(hn_sim[s]), .5))}, p99 {fmt(quantile(sorted(hn_sim[s]), .99))}, max {fmt(quantile(sorted(hn_sim[s]), 1))}" for s in K) + ".\n")

    P("## 4. Random negatives (different paragraphs, same script)\n")
    rows = []
    for s in K:
        for k in K[s]:
            xs = rand_j[s][k]
            cs = rand_c[s][k]
            rows.append([sname(s), kname(s, k), len(xs), fmt(quantile(xs, .5)), fmt(quantile(xs, .99)), fmt(quantile(xs, .9999)), fmt(quantile(xs, 1)),
                         fmt(quantile(cs, .99)), fmt(quantile(cs, .9999)), fmt(quantile(cs, 1))])
    P("C = |A∩B| / min(|A|, |B|), what a fragment test would see.\n")
    P(table(["script", "size", "pairs", "J median", "J p99", "J p99.99", "J max", "C p99", "C p99.99", "C max"], rows) + "\n")

    P("## 5. Separation\n")
    P("J gap = true p0.1 − hard-negative max (positive: a threshold separates them). C gap = piece containment p1 − hard-negative containment max.\n")
    rows = []
    for s in K:
        for k in K[s]:
            tj, hj, rj = true_j[s][k], hn_j[s][k], rand_j[s][k]
            gap = quantile(tj, .001) - quantile(hj, 1)
            gmin = quantile(tj, 0) - quantile(hj, 1)
            cgap = quantile(cont[s][k], .01) - quantile(hn_c[s][k], 1)
            pc = counts[s][k]
            rows.append([sname(s), kname(s, k), fmt(quantile(tj, .001)), fmt(quantile(hj, 1)), f"**{fmt(gap)}**", fmt(gmin),
                         fmt(quantile(rj, 1)), fmt(quantile(tj, .001) - quantile(rj, 1)), fmt(quantile(cont[s][k], .01)), fmt(quantile(hn_c[s][k], 1)), fmt(cgap),
                         f"{quantile(pc, .05)}"])
    P(table(["script", "size", "true p0.1", "HN max", "J gap", "true min − HN max", "random max", "true p0.1 − random max",
             "piece C p1", "HN C max", "C gap", "shingles p5"], rows) + "\n")

    P("## 6. Distinct shingles per copy\n")
    rows = []
    for s in K:
        for k in K[s]:
            for label, xs in (("whole", counts[s][k]), ("piece", piece_counts[s][k])):
                if not xs:
                    continue
                lt8 = sum(1 for x in xs if x < 8) / len(xs)
                lt16 = sum(1 for x in xs if x < 16) / len(xs)
                rows.append([sname(s), kname(s, k), label, len(xs), quantile(xs, 0), quantile(xs, .05), quantile(xs, .5), f"{100 * lt8:.2f} %", f"{100 * lt16:.2f} %"])
    P(table(["script", "size", "unit", "copies", "min", "p5", "median", "< 8", "< 16"], rows) + "\n")

    P("## 7. Uniform random noise on clean keys (Jaccard against the clean key)\n")
    P(f"{a.noise_paras} clean paragraphs per script; each character substituted, deleted or followed by an insertion with probability = rate "
      "(scattered errors; real errors cluster, which leaves more shingles intact). CER = measured Levenshtein/len on 300 of them.\n")
    for s in K:
        header = ["rate", "CER median"] + [f"{kname(s, k)} median / p5" for k in K[s]]
        rows = []
        for r in NOISE_RATES:
            rows.append([f"{r:.2f}", fmt(quantile(noise_cer[s][r], .5))] +
                        [f"{fmt(quantile(noise_j[s][(r, k)], .5))} / {fmt(quantile(noise_j[s][(r, k)], .05))}" for k in K[s]])
        P(f"{sname(s)}:\n")
        P(table(header, rows) + "\n")

    if real:
        P("## 8. Real OCR (ICDAR 2019 Polish): Jaccard of OCR key vs ground-truth key\n")
        P(f"CER = Levenshtein/len(gt key); dist = Levenshtein/max(len) (1 − the verifier's similarity). "
          f"Units: aligned stretches of ≥ {a.unit_chars} ground-truth characters. Han size held at {ckh} (no key is Han).\n")
        rows = []
        for name, n, cer, dist, js, _h in real["page"]:
            rows.append([name, n, fmt(cer), fmt(dist)] + [fmt(js[k]) for k in KL])
        P("Per page:\n")
        P(table(["page", "gt key chars", "CER", "dist"] + [f"kl={k}" for k in KL], rows) + "\n")
        units = real["unit"]
        P(f"Per unit ({len(units)} units), quantiles:\n")
        rows = []
        cers = sorted(u[2] for u in units)
        dists = sorted(u[3] for u in units)
        for label, p in (("min", 0), ("p5", .05), ("p25", .25), ("median", .5), ("p75", .75), ("max", 1)):
            rows.append([label, fmt(quantile(cers, p)), fmt(quantile(dists, p))] + [fmt(quantile(sorted(u[4][k] for u in units), p)) for k in KL])
        P(table(["quantile", "CER", "dist"] + [f"kl={k}" for k in KL], rows) + "\n")
        P("Per unit, by CER band (median J; the verifier's similarity ≥ 0.7 admits dist ≤ 0.3):\n")
        rows = []
        for lo, hi in ((0, .1), (.1, .2), (.2, .3), (.3, .4), (.4, .6), (.6, 10)):
            sel = [u for u in units if lo <= u[2] < hi]
            if not sel:
                continue
            rows.append([f"{lo:.1f}–{hi:.1f}" if hi < 10 else f"≥ {lo:.1f}", len(sel)] +
                        [f"{fmt(quantile(sorted(u[4][k] for u in sel), .5))} (min {fmt(min(u[4][k] for u in sel))})" for k in KL])
        P(table(["CER", "units"] + [f"kl={k}" for k in KL], rows) + "\n")

    P(f"## 9. LSH banding (128 values): P(candidate) = 1 − (1 − J^r)^b at measured Jaccard values (kh={ckh}, kl={ckl})\n")
    points = []
    for s in K:
        k = chosen(s)
        points.append((f"{sname(s)} true min", quantile(true_j[s][k], 0)))
        points.append((f"{sname(s)} true p0.1", quantile(true_j[s][k], .001)))
        points.append((f"{sname(s)} piece union J p1", quantile(union_j[s][k], .01)))
        points.append((f"{sname(s)} piece J median", quantile(piece_j[s][k], .5)))
        points.append((f"{sname(s)} uniform noise 0.1 median", quantile(noise_j[s][(0.1, k)], .5)))
        points.append((f"{sname(s)} uniform noise 0.2 median", quantile(noise_j[s][(0.2, k)], .5)))
        points.append((f"{sname(s)} HN max", quantile(hn_j[s][k], 1)))
        points.append((f"{sname(s)} HN p99", quantile(hn_j[s][k], .99)))
        points.append((f"{sname(s)} random max", quantile(rand_j[s][k], 1)))
    if real:
        units = real["unit"]
        for lo, hi in ((0, .2), (.2, .3), (.3, .4)):
            sel = sorted(u[4][ckl] for u in units if lo <= u[2] < hi)
            if sel:
                points.append((f"OCR units CER {lo:.1f}–{hi:.1f} median", quantile(sel, .5)))
                points.append((f"OCR units CER {lo:.1f}–{hi:.1f} min", sel[0]))
    header = ["pair kind", "J"] + [f"b={b} r={r} (t≈{(1 / b) ** (1 / r):.2f})" for b, r in BANDINGS]
    rows = []
    for label, j in points:
        rows.append([label, fmt(j)] + [fmt(1 - (1 - j ** r) ** b, 3) for b, r in BANDINGS])
    P(table(header, rows) + "\n")

    P("## 10. Banding trade-off per size (128 values)\n")
    P("Each cell: expected share of true pairs missed (mean 1 − P over all whole-copy true pairs) / "
      "of hard-negative pairs made candidates / of random pairs made candidates (per mille). "
      "Random candidates per paragraph ≈ (per mille / 1000) × copies of the same script.\n")

    hist_cache: dict[int, tuple[list, list[tuple[float, int]]]] = {}

    def hist(xs: list) -> list[tuple[float, int]]:
        """Jaccard values rounded to 1/2000, with counts (mean P is smooth, so this is exact enough).

        Cached by list identity; the cache keeps the list alive so that its id is not reused.
        """
        hit = hist_cache.get(id(xs))
        if hit is None or hit[0] is not xs:
            c: dict[float, int] = defaultdict(int)
            for j in xs:
                c[round(j * 2000) / 2000] += 1
            hit = hist_cache[id(xs)] = (xs, sorted(c.items()))
        return hit[1]

    def mean_prob(xs: list, b: int, r: int) -> float:
        if not xs:
            return float("nan")
        return sum(n * prob(j, b, r) for j, n in hist(xs)) / len(xs)

    for s in K:
        rows = []
        for k in K[s]:
            cells = []
            for b, r in BANDINGS:
                miss = 1 - mean_prob(true_j[s][k], b, r)
                hnp = mean_prob(hn_j[s][k], b, r)
                rnd = mean_prob(rand_j[s][k], b, r)
                cells.append(f"{100 * miss:.2f} % / {100 * hnp:.0f} % / {1000 * rnd:.2f} ‰")
            rows.append([kname(s, k)] + cells)
        P(f"{sname(s)}:\n")
        P(table(["size"] + [f"b={b} r={r} (t≈{(1 / b) ** (1 / r):.2f})" for b, r in BANDINGS], rows) + "\n")
    if real:
        ok = [u for u in real["unit"] if u[3] <= 0.3]
        ocr_ok = {k: sorted(u[4][k] for u in ok) for k in KL}
        rows = []
        for k in KL:
            rows.append([f"kl={k}"] + [f"{100 * (1 - mean_prob(ocr_ok[k], b, r)):.1f} %" for b, r in BANDINGS])
        P(f"Real OCR units the verifier would accept (dist ≤ 0.3, {len(ok)} units): expected share missed by LSH\n")
        P(table(["size"] + [f"b={b} r={r}" for b, r in BANDINGS], rows) + "\n")

    P("## 11. recension's banding for a candidate threshold\n")
    P("`Banding::for_threshold(t, miss_weight = 4)` (src/minhash.rs) replicated: the (bands, rows) with bands·rows ≤ 128 "
      "minimizing ∫₀ᵗ P + 4·∫ₜ¹ (1 − P). Cells as in section 10: true pairs missed / hard negatives made candidates / "
      "random pairs made candidates (per mille); for Latin also the share of verifier-reachable real-OCR units missed.\n")
    for s in K:
        header = ["t", "banding", "P(J=t)"] + [kname(s, k) for k in K[s]]
        if s == "latin" and real:
            header += [f"OCR miss {kname(s, k)}" for k in K[s]]
        rows = []
        for t in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
            b, r = for_threshold(t, 4.0)
            row = [f"{t:.2f}", f"b={b} r={r}", fmt(prob(t, b, r))]
            for k in K[s]:
                miss = 1 - mean_prob(true_j[s][k], b, r)
                row.append(f"{100 * miss:.2f} % / {100 * mean_prob(hn_j[s][k], b, r):.0f} % / {1000 * mean_prob(rand_j[s][k], b, r):.2f} ‰")
            if s == "latin" and real:
                for k in K[s]:
                    row.append(f"{100 * (1 - mean_prob(ocr_ok[k], b, r)):.0f} %")
            rows.append(row)
        P(f"{sname(s)}:\n")
        P(table(header, rows) + "\n")

    P("## 12. Cheapest banding at matched recall\n")
    P("For each size, over all bandings with bands·rows ≤ 128, the one with the fewest random candidates "
      "whose expected true-pair miss is ≤ 0.1 % (synthetic noise), and for Latin also one whose expected miss of "
      "verifier-reachable real-OCR units (dist ≤ 0.3) is ≤ 5 %.\n")
    rows = []
    ok_units = [u for u in real["unit"] if u[3] <= 0.3] if real else []
    for s in K:
        for k in K[s]:
            targets = [("true pairs miss ≤ 0.1 %", true_j[s][k], 0.001)]
            if s == "latin" and ok_units:
                targets.append(("OCR units miss ≤ 5 %", ocr_ok[k], 0.05))
            for label, xs, limit in targets:
                best = None
                for r in range(1, 129):
                    # The smallest band count meeting the target is the cheapest for this r.
                    lo, hi = 1, 128 // r
                    if 1 - mean_prob(xs, hi, r) > limit:
                        continue
                    while lo < hi:
                        mid = (lo + hi) // 2
                        if 1 - mean_prob(xs, mid, r) <= limit:
                            hi = mid
                        else:
                            lo = mid + 1
                    cost = mean_prob(rand_j[s][k], lo, r)
                    if best is None or cost < best[0]:
                        best = (cost, lo, r)
                if best is None:
                    rows.append([sname(s), kname(s, k), label, "none", "", "", "", ""])
                    continue
                cost, b, r = best
                rows.append([sname(s), kname(s, k), label, f"b={b} r={r}", fmt((1 / b) ** (1 / r), 2),
                             f"{100 * (1 - mean_prob(true_j[s][k], b, r)):.3f} %", f"{100 * mean_prob(hn_j[s][k], b, r):.0f} %", f"{1000 * cost:.3f} ‰"])
    P(table(["script", "size", "target", "banding", "t≈(1/b)^(1/r)", "true miss", "HN candidates", "random candidates"], rows) + "\n")

    P("Timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()) + f"; total {time.time() - t_start:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
