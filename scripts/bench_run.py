#!/usr/bin/env python3
"""Run the peer benchmark and print the ratio table (called by scripts/bench.sh).

Times ``recension`` against the tools a user would otherwise pick, on the
same inputs, with GNU ``/usr/bin/time -v``: wall time, CPU time (user +
system, which shows how much of the machine a run takes, whatever its thread
count) and peak RSS, each with the recension/peer ratio:

1. clustering, against datasketch MinHashLSH (``bench_peers.py minhash``:
   the same shingles as recension, ``SHINGLE_HAN``/``SHINGLE_LATIN`` below,
   ``NUM_PERM`` permutations, threshold 0.5, candidates verified by
   estimated Jaccard, union-find), on a generated corpus (scored with
   ``score.py`` for both tools: pairwise F1 and fragment attachment) and on
   the seed transcripts in ``data/sample``. recension runs ``cluster``
   (ingest, segmentation, near-duplicate clustering: what the peer does);
   and against rensa (``bench_peers.py rensa``: its bulk calls, the same
   shingles, permutations and verification, 32 bands of 4 rows) on the
   generated corpus, with its MinHash+LSH core timed apart;
2. recension's whole ``report`` on the generated corpus, alone (no peer: it
   adds alignment, classification and consensus), so the cost of the full
   pipeline shows next to the clustering row (``--no-report-row`` skips it);
3. character-level collation of the three versions of the Wang Yi transcript
   (seeds 001, 002, 004), against the collatex package, with a time limit
   (recension runs ``report``);
4. two-witness character error rate on real OCR with ground truth
   (``icdar2019_pl1``), against dinglehopper's command line, page by page
   (recension runs ``report``).

A second table, the *scale section*, times the commands a user runs,
recension alone, on generated corpora of three sizes (``SCALE_SIZES``:
4 witnesses × 25,000 / 75,000 / 250,000 paragraphs, about 100k, 300k and 1M
paragraphs in all, one document per 100 paragraphs): for each size, one after
the other, ``cluster``, ``report`` and ``audit --limit 20`` (its output to
``/dev/null``; the limit only shortens the listing, the whole corpus is
analysed). The ``cluster`` and ``report`` outputs are scored with
``score.py --json`` (clustering F1; variant recall and precision), and the
bytes of the report's JSON outputs (``*.json``, ``*.jsonl``) are set against
those of its CSV outputs (``*.csv``). ``--scale`` runs this section alone
(no peers, so no virtual environment), ``--no-scale`` skips it,
``--scale-sizes`` chooses the per-witness paragraph counts and
``--corpus-root`` reuses corpora generated beforehand.

A recension feature that is not available yet (exit status 2 with an
"unrecognized subcommand" or similar message) shows as ``n/a``.

Everything is written under ``--work`` (default ``target/bench``): the
generated corpora (reused when their arguments are unchanged), every tool's
output, ``results.json`` and ``results.md`` (the tables).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
REPO = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))
import score  # noqa: E402  (the path above)

WANG_YI = ("001", "002", "004")
# Generated corpus sizes: --quick, and the default large run (SPEC §8: a
# million paragraphs over about four witnesses).
QUICK = {"witnesses": 4, "docs": 20, "paragraphs": 2000}
LARGE = {"witnesses": 4, "docs": 2500, "paragraphs": 250000}
COLLATEX_MEMORY_CAP = 16 << 30  # bytes of address space; the machine has 24 GiB
# The scale section: paragraphs per witness of each corpus (about 100k, 300k
# and 1M paragraphs over the witnesses), with --quick, and the rest of a size.
SCALE_SIZES = (25000, 75000, 250000)
SCALE_QUICK_SIZES = (2000, 6000)
SCALE_WITNESSES = 4
SCALE_PARAGRAPHS_PER_DOC = 100
SCALE_AUDIT_LIMIT = 20  # places audit lists (it analyses the whole corpus whatever the limit)

# The datasketch peer's shingles, which must be recension's
# (the HAN_SHINGLE and LATIN_SHINGLE constants, src/minhash.rs), and its
# permutations (PERMUTATIONS there).
# Change them here when recension's change (--shingle-han/--shingle-latin
# override them for one run).
SHINGLE_HAN = 2  # characters per shingle of a Han paragraph
SHINGLE_LATIN = 5  # characters per shingle of any other paragraph (spaces removed)
NUM_PERM = 128  # MinHash permutations


@dataclass
class Run:
    """One timed command."""

    cmd: list[str]
    wall: float | None = None
    cpu: float | None = None  # user + system seconds
    rss_mib: float | None = None
    status: int | None = None
    timed_out: bool = False
    stdout: str = ""
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.status == 0 and not self.timed_out


def timed(
    cmd: list[str], work: Path, name: str, timeout: float | None = None, memory_cap: int | None = None, discard_stdout: bool = False
) -> Run:
    """Run `cmd` under ``/usr/bin/time -v`` (and ``timeout``), keeping its output in `work`.

    With `discard_stdout` its standard output goes to ``/dev/null`` (as
    ``> /dev/null`` in a shell) and is not kept.
    """
    stats = work / f"{name}.time"
    full = ["/usr/bin/time", "-v", "-o", str(stats)]
    if timeout:
        full += ["timeout", "--kill-after=10", str(int(timeout))]
    full += [str(c) for c in cmd]

    def limit():  # runs in the child before exec
        if memory_cap:
            resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))

    shown = " ".join(str(c) for c in cmd) + (" > /dev/null" if discard_stdout else "")
    print(f"bench: {name}: {shown if len(shown) < 300 else shown[:300] + ' …'}", file=sys.stderr, flush=True)
    p = subprocess.run(
        full,
        stdout=subprocess.DEVNULL if discard_stdout else subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=limit if memory_cap else None,
    )
    stdout = p.stdout or ""
    (work / f"{name}.out").write_text(stdout, encoding="utf-8")
    (work / f"{name}.err").write_text(p.stderr, encoding="utf-8")
    run = Run(cmd=[str(c) for c in cmd], status=p.returncode, stdout=stdout, stderr=p.stderr)
    run.timed_out = bool(timeout) and p.returncode in (124, 137)
    text = stats.read_text(encoding="utf-8", errors="replace") if stats.exists() else ""
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
    if m:
        run.wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        run.rss_mib = int(m.group(1)) / 1024
    run.cpu = cpu_seconds(text)
    state = "timed out" if run.timed_out else f"exit {run.status}"
    print(f"bench: {name}: {state}, {run.wall} s wall, {run.cpu} s CPU, {run.rss_mib and round(run.rss_mib)} MiB", file=sys.stderr, flush=True)
    return run


def cpu_seconds(time_v: str) -> float | None:
    """User + system seconds from GNU ``time -v`` output, or None when either is missing."""
    user = re.search(r"User time \(seconds\): ([\d.]+)", time_v)
    system = re.search(r"System time \(seconds\): ([\d.]+)", time_v)
    if not user or not system:
        return None
    return round(float(user.group(1)) + float(system.group(1)), 3)


def not_available(run: Run) -> bool:
    """True when recension says the feature is not there yet (exit 2, or an unknown argument)."""
    text = (run.stdout + run.stderr).lower()
    return run.status == 2 and ("not available" in text or "unrecognized" in text or "unexpected argument" in text or "unrecognised" in text or "invalid value" in text)


def generate(work: Path, size: dict, seed: int) -> tuple[Path, float | None]:
    """Generate (or reuse) the corpus for `size`; return its directory and the seconds it took."""
    label = f"gen-{size['witnesses']}w-{size['docs']}d-{size['paragraphs']}p-s{seed}"
    out = work / label
    args = [
        sys.executable, str(SCRIPTS / "gen_corpus.py"), "--out", str(out), "--witnesses", str(size["witnesses"]),
        "--docs", str(size["docs"]), "--paragraphs", str(size["paragraphs"]), "--seed", str(seed), "--force",
    ]
    stamp = out / "ARGS"
    version = (SCRIPTS / "gen_corpus.py").stat().st_mtime_ns
    key = json.dumps({"args": args[2:], "version": version})
    if stamp.exists() and stamp.read_text() == key and (out / "truth" / "witnesses.csv").exists():
        print(f"bench: reusing {out}", file=sys.stderr)
        return out, None
    t0 = time.perf_counter()
    print(f"bench: generating {label}", file=sys.stderr, flush=True)
    subprocess.run(args, check=True)
    stamp.write_text(key)
    return out, time.perf_counter() - t0


def count_clusters(report: Path) -> int | None:
    """Distinct cluster ids in a clusters.csv, or None."""
    path = report / "clusters.csv"
    if not path.exists():
        return None
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        return len({r["cluster_id"] for r in csv.DictReader(f)})


def fresh(path: Path) -> Path:
    """An empty directory at `path`."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


