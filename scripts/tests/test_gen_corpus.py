"""Tests of scripts/gen_corpus.py: determinism, and truth that points at the written text."""

from __future__ import annotations

import filecmp
import json
import shutil
import tempfile
import unittest
from collections import Counter, defaultdict
from pathlib import Path

import support
from support import score

STRUCTURAL = ("hyphenation", "page_break", "missing", "reorder")


def tree(root: Path) -> list[str]:
    """Relative paths of all files under `root`, sorted."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


class GeneratorTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="gen-test-"))
        cls.out = support.generate(cls.tmp / "a")
        cls.truth = cls.out / "truth"
        cls.errors = support.read_csv(cls.truth / "errors.csv")
        cls.paragraphs = support.read_csv(cls.truth / "paragraphs.csv")
        cls.clean = {}
        with open(cls.truth / "clean.jsonl", encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                cls.clean[rec["para_id"]] = rec
        cls.files: dict[str, list[str]] = {}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def lines(self, rel: str) -> list[str]:
        if rel not in self.files:
            self.files[rel] = (self.out / "corpus" / rel).read_text(encoding="utf-8").split("\n")
        return self.files[rel]

    def test_same_seed_gives_identical_output(self):
        again = support.generate(self.tmp / "b")
        names = tree(self.out)
        self.assertEqual(names, tree(again))
        match, mismatch, errors = filecmp.cmpfiles(self.out, again, names, shallow=False)
        self.assertEqual((mismatch, errors), ([], []))

    def test_other_seed_gives_other_output(self):
        other = support.generate(self.tmp / "c", "--seed", "12")
        a = (self.out / "truth" / "clean.jsonl").read_bytes()
        self.assertNotEqual(a, (other / "truth" / "clean.jsonl").read_bytes())

    def test_every_noise_kind_occurs(self):
        kinds = Counter(e["kind"] for e in self.errors)
        for kind in (*score.VARIANT_KINDS, "formal", *STRUCTURAL):
            self.assertGreater(kinds[kind], 0, kind)

    def test_error_positions_point_at_the_noisy_text(self):
        checked = 0
        for e in self.errors:
            if e["kind"] in ("missing", "page_break", "reorder"):
                continue
            line = self.lines(e["file"])[int(e["line"]) - 1]
            col = int(e["column"]) - 1
            if e["noisy"]:
                self.assertEqual(line[col : col + len(e["noisy"])], e["noisy"], e)
            if e["kind"] == "hyphenation":
                self.assertEqual(col, len(line) - 1, e)  # the hyphen ends its line
                continue
            text = self.clean[e["para_id"]]["text"]
            off = int(e["clean_offset"])
            self.assertEqual(text[off : off + len(e["clean"])], e["clean"], e)
            if not e["noisy"]:
                # A deletion points at the character after the deleted text
                # (which may itself be written half-width).
                self.assertEqual(score.normalize(line[col]), score.normalize(text[off + len(e["clean"])]), e)
            checked += 1
        self.assertGreater(checked, 200)

    def test_variants_survive_normalization_and_formal_changes_do_not(self):
        for e in self.errors:
            if e["kind"] in STRUCTURAL:
                continue
            text = self.clean[e["para_id"]]["text"]
            off = int(e["clean_offset"])
            changed = text[:off] + e["noisy"] + text[off + len(e["clean"]) :]
            same = score.normalize(changed) == score.normalize(text)
            self.assertEqual(same, e["kind"] == "formal", e)

    def test_paragraph_lines_are_blocks_between_blank_lines(self):
        for p in self.paragraphs:
            lines = self.lines(p["file"])
            lo, hi = int(p["line_start"]), int(p["line_end"])
            self.assertTrue(all(lines[i - 1].strip() for i in range(lo, hi + 1)), p)
            self.assertTrue(lo == 1 or not lines[lo - 2].strip(), p)
            self.assertTrue(hi == len(lines) or not lines[hi].strip(), p)

    def test_copies_without_layout_changes_read_like_the_clean_text(self):
        # An unwrapped, unbroken copy is the clean text with its edits applied.
        edits = defaultdict(list)
        for e in self.errors:
            if e["kind"] not in STRUCTURAL:
                edits[(e["witness"], e["para_id"])].append(e)
        wrapped = {r["file"] for r in support.read_csv(self.truth / "files.csv") if r["wrapped"] == "1"}
        checked = 0
        for p in self.paragraphs:
            if p["pieces"] != "1" or p["file"] in wrapped:
                continue
            text = self.clean[p["para_id"]]["text"]
            for e in sorted(edits[(p["witness"], p["para_id"])], key=lambda e: -int(e["clean_offset"])):
                off = int(e["clean_offset"])
                text = text[:off] + e["noisy"] + text[off + len(e["clean"]) :]
            self.assertEqual(self.lines(p["file"])[int(p["line_start"]) - 1], text, p)
            checked += 1
        self.assertGreater(checked, 300)

    def test_no_two_witnesses_change_the_same_place(self):
        spans = defaultdict(list)
        for e in self.errors:
            if e["kind"] in score.VARIANT_KINDS:
                off = int(e["clean_offset"])
                spans[e["para_id"]].append((off, off + max(len(e["clean"]), 1), e["witness"]))
        for pid, ss in spans.items():
            for i, (a0, a1, wa) in enumerate(ss):
                for b0, b1, wb in ss[i + 1 :]:
                    self.assertFalse(a0 < b1 and b0 < a1, (pid, wa, wb, a0, b0))

    def test_witness_ranks_follow_noise(self):
        ws = support.read_csv(self.truth / "witnesses.csv")
        self.assertEqual(sorted(int(w["true_rank"]) for w in ws), [1, 2, 3, 4])
        by_rank = sorted(ws, key=lambda w: int(w["true_rank"]))
        rates = [float(w["noise_rate"]) for w in by_rank]
        observed = [float(w["observed_rate"]) for w in by_rank]
        self.assertEqual(rates, sorted(rates))
        self.assertEqual(observed, sorted(observed))

    def test_clean_paragraphs_are_distinct_and_both_scripts(self):
        texts = [r["text"] for r in self.clean.values()]
        self.assertEqual(len(texts), len(set(texts)))
        scripts = Counter(r["script"] for r in self.clean.values())
        self.assertGreater(scripts["han"], 20)
        self.assertGreater(scripts["latin"], 20)

    def test_paragraph_ids_have_one_copy_per_witness(self):
        copies = Counter((p["witness"], p["para_id"]) for p in self.paragraphs if p["piece"] == "1")
        self.assertEqual(set(copies.values()), {1})
        missing = {(e["witness"], e["para_id"]) for e in self.errors if e["kind"] == "missing"}
        witnesses = {p["witness"] for p in self.paragraphs}
        for pid in self.clean:
            for w in witnesses:
                self.assertTrue(((w, pid) in copies) != ((w, pid) in missing), (w, pid))


if __name__ == "__main__":
    unittest.main()
