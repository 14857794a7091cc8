#!/usr/bin/env python3
"""Per-page CER/WER of dinglehopper and ``recension diff``, side by side.

Usage::

    python3 scripts/ocr_bench.py [GT_DIR OCR_DIR] [--recension PATH]
                                 [--tolerance 0.01] [--json OUT]
                                 [--plain-encoding utf-8]
                                 [--realdata DIR] [--recension-csv FILE]
                                 [--dinglehopper-only]

GT_DIR and OCR_DIR hold files of the same relative paths (a page each); the
ground truth is the reference. Without them, the twelve ICDAR 2019 Polish pages
in ``--realdata`` (default ``/work/shared/realdata/icdar2019_pl1``, else
``../shared/realdata/icdar2019_pl1`` beside the repository) are copied into a
temporary directory: ``N.gt.txt`` to ``gt/N.txt`` and ``N.ocr.txt`` to
``ocr/N.txt``.

Two passes:

* dinglehopper (``pip install dinglehopper``), exactly as its command line
  ``dinglehopper GT OCR`` computes the metrics for a plain-text pair, minus the
  HTML report: ``ocr_files.extract(path, plain_encoding=...)`` (each line
  ``strip()``-ed, SBB normalization: NFC, ligatures unjoined, ``⸗``→``-``,
  ``’``→``'``, ``—``→``–`` …; lines joined with ``\\n``), then
  ``character_error_rate_n`` (Levenshtein over grapheme clusters / grapheme
  clusters of the ground truth) and ``word_error_rate_n`` over
  ``words_normalized`` (UAX #29 word segmentation, "words" made only of
  punctuation, symbols, spaces, marks or controls dropped).
  The pass runs in a child process (this script with ``--worker``) under
  ``/usr/bin/time -v``, so both tools are measured the same way: wall time,
  CPU time and peak RSS of one process each. The parent's own
  ``resource.getrusage`` could not tell the two tools apart (RUSAGE_CHILDREN
  keeps the maximum over all children), and RUSAGE_SELF would count this
  script. The dinglehopper wall time includes starting Python and importing
  dinglehopper (ocrd_utils, numpy, lxml …); the worker also reports the time
  of the metric computation alone (``compute_s``).
* recension: ``recension diff --format csv GT_DIR OCR_DIR`` under
  ``/usr/bin/time -v`` (exit status 0 or 1 = success, as diff(1)). Its CSV:
  header ``kind,file_a,file_b,chars,edits,cer,substitutions,insertions,
  deletions,words,word_edits,wer,categories``; ``kind`` is ``pair`` (one row
  per file pair) or ``total`` (the last row); ``file_a``/``file_b`` are paths
  relative to each directory; ``cer``/``wer`` are decimals or empty when
  undefined. ``--recension-csv FILE`` parses a CSV written beforehand instead
  of running the binary (no time or memory then).

``--recension PATH`` (default ``target/release/recension``, looked up in the
working directory, then in the repository root) picks the binary.

Prints a table (page, dinglehopper CER, recension CER, |difference|,
dinglehopper WER, recension WER), the totals (edits summed over pages / reference
length summed over pages, for both tools), then time and peak memory of each
tool. ``--json OUT`` writes the same numbers (undefined rates as ``null``).
``--dinglehopper-only`` runs the first pass alone.

Exit status: 0 when every page's CER agrees within ``--tolerance`` (default
0.01, absolute); 1 when some page differs by more, or is missing from one
tool's output, or its CER is defined for one tool only; 2 on an error (a tool
failed, a directory or the CSV is unusable).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
REPO = SCRIPTS.parent
REALDATA_CANDIDATES = (
    Path("/work/shared/realdata/icdar2019_pl1"),
    REPO.parent / "shared" / "realdata" / "icdar2019_pl1",
)
CSV_HEADER = [
    "kind", "file_a", "file_b", "chars", "edits", "cer", "substitutions", "insertions",
    "deletions", "words", "word_edits", "wer", "categories",
]


class BenchError(Exception):
    """An error that ends the run with exit status 2."""


# ---------------------------------------------------------------------------
# Inputs


def natural_key(name: str):
    """Sort "9.txt" before "10.txt"."""
    return [(0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.split(r"(\d+)", name)]


def list_files(root: Path) -> list[str]:
    """Relative paths (with "/") of the non-hidden files under `root`."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for fn in filenames:
            if fn.startswith("."):
                continue
            out.append(Path(dirpath, fn).relative_to(root).as_posix())
    return sorted(out, key=natural_key)