# ---------------------------------------------------------------------------
# The rows


def generated_data(truth: Path) -> str:
    """The data cell of a generated-corpus row."""
    meta = json.loads((truth / "meta.json").read_text())
    n = sum(1 for _ in open(truth / "paragraphs.csv", encoding="utf-8")) - 1
    return f"generated: {meta['witnesses']} witnesses × {meta['paragraphs']:,} paragraphs ({n:,} pieces)"


def minhash_cmd(a, corpus: Path, out: Path, peer: str = "minhash") -> list[str]:
    """A MinHash peer (``minhash``: datasketch, ``rensa``) on `corpus`, with
    recension's shingles."""
    return peer_cmd(
        a, peer, corpus, "-o", out, "--shingle-han", a.shingle_han, "--shingle-latin", a.shingle_latin, "--num-perm", a.num_perm
    )


# The MinHash peers of the generated-corpus row: (bench_peers.py command,
# name, what the task column says).
MINHASH_PEERS = {
    "datasketch": ("minhash", "clustering vs datasketch MinHashLSH (recension cluster)"),
    "rensa": ("rensa", "clustering vs rensa RMinHashLSH (recension cluster)"),
}


def row_clustering_generated(a, work: Path, corpus_root: Path, peer_name: str = "datasketch") -> dict:
    """recension cluster against a MinHash peer, side by side; rensa's
    MinHash+LSH core, which it times apart, is added to its cell."""
    command, task = MINHASH_PEERS[peer_name]
    corpus, truth = corpus_root / "corpus", corpus_root / "truth"
    rec_out, peer_out = fresh(work / f"recension-gen-{peer_name}"), fresh(work / f"{peer_name}-gen")
    rec = timed([a.bin, "cluster", corpus, "-o", rec_out, "--quiet"], work, f"recension-gen-{peer_name}", a.peer_timeout)
    peer = timed(minhash_cmd(a, corpus, peer_out, command), work, f"{peer_name}-gen", a.peer_timeout)
    rec_score = score.score(truth, rec_out) if rec.ok else None
    peer_score = score.score(truth, peer_out) if peer.ok else None
    acc_peer = f1_cell(peer_score, peer)
    core = re.search(r"core ([0-9.]+) CPU s", peer.stderr or "")
    if core:
        acc_peer += f"; MinHash+LSH core {core.group(1)} CPU s"
    return {
        "task": task,
        "data": generated_data(truth),
        "recension": rec,
        "peer": peer,
        "acc_recension": f1_cell(rec_score, rec),
        "acc_peer": acc_peer,
        "scores": {"recension": rec_score, peer_name: peer_score},
    }


