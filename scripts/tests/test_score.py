"""Tests of scripts/score.py: a perfect answer scores 1.0, damaged answers score what we compute by hand."""

from __future__ import annotations

import copy
import io
import json
import math
import random
import shutil
import tempfile
import unittest
from contextlib import redirect_stdout
from pathlib import Path

import support
from support import score


def dp_levenshtein(a: str, b: str) -> int:
    """Textbook dynamic-programming edit distance, the reference for the fast one."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


class TextTests(unittest.TestCase):
    def test_levenshtein_matches_dynamic_programming(self):
        rng = random.Random(5)
        for _ in range(300):
            a = "".join(rng.choice("ab中文c") for _ in range(rng.randint(0, 90)))
            b = "".join(rng.choice("ab中文c") for _ in range(rng.randint(0, 90)))
            self.assertEqual(score.levenshtein(a, b), dp_levenshtein(a, b), (a, b))

    def test_levenshtein_long_strings(self):
        a = "x" * 200 + "abc" * 100
        b = "x" * 199 + "abd" * 100
        self.assertEqual(score.levenshtein(a, b), dp_levenshtein(a, b))

    def test_normalize_folds_formal_differences(self):
        self.assertEqual(score.normalize("中国，美国：“好”"), score.normalize('中国,美国:"好"'))
        self.assertEqual(score.normalize("A  B\nC—d"), "a b c-d")
        self.assertEqual(score.normalize("中 国"), "中国")
        self.assertEqual(score.normalize("中 a"), "中 a")

    def test_normalize_keeps_real_differences(self):
        self.assertNotEqual(score.normalize("己"), score.normalize("已"))
        self.assertNotEqual(score.normalize("modern"), score.normalize("rnodern"))
        self.assertNotEqual(score.normalize("，"), score.normalize("、"))

    def test_rel_file_takes_witness_and_document(self):
        self.assertEqual(score.rel_file("/tmp/c/corpus/w2/doc00007.txt"), "w2/doc00007.txt")
        self.assertEqual(score.rel_file("corpus\\w2\\doc00007.txt"), "w2/doc00007.txt")
        self.assertEqual(score.rel_file("./w2/doc00007.txt"), "w2/doc00007.txt")

    def test_kendall_tau(self):
        self.assertEqual(score.kendall_tau_b([1, 2, 3, 4], [1, 2, 3, 4]), 1.0)
        self.assertEqual(score.kendall_tau_b([1, 2, 3, 4], [4, 3, 2, 1]), -1.0)
        self.assertAlmostEqual(score.kendall_tau_b([1, 2, 3, 4], [2, 1, 3, 4]), 4 / 6)
        self.assertIsNone(score.kendall_tau_b([1, 2], [1, 1]))


class ScoreTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="score-test-"))
        support.generate(cls.tmp / "gen")
        cls.truth = cls.tmp / "gen" / "truth"
        cls.perfect = support.build_perfect(cls.truth, cls.tmp / "perfect")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def damaged(self, name: str, change) -> dict:
        """Score a copy of the perfect report after `change(data)`."""
        data = copy.deepcopy(self.perfect)
        change(data)
        out = self.tmp / name
        out.mkdir()
        support.write_report(out, data)
        return score.score(self.truth, out)

    def test_perfect_report_scores_one_everywhere(self):
        s = score.score(self.truth, self.tmp / "perfect")
        for section, key in [
            ("clustering", "precision"),
            ("clustering", "recall"),
            ("clustering", "f1"),
            ("variants", "recall"),
            ("variants", "precision"),
            ("variants", "category_agreement"),
            ("ranking", "kendall_tau"),
            ("consensus", "accuracy"),
        ]:
            self.assertEqual(s[section][key], 1.0, (section, key))
        self.assertTrue(s["ranking"]["exact"])
        self.assertGreater(s["variants"]["injected"], 100)
        self.assertGreater(s["clustering"]["pairs_true"], 500)
        self.assertGreater(s["formal"]["truth"], 0)
        for kind, d in s["variants"]["by_kind"].items():
            self.assertEqual(d["recall"], 1.0, kind)

    def test_perfect_report_prints_one_everywhere(self):
        buf = io.StringIO()
        with redirect_stdout(buf):
            score.main(["--truth", str(self.truth), "--report", str(self.tmp / "perfect")])
        text = buf.getvalue()
        self.assertIn("F1 1.0000", text)
        self.assertIn("kendall tau 1.0000  exact order yes", text)
        self.assertIn("character accuracy 1.0000", text)
        buf = io.StringIO()
        with redirect_stdout(buf):
            score.main(["--truth", str(self.truth), "--report", str(self.tmp / "perfect"), "--json"])
        self.assertEqual(json.loads(buf.getvalue())["clustering"]["f1"], 1.0)

    def test_half_the_variant_rows_dropped(self):
        n = len(self.perfect["variants"])
        s = self.damaged("half", lambda d: d.update(variants=d["variants"][::2]))
        self.assertEqual(s["variants"]["recall"], math.ceil(n / 2) / n)
        self.assertEqual(s["variants"]["precision"], 1.0)
        self.assertEqual(s["clustering"]["f1"], 1.0)

    def test_spurious_rows_lower_precision_only(self):
        n = len(self.perfect["variants"])
        first = self.perfect["variants"][0]

        def add(d):
            for k in range(10):
                d["variants"].append(dict(first, line=1, column=100000 + k, category="substitution"))
            # A row in a file the truth does not know.
            d["variants"].append(dict(first, file="/elsewhere/w9/doc.txt"))

        s = self.damaged("spurious", add)
        self.assertEqual(s["variants"]["precision"], n / (n + 11))
        self.assertEqual(s["variants"]["recall"], 1.0)

    def test_formal_and_hyphenation_rows_are_not_counted(self):
        first = self.perfect["variants"][0]

        def add(d):
            d["variants"].append(dict(first, line=1, column=100000, category="formal"))
            d["variants"].append(dict(first, line=1, column=100001, category="hyphenation"))

        s = self.damaged("formal", add)
        self.assertEqual(s["variants"]["precision"], 1.0)
        self.assertEqual((s["variants"]["rows_formal"], s["variants"]["rows_hyphenation"]), (1, 1))

    def test_variant_rows_within_tolerance_match(self):
        def shift(d):
            for i, r in enumerate(d["variants"]):
                r["column"] = int(r["column"]) + (2 if i % 2 else -2)

        self.assertEqual(self.damaged("shift2", shift)["variants"]["recall"], 1.0)

        def far(d):
            d["variants"][0]["column"] = int(d["variants"][0]["column"]) + 40

        n = len(self.perfect["variants"])
        s = self.damaged("shift40", far)
        self.assertEqual(s["variants"]["matched"], n - 1)

    def test_duplicate_rows_match_once(self):
        n = len(self.perfect["variants"])
        s = self.damaged("dup", lambda d: d["variants"].append(dict(d["variants"][0])))
        self.assertEqual(s["variants"]["recall"], 1.0)
        self.assertEqual(s["variants"]["precision"], n / (n + 1))

    def test_two_clusters_merged(self):
        clusters = self.perfect["clusters"]
        a, b = sorted(clusters)[:2]
        na, nb = len(clusters[a]), len(clusters[b])
        true_pairs = sum(len(rows) * (len(rows) - 1) // 2 for rows in clusters.values())

        def merge(d):
            cid = d["clusters"][a][0]["cluster_id"]
            for r in d["clusters"][b]:
                r["cluster_id"] = cid

        s = self.damaged("merged", merge)["clustering"]
        self.assertEqual(s["pairs_true"], true_pairs)
        self.assertEqual(s["precision"], true_pairs / (true_pairs + na * nb))
        self.assertEqual(s["recall"], 1.0)

    def test_cluster_split_and_member_dropped(self):
        clusters = self.perfect["clusters"]
        pid = next(p for p in sorted(clusters) if len(clusters[p]) == 4)
        true_pairs = sum(len(rows) * (len(rows) - 1) // 2 for rows in clusters.values())

        def split(d):
            for r in d["clusters"][pid][2:]:
                r["cluster_id"] = "split"

        # 6 true pairs of that paragraph become 1 + 1.
        s = self.damaged("split", split)["clustering"]
        self.assertEqual(s["recall"], (true_pairs - 4) / true_pairs)
        self.assertEqual(s["precision"], 1.0)

    def test_page_number_member_is_a_false_pair(self):
        errs = support.read_csv(self.truth / "errors.csv")
        brk = next(e for e in errs if e["kind"] == "page_break" and e["noisy"])
        pid = brk["para_id"]
        rows = self.perfect["clusters"][pid]
        n = len(rows)
        true_pairs = sum(len(r) * (len(r) - 1) // 2 for r in self.perfect["clusters"].values())
        # The page-number line: the last line before the continuation that reads it.
        lines = (self.truth.parent / "corpus" / brk["file"]).read_text(encoding="utf-8").split("\n")
        line = max(i + 1 for i in range(int(brk["line"]) - 1) if lines[i] == brk["noisy"])

        def add(d):
            d["clusters"][pid].append(dict(rows[0], witness=brk["witness"], file="/x/" + brk["file"], line_start=line, line_end=line))

        s = self.damaged("junk", add)["clustering"]
        self.assertEqual(s["unmapped_members"], 1)
        self.assertEqual(s["precision"], true_pairs / (true_pairs + n))

    def test_two_ranks_swapped(self):
        def swap(d):
            by_rank = {int(w["rank"]): w for w in d["witnesses"]}
            by_rank[1]["rank"], by_rank[2]["rank"] = 2, 1

        s = self.damaged("swapped", swap)["ranking"]
        self.assertAlmostEqual(s["kendall_tau"], 4 / 6)  # one discordant pair of six
        self.assertFalse(s["exact"])

    def test_corrupted_consensus(self):
        total = sum(len(c["consensus"].replace(" ", "")) for c in self.perfect["json"])

        def corrupt(d):
            c = d["json"][0]
            c["consensus"] = "#####" + c["consensus"][5:]
            # A second cluster loses its consensus entirely.
            d["json"][1]["consensus"] = ""

        s = self.damaged("consensus", corrupt)["consensus"]
        # Five '#' cost five edits whatever the first five characters were.
        lost = 5 + len(self.perfect["json"][1]["consensus"].replace(" ", ""))
        self.assertEqual(s["accuracy"], (total - lost) / total)

    def split_copies(self) -> dict[tuple[str, str], list[dict]]:
        """(witness, para_id) -> its piece rows, for copies split by a page break."""
        out: dict[tuple[str, str], list[dict]] = {}
        for r in support.read_csv(self.truth / "paragraphs.csv"):
            if r["pieces"] == "2":
                out.setdefault((r["witness"], r["para_id"]), []).append(r)
        return out

    def test_perfect_report_attaches_every_fragment(self):
        splits = self.split_copies()
        self.assertGreater(len(splits), 5)
        s = score.score(self.truth, self.tmp / "perfect")["clustering"]
        # build_perfect writes each split copy as one member spanning both pieces.
        self.assertEqual(s["fragments"], {"attached": len(splits), "total": len(splits), "share": 1.0})

    def test_pieces_as_separate_members_stay_attached(self):
        splits = self.split_copies()

        def separate(d):
            for (w, pid), pieces in splits.items():
                rows = d["clusters"][pid]
                joined = next(r for r in rows if r["witness"] == w)
                rows.remove(joined)
                for k, piece in enumerate(sorted(pieces, key=lambda r: int(r["piece"]))):
                    rows.append(dict(joined, line_start=piece["line_start"], line_end=piece["line_end"], role="witness" if k == 0 else "fragment"))

        s = self.damaged("pieces", separate)["clustering"]
        self.assertEqual(s["fragments"]["share"], 1.0)
        self.assertEqual(s["f1"], 1.0)  # the two pieces are one copy

    def test_second_piece_left_alone(self):
        splits = self.split_copies()
        (w, pid), pieces = sorted(splits.items())[0]
        second = next(r for r in pieces if r["piece"] == "2")

        def strand(d):
            rows = d["clusters"][pid]
            joined = next(r for r in rows if r["witness"] == w)
            # The joined member shrinks to its first piece; the second piece is a cluster of its own.
            first = next(r for r in pieces if r["piece"] == "1")
            joined["line_end"] = first["line_end"]
            rows.append(dict(joined, cluster_id="alone", line_start=second["line_start"], line_end=second["line_end"]))

        s = self.damaged("stranded", strand)["clustering"]
        n = len(splits)
        self.assertEqual(s["fragments"], {"attached": n - 1, "total": n, "share": (n - 1) / n})

    def test_missing_files_give_none(self):
        out = self.tmp / "only-clusters"
        out.mkdir()
        shutil.copy(self.tmp / "perfect" / "clusters.csv", out / "clusters.csv")
        s = score.score(self.truth, out)
        self.assertEqual(s["clustering"]["f1"], 1.0)
        self.assertIsNone(s["variants"])
        self.assertIsNone(s["ranking"])
        self.assertIsNone(s["consensus"])
        self.assertIn("n/a", score.render(s))


class FragmentTests(unittest.TestCase):
    """Fragment attachment on a hand-written truth of three witnesses.

    p1 is split by a page break in w1 (lines 1-2, page number on 4, lines
    6-7) and in w3 (lines 1 and 3); w2 has it whole (lines 1-3). p2 is whole
    everywhere. Two split copies, so the share moves in halves.
    """

    PARAGRAPHS = [
        ("w1", "w1/d.txt", 1, 2, "p1", 1, 2),
        ("w1", "w1/d.txt", 6, 7, "p1", 2, 2),
        ("w1", "w1/d.txt", 9, 9, "p2", 1, 1),
        ("w2", "w2/d.txt", 1, 3, "p1", 1, 1),
        ("w2", "w2/d.txt", 5, 5, "p2", 1, 1),
        ("w3", "w3/d.txt", 1, 1, "p1", 1, 2),
        ("w3", "w3/d.txt", 3, 3, "p1", 2, 2),
        ("w3", "w3/d.txt", 5, 5, "p2", 1, 1),
    ]

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="fragment-test-"))
        self.truth = self.tmp / "truth"
        self.truth.mkdir()
        columns = ["witness", "file", "line_start", "line_end", "para_id", "piece", "pieces", "script"]
        support.write_csv(self.truth / "paragraphs.csv", columns, [dict(zip(columns, r + ("latin",))) for r in self.PARAGRAPHS])
        support.write_csv(self.truth / "errors.csv", ["witness", "file", "para_id", "line", "column", "clean", "noisy", "kind", "clean_offset"], [])
        support.write_csv(self.truth / "witnesses.csv", ["witness", "true_rank"], [{"witness": f"w{i}", "true_rank": i} for i in (1, 2, 3)])

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def fragments(self, members: list[tuple]) -> dict:
        """Score clusters.csv rows (cluster_id, witness, line_start, line_end[, role])."""
        report = self.tmp / f"report{len(list(self.tmp.iterdir()))}"
        report.mkdir()
        rows = [
            {"cluster_id": m[0], "witness": m[1], "file": f"/c/corpus/{m[1]}/d.txt", "line_start": m[2], "line_end": m[3], "role": m[4] if len(m) > 4 else "witness"}
            for m in members
        ]
        support.write_csv(report / "clusters.csv", support.CLUSTER_COLUMNS, rows)
        return score.score(self.truth, report)["clustering"]["fragments"]

    def test_all_attached(self):
        # w1 rejoined into one member; w3 as a witness and a fragment member.
        got = self.fragments([(1, "w1", 1, 7), (1, "w2", 1, 3), (1, "w3", 1, 1), (1, "w3", 3, 3, "fragment"), (2, "w1", 9, 9), (2, "w2", 5, 5)])
        self.assertEqual(got, {"attached": 2, "total": 2, "share": 1.0})

    def test_one_piece_left_alone(self):
        # w3's second piece is a cluster of its own: w3 is not attached.
        got = self.fragments([(1, "w1", 1, 7), (1, "w2", 1, 3), (1, "w3", 1, 1), (9, "w3", 3, 3)])
        self.assertEqual(got, {"attached": 1, "total": 2, "share": 0.5})
        # ...and absent from every cluster: the same.
        got = self.fragments([(1, "w1", 1, 7), (1, "w2", 1, 3), (1, "w3", 1, 1)])
        self.assertEqual(got, {"attached": 1, "total": 2, "share": 0.5})

    def test_joined_member_counts_for_both_pieces(self):
        # w1 only as one joined member (covers pieces 1 and 2); w3's pieces
        # are together but with no other witness's p1.
        got = self.fragments([(1, "w1", 1, 7), (1, "w2", 1, 3), (2, "w3", 1, 1), (2, "w3", 3, 3, "fragment")])
        self.assertEqual(got, {"attached": 1, "total": 2, "share": 0.5})
        # A member of the first piece only leaves the second piece out.
        got = self.fragments([(1, "w1", 1, 2), (1, "w2", 1, 3), (1, "w3", 1, 3)])
        self.assertEqual(got, {"attached": 1, "total": 2, "share": 0.5})

    def test_member_starting_on_the_page_number_covers_the_second_piece(self):
        # Lines 4-7 start on the page number and overlap only p1's second piece.
        got = self.fragments([(1, "w1", 1, 2), (1, "w1", 4, 7, "fragment"), (1, "w2", 1, 3), (1, "w3", 1, 3)])
        self.assertEqual(got, {"attached": 2, "total": 2, "share": 1.0})

    def test_other_paragraph_does_not_attach(self):
        # w3's second piece sits with w2's p2 and w1's p2: no other copy of p1.
        got = self.fragments([(1, "w1", 1, 7), (1, "w2", 1, 3), (1, "w3", 1, 1), (2, "w3", 3, 3), (2, "w2", 5, 5), (2, "w1", 9, 9)])
        self.assertEqual(got, {"attached": 1, "total": 2, "share": 0.5})

    def test_piece_in_two_clusters_one_suffices(self):
        # w3's second piece is alone in cluster 9 but also in cluster 1 with w2.
        got = self.fragments([(9, "w3", 3, 3), (1, "w1", 1, 7), (1, "w2", 1, 3), (1, "w3", 1, 3)])
        self.assertEqual(got, {"attached": 2, "total": 2, "share": 1.0})

    def test_no_split_copies_gives_none(self):
        rows = [dict(zip(["witness", "file", "line_start", "line_end", "para_id", "piece", "pieces", "script"], (w, f"{w}/d.txt", 1, 1, "p1", 1, 1, "latin"))) for w in ("w1", "w2")]
        support.write_csv(self.truth / "paragraphs.csv", list(rows[0]), rows)
        got = self.fragments([(1, "w1", 1, 1), (1, "w2", 1, 1)])
        self.assertEqual(got, {"attached": 0, "total": 0, "share": None})

    def test_printed_and_in_json(self):
        report = self.tmp / "printed"
        report.mkdir()
        rows = [
            {"cluster_id": 1, "witness": w, "file": f"{w}/d.txt", "line_start": lo, "line_end": hi, "role": "witness"}
            for w, lo, hi in (("w1", 1, 7), ("w2", 1, 3), ("w3", 1, 1))
        ]
        support.write_csv(report / "clusters.csv", support.CLUSTER_COLUMNS, rows)
        buf = io.StringIO()
        with redirect_stdout(buf):
            score.main(["--truth", str(self.truth), "--report", str(report)])
        self.assertIn("fragments attached 1/2 (0.5000)", buf.getvalue())
        buf = io.StringIO()
        with redirect_stdout(buf):
            score.main(["--truth", str(self.truth), "--report", str(report), "--json"])
        self.assertEqual(json.loads(buf.getvalue())["clustering"]["fragments"], {"attached": 1, "total": 2, "share": 0.5})


if __name__ == "__main__":
    unittest.main()