def pair_files(gt: Path, ocr: Path) -> tuple[list[str], list[str], list[str]]:
    """(paired, only in gt, only in ocr) relative paths."""
    a, b = list_files(gt), list_files(ocr)
    sb, sa = set(b), set(a)
    return [p for p in a if p in sb], [p for p in a if p not in sb], [p for p in b if p not in sa]


def build_realdata(src: Path, dest: Path) -> tuple[Path, Path]:
    """Copy N.gt.txt to dest/gt/N.txt and N.ocr.txt to dest/ocr/N.txt."""
    gt, ocr = dest / "gt", dest / "ocr"
    gt.mkdir(parents=True)
    ocr.mkdir(parents=True)
    pages = sorted((p.name[: -len(".gt.txt")] for p in src.glob("*.gt.txt")), key=natural_key)
    if not pages:
        raise BenchError(f"no *.gt.txt in {src}")
    for page in pages:
        o = src / f"{page}.ocr.txt"
        if not o.is_file():
            raise BenchError(f"{o} missing (matching {page}.gt.txt)")
        shutil.copyfile(src / f"{page}.gt.txt", gt / f"{page}.txt")
        shutil.copyfile(o, ocr / f"{page}.txt")
    return gt, ocr


# ---------------------------------------------------------------------------
# Numbers


def rate(edits, n):
    """edits / n; 0 when nothing differs, None (undefined) when n is 0 and edits > 0."""
    if edits is None or n is None:
        return None
    if edits == 0:
        return 0.0
    return edits / n if n else None


def clean(x):
    """A JSON-safe number: inf and NaN become None."""
    if isinstance(x, float) and (math.isinf(x) or math.isnan(x)):
        return None
    return x


def fmt(x, digits=4) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


# ---------------------------------------------------------------------------
# dinglehopper (the worker runs in a child process)


def dinglehopper_pages(gt: Path, ocr: Path, encoding: str) -> dict:
    """dinglehopper's metrics for every pair, as its command line computes them."""
    # Imported here: the parent process never loads dinglehopper.
    import dinglehopper
    from dinglehopper.character_error_rate import character_error_rate_n
    from dinglehopper.edit_distance import distance
    from dinglehopper.ocr_files import extract
    from dinglehopper.word_error_rate import word_error_rate_n, words_normalized

    try:
        from importlib.metadata import version

        dh_version = version("dinglehopper")
    except Exception:  # noqa: BLE001 (a version is only informative)
        dh_version = getattr(dinglehopper, "__version__", None)

    paired, _, _ = pair_files(gt, ocr)
    start = time.perf_counter()
    pages = []
    for rel in paired:
        # As dinglehopper.cli.process(): extract() tries XML (PAGE/ALTO) and
        # falls back to plain text; plain_extract strips every line and joins
        # the lines with "\n" (one grapheme cluster each).
        g = extract(str(gt / rel), plain_encoding=encoding)
        o = extract(str(ocr / rel), plain_encoding=encoding)
        cer, n_chars = character_error_rate_n(g, o)
        edits = distance(g, o)
        g_words, o_words = list(words_normalized(g)), list(words_normalized(o))
        wer, n_words = word_error_rate_n(g_words, o_words)
        word_edits = distance(g_words, o_words)  # Levenshtein over the word lists
        pages.append({
            "page": rel,
            "cer": clean(float(cer)),
            "wer": clean(float(wer)),
            "chars": n_chars,
            "edits": edits,
            "words": n_words,
            "word_edits": word_edits,
            "ocr_chars": len(o.grapheme_clusters),
            "ocr_words": len(o_words),
        })
    compute = time.perf_counter() - start
    return {"version": dh_version, "encoding": encoding, "compute_s": compute, "pages": pages}


def worker_main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="ocr_bench.py --worker")
    ap.add_argument("gt", type=Path)
    ap.add_argument("ocr", type=Path)
    ap.add_argument("--plain-encoding", default="utf-8")
    a = ap.parse_args(argv)
    json.dump(dinglehopper_pages(a.gt, a.ocr, a.plain_encoding), sys.stdout, ensure_ascii=False)
    return 0


# ---------------------------------------------------------------------------
# Running under /usr/bin/time -v


def parse_time_v(text: str) -> dict:
    """Wall, CPU (user + system) seconds and peak RSS (MiB) from GNU time -v."""
    out = {"wall_s": None, "cpu_s": None, "peak_rss_mib": None}
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
    if m:
        out["wall_s"] = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    u = re.search(r"User time \(seconds\): ([\d.]+)", text)
    s = re.search(r"System time \(seconds\): ([\d.]+)", text)
    if u and s:
        out["cpu_s"] = float(u.group(1)) + float(s.group(1))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        out["peak_rss_mib"] = int(m.group(1)) / 1024
    return out


