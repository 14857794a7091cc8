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
2. recension's whole ``report`` on the generated corpus, alone (no peer: it
   adds alignment, classification and consensus), so the cost of the full
   pipeline shows next to the clustering row (``--no-report-row`` skips it);
3. character-level collation of the three versions of the Wang Yi transcript
   (seeds 001, 002, 004), against the collatex package, with a time limit
   (recension runs ``report``);
4. two-witness character error rate on real OCR with ground truth
   (``icdar2019_pl1``), against dinglehopper's command line, page by page
   (recension runs ``report``).

A recension feature that is not available yet (exit status 2 with an
"unrecognized subcommand" or similar message) shows as ``n/a``.

Everything is written under ``--work`` (default ``target/bench``): the
generated corpus (reused when its arguments are unchanged), every tool's
output, ``results.json`` and ``results.md`` (the table).
"""

from __future__ import annotations

import argparse
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


def timed(cmd: list[str], work: Path, name: str, timeout: float | None = None, memory_cap: int | None = None) -> Run:
    """Run `cmd` under ``/usr/bin/time -v`` (and ``timeout``), keeping its output in `work`."""
    stats = work / f"{name}.time"
    full = ["/usr/bin/time", "-v", "-o", str(stats)]
    if timeout:
        full += ["timeout", "--kill-after=10", str(int(timeout))]
    full += [str(c) for c in cmd]

    def limit():  # runs in the child before exec
        if memory_cap:
            resource.setrlimit(resource.RLIMIT_AS, (memory_cap, memory_cap))

    shown = " ".join(str(c) for c in cmd)
    print(f"bench: {name}: {shown if len(shown) < 300 else shown[:300] + ' …'}", file=sys.stderr, flush=True)
    p = subprocess.run(full, capture_output=True, text=True, preexec_fn=limit if memory_cap else None)
    (work / f"{name}.out").write_text(p.stdout, encoding="utf-8")
    (work / f"{name}.err").write_text(p.stderr, encoding="utf-8")
    run = Run(cmd=[str(c) for c in cmd], status=p.returncode, stdout=p.stdout, stderr=p.stderr)
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


def minhash_cmd(a, corpus: Path, out: Path) -> list[str]:
    """The datasketch peer on `corpus`, with recension's shingles."""
    return peer_cmd(
        a, "minhash", corpus, "-o", out, "--shingle-han", a.shingle_han, "--shingle-latin", a.shingle_latin, "--num-perm", a.num_perm
    )


def row_clustering_generated(a, work: Path, corpus_root: Path) -> dict:
    corpus, truth = corpus_root / "corpus", corpus_root / "truth"
    rec_out, ds_out = fresh(work / "recension-gen"), fresh(work / "datasketch-gen")
    rec = timed([a.bin, "cluster", corpus, "-o", rec_out, "--quiet"], work, "recension-gen", a.peer_timeout)
    peer = timed(minhash_cmd(a, corpus, ds_out), work, "datasketch-gen", a.peer_timeout)
    rec_score = score.score(truth, rec_out) if rec.ok else None
    peer_score = score.score(truth, ds_out) if peer.ok else None
    return {
        "task": "clustering vs datasketch MinHashLSH (recension cluster)",
        "data": generated_data(truth),
        "recension": rec,
        "peer": peer,
        "acc_recension": f1_cell(rec_score, rec),
        "acc_peer": f1_cell(peer_score, peer),
        "scores": {"recension": rec_score, "datasketch": peer_score},
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
    return {
        "task": task,
        "data": f"icdar2019_pl1, {len(pages)} OCR pages (plain Levenshtein CER {reference:.4f})",
        "recension": rec,
        "peer": peer,
        "acc_recension": f"CER {rec_cer:.4f}" if rec_cer is not None else run_state(rec) or "n/a",
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
    a = ap.parse_args(argv)
    if not Path("/usr/bin/time").exists():
        ap.error("GNU time is missing (/usr/bin/time); scripts/bench.sh installs it")
    if not a.bin.exists():
        ap.error(f"no recension binary at {a.bin}")
    size = dict(QUICK if a.quick else LARGE)
    for k in ("paragraphs", "docs", "witnesses"):
        if getattr(a, k):
            size[k] = getattr(a, k)
    size["docs"] = min(size["docs"], size["paragraphs"])
    a.work.mkdir(parents=True, exist_ok=True)
    work = a.work
    corpus_root, gen_seconds = generate(work, size, a.seed)
    rows = [row_clustering_generated(a, work, corpus_root)]
    if a.report_row:
        rows.append(row_report_generated(a, work, corpus_root))
    rows += [
        row_clustering_seeds(a, work),
        row_collation(a, work),
        row_cer(a, work),
    ]
    md = table(rows)
    date = time.strftime("%Y-%m-%d")
    header = f"Benchmark of {date} on {machine()}; recension {a.bin}; generated corpus {corpus_root.name}"
    if gen_seconds is not None:
        header += f" (generated in {gen_seconds:.0f} s)"
    print()
    print(header)
    print()
    print(md)
    for r in rows:
        for tool, s in r.get("scores", {}).items():
            if s:
                print()
                print(f"{tool} on the generated corpus ({r['task']}), full score:")
                print(score.render(s))
    results = {
        "date": date,
        "machine": machine(),
        "corpus": str(corpus_root),
        "rows": [
            {k: (asdict(v) | {"stdout": v.stdout[-2000:], "stderr": v.stderr[-2000:]} if isinstance(v, Run) else v) for k, v in r.items()}
            for r in rows
        ],
    }
    (work / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    (work / "results.md").write_text(header + "\n\n" + md + "\n", encoding="utf-8")
    print(f"\nbench: wrote {work / 'results.md'} and {work / 'results.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
