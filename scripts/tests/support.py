"""Shared helpers for the harness tests: a small generated corpus and a perfect report."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent.parent
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

import score  # noqa: E402  (needs the path above)

# Small enough for seconds, large enough that every noise kind and layout
# change occurs (checked by test_gen_corpus).
SMALL = ["--witnesses", "4", "--docs", "4", "--paragraphs", "160", "--seed", "11", "--page-break-rate", "0.1"]

VARIANT_COLUMNS = [
    "variant_id", "cluster_id", "witness", "file", "line", "column", "category", "consensus", "reading",
    "support", "witnesses", "context_before", "context_after",
]
CLUSTER_COLUMNS = ["cluster_id", "witness", "file", "line_start", "line_end", "role", "similarity", "chars", "preview"]
WITNESS_COLUMNS = ["witness", "files", "paragraphs", "clustered", "compared_chars", "deviations", "minority", "ties", "cer", "rank"]


def generate(out: Path, *extra: str) -> Path:
    """Run gen_corpus.py with the SMALL settings (plus `extra`) into `out`."""
    subprocess.run([sys.executable, str(SCRIPTS / "gen_corpus.py"), "--out", str(out), *SMALL, *extra], check=True)
    return out


def read_csv(path: Path) -> list[dict]:
    """All rows of a CSV file as dicts."""
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    """Write `rows` with `columns` in order (missing values empty)."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in columns})


def build_perfect(truth: Path, report: Path, corpus_prefix: str = "/data/c/corpus") -> dict:
    """Write the report a perfect tool would give, built from the truth.

    clusters.csv groups paragraph copies by id (a page-broken copy is one
    member spanning both pieces), variants.csv has one row per injected
    variant at its place, witnesses.csv the true ranks, apparatus.jsonl the clean
    text as consensus. File paths carry `corpus_prefix`, as recension prints
    paths reached from its argument. Returns the pieces of data the tests
    damage: {"clusters": {para_id: [rows]}, "variants": [rows], ...}.
    """
    report.mkdir(parents=True, exist_ok=True)
    copies: dict[str, dict[str, list]] = defaultdict(dict)  # para_id -> witness -> [file, lo, hi]
    for r in read_csv(truth / "paragraphs.csv"):
        c = copies[r["para_id"]].setdefault(r["witness"], [r["file"], int(r["line_start"]), int(r["line_end"])])
        c[1], c[2] = min(c[1], int(r["line_start"])), max(c[2], int(r["line_end"]))
    clean = {}
    with open(truth / "clean.jsonl", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            clean[rec["para_id"]] = rec["text"]
    clusters: dict[str, list[dict]] = {}
    json_clusters = []
    for n, pid in enumerate(sorted(p for p in copies if len(copies[p]) >= 2)):
        cid = f"c{n:06d}"
        rows = [
            {"cluster_id": cid, "witness": w, "file": f"{corpus_prefix}/{f}", "line_start": lo, "line_end": hi, "role": "witness"}
            for w, (f, lo, hi) in sorted(copies[pid].items())
        ]
        clusters[pid] = rows
        json_clusters.append(
            {
                "id": cid,
                "consensus": score.normalize(clean[pid]),
                "members": [{k: r[k] for k in ("witness", "file", "line_start", "line_end", "role")} for r in rows],
                "para_id": pid,
            }
        )
    variants = []
    for e in read_csv(truth / "errors.csv"):
        if e["kind"] not in score.VARIANT_KINDS:
            continue
        variants.append(
            {
                "variant_id": len(variants) + 1,
                "witness": e["witness"],
                "file": f"{corpus_prefix}/{e['file']}",
                "line": e["line"],
                "column": e["column"],
                "category": score.EXPECTED_CATEGORY[e["kind"]],
                "consensus": e["clean"],
                "reading": e["noisy"],
            }
        )
    witnesses = [{"witness": r["witness"], "rank": r["true_rank"]} for r in read_csv(truth / "witnesses.csv")]
    data = {"clusters": clusters, "variants": variants, "witnesses": witnesses, "json": json_clusters}
    write_report(report, data)
    return data


def write_report(report: Path, data: dict) -> None:
    """Write the report files from the structure `build_perfect` returns: the
    three CSV files, and the consensus of each cluster as recension writes it
    (apparatus.jsonl, its members' files listed in report.json)."""
    write_csv(report / "clusters.csv", CLUSTER_COLUMNS, [r for rows in data["clusters"].values() for r in rows])
    write_csv(report / "variants.csv", VARIANT_COLUMNS, data["variants"])
    write_csv(report / "witnesses.csv", WITNESS_COLUMNS, data["witnesses"])
    documents: dict[tuple[str, str], int] = {}
    lines = []
    for c in data["json"]:
        members = []
        for m in c["members"]:
            doc = documents.setdefault((m["witness"], m["file"]), len(documents))
            members.append({"doc": doc, "lines": [m["line_start"], m["line_end"]], "role": m["role"]})
        lines.append(json.dumps({"version": 1, "cluster": c["id"], "members": members, "text": c["consensus"], "sites": []}, ensure_ascii=False))
    docs = [{"witness": w, "file": f} for (w, f) in sorted(documents, key=documents.get)]
    (report / "report.json").write_text(json.dumps({"version": 2, "documents": docs}, ensure_ascii=False), encoding="utf-8")
    (report / "apparatus.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
