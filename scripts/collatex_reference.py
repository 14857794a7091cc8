#!/usr/bin/env python3
"""Word-level alignment tables from CollateX, as a reference for recension.

Collates multi-witness paragraphs with the Python port of CollateX
(``pip install collatex``; its near-matching module also needs
``pip install python-Levenshtein``) and writes CollateX's word-level
alignment table of each paragraph as JSON. The texts are the editions of
Darwin's *Origin of Species* that ship with CollateX, read from a CollateX
git repository (a bare mirror or a checkout):

* ``collatex-pythonport/use_cases/darwin_chapter1_para1.json`` (one paragraph,
  six editions),
* the six-witness paragraphs of
  ``collatex-core/src/test/java/eu/interedition/collatex/dekker/DarwinTest.java``,
* ``collatex-tools/src/main/resources/static/darwin.html``, whose
  ``var darwinChapters = [...]`` holds the paragraphs of a whole chapter.

Paragraphs whose texts duplicate an earlier one are dropped; paragraphs with
all six editions come first; at most ``--max-paragraphs`` are kept. Further
inputs can be given as JSON files in CollateX's input format
(``{"witnesses": [{"id": ..., "content": ...}]}``, or a list of such objects).

Usage::

    python3 scripts/collatex_reference.py \\
        --collatex-repo /work/.mirror/interedition+collatex/repo \\
        -o tests/fixtures/collatex/darwin.json

Each paragraph is collated with ``collate(collation, output="json",
segmentation=False)`` (CollateX's default tokenizer ``\\w+\\s*|\\W+``: words
and runs of punctuation, trailing whitespace kept in the token; exact,
case-sensitive matching; no near matching, no transposition detection).
Output::

    {"source": ..., "commit": ..., "collatex_version": ...,
     "paragraphs": [{"name": ..., "witnesses": [{"id": "1859", "text": ...}, ...],
                     "columns": [[token or null per witness], ...],
                     "spans": [[[start, end] or null per witness], ...]}],
     "skipped": [{"name": ..., "reason": ...}]}

``columns`` holds the token text exactly as CollateX gives it (its ``t``
field, trailing whitespace included); ``spans`` the token's place in the
witness text as Python string indices (code points), ``text[start:end] == t``.
A paragraph that takes longer than ``--timeout`` seconds is skipped and
listed under ``skipped``.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import re
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

SOURCE = "https://github.com/interedition/collatex"
COMMIT = "fc1917b5287c2354a1a8725608ad6ffe40fa1b90"
PARA1 = "collatex-pythonport/use_cases/darwin_chapter1_para1.json"
DARWIN_TEST = "collatex-core/src/test/java/eu/interedition/collatex/dekker/DarwinTest.java"
DARWIN_HTML = "collatex-tools/src/main/resources/static/darwin.html"
EDITIONS = ["1859", "1860", "1861", "1866", "1869", "1872"]


def git_show(repo: str, commit: str, path: str) -> str:
    out = subprocess.run(["git", "-C", repo, "show", f"{commit}:{path}"], check=True, capture_output=True)
    return out.stdout.decode("utf-8")


def java_unescape(s: str) -> str:
    def rep(m: re.Match) -> str:
        e = m.group(1)
        if e.startswith("u"):
            return chr(int(e[1:], 16))
        return {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}.get(e, e)
    return re.sub(r"\\(u[0-9a-fA-F]{4}|.)", rep, s)


def darwin_test_paragraphs(src: str) -> list[dict]:
    """Six-witness paragraphs of DarwinTest.java: the string literals of each test method."""
    paras = []
    methods = re.split(r"\n\s*@Test\s*\n", src)[1:]
    for body in methods:
        name = re.search(r"public\s+void\s+(\w+)\s*\(", body).group(1)
        code = re.sub(r"//[^\n]*", "", body)
        lits = [java_unescape(x) for x in re.findall(r'"((?:[^"\\\n]|\\.)*)"', code)]
        lits = [x for x in lits if len(x) > 40]
        if len(lits) == 6:
            paras.append({
                "name": f"DarwinTest.{name}",
                "source_file": DARWIN_TEST,
                "note": "witnesses A-F of the test, in edition order",
                "witnesses": [{"id": e, "text": t} for e, t in zip(EDITIONS, lits)],
            })
    return paras


def darwin_html_paragraphs(src: str) -> list[dict]:
    marker = "darwinChapters"
    i = src.index(marker)
    i = src.index("[", i)
    chapters, _ = json.JSONDecoder().raw_decode(src[i:])
    return [{
        "name": f"darwin.html#{k + 1}",
        "source_file": DARWIN_HTML,
        "witnesses": [{"id": w["id"], "text": w["content"]} for w in ch["witnesses"]],
    } for k, ch in enumerate(chapters)]


def json_paragraphs(data, name: str, source_file: str) -> list[dict]:
    items = data if isinstance(data, list) else [data]
    out = []
    for k, item in enumerate(items):
        out.append({
            "name": name if len(items) == 1 else f"{name}#{k + 1}",
            "source_file": source_file,
            "witnesses": [{"id": str(w["id"]), "text": w["content"]} for w in item["witnesses"]],
        })
    return out


def collate_paragraph(witnesses: list[dict]) -> dict:
    """CollateX's word-level table: columns of token texts (t) and spans in the witness texts."""
    from collatex import Collation, collate

    collation = Collation()
    for w in witnesses:
        collation.add_plain_witness(w["id"], w["text"])
    table = json.loads(collate(collation, output="json", segmentation=False))
    rows = table["table"]
    assert table["witnesses"] == [w["id"] for w in witnesses]
    ncols = len(rows[0])
    # spans: walk each witness's tokens in token order through its text
    span_of: list[dict] = []
    for w, row in zip(witnesses, rows):
        toks = sorted((t for cell in row if cell for t in cell), key=lambda t: t["_token_array_position"])
        text, cursor, spans = w["text"], 0, {}
        for t in toks:
            pos = text.find(t["t"], cursor)
            if pos < 0:
                spans[t["_token_array_position"]] = None
                continue
            if text[cursor:pos].strip():
                raise ValueError(f"token {t['t']!r} of {w['id']} not contiguous at {cursor}")
            spans[t["_token_array_position"]] = [pos, pos + len(t["t"])]
            cursor = pos + len(t["t"])
        if text[cursor:].strip():
            raise ValueError(f"text of {w['id']} not covered by its tokens after {cursor}")
        span_of.append(spans)
    columns, spans = [], []
    for c in range(ncols):
        col, sp = [], []
        for wi, row in enumerate(rows):
            cell = row[c]
            if not cell:
                col.append(None)
                sp.append(None)
                continue
            # segmentation=False gives one token per cell; join defensively if not
            col.append("".join(t["t"] for t in cell))
            s = [span_of[wi][t["_token_array_position"]] for t in cell]
            sp.append(None if None in s else [s[0][0], s[-1][1]])
        columns.append(col)
        spans.append(sp)
    return {"columns": columns, "spans": spans}