def row_report_generated(a, work: Path, corpus_root: Path) -> dict:
    """recension's whole pipeline on the generated corpus; no peer does all of it."""
    corpus, truth = corpus_root / "corpus", corpus_root / "truth"
    rec_out = fresh(work / "recension-gen-report")
    rec = timed([a.bin, "report", corpus, "-o", rec_out, "--quiet"], work, "recension-gen-report", a.peer_timeout)
    rec_score = score.score(truth, rec_out) if rec.ok else None
    acc = f1_cell(rec_score, rec)
    if rec_score and rec_score.get("variants"):
        v = rec_score["variants"]
        acc += f"; variants F1 {score._fmt(v['f1'])} (P {score._fmt(v['precision'])}, R {score._fmt(v['recall'])})"
    return {
        "task": "full pipeline, recension report only (no peer; not comparable)",
        "data": generated_data(truth),
        "recension": rec,
        "peer": None,
        "no_peer": True,
        "acc_recension": acc,
        "acc_peer": "—",
        "scores": {"recension": rec_score},
    }


def f1_cell(s: dict | None, run: Run) -> str:
    """Pairwise F1 (precision, recall) and fragment attachment of a clustering."""
    if s is None or s.get("clustering") is None:
        return run_state(run) or "n/a"
    c = s["clustering"]
    cell = f"F1 {score._fmt(c['f1'])} (P {score._fmt(c['precision'])}, R {score._fmt(c['recall'])})"
    fr = c.get("fragments")
    if fr is not None:
        cell += f"; fragments {score._fmt(fr['share'])} ({fr['attached']}/{fr['total']})"
    return cell


def row_clustering_seeds(a, work: Path) -> dict:
    rec_out, ds_out = fresh(work / "recension-seeds"), fresh(work / "datasketch-seeds")
    rec = timed([a.bin, "cluster", a.sample, "-o", rec_out, "--quiet"], work, "recension-seeds", a.peer_timeout)
    peer = timed(minhash_cmd(a, a.sample, ds_out), work, "datasketch-seeds", a.peer_timeout)
    n_files = sum(1 for p in a.sample.iterdir() if p.is_file())
    return {
        "task": "clustering vs datasketch MinHashLSH (recension cluster)",
        "data": f"seeds, {n_files} transcripts (no truth)",
        "recension": rec,
        "peer": peer,
        "acc_recension": f"{count_clusters(rec_out)} clusters" if rec.ok else run_state(rec),
        "acc_peer": f"{count_clusters(ds_out)} clusters" if peer.ok else run_state(peer),
    }


