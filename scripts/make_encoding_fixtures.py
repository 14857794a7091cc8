#!/usr/bin/env python3
"""Write the encoding fixtures of ``tests/encodings.rs``.

Seed 001 (``data/sample/001_df2ad415fbb60e3c.txt``, UTF-8) is written again
in other encodings that ``recension`` reads, so the test can check that every
copy gives the same paragraphs::

    tests/fixtures/encodings/seed001.gb18030.txt   GB18030, no byte-order mark
    tests/fixtures/encodings/seed001.utf16.txt     UTF-16LE with a byte-order mark

Usage::

    python3 scripts/make_encoding_fixtures.py

Python 3 standard library only; the output is byte-identical on every run.
"""
import codecs
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "sample" / "001_df2ad415fbb60e3c.txt"
OUT = ROOT / "tests" / "fixtures" / "encodings"


def main() -> None:
    # Decode the bytes ourselves so line endings are kept exactly as they are.
    text = SEED.read_bytes().decode("utf-8")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "seed001.gb18030.txt").write_bytes(text.encode("gb18030"))
    # Python's "utf-16" codec writes the machine's byte order; spell out
    # little-endian so the fixture does not depend on the machine.
    (OUT / "seed001.utf16.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))


if __name__ == "__main__":
    main()