def timed(cmd: list[str], scratch: Path, name: str) -> tuple[subprocess.CompletedProcess, dict]:
    """Run `cmd` under /usr/bin/time -v; its output and the measures."""
    if not Path("/usr/bin/time").exists():
        raise BenchError("/usr/bin/time not found (apt-get install time)")
    stats = scratch / f"{name}.time"
    full = ["/usr/bin/time", "-v", "-o", str(stats), *map(str, cmd)]
    t0 = time.perf_counter()
    p = subprocess.run(full, capture_output=True, text=True, encoding="utf-8", errors="replace")
    wall_fallback = time.perf_counter() - t0
    m = parse_time_v(stats.read_text(encoding="utf-8", errors="replace") if stats.exists() else "")
    if m["wall_s"] is None:
        m["wall_s"] = wall_fallback
    m["exit"] = p.returncode
    m["cmd"] = [str(c) for c in cmd]
    return p, m


def run_dinglehopper(gt: Path, ocr: Path, encoding: str, scratch: Path) -> tuple[dict, dict]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(gt), str(ocr), "--plain-encoding", encoding]
    p, m = timed(cmd, scratch, "dinglehopper")
    if p.returncode != 0:
        tail = "\n".join(p.stderr.strip().splitlines()[-5:])
        raise BenchError(f"dinglehopper pass failed (exit {p.returncode}); is dinglehopper installed? {tail}")
    try:
        data = json.loads(p.stdout)
    except json.JSONDecodeError as e:
        raise BenchError(f"dinglehopper worker wrote no JSON: {e}") from e
    m["compute_s"] = data.get("compute_s")
    return data, m


# ---------------------------------------------------------------------------
# recension


def parse_recension_csv(text: str) -> tuple[dict[str, dict], dict | None]:
    """Pair rows keyed by file_a (file_b when file_a is empty), and the total row."""

    def num(row, key, conv):
        v = (row.get(key) or "").strip()
        if v == "":
            return None
        try:
            return clean(conv(v))
        except ValueError as e:
            raise BenchError(f"recension CSV: {key}={v!r} is not a number") from e

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [c for c in ("kind", "file_a", "file_b", "chars", "edits", "cer", "words", "word_edits", "wer") if c not in header]
    if missing:
        raise BenchError(f"recension CSV: header {header} lacks {missing}")
    pairs: dict[str, dict] = {}
    total = None
    for row in reader:
        rec = {
            "file_a": row.get("file_a") or "",
            "file_b": row.get("file_b") or "",
            "chars": num(row, "chars", int),
            "edits": num(row, "edits", int),
            "cer": num(row, "cer", float),
            "substitutions": num(row, "substitutions", int),
            "insertions": num(row, "insertions", int),
            "deletions": num(row, "deletions", int),
            "words": num(row, "words", int),
            "word_edits": num(row, "word_edits", int),
            "wer": num(row, "wer", float),
            "categories": row.get("categories") or "",
        }
        kind = (row.get("kind") or "").strip()
        if kind == "pair":
            key = (rec["file_a"] or rec["file_b"]).replace(os.sep, "/")
            pairs[key] = rec
        elif kind == "total":
            total = rec
        else:
            raise BenchError(f"recension CSV: unknown kind {kind!r}")
    return pairs, total


def run_recension(binary: Path, gt: Path, ocr: Path, scratch: Path) -> tuple[str, dict]:
    if not binary.exists():
        raise BenchError(f"recension binary {binary} not found (build it, or pass --recension PATH)")
    p, m = timed([binary, "diff", "--format", "csv", gt, ocr], scratch, "recension")
    if p.returncode not in (0, 1):  # 1 = the directories differ, as diff(1)
        head = "; ".join(ln.strip() for ln in p.stderr.strip().splitlines()[:3] if ln.strip())
        raise BenchError(f"recension diff failed (exit {p.returncode}): {head}")
    return p.stdout, m


def find_binary(path: str) -> Path:
    p = Path(path)
    if p.is_absolute() or p.exists():
        return p
    return REPO / p


# ---------------------------------------------------------------------------
# The comparison