def row_collation(a, work: Path) -> dict:
    src = work / "wang-yi"
    fresh(src)
    files = []
    for prefix in WANG_YI:
        match = sorted(a.sample.glob(f"{prefix}_*"))
        if not match:
            raise SystemExit(f"bench: no seed {prefix}_* in {a.sample}")
        shutil.copy(match[0], src / match[0].name)
        files.append(src / match[0].name)
    rec_out = fresh(work / "recension-wangyi")
    rec = timed([a.bin, "report", src, "-o", rec_out, "--quiet"], work, "recension-wangyi", a.peer_timeout)
    peer = timed(peer_cmd(a, "collatex", *files), work, "collatex-wangyi", a.collatex_timeout, COLLATEX_MEMORY_CAP)
    chars = sum(len(p.read_text(encoding="utf-8")) for p in files)
    peer_note = "aligned" if peer.ok else run_state(peer)
    if not peer.ok and "MemoryError" in peer.stderr:
        peer_note = f"out of memory (cap {COLLATEX_MEMORY_CAP >> 30} GiB)"
    return {
        "task": "character collation vs collatex",
        "data": f"Wang Yi 001/002/004, {chars:,} chars",
        "recension": rec,
        "peer": peer,
        "acc_recension": f"{count_clusters(rec_out)} clusters aligned" if rec.ok else run_state(rec),
        "acc_peer": peer_note,
    }


def row_cer(a, work: Path) -> dict:
    task = "two-witness CER vs dinglehopper"
    if not a.realdata.is_dir():
        return {"task": task, "data": f"{a.realdata} missing", "recension": None, "peer": None, "acc_recension": "n/a", "acc_peer": "n/a"}
    pages = sorted(p.name[: -len(".gt.txt")] for p in a.realdata.glob("*.gt.txt"))
    root = fresh(work / "icdar")
    gt, ocr = root / "pairs" / "gt", root / "pairs" / "ocr"
    gt.mkdir(parents=True)
    ocr.mkdir(parents=True)
    ref_dist = ref_len = 0
    for page in pages:
        g = (a.realdata / f"{page}.gt.txt").read_text(encoding="utf-8")
        o = (a.realdata / f"{page}.ocr.txt").read_text(encoding="utf-8")
        (gt / f"{page}.txt").write_text(g, encoding="utf-8")
        (ocr / f"{page}.txt").write_text(o, encoding="utf-8")
        g, o = g.strip(), o.strip()
        ref_dist += score.levenshtein(g, o)
        ref_len += len(g)
    reference = ref_dist / ref_len
    # dinglehopper: its command line once per page, as its README shows.
    reports = fresh(root / "dinglehopper")
    dh = a.venv / "bin" / "dinglehopper"
    loop = " && ".join(f'"{dh}" --plain-encoding utf-8 "{gt / (p + ".txt")}" "{ocr / (p + ".txt")}" "{p}" "{reports}"' for p in pages)
    peer = timed(["bash", "-c", loop], work, "dinglehopper-icdar", a.peer_timeout)
    peer_cer = None
    if peer.ok:
        num = den = 0.0
        for p in pages:
            rep = json.loads((reports / f"{p}.json").read_text(encoding="utf-8"))
            num += rep["cer"] * rep["n_characters"]
            den += rep["n_characters"]
        peer_cer = num / den if den else None
    # recension: `diff` of the two directories, pages paired by file name,
    # the ground truth first (the reference), as dinglehopper takes it. Exit
    # status 1 means "they differ", which is the expected result here.
    rec = timed([a.bin, "diff", gt, ocr], work, "recension-icdar-diff", a.peer_timeout)
    rec_cer = None
    if rec.status in (0, 1):
        m = re.search(r"CER ([0-9.]+) \((\d+) edits / (\d+) characters\)", rec.stdout.strip().splitlines()[-1] if rec.stdout.strip() else "")
        if m:
            rec_cer = float(m.group(1))
        rec.status = 0
    # Page by page: `diff --format csv` against dinglehopper's per-page
    # reports; the largest difference goes into the table.
    worst = None
    if peer.ok and rec_cer is not None:
        pages_csv = timed([a.bin, "diff", "--format", "csv", gt, ocr], work, "recension-icdar-pages", a.peer_timeout)
        if pages_csv.status in (0, 1):
            ours = {r["file_a"][: -len(".txt")]: r for r in csv.DictReader(io.StringIO(pages_csv.stdout)) if r["kind"] == "pair"}
            deltas = []
            for p in pages:
                rep = json.loads((reports / f"{p}.json").read_text(encoding="utf-8"))
                if p in ours and ours[p]["cer"]:
                    deltas.append((abs(float(ours[p]["cer"]) - rep["cer"]), p))
            if deltas:
                worst = max(deltas)
    page_note = f"; pages within {worst[0]:.4f} of dinglehopper's (largest: page {worst[1]})" if worst else ""
    return {
        "task": task,
        "data": f"icdar2019_pl1, {len(pages)} OCR pages (plain Levenshtein CER {reference:.4f})",
        "recension": rec,
        "peer": peer,
        "acc_recension": f"CER {rec_cer:.4f}{page_note}" if rec_cer is not None else run_state(rec) or "n/a",
        "acc_peer": f"CER {peer_cer:.4f}" if peer_cer is not None else run_state(peer) or "n/a",
        "reference_cer": reference,
    }


