#!/usr/bin/env python3
"""Scores `recension clean` against a generated corpus's clean text.

For every witness, the character error rate of its input files and of its
cleaned copies against the text the generator started from (truth/
clean.jsonl, one document per file, paragraphs one blank line apart), as
`recension diff --format json` measures it over all files.

    python3 scripts/score_clean.py --corpus DIR/corpus --truth DIR/truth \
        --cleaned OUT [--binary target/release/recension]
"""
from __future__ import annotations

import argparse
import collections
import json
import subprocess
import tempfile
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--truth", type=Path, required=True)
    ap.add_argument("--cleaned", type=Path, required=True)
    ap.add_argument("--binary", default="target/release/recension")
    args = ap.parse_args()
    docs: dict[str, list[str]] = collections.defaultdict(list)
    with open(args.truth / "clean.jsonl", encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            docs[p["doc"]].append(p["text"])
    with tempfile.TemporaryDirectory() as tmp:
        truth = Path(tmp)
        for doc, paras in docs.items():
            (truth / f"{doc}.txt").write_text("\n\n".join(paras) + "\n", encoding="utf-8")
        print(f"{'witness':<8} {'input CER':>10} {'cleaned CER':>12}")
        for w in sorted(p.name for p in args.corpus.iterdir() if p.is_dir()):
            row = [w]
            for side in (args.corpus / w, args.cleaned / w):
                out = subprocess.run(
                    [args.binary, "diff", "--format", "json", str(truth), str(side)],
                    capture_output=True,
                    text=True,
                )
                total = json.loads(out.stdout)["total"]
                row.append(f"{total['cer']:.6f}")
            print(f"{row[0]:<8} {row[1]:>10} {row[2]:>12}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