def compare(dh: dict, rec_pairs: dict | None, rec_total: dict | None, tolerance: float) -> dict:
    rows = []
    problems = []
    dh_pages = {p["page"]: p for p in dh["pages"]}
    names = list(dh_pages)
    if rec_pairs is not None:
        names += [n for n in rec_pairs if n not in dh_pages]
    names.sort(key=natural_key)
    for name in names:
        d = dh_pages.get(name)
        r = rec_pairs.get(name) if rec_pairs is not None else None
        row = {
            "page": name,
            "dinglehopper": d,
            "recension": r,
            "cer_diff": None,
        }
        if rec_pairs is not None:
            if d is None:
                problems.append(f"{name}: only in recension's output")
            elif r is None:
                problems.append(f"{name}: missing from recension's output")
            elif d["cer"] is None or r["cer"] is None:
                if (d["cer"] is None) != (r["cer"] is None):
                    problems.append(f"{name}: CER defined for one tool only")
            else:
                row["cer_diff"] = abs(d["cer"] - r["cer"])
                if row["cer_diff"] > tolerance:
                    problems.append(f"{name}: |CER difference| {row['cer_diff']:.4f} > {tolerance}")
        rows.append(row)
    ed = sum(p["edits"] for p in dh["pages"])
    ch = sum(p["chars"] for p in dh["pages"])
    we = sum(p["word_edits"] for p in dh["pages"])
    wo = sum(p["words"] for p in dh["pages"])
    totals = {
        "dinglehopper": {"chars": ch, "edits": ed, "cer": rate(ed, ch), "words": wo, "word_edits": we, "wer": rate(we, wo)},
        "recension": rec_total,
    }
    if rec_total is None and rec_pairs is not None:
        problems.append("recension's CSV has no total row")
    return {"pages": rows, "totals": totals, "problems": problems}


def print_table(result: dict, runs: dict, tolerance: float, out=sys.stdout) -> None:
    with_rec = "recension" in runs or result.get("recension_csv")
    head = ["page", "dh CER", "rec CER", "|diff|", "dh WER", "rec WER"] if with_rec else ["page", "dh CER", "dh WER", "chars", "edits", "words", "word edits"]
    lines = []
    for row in result["pages"]:
        d, r = row["dinglehopper"] or {}, row["recension"] or {}
        if with_rec:
            lines.append([row["page"], fmt(d.get("cer")), fmt(r.get("cer")), fmt(row["cer_diff"]), fmt(d.get("wer")), fmt(r.get("wer"))])
        else:
            lines.append([row["page"], fmt(d.get("cer")), fmt(d.get("wer")), str(d.get("chars")), str(d.get("edits")), str(d.get("words")), str(d.get("word_edits"))])
    td, tr = result["totals"]["dinglehopper"], result["totals"]["recension"] or {}
    if with_rec:
        diff = abs(td["cer"] - tr["cer"]) if td.get("cer") is not None and tr.get("cer") is not None else None
        lines.append(["total", fmt(td["cer"]), fmt(tr.get("cer")), fmt(diff), fmt(td["wer"]), fmt(tr.get("wer"))])
    else:
        lines.append(["total", fmt(td["cer"]), fmt(td["wer"]), str(td["chars"]), str(td["edits"]), str(td["words"]), str(td["word_edits"])])
    widths = [max(len(x[i]) for x in [head, *lines]) for i in range(len(head))]

    def show(cells):
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))), file=out)

    show(head)
    for ln in lines[:-1]:
        show(ln)
    print("  ".join("-" * w for w in widths), file=out)
    show(lines[-1])
    print(file=out)
    print("totals: edits summed over pages / reference length summed over pages", file=out)
    for tool, m in runs.items():
        extra = f", metrics alone {m['compute_s']:.3f} s" if m.get("compute_s") is not None else ""
        cpu = f", CPU {m['cpu_s']:.2f} s" if m.get("cpu_s") is not None else ""
        rss = f", peak RSS {m['peak_rss_mib']:.1f} MiB" if m.get("peak_rss_mib") is not None else ""
        print(f"{tool}: wall {m['wall_s']:.3f} s{cpu}{rss}{extra}", file=out)
    if with_rec:
        if result["problems"]:
            print(f"\nFAIL: {len(result['problems'])} problem(s) at tolerance {tolerance}:", file=out)
            for p in result["problems"]:
                print(f"  {p}", file=out)
        else:
            print(f"\nOK: every page's CER agrees within {tolerance}", file=out)