def peer_cmd(a, *args) -> list[str]:
    return [str(a.venv / "bin" / "python"), str(SCRIPTS / "bench_peers.py"), *[str(x) for x in args]]


def run_state(run: Run | None) -> str:
    if run is None:
        return "n/a"
    if run.timed_out:
        return f"timed out after {int(run.wall or 0)} s"
    if run.status == 2 and (not_available(run) or run.stderr == "not available"):
        return "n/a (not available yet)"
    if run.status != 0:
        return f"failed (exit {run.status})"
    return ""


# ---------------------------------------------------------------------------
# The table


def cell_time(run: Run | None) -> str:
    if run is None:
        return "n/a"
    if run.timed_out:
        return f"> {run.wall:.0f} (timed out)"
    if run.status != 0:
        return run_state(run) or "n/a"
    return f"{run.wall:.2f}"


def cell_cpu(run: Run | None) -> str:
    if run is None or run.cpu is None or run.status != 0 and not run.timed_out:
        return "n/a"
    if run.timed_out:
        return f"> {run.cpu:.0f} (timed out)"
    return f"{run.cpu:.2f}"


def cell_rss(run: Run | None) -> str:
    if run is None or run.rss_mib is None or run.status != 0 and not run.timed_out:
        return "n/a"
    return f"{run.rss_mib:,.0f}"


def ratio(rec: Run | None, peer: Run | None, attr: str) -> str:
    if rec is None or peer is None or not rec.ok:
        return "n/a"
    r, p = getattr(rec, attr), getattr(peer, attr)
    if r is None or p is None or p == 0:
        return "n/a"
    if peer.timed_out:
        return f"< {r / p:.3g}" if attr in ("wall", "cpu") else f"{r / p:.3g}"
    if not peer.ok:
        return "n/a"
    return f"{r / p:.3g}"


def table(rows: list[dict]) -> str:
    """The markdown results table: wall seconds, CPU (user + system) seconds and peak MiB, each with its ratio."""
    head = (
        "| task | data | recension s | peer s | ratio s | recension CPU s | peer CPU s | ratio CPU | "
        "recension MiB | peer MiB | ratio MiB | recension accuracy | peer accuracy |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"
    )
    out = [head]
    for r in rows:
        rec, peer = r["recension"], r["peer"]
        if r.get("no_peer"):  # a recension-only row: nothing to compare with
            p_time = p_cpu = p_rss = r_time = r_cpu = r_rss = "—"
        else:
            p_time, p_cpu, p_rss = cell_time(peer), cell_cpu(peer), cell_rss(peer)
            r_time, r_cpu, r_rss = ratio(rec, peer, "wall"), ratio(rec, peer, "cpu"), ratio(rec, peer, "rss_mib")
        out.append(
            f"| {r['task']} | {r['data']} | {cell_time(rec)} | {p_time} | {r_time} | "
            f"{cell_cpu(rec)} | {p_cpu} | {r_cpu} | "
            f"{cell_rss(rec)} | {p_rss} | {r_rss} | {r['acc_recension']} | {r['acc_peer']} |"
        )
    return "\n".join(out)


# ---------------------------------------------------------------------------
# The scale section


def parse_sizes(text: str) -> list[int]:
    """Per-witness paragraph counts from a comma-separated list ("25000,75000"), each a positive integer."""
    sizes = []
    for part in text.split(","):
        part = part.strip().replace("_", "")
        if not part:
            continue
        if not part.isdigit() or int(part) <= 0:
            raise argparse.ArgumentTypeError(f"not a positive paragraph count: {part!r}")
        sizes.append(int(part))
    if not sizes:
        raise argparse.ArgumentTypeError("no size given")
    return sizes