def _worker(witnesses, queue):
    try:
        queue.put(("ok", collate_paragraph(witnesses)))
    except Exception as e:  # reported to the parent
        queue.put(("error", f"{type(e).__name__}: {e}"))


def collate_with_timeout(witnesses: list[dict], timeout: float):
    queue = mp.Queue()
    proc = mp.Process(target=_worker, args=(witnesses, queue))
    proc.start()
    t0 = time.monotonic()
    try:
        status, result = queue.get(timeout=timeout)
    except Exception:
        proc.terminate()
        proc.join()
        return "timeout", f"collation took longer than {timeout:g} s", time.monotonic() - t0
    proc.join()
    return status, result, time.monotonic() - t0


def dump(doc: dict, path: Path) -> None:
    """JSON with one table column per line (readable diffs, moderate size)."""
    def c(x):
        return json.dumps(x, ensure_ascii=False, separators=(",", ":"))
    lines = ["{"]
    for key in ("source", "commit", "collatex_version", "collate_options", "tokenizer", "selection"):
        lines.append(f" {c(key)}:{c(doc[key])},")
    lines.append(' "paragraphs":[')
    for pi, p in enumerate(doc["paragraphs"]):
        lines.append("  {")
        for key in ("name", "source_file", "note"):
            if key in p:
                lines.append(f"   {c(key)}:{c(p[key])},")
        lines.append('   "witnesses":[')
        lines.append(",\n".join("    " + c(w) for w in p["witnesses"]))
        lines.append("   ],")
        for key in ("columns", "spans"):
            lines.append(f'   "{key}":[')
            lines.append(",\n".join("    " + c(col) for col in p[key]))
            lines.append("   ]" + ("," if key == "columns" else ""))
        lines.append("  }" + ("," if pi + 1 < len(doc["paragraphs"]) else ""))
    lines.append(" ],")
    lines.append(f' "skipped":{c(doc["skipped"])}')
    lines.append("}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="*", type=Path, help="extra JSON files in CollateX input format")
    ap.add_argument("--collatex-repo", help="CollateX git repository (bare or checkout) to read the Darwin texts from")
    ap.add_argument("--commit", default=COMMIT, help="commit of --collatex-repo (default: %(default)s)")
    ap.add_argument("--max-paragraphs", type=int, default=40)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per paragraph before it is skipped")
    ap.add_argument("-o", "--output", type=Path, required=True)
    args = ap.parse_args()

    candidates: list[dict] = []
    if args.collatex_repo:
        r, cm = args.collatex_repo, args.commit
        candidates += json_paragraphs(json.loads(git_show(r, cm, PARA1)), "darwin_chapter1_para1.json", PARA1)
        candidates += darwin_test_paragraphs(git_show(r, cm, DARWIN_TEST))
        candidates += darwin_html_paragraphs(git_show(r, cm, DARWIN_HTML))
    for path in args.inputs:
        candidates += json_paragraphs(json.loads(path.read_text(encoding="utf-8")), path.name, str(path))
    if not candidates:
        ap.error("nothing to collate: give --collatex-repo and/or input files")

    # drop duplicates (same ids and texts), six-witness paragraphs first, keep the input order otherwise
    seen: dict[str, str] = {}
    unique = []
    for p in candidates:
        key = json.dumps(p["witnesses"], ensure_ascii=False)
        if key in seen:
            first = next(q for q in unique if q["name"] == seen[key])
            first["note"] = (first.get("note", "") + "; " if first.get("note") else "") + f"same texts as {p['name']}"
            continue
        seen[key] = p["name"]
        unique.append(p)
    unique.sort(key=lambda p: len(p["witnesses"]) < 6)
    chosen = unique[: args.max_paragraphs]

    paragraphs, skipped = [], []
    for p in chosen:
        status, result, secs = collate_with_timeout(p["witnesses"], args.timeout)
        print(f"{p['name']}: {status} ({secs:.1f} s)", file=sys.stderr)
        if status != "ok":
            skipped.append({"name": p["name"], "reason": result})
            continue
        paragraphs.append({**p, **result})

    doc = {
        "source": SOURCE,
        "commit": args.commit if args.collatex_repo else None,
        "collatex_version": metadata.version("collatex"),
        "collate_options": {"output": "json", "segmentation": False, "near_match": False,
                            "detect_transpositions": False},
        "tokenizer": "CollateX Python default: re.findall(r'\\w+\\s*|\\W+', text); tokens keep trailing whitespace; "
                     "matching on the token without trailing whitespace, case-sensitive",
        "selection": f"{len(chosen)} of {len(unique)} distinct paragraphs (six-witness first, input order), "
                     f"max {args.max_paragraphs}; timeout {args.timeout:g} s",
        "paragraphs": paragraphs,
        "skipped": skipped,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    dump(doc, args.output)
    print(f"wrote {args.output}: {len(paragraphs)} paragraphs, {len(skipped)} skipped", file=sys.stderr)


if __name__ == "__main__":
    main()
