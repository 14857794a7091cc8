"""Tests of the pure helpers of scripts/bench_run.py's scale section: sizes, byte sums, cells and the table."""

from __future__ import annotations

import argparse
import tempfile
import unittest
from pathlib import Path

import support  # noqa: F401  (puts scripts/ on the path)
import bench_run
from bench_run import Run


def done(wall: float = 1.5, cpu: float = 2.25, rss: float = 300.4) -> Run:
    """A run that finished with exit status 0."""
    return Run(cmd=["recension"], wall=wall, cpu=cpu, rss_mib=rss, status=0)


class SizeTests(unittest.TestCase):
    def test_parse_sizes(self):
        self.assertEqual(bench_run.parse_sizes("25000,75000,250000"), [25000, 75000, 250000])
        self.assertEqual(bench_run.parse_sizes(" 2000, 6_000 ,"), [2000, 6000])

    def test_parse_sizes_rejects_nonsense(self):
        for text in ("", ",", "0", "-5", "2k", "1.5"):
            with self.assertRaises(argparse.ArgumentTypeError, msg=text):
                bench_run.parse_sizes(text)

    def test_scale_size_has_a_document_per_hundred_paragraphs(self):
        self.assertEqual(bench_run.scale_size(25000), {"witnesses": 4, "docs": 250, "paragraphs": 25000})
        self.assertEqual(bench_run.scale_size(250000)["docs"], 2500)
        self.assertEqual(bench_run.scale_size(50)["docs"], 1)
        # The default large peer corpus is the largest scale corpus, so it is generated once.
        self.assertEqual(bench_run.scale_size(250000), bench_run.LARGE)
        self.assertEqual(bench_run.scale_size(2000), bench_run.QUICK)

    def test_approx(self):
        self.assertEqual(bench_run.approx(100000), "100k")
        self.assertEqual(bench_run.approx(300000), "300k")
        self.assertEqual(bench_run.approx(1000000), "1M")
        self.assertEqual(bench_run.approx(8000), "8k")
        self.assertEqual(bench_run.approx(950), "950")


class BytesTests(unittest.TestCase):
    def test_output_bytes_sums_json_jsonl_and_csv_at_the_top(self):
        with tempfile.TemporaryDirectory() as tmp:
            d = Path(tmp)
            (d / "report.json").write_bytes(b"x" * 10)
            (d / "apparatus.jsonl").write_bytes(b"x" * 7)
            (d / "variants.csv").write_bytes(b"x" * 5)
            (d / "clusters.CSV").write_bytes(b"x" * 3)
            (d / "notes.txt").write_bytes(b"x" * 100)
            (d / "sub").mkdir()
            (d / "sub" / "inner.json").write_bytes(b"x" * 1000)
            self.assertEqual(bench_run.output_bytes(d), {"json": 17, "csv": 8})

    def test_output_bytes_of_a_missing_directory(self):
        self.assertEqual(bench_run.output_bytes(Path("/nonexistent/report")), {"json": 0, "csv": 0})

    def test_bytes_cell(self):
        self.assertEqual(bench_run.bytes_cell({"json": 2500000, "csv": 1000000}), "2,500,000 / 1,000,000 (2.50×)")
        self.assertEqual(bench_run.bytes_cell({"json": 12, "csv": 0}), "12 / 0")
        self.assertEqual(bench_run.bytes_cell(None), "—")


class CellTests(unittest.TestCase):
    def test_md_cell(self):
        self.assertEqual(bench_run.md_cell("a | b\n  c"), "a \\| b c")

    def test_scale_accuracy(self):
        scores = {
            "clustering": {"f1": 0.99, "precision": 1.0, "recall": 0.98},
            "variants": {"recall": 0.9, "precision": 0.95},
        }
        self.assertEqual(
            bench_run.scale_accuracy(scores, None, done()),
            "clusters F1 0.9900 (P 1.0000, R 0.9800); variants R 0.9000, P 0.9500",
        )
        self.assertEqual(bench_run.scale_accuracy({"clustering": None, "variants": None}, None, done()), "nothing to score")
        self.assertEqual(bench_run.scale_accuracy(None, "score.py failed: boom", done()), "score.py failed: boom")
        self.assertEqual(bench_run.scale_accuracy(None, None, done()), "—")
        failed = Run(cmd=["recension"], status=3)
        self.assertEqual(bench_run.scale_accuracy(scores, None, failed), "failed (exit 3)")


class TableTests(unittest.TestCase):
    def test_scale_table(self):
        base = {"size": "~8k: 4 × 2,000 (20 docs)", "paragraphs": 8123}
        rows = [
            base | {"command": "cluster", "run": done(), "bytes": None, "accuracy": "clusters F1 1.0000"},
            base | {"command": "report", "run": done(rss=1024.6), "bytes": {"json": 30, "csv": 10}, "accuracy": "a | b"},
            base | {"command": "audit --limit 20 > /dev/null", "run": Run(cmd=["x"], wall=9.0, status=124, timed_out=True), "bytes": None, "accuracy": "x"},
        ]
        lines = bench_run.scale_table(rows).splitlines()
        self.assertEqual(len(lines), 5)
        self.assertEqual(lines[0], "| size | command | paragraphs in corpus | wall s | CPU s | peak MiB | json/csv bytes | accuracy |")
        self.assertEqual(lines[2], "| ~8k: 4 × 2,000 (20 docs) | cluster | 8,123 | 1.50 | 2.25 | 300 | — | clusters F1 1.0000 |")
        self.assertEqual(lines[3], "| ~8k: 4 × 2,000 (20 docs) | report | 8,123 | 1.50 | 2.25 | 1,025 | 30 / 10 (3.00×) | a \\| b |")
        self.assertIn("> 9 (timed out)", lines[4])
        for line in lines:
            self.assertEqual(line.count("|") - line.count("\\|"), 9, line)


if __name__ == "__main__":
    unittest.main()