# ---------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    if argv[:1] == ["--worker"]:
        return worker_main(argv[1:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gt", nargs="?", type=Path, metavar="GT_DIR", help="ground-truth directory (the reference)")
    ap.add_argument("ocr", nargs="?", type=Path, metavar="OCR_DIR", help="OCR directory, files paired with GT_DIR's by relative path")
    ap.add_argument("--recension", metavar="PATH", default="target/release/recension", help="the recension binary (default: %(default)s)")
    ap.add_argument("--recension-csv", type=Path, metavar="FILE", help="parse this `recension diff --format csv` output instead of running the binary")
    ap.add_argument("--dinglehopper-only", action="store_true", help="run the dinglehopper pass alone")
    ap.add_argument("--tolerance", type=float, default=0.01, help="largest |CER difference| accepted per page (default: %(default)s)")
    ap.add_argument("--json", type=Path, metavar="OUT", help="write the numbers as JSON to OUT")
    ap.add_argument("--plain-encoding", default="utf-8", help="dinglehopper's encoding of plain-text files (its CLI default is chardet autodetection; default here: %(default)s)")
    ap.add_argument("--realdata", type=Path, metavar="DIR", help="ICDAR page folder used without GT_DIR/OCR_DIR (default: /work/shared/realdata/icdar2019_pl1)")
    a = ap.parse_args(argv)
    if (a.gt is None) != (a.ocr is None):
        ap.error("give both GT_DIR and OCR_DIR, or neither")

    with tempfile.TemporaryDirectory(prefix="ocr_bench.") as tmp:
        scratch = Path(tmp)
        try:
            if a.gt is None:
                src = a.realdata or next((p for p in REALDATA_CANDIDATES if p.is_dir()), REALDATA_CANDIDATES[0])
                if not src.is_dir():
                    raise BenchError(f"{src} not found (pass --realdata DIR or GT_DIR OCR_DIR)")
                gt, ocr = build_realdata(src, scratch / "pairs")
                source = str(src)
            else:
                gt, ocr = a.gt, a.ocr
                for d in (gt, ocr):
                    if not d.is_dir():
                        raise BenchError(f"{d} is not a directory")
                source = None
            paired, only_gt, only_ocr = pair_files(gt, ocr)
            if not paired:
                raise BenchError(f"no file of {gt} has a namesake in {ocr}")
            for p in only_gt:
                print(f"ocr_bench: {p} only in {gt}: skipped", file=sys.stderr)
            for p in only_ocr:
                print(f"ocr_bench: {p} only in {ocr}: skipped", file=sys.stderr)

            dh, dh_run = run_dinglehopper(gt, ocr, a.plain_encoding, scratch)
            runs = {"dinglehopper": dh_run}
        except BenchError as e:
            print(f"ocr_bench: {e}", file=sys.stderr)
            return 2
        rec_pairs = rec_total = None
        try:
            if not a.dinglehopper_only:
                if a.recension_csv:
                    text = a.recension_csv.read_text(encoding="utf-8")
                else:
                    text, runs["recension"] = run_recension(find_binary(a.recension), gt.resolve(), ocr.resolve(), scratch)
                rec_pairs, rec_total = parse_recension_csv(text)
                # recension may see files dinglehopper paired but not the
                # other way round (its --glob default reads .txt, .md, ...);
                # files only in one directory are not compared by either.
                for p in only_gt + only_ocr:
                    rec_pairs.pop(p, None)
        except (BenchError, OSError) as e:
            # dinglehopper's numbers are still worth showing.
            runs.pop("recension", None)
            print_table(compare(dh, None, None, a.tolerance), runs, a.tolerance)
            print(f"ocr_bench: {e}", file=sys.stderr)
            return 2
        result = compare(dh, rec_pairs, rec_total, a.tolerance)
        result["recension_csv"] = str(a.recension_csv) if a.recension_csv else None

        print(f"ground truth: {source or gt}  ({len(paired)} pages; dinglehopper {dh.get('version')}, plain encoding {dh['encoding']})")
        print_table(result, runs, a.tolerance)
        if a.json:
            doc = {
                "source": source,
                "gt_dir": None if source else str(gt),
                "ocr_dir": None if source else str(ocr),
                "dinglehopper_version": dh.get("version"),
                "plain_encoding": dh["encoding"],
                "tolerance": a.tolerance,
                "pages": result["pages"],
                "totals": result["totals"],
                "runs": runs,
                "recension_csv": result["recension_csv"],
                "problems": result["problems"] if rec_pairs is not None else None,
                "ok": (not result["problems"]) if rec_pairs is not None else None,
            }
            a.json.parent.mkdir(parents=True, exist_ok=True)
            a.json.write_text(json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n", encoding="utf-8")
        if rec_pairs is None:
            return 0
        return 1 if result["problems"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