def scale_size(paragraphs: int) -> dict:
    """The generator size of a scale corpus with `paragraphs` per witness."""
    return {
        "witnesses": SCALE_WITNESSES,
        "docs": max(1, paragraphs // SCALE_PARAGRAPHS_PER_DOC),
        "paragraphs": paragraphs,
    }


def approx(n: int) -> str:
    """`n` rounded for a label: 100000 -> "100k", 1000000 -> "1M", 8000 -> "8k", 950 -> "950"."""
    for unit, div in (("M", 1_000_000), ("k", 1_000)):
        if n >= div:
            return f"{n / div:.3g}{unit}"
    return str(n)


def output_bytes(report: Path) -> dict[str, int]:
    """Bytes of the JSON outputs (``*.json``, ``*.jsonl``) and of the CSV outputs (``*.csv``) directly in `report`."""
    sums = {"json": 0, "csv": 0}
    if not report.is_dir():
        return sums
    for path in report.iterdir():
        if not path.is_file():
            continue
        kind = {".json": "json", ".jsonl": "json", ".csv": "csv"}.get(path.suffix.lower())
        if kind:
            sums[kind] += path.stat().st_size
    return sums


def bytes_cell(sums: dict[str, int] | None) -> str:
    """The "json/csv bytes" cell: both sums and the json/csv ratio, or "—" when there are none."""
    if sums is None:
        return "—"
    cell = f"{sums['json']:,} / {sums['csv']:,}"
    if sums["csv"]:
        cell += f" ({sums['json'] / sums['csv']:.2f}×)"
    return cell


def md_cell(text: str) -> str:
    """`text` made safe for one markdown table cell (no pipe, no line break)."""
    return " ".join(text.split()).replace("|", "\\|")


def score_cli(truth: Path, report: Path, timeout: float | None = None) -> tuple[dict | None, str | None]:
    """Run ``score.py --truth TRUTH --report REPORT --json``; return (scores, None), or (None, a short error)."""
    cmd = [sys.executable, str(SCRIPTS / "score.py"), "--truth", str(truth), "--report", str(report), "--json"]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"score.py timed out after {int(timeout or 0)} s"
    print(f"bench: scored {report} in {time.perf_counter() - t0:.0f} s (exit {p.returncode})", file=sys.stderr, flush=True)
    if p.returncode != 0:
        lines = [l for l in p.stderr.strip().splitlines() if l.strip()]
        last = lines[-1] if lines else f"exit {p.returncode}"
        return None, f"score.py failed: {last[:160]}"
    try:
        return json.loads(p.stdout), None
    except json.JSONDecodeError as e:
        return None, f"score.py printed no JSON ({e})"


def scale_accuracy(scores: dict | None, error: str | None, run: Run) -> str:
    """The accuracy cell of a scale row: clustering F1, and variant recall and precision when scored."""
    if not run.ok:
        return run_state(run) or "n/a"
    if error:
        return error
    if scores is None:
        return "—"
    parts = []
    c = scores.get("clustering")
    if c is not None:
        parts.append(f"clusters F1 {score._fmt(c['f1'])} (P {score._fmt(c['precision'])}, R {score._fmt(c['recall'])})")
    v = scores.get("variants")
    if v is not None:
        parts.append(f"variants R {score._fmt(v['recall'])}, P {score._fmt(v['precision'])}")
    return "; ".join(parts) or "nothing to score"


def count_paragraphs(truth: Path) -> int:
    """Paragraph pieces in a generated corpus, over all witnesses (rows of ``truth/paragraphs.csv``)."""
    with open(truth / "paragraphs.csv", encoding="utf-8") as f:
        return sum(1 for _ in f) - 1


def scale_corpus(a, work: Path, size: dict) -> tuple[Path, float | None]:
    """The corpus of one scale size: ``--corpus-root``/p{N} when its meta.json matches `size` and the seed, else generated."""
    if a.corpus_root:
        root = a.corpus_root / f"p{size['paragraphs']}"
        meta_path = root / "truth" / "meta.json"
        if (root / "corpus").is_dir() and meta_path.exists():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            want = dict(size, seed=a.seed)
            if all(meta.get(k) == v for k, v in want.items()):
                print(f"bench: using {root}", file=sys.stderr)
                return root, None
            got = {k: meta.get(k) for k in want}
            print(f"bench: {root} was generated with {got}, not {want}; generating", file=sys.stderr)
        else:
            print(f"bench: no corpus at {root}; generating", file=sys.stderr)
    return generate(work, size, a.seed)


def scale_section(a, work: Path) -> list[dict]:
    """Time cluster, report and audit on each scale corpus, one after the other; one row per (size, command)."""
    rows = []
    for n in a.scale_sizes:
        size = scale_size(n)
        root, gen_seconds = scale_corpus(a, work, size)
        corpus, truth = root / "corpus", root / "truth"
        paragraphs = count_paragraphs(truth)
        label = f"~{approx(size['witnesses'] * n)}: {size['witnesses']} × {n:,} ({size['docs']:,} docs)"
        base = {
            "size": label,
            "paragraphs_per_witness": n,
            "witnesses": size["witnesses"],
            "docs": size["docs"],
            "corpus": str(root),
            "generated_seconds": gen_seconds,
            "paragraphs": paragraphs,
        }
        out_dir = work / "scale" / f"p{n}"
        cluster_out, report_out = fresh(out_dir / "cluster"), fresh(out_dir / "report")
        name = f"scale-p{n}"

        run = timed([a.bin, "cluster", corpus, "-o", cluster_out, "-q"], work, f"{name}-cluster", a.scale_timeout)
        scores, error = score_cli(truth, cluster_out, a.scale_timeout) if run.ok else (None, None)
        rows.append(base | {"command": "cluster", "run": run, "bytes": None, "scores": scores, "accuracy": scale_accuracy(scores, error, run)})

        run = timed([a.bin, "report", corpus, "-o", report_out, "-q"], work, f"{name}-report", a.scale_timeout)
        scores, error = score_cli(truth, report_out, a.scale_timeout) if run.ok else (None, None)
        sums = output_bytes(report_out) if run.ok else None
        rows.append(base | {"command": "report", "run": run, "bytes": sums, "scores": scores, "accuracy": scale_accuracy(scores, error, run)})

        run = timed(
            [a.bin, "audit", corpus, "--limit", SCALE_AUDIT_LIMIT], work, f"{name}-audit", a.scale_timeout, discard_stdout=True
        )
        command = f"audit --limit {SCALE_AUDIT_LIMIT} > /dev/null"
        rows.append(base | {"command": command, "run": run, "bytes": None, "scores": None, "accuracy": scale_accuracy(None, None, run)})

        clean_out = out_dir / "clean"
        shutil.rmtree(clean_out, ignore_errors=True)
        run = timed([a.bin, "clean", corpus, "-o", clean_out, "--correct", "-q"], work, f"{name}-clean", a.scale_timeout)
        rows.append(base | {"command": "clean --correct", "run": run, "bytes": None, "scores": None, "accuracy": scale_accuracy(None, None, run)})
    return rows


def scale_table(rows: list[dict]) -> str:
    """The markdown scale table: one row per (size, command), recension alone."""
    head = (
        "| size | command | paragraphs in corpus | wall s | CPU s | peak MiB | json/csv bytes | accuracy |\n"
        "|---|---|---:|---:|---:|---:|---:|---|"
    )
    out = [head]
    for r in rows:
        run = r["run"]
        out.append(
            f"| {r['size']} | {md_cell(r['command'])} | {r['paragraphs']:,} | {cell_time(run)} | {cell_cpu(run)} | "
            f"{cell_rss(run)} | {bytes_cell(r['bytes'])} | {md_cell(r['accuracy'])} |"
        )
    return "\n".join(out)


def jsonable(row: dict) -> dict:
    """A table row for results.json: its runs as dicts with the tails of their output."""
    return {k: (asdict(v) | {"stdout": v.stdout[-2000:], "stderr": v.stderr[-2000:]} if isinstance(v, Run) else v) for k, v in row.items()}


def machine() -> str:
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / (1 << 20):.0f} GiB"
    except (OSError, AttributeError):
        pass
    return f"{os.cpu_count()} cores{mem}, {platform.machine()}, Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description="Time recension against its peers and print the ratio table.")
    ap.add_argument("--bin", type=Path, default=REPO / "target" / "release" / "recension", help="the recension binary")
    ap.add_argument("--venv", type=Path, default=REPO / "target" / "bench-venv", help="virtual environment with the peers")
    ap.add_argument("--work", type=Path, default=REPO / "target" / "bench", help="working directory for corpora and outputs")
    ap.add_argument("--quick", action="store_true", help=f"small generated corpus ({QUICK['witnesses']} × {QUICK['paragraphs']:,} paragraphs) instead of the large one ({LARGE['witnesses']} × {LARGE['paragraphs']:,})")
    ap.add_argument("--paragraphs", type=int, help="clean paragraphs of the generated corpus (overrides the size)")
    ap.add_argument("--docs", type=int, help="documents per witness of the generated corpus")
    ap.add_argument("--witnesses", type=int, help="witnesses of the generated corpus")
    ap.add_argument("--seed", type=int, default=2026, help="generator seed (default 2026)")
    ap.add_argument("--sample", type=Path, default=REPO / "data" / "sample", help="the seed transcripts")
    ap.add_argument("--realdata", type=Path, default=REPO.parent / "shared" / "realdata" / "icdar2019_pl1", help="OCR pages with ground truth")
    ap.add_argument("--collatex-timeout", type=float, default=120, help="seconds collatex may take (default 120)")
    ap.add_argument("--peer-timeout", type=float, default=3600, help="seconds any other run may take (default 3600)")
    ap.add_argument("--shingle-han", type=int, default=SHINGLE_HAN, help=f"datasketch shingle size for Han paragraphs, as recension (default {SHINGLE_HAN})")
    ap.add_argument("--shingle-latin", type=int, default=SHINGLE_LATIN, help=f"datasketch shingle size for other paragraphs, as recension (default {SHINGLE_LATIN})")
    ap.add_argument("--num-perm", type=int, default=NUM_PERM, help=f"datasketch MinHash permutations (default {NUM_PERM})")
    ap.add_argument("--no-report-row", dest="report_row", action="store_false", help="skip the row of recension's full report on the generated corpus")
    scale = ap.add_argument_group("scale section (recension alone: cluster, report and audit at several corpus sizes)")
    scale.add_argument("--scale", action="store_true", help="run the scale section only (no peers, no virtual environment)")
    scale.add_argument("--no-scale", action="store_true", help="skip the scale section")
    scale.add_argument(
        "--scale-sizes",
        type=parse_sizes,
        metavar="N,N,...",
        help=f"paragraphs per witness of each scale corpus, {SCALE_WITNESSES} witnesses, one document per {SCALE_PARAGRAPHS_PER_DOC} paragraphs "
        f"(default {','.join(map(str, SCALE_SIZES))}; with --quick {','.join(map(str, SCALE_QUICK_SIZES))})",
    )
    scale.add_argument(
        "--corpus-root",
        type=Path,
        metavar="DIR",
        help="reuse corpora generated beforehand at DIR/p{N}/corpus and DIR/p{N}/truth (N paragraphs per witness) when their "
        "truth/meta.json matches the size and seed; others are generated",
    )
    scale.add_argument("--scale-timeout", type=float, default=7200, metavar="SECONDS", help="seconds each scale run (and its scoring) may take (default 7200)")
    a = ap.parse_args(argv)
    if not Path("/usr/bin/time").exists():
        ap.error("GNU time is missing (/usr/bin/time); scripts/bench.sh installs it")
    if not a.bin.exists():
        ap.error(f"no recension binary at {a.bin}")
    if a.scale and a.no_scale:
        ap.error("--scale and --no-scale exclude each other")
    if a.scale_sizes is None:
        a.scale_sizes = list(SCALE_QUICK_SIZES if a.quick else SCALE_SIZES)
    a.work.mkdir(parents=True, exist_ok=True)
    work = a.work
    date = time.strftime("%Y-%m-%d")
    results: dict = {"date": date, "machine": machine(), "bin": str(a.bin)}
    md_parts: list[str] = []
    full_scores: list[str] = []

    if not a.scale:
        size = dict(QUICK if a.quick else LARGE)
        for k in ("paragraphs", "docs", "witnesses"):
            if getattr(a, k):
                size[k] = getattr(a, k)
        size["docs"] = min(size["docs"], size["paragraphs"])
        corpus_root, gen_seconds = generate(work, size, a.seed)
        rows = [row_clustering_generated(a, work, corpus_root, p) for p in MINHASH_PEERS]
        if a.report_row:
            rows.append(row_report_generated(a, work, corpus_root))
        rows += [
            row_clustering_seeds(a, work),
            row_collation(a, work),
            row_cer(a, work),
        ]
        header = f"Benchmark of {date} on {machine()}; recension {a.bin}; generated corpus {corpus_root.name}"
        if gen_seconds is not None:
            header += f" (generated in {gen_seconds:.0f} s)"
        md_parts.append(header + "\n\n" + table(rows))
        for r in rows:
            for tool, s in r.get("scores", {}).items():
                if s:
                    full_scores.append(f"{tool} on the generated corpus ({r['task']}), full score:\n{score.render(s)}")
        results["corpus"] = str(corpus_root)
        results["rows"] = [jsonable(r) for r in rows]

    if not a.no_scale:
        scale_rows = scale_section(a, work)
        sizes = ", ".join(f"{n:,}" for n in a.scale_sizes)
        header = (
            f"Scale benchmark of {date} on {machine()}; recension {a.bin}; generated corpora of {SCALE_WITNESSES} witnesses × "
            f"{sizes} paragraphs each (seed {a.seed}), the commands one after the other. Paragraphs in corpus = paragraph pieces over "
            f"all witnesses (truth/paragraphs.csv); json/csv bytes = *.json + *.jsonl against *.csv in the report directory; "
            f"accuracy from score.py"
        )
        md_parts.append(header + "\n\n" + scale_table(scale_rows))
        results["scale"] = [jsonable(r) for r in scale_rows]

    md = "\n\n".join(md_parts)
    print()
    print(md)
    for text in full_scores:
        print()
        print(text)
    (work / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    (work / "results.md").write_text(md + "\n", encoding="utf-8")
    print(f"\nbench: wrote {work / 'results.md'} and {work / 'results.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
