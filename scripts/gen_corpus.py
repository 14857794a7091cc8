#!/usr/bin/env python3
"""Generate a synthetic multi-witness corpus with exact ground truth.

The generator cuts the seed transcripts (real Chinese and English) into
sentences, clauses and phrases, recombines them into *clean* paragraphs (new
sentences of seed phrases; some paragraphs reuse half the sentences of a
recent one, as hard negatives), then writes W noisy copies ("witnesses") of D
documents each. Every witness has its own character-noise rate, so the
true reliability order is known, and every injected change is recorded with its
exact place in the written file. ``scripts/score.py`` compares a
``recension report`` against this truth.

Usage::

    python3 scripts/gen_corpus.py --out /tmp/c --witnesses 4 --docs 50 \\
        --paragraphs 2000 --seed 7 [--source data/sample]

Python 3.11 standard library only. Same arguments give byte-identical output.
Output is streamed one document at a time, so ``--paragraphs 1000000`` runs in
bounded memory (only an 8-byte digest per clean paragraph is kept, to keep
paragraphs distinct).

Output layout
-------------

``OUT/corpus/<witness>/<doc>.txt``
    The witness files, UTF-8, ``\\n`` line endings, paragraphs separated by one
    blank line. Witnesses are named ``w1`` … ``wW``; the noise rates are
    assigned to them in a seeded random order, so name order says nothing
    about reliability.

``OUT/truth/paragraphs.csv``
    ``witness, file, line_start, line_end, para_id, piece, pieces, script`` —
    one row per paragraph *piece* in a witness file. ``file`` is the path
    relative to ``OUT/corpus`` (``w2/doc00007.txt``); lines are 1-based and
    inclusive. A paragraph split by a page break has ``pieces`` = 2 and two rows
    (``piece`` 1 and 2) with the same ``para_id``.

``OUT/truth/errors.csv``
    ``witness, file, para_id, line, column, clean, noisy, kind, clean_offset``
    — one row per injected change. ``line``/``column`` (1-based, column in
    Unicode characters) give the first character of ``noisy`` in the written
    file, after wrapping and page breaks; for a deletion (``noisy`` empty) they
    give the character that follows the deleted text. ``clean_offset`` is the
    0-based character offset of ``clean`` in the clean paragraph. Kinds:

    * character-level variants, which a collation tool should report:
      ``confusable`` (look-alike glyphs: ``rn``/``m``, ``l``/``1``, ``己``/``已``
      …), ``substitution``, ``deletion``, ``insertion``, ``transposition``
      (adjacent characters swapped), ``number`` (a digit changed), ``word``
      (a whole word replaced), ``punctuation`` (a mark changed or dropped);
    * ``formal``: full-width punctuation written half-width (``，`` → ``,``),
      which vanishes under recension's normalization and is not a variant;
    * structural changes, not variants either: ``hyphenation`` (a hyphen added
      at a line end; line/column point at the hyphen), ``page_break`` (the
      paragraph continues at line/column, after a page-number line kept in
      ``noisy`` and possibly after the next paragraph), ``missing`` (the
      paragraph is absent from this witness; line/column empty) and
      ``reorder`` (the paragraph was moved after its successor; line/column is
      where it starts). Hard line wrapping is recorded per file in
      ``files.csv``, not per line break.

``OUT/truth/witnesses.csv``
    ``witness, noise_rate, true_rank, half_width, wrapped, chars, errors,
    observed_rate`` — rank 1 is the most reliable witness (lowest rate);
    ``errors`` counts character-level variants only.

``OUT/truth/files.csv``
    ``witness, file, paragraphs, wrapped, half_width`` per written file.

``OUT/truth/clean.jsonl``
    One JSON object per clean paragraph: ``{"para_id", "doc", "script",
    "text"}``.

``OUT/truth/meta.json``
    The arguments and the generator version.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import hashlib
import json
import math
import random
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

GENERATOR_VERSION = 1

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT / "data" / "sample"

# Default per-witness noise rates (injected changes per clean character): far
# enough apart that the true ranking shows even on a few hundred paragraphs.
DEFAULT_RATES = (0.002, 0.005, 0.01, 0.02)

# Character-level variant kinds with their relative weights, per script.
# A kind that finds no place in a paragraph falls back to `substitution`.
KIND_WEIGHTS = {
    "han": {
        "confusable": 20,
        "substitution": 20,
        "deletion": 15,
        "insertion": 10,
        "transposition": 10,
        "number": 5,
        "word": 10,
        "punctuation": 10,
    },
    "latin": {
        "confusable": 20,
        "substitution": 20,
        "deletion": 15,
        "insertion": 10,
        "transposition": 10,
        "number": 5,
        "word": 10,
        "punctuation": 10,
    },
}
VARIANT_KINDS = tuple(KIND_WEIGHTS["han"])
STRUCTURAL_KINDS = ("hyphenation", "page_break", "missing", "reorder")

# Look-alike glyphs (OCR and input-method confusions), applied in both
# directions where both sides are listed.
LATIN_CONFUSABLES = (
    ("rn", "m"), ("m", "rn"), ("l", "1"), ("1", "l"), ("O", "0"), ("0", "O"),
    ("cl", "d"), ("d", "cl"), ("I", "l"), ("vv", "w"), ("c", "e"), ("e", "c"),
)
HAN_CONFUSABLES = {
    "己": "已", "已": "己", "未": "末", "末": "未", "土": "士", "士": "土",
    "日": "曰", "人": "入", "入": "人", "大": "太", "太": "大", "王": "玉",
    "千": "干", "干": "千", "天": "夭", "刀": "力", "力": "刀", "戊": "戌",
    "问": "间", "间": "问", "候": "侯", "侯": "候", "拔": "拨", "拨": "拔",
    "析": "折", "折": "析", "辨": "辩", "辩": "辨", "宇": "字", "字": "宇",
    "木": "本", "本": "木", "免": "兔", "鸟": "乌", "乌": "鸟", "贝": "见",
}

# Full-width punctuation and the half-width form a careless witness uses.
HALF_WIDTH = {
    "，": ",", "：": ":", "；": ";", "！": "!", "？": "?", "（": "(", "）": ")",
    "“": '"', "”": '"',
}
HALF_WIDTH_RE = re.compile("[" + "".join(HALF_WIDTH) + "]")
HAN_SENTENCE_END = "。！？"
HAN_CONFUSABLE_RE = re.compile("[" + "".join(HAN_CONFUSABLES) + "]")
DIGIT_RE = re.compile("[0-9]")
HAN_MARK_RE = re.compile("[，、；。]")
LATIN_MARK_RE = re.compile("[,;]")

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD_RE = re.compile(r"[A-Za-z]{3,}")
ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def is_han(ch: str) -> bool:
    """True for a CJK unified ideograph (basic block, extension A, compatibility)."""
    return bool(HAN_RE.match(ch))


def is_letter(ch: str, script: str) -> bool:
    """True for a character that character-level noise may touch in `script`."""
    if script == "han":
        return is_han(ch)
    return ch.isascii() and ch.isalpha()


# ---------------------------------------------------------------------------
# Seeds: sentences and clauses of real text


@dataclass
class Seeds:
    """Sentences, clauses and vocabularies read from the seed transcripts."""

    sentences: dict[str, list[str]] = field(default_factory=lambda: {"han": [], "latin": []})
    clauses: dict[str, list[str]] = field(default_factory=lambda: {"han": [], "latin": []})
    phrases: dict[str, list[str]] = field(default_factory=lambda: {"han": [], "latin": []})
    han_chars: list[str] = field(default_factory=list)
    han_bigrams: list[str] = field(default_factory=list)
    latin_words: list[str] = field(default_factory=list)


JUNK_MARKERS = ("字号", "日期:", "日期：", "来源:", "来源：", "(10s)", "请说话", "没听清", "【")
LABEL_RE = re.compile(r"^[^:：。.!?！？，,\"“”]{1,30}[:：]\s*")
HEADING_RE = re.compile(r"^#+\s*")


def _clean_line(line: str) -> str:
    """Strip Markdown markup and speaker/question labels from one seed line."""
    line = HEADING_RE.sub("", line.strip())
    line = line.replace("**", "").replace("\\$", "$").replace("\\", "")
    # Twice: "A:毛宁:感谢…" carries a question label and a speaker label.
    line = LABEL_RE.sub("", LABEL_RE.sub("", line))
    return line.strip()


def _han_full_width(text: str) -> str:
    """Write ASCII punctuation in a Han line full-width (the clean form)."""
    out = []
    for i, ch in enumerate(text):
        if ch == "," and not (0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()):
            out.append("，")
        elif ch in ":;!?()":
            out.append({":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}[ch])
        else:
            out.append(ch)
    return "".join(out)


def _balanced(text: str) -> bool:
    """True when quotes and brackets in `text` are balanced (clauses are recombined)."""
    pairs = (("“", "”"), ("（", "）"), ("《", "》"), ("(", ")"), ("「", "」"))
    return all(text.count(a) == text.count(b) for a, b in pairs) and text.count('"') % 2 == 0


def _phrases(clauses: list[str], script: str) -> list[str]:
    """Cut clauses into phrases: 4 to 9 Han characters, or 3 to 6 Latin words.

    Phrases are the unit new sentences are built from. The seeds hold only
    about 900 Han and 300 English clauses: recombining whole clauses, a
    quarter of a million paragraphs would share three clauses of four by
    chance and be near-duplicates with different ids. Phrases are five times
    as many and five times shorter, so chance overlaps stay far below the
    clustering thresholds.
    """
    rng = random.Random(0)  # fixed: phrase cuts do not depend on --seed
    out = []
    for clause in clauses:
        units = list(clause) if script == "han" else clause.split()
        i = 0
        while i < len(units):
            n = rng.randint(4, 9) if script == "han" else rng.randint(3, 6)
            piece = units[i : i + n]
            i += n
            if len(piece) >= (3 if script == "han" else 2):
                phrase = ("" if script == "han" else " ").join(piece)
                if not any(ch in phrase for ch in '"“”()（）《》「」'):
                    out.append(phrase)
    return list(dict.fromkeys(out))


def load_seeds(source: Path) -> Seeds:
    """Read every text file under `source` and split it into sentences and clauses.

    Han sentences end in 。！？ (half-width marks are made full-width first);
    Latin sentences end in . ! ? followed by a space and a capital. Markdown
    headings, bold labels, speaker labels and junk lines are dropped.
    """
    seeds = Seeds()
    seen: set[str] = set()
    han_chars: set[str] = set()
    words: set[str] = set()
    files = sorted(p for p in source.rglob("*") if p.is_file() and p.suffix in (".txt", ".md", ""))
    if not files:
        raise SystemExit(f"gen_corpus: no seed text files under {source}")
    for path in files:
        text = path.read_text(encoding="utf-8-sig", errors="replace")
        for raw in text.splitlines():
            if raw.lstrip().startswith("#") or any(m in raw for m in JUNK_MARKERS):
                continue
            line = _clean_line(raw)
            if len(line) < 8:
                continue
            n_han = len(HAN_RE.findall(line))
            if n_han >= 0.3 * len(line):
                line = _han_full_width(line)
                parts = re.findall(r"[^。！？]+[。！？][”’」』]?", line)
                for sent in parts:
                    sent = sent.strip()
                    if len(sent) < 6 or sent in seen or not _balanced(sent):
                        continue
                    seen.add(sent)
                    seeds.sentences["han"].append(sent)
                    han_chars.update(HAN_RE.findall(sent))
                    seeds.han_bigrams.extend(
                        sent[i : i + 2] for i in range(0, len(sent) - 1, 3) if is_han(sent[i]) and is_han(sent[i + 1])
                    )
                    body = sent.rstrip("。！？”’」』")
                    for clause in re.split("[，；：]", body):
                        clause = clause.strip()
                        if len(clause) >= 4 and _balanced(clause):
                            seeds.clauses["han"].append(clause)
            elif n_han == 0:
                for sent in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", line):
                    sent = sent.strip()
                    if len(sent) < 20 or sent in seen or not _balanced(sent) or sent[-1] not in ".!?":
                        continue
                    seen.add(sent)
                    seeds.sentences["latin"].append(sent)
                    words.update(w.lower() for w in LATIN_WORD_RE.findall(sent))
                    for clause in re.split(r"[,;:]\s+", sent.rstrip(".!?")):
                        clause = clause.strip()
                        if len(clause) >= 12 and _balanced(clause):
                            seeds.clauses["latin"].append(clause)
    # Clauses repeat across sentences; keep one copy, in first-seen order.
    for script in ("han", "latin"):
        seeds.clauses[script] = list(dict.fromkeys(seeds.clauses[script]))
        seeds.phrases[script] = _phrases(seeds.clauses[script], script)
        if not seeds.sentences[script]:
            raise SystemExit(f"gen_corpus: the seeds under {source} have no {script} sentences")
    # Compatibility ideographs fold to other characters under NFKC: a
    # substitution to one of them could be formal, so leave them out.
    seeds.han_chars = sorted(ch for ch in han_chars if unicodedata.normalize("NFKC", ch) == ch)
    seeds.han_bigrams = list(dict.fromkeys(seeds.han_bigrams))
    seeds.latin_words = sorted(words)
    return seeds


# ---------------------------------------------------------------------------
# Clean paragraphs


class ParagraphMaker:
    """Builds distinct clean paragraphs by recombining seed phrases and sentences.

    A fresh sentence is three to seven seed phrases joined, or (probability
    `ORIGINAL_SHARE`, never as a paragraph's only sentence) a whole seed
    sentence. A *hard negative* copies about half the sentences of a recent
    paragraph of its document and replaces the rest, keeping the shared text
    under 45 % of the shorter paragraph: it shares whole sentences with a
    paragraph of another id without being a near-duplicate of it.
    """

    # Whole seed sentences recur too often at scale: with 0.1, 50,000
    # paragraphs held 9,052 pairs with shingle Jaccard >= 0.4 or containment
    # >= 0.8 (near-duplicates with different ids); with 0 (and the hard-negative
    # rule above) they hold 16.
    ORIGINAL_SHARE = 0.0
    SENTENCES = {"han": ((1, 2, 3, 4, 5), (10, 25, 30, 20, 15)), "latin": ((1, 2, 3, 4), (15, 35, 30, 20))}
    MIN_CHARS = {"han": 24, "latin": 80}

    def __init__(self, seeds: Seeds, hard_negative_rate: float):
        self.seeds = seeds
        self.hard_negative_rate = hard_negative_rate
        self.seen: set[bytes] = set()

    def _sentence(self, rng: random.Random, script: str, original: bool = True) -> str:
        if original and rng.random() < self.ORIGINAL_SHARE:
            return rng.choice(self.seeds.sentences[script])
        phrases = self.seeds.phrases[script]
        if script == "han":
            out = [rng.choice(phrases)]
            for _ in range(rng.randint(2, 6)):
                out.append(("，" if rng.random() < 0.4 else "") + rng.choice(phrases))
            return "".join(out) + rng.choice("。。。。。。。。！？")
        out = [rng.choice(phrases)]
        for _ in range(rng.randint(2, 5)):
            out.append(("," if rng.random() < 0.2 else "") + " " + rng.choice(phrases))
        text = "".join(out)
        return text[0].upper() + text[1:] + "."

    @staticmethod
    def _join(script: str, sentences: list[str]) -> str:
        return ("" if script == "han" else " ").join(sentences)

    def make(self, rng: random.Random, script: str, recent: list[list[str]]) -> tuple[str, list[str], bool]:
        """Return (text, sentences, is_hard_negative) for a new distinct paragraph."""
        for _ in range(50):
            hard = False
            if recent and rng.random() < self.hard_negative_rate:
                base = rng.choice(recent)
                if len(base) >= 2:
                    sentences = list(base)
                    replaced = rng.sample(range(len(sentences)), math.ceil(len(sentences) / 2))
                    for i in replaced:
                        sentences[i] = self._sentence(rng, script)
                    # Shared text stays under half of either paragraph, so the
                    # pair is a hard negative and not a near-duplicate.
                    shared = sum(len(x) for i, x in enumerate(base) if i not in replaced)
                    shorter = min(len(self._join(script, base)), len(self._join(script, sentences)))
                    hard = shared <= 0.45 * shorter
                    if not hard:
                        continue
            if not hard:
                counts, weights = self.SENTENCES[script]
                n = rng.choices(counts, weights)[0]
                sentences = [self._sentence(rng, script, original=n > 1) for _ in range(n)]
                while len(self._join(script, sentences)) < self.MIN_CHARS[script]:
                    sentences.append(self._sentence(rng, script))
            text = self._join(script, sentences)
            digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
            if digest not in self.seen:
                self.seen.add(digest)
                return text, sentences, hard
        raise SystemExit("gen_corpus: could not make a distinct paragraph; the seeds are too small")


# ---------------------------------------------------------------------------
# Character noise


@dataclass
class Edit:
    """One change from clean to noisy text inside a paragraph."""

    clean_off: int
    clean: str
    noisy: str
    kind: str
    noisy_off: int = 0


def poisson(rng: random.Random, lam: float) -> int:
    """Sample a Poisson count (Knuth's method; λ is small here)."""
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


class Corrupter:
    """Injects character-level variants and formal noise into one paragraph."""

    def __init__(self, seeds: Seeds):
        self.seeds = seeds
        self.kinds = {s: (list(w), list(w.values())) for s, w in KIND_WEIGHTS.items()}

    def _letter_pos(self, rng: random.Random, text: str, script: str, width: int = 1) -> int | None:
        """A random position p in [1, len-1-width] where `width` letters start, or None."""
        hi = len(text) - 1 - width
        if hi < 1:
            return None
        for _ in range(8):
            p = rng.randint(1, hi)
            if all(is_letter(text[p + i], script) for i in range(width)):
                return p
        return None

    def _random_letter(self, rng: random.Random, script: str, avoid: str) -> str:
        if script == "han":
            while True:
                ch = rng.choice(self.seeds.han_chars)
                if ch != avoid:
                    return ch
        while True:
            ch = rng.choice(ASCII_LETTERS)
            if ch != avoid.lower():
                return ch.upper() if avoid.isupper() else ch

    def propose(self, rng: random.Random, text: str, script: str, kind: str) -> Edit | None:
        """Propose one edit of `kind`, or None when the paragraph has no place for it."""
        if kind == "substitution":
            p = self._letter_pos(rng, text, script)
            if p is None:
                return None
            return Edit(p, text[p], self._random_letter(rng, script, text[p]), kind)
        if kind == "deletion":
            k = rng.choice((1, 1, 1, 2, 3))
            p = self._letter_pos(rng, text, script, k)
            return None if p is None else Edit(p, text[p : p + k], "", kind)
        if kind == "insertion":
            p = self._letter_pos(rng, text, script, 1)
            if p is None or not is_letter(text[p - 1], script):
                return None
            new = "".join(self._random_letter(rng, script, text[p]) for _ in range(rng.choice((1, 1, 2))))
            if script == "latin":
                new = new.lower()
            return Edit(p, "", new, kind)
        if kind == "transposition":
            p = self._letter_pos(rng, text, script, 2)
            if p is None or text[p].lower() == text[p + 1].lower():
                return None
            return Edit(p, text[p : p + 2], text[p + 1] + text[p], kind)
        if kind == "number":
            digits = [m.start() for m in DIGIT_RE.finditer(text, 1, len(text) - 1)]
            if not digits:
                return None
            p = rng.choice(digits)
            new = rng.choice([d for d in "0123456789" if d != text[p]])
            return Edit(p, text[p], new, kind)
        if kind == "confusable":
            return self._confusable(rng, text, script)
        if kind == "word":
            return self._word(rng, text, script)
        if kind == "punctuation":
            marks = HAN_MARK_RE if script == "han" else LATIN_MARK_RE
            places = [m.start() for m in marks.finditer(text, 1, len(text) - 1)]
            if not places:
                return None
            p = rng.choice(places)
            ch = text[p]
            if script == "han":
                new = {"，": "、", "、": "，", "；": "，", "。": "，"}[ch]
            else:
                new = rng.choice(("", "." if ch == "," else ","))
            return Edit(p, ch, new, kind)
        raise ValueError(f"unknown kind {kind}")

    def _confusable(self, rng: random.Random, text: str, script: str) -> Edit | None:
        n = len(text)
        if script == "han":
            places = [(m.start(), m.group()) for m in HAN_CONFUSABLE_RE.finditer(text, 1, n - 1)]
            if not places:
                return None
            i, src = rng.choice(places)
            return Edit(i, src, HAN_CONFUSABLES[src], "confusable")
        # Pick a look-alike pair present in the text, then one of its places.
        pairs = [pair for pair in LATIN_CONFUSABLES if pair[0] in text]
        rng.shuffle(pairs)
        for src, dst in pairs[:3]:
            places = []
            i = text.find(src, 1)
            while i != -1 and i + len(src) < n:
                # Only inside words: a look-alike swap is a glyph error, not a new token.
                if text[i - 1].isalnum() or text[i + len(src)].isalnum():
                    places.append(i)
                i = text.find(src, i + 1)
            if places:
                return Edit(rng.choice(places), src, dst, "confusable")
        return None

    def _word(self, rng: random.Random, text: str, script: str) -> Edit | None:
        if script == "han":
            p = self._letter_pos(rng, text, script, 2)
            if p is None:
                return None
            old = text[p : p + 2]
            new = rng.choice(self.seeds.han_bigrams)
            return None if new == old else Edit(p, old, new, "word")
        # The first word of three letters or more from a random place on.
        m = LATIN_WORD_RE.search(text, rng.randint(1, len(text) - 1))
        if m is None or m.end() >= len(text) or text[m.start() - 1].isalpha():
            return None
        new = rng.choice(self.seeds.latin_words)
        if new == m.group().lower():
            return None
        if m.group()[0].isupper():
            new = new[0].upper() + new[1:]
        return Edit(m.start(), m.group(), new, "word")

    def corrupt(
        self, rng: random.Random, text: str, script: str, rate: float, half_width: bool, elsewhere: list[tuple[int, int]]
    ) -> tuple[str, list[Edit]]:
        """Return the noisy paragraph and its edits (sorted, with noisy offsets set).

        Variant edits never overlap and keep two clean characters between them
        (so each is one variant), never touch the first or the last character,
        and never make a change that vanishes under normalization. They also
        keep clear of `elsewhere`, the clean spans other witnesses changed in
        this paragraph (the new spans are added to it): no two witnesses
        change the same place, so wherever three or more witnesses hold a
        paragraph the majority reading is the clean one.
        """
        edits: list[Edit] = []
        taken: list[tuple[int, int]] = []
        kinds, weights = self.kinds[script]
        for _ in range(poisson(rng, rate * len(text))):
            kind = rng.choices(kinds, weights)[0]
            for attempt in range(4):
                edit = self.propose(rng, text, script, kind if attempt < 2 else "substitution")
                if edit is None:
                    continue
                start, end = edit.clean_off, edit.clean_off + len(edit.clean)
                if start < 1 or end > len(text) - 1:
                    continue
                if any(start - 2 < t_end and t_start < end + 2 for t_start, t_end in taken) or any(
                    start - 2 < t_end and t_start < end + 2 for t_start, t_end in elsewhere
                ):
                    continue
                taken.append((start, max(end, start + 1)))
                elsewhere.append((start, max(end, start + 1)))
                edits.append(edit)
                break
        if half_width and script == "han":
            for m in HALF_WIDTH_RE.finditer(text):
                i = m.start()
                if not any(t_start <= i < t_end for t_start, t_end in taken):
                    edits.append(Edit(i, m.group(), HALF_WIDTH[m.group()], "formal"))
        # Insertions sort before a replacement at the same clean offset.
        edits.sort(key=lambda e: (e.clean_off, len(e.clean)))
        out, pos, shift = [], 0, 0
        for e in edits:
            out.append(text[pos : e.clean_off])
            e.noisy_off = e.clean_off + shift
            out.append(e.noisy)
            pos = e.clean_off + len(e.clean)
            shift += len(e.noisy) - len(e.clean)
        out.append(text[pos:])
        return "".join(out), edits


# ---------------------------------------------------------------------------
# Layout: wrapping, page breaks


@dataclass
class Line:
    """One written line and the noisy-paragraph characters it holds.

    ``text[:length]`` equals ``noisy[src : src + length]``; anything after
    ``length`` (an added hyphen) is layout.
    """

    text: str
    src: int
    length: int


class Blocked:
    """Offsets where a line may not be broken: around every edit."""

    def __init__(self, edits: list[Edit]):
        # Formal edits are one character long, so no break can fall inside one.
        self.spans = [(e.noisy_off - 1, e.noisy_off + len(e.noisy) + 1) for e in edits if e.kind != "formal"]

    def __call__(self, i: int) -> bool:
        """True when breaking before character `i` would cut into or touch an edit."""
        return any(a <= i <= b for a, b in self.spans)


def wrap(text: str, base: int, script: str, width: int, blocked: Blocked, rng: random.Random, hyphenate: float) -> list[Line]:
    """Hard-wrap one paragraph piece (`text` starts at noisy offset `base`).

    Latin breaks at spaces (the space is dropped) or, with probability
    `hyphenate`, inside a long word with an added hyphen; Han breaks anywhere.
    Never breaks next to an edit.
    """
    lines: list[Line] = []
    start, n = 0, len(text)
    while n - start > width:
        limit = start + width
        if script == "han":
            cut = limit
            while cut > start + 1 and blocked(base + cut):
                cut -= 1
            if cut <= start + 1:
                cut = limit
                while cut < n and blocked(base + cut):
                    cut += 1
                if cut >= n:
                    break
            lines.append(Line(text[start:cut], base + start, cut - start))
            start = cut
            continue
        if rng.random() < hyphenate:
            ws = text.rfind(" ", start, limit) + 1
            we = text.find(" ", limit)
            we = n if we == -1 else we
            k = min(limit - 1, we - 3)
            if ws > start and we > limit and we - ws >= 6 and text[ws:we].isalpha() and k >= ws + 2 and not blocked(base + k):
                lines.append(Line(text[start:k] + "-", base + start, k - start))
                start = k
                continue
        sp = text.rfind(" ", start + 1, limit + 1)
        while sp > start and (blocked(base + sp) or blocked(base + sp + 1)):
            sp = text.rfind(" ", start + 1, sp)
        if sp <= start:
            sp = text.find(" ", limit + 1)
            while sp != -1 and (blocked(base + sp) or blocked(base + sp + 1)):
                sp = text.find(" ", sp + 1)
            if sp == -1:
                break
        lines.append(Line(text[start:sp], base + start, sp - start))
        start = sp + 1
    lines.append(Line(text[start:], base + start, n - start))
    return lines


def page_break_split(text: str, script: str, blocked: Blocked, rng: random.Random) -> tuple[Line, Line] | None:
    """Split a noisy paragraph in its middle half, mid-sentence, away from edits.

    Returns the two pieces as Lines (the first may end in an added hyphen), or
    None when there is no good place.
    """
    n = len(text)
    lo, hi = n // 4, (3 * n) // 4
    if hi - lo < 4:
        return None
    for _ in range(10):
        i = rng.randint(lo, hi)
        if script == "han":
            if text[i - 1] in HAN_SENTENCE_END or blocked(i) or not text[i - 1].strip() or not text[i].strip():
                continue
            return Line(text[:i], 0, i), Line(text[i:], i, n - i)
        if rng.random() < 0.3 and text[i - 1].isalpha() and text[i].isalpha():
            ws = text.rfind(" ", 0, i) + 1
            we = text.find(" ", i)
            we = n if we == -1 else we
            if i - ws >= 2 and we - i >= 2 and text[ws:we].isalpha() and not blocked(i):
                return Line(text[:i] + "-", 0, i), Line(text[i:], i, n - i)
            continue
        sp = text.find(" ", i)
        if sp == -1 or sp >= hi or blocked(sp) or blocked(sp + 1) or text[sp - 1] in ".!?":
            continue
        return Line(text[:sp], 0, sp), Line(text[sp + 1 :], sp + 1, n - sp - 1)
    return None


# ---------------------------------------------------------------------------
# Witnesses and the main loop


@dataclass
class Witness:
    """One witness: its name, noise rate, true rank and layout habits."""

    name: str
    rate: float
    rank: int
    half_width: bool
    wrapped: bool
    chars: int = 0
    errors: int = 0


@dataclass
class CleanParagraph:
    """One clean paragraph of one document."""

    para_id: str
    script: str
    text: str


@dataclass
class Config:
    """Generator settings (see `parse_args` for their meaning)."""

    out: Path
    witnesses: int
    docs: int
    paragraphs: int
    seed: int
    source: Path
    rates: list[float]
    han_share: float
    page_break_rate: float
    missing_rate: float
    reorder_rate: float
    hard_negative_rate: float
    half_width: list[str]
    wrap: list[str]
    half_width_docs: float = 0.7
    wrap_width_latin: tuple[int, int] = (55, 75)
    wrap_width_han: tuple[int, int] = (28, 40)
    hyphenate: float = 0.25


class Generator:
    """Writes the corpus and the truth, one document at a time."""

    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.seeds = load_seeds(cfg.source)
        self.maker = ParagraphMaker(self.seeds, cfg.hard_negative_rate)
        self.corrupter = Corrupter(self.seeds)
        names = [f"w{i + 1:0{len(str(cfg.witnesses))}d}" for i in range(cfg.witnesses)]
        rng = random.Random(f"{cfg.seed}/witnesses")
        order = list(range(cfg.witnesses))
        rng.shuffle(order)
        ranked = sorted(range(cfg.witnesses), key=lambda i: (cfg.rates[i], i))
        self.witnesses = []
        for k, name in enumerate(names):
            rate_index = order[k]
            self.witnesses.append(
                Witness(
                    name=name,
                    rate=cfg.rates[rate_index],
                    rank=ranked.index(rate_index) + 1,
                    half_width=name in cfg.half_width,
                    wrapped=name in cfg.wrap,
                )
            )
        width = max(5, len(str(cfg.docs - 1)))
        self.doc_names = [f"doc{i:0{width}d}" for i in range(cfg.docs)]
        self.para_width = max(7, len(str(cfg.paragraphs)))

    def run(self) -> None:
        """Generate everything under `cfg.out`."""
        corpus, truth = self.cfg.out / "corpus", self.cfg.out / "truth"
        for w in self.witnesses:
            (corpus / w.name).mkdir(parents=True, exist_ok=True)
        truth.mkdir(parents=True, exist_ok=True)
        with (
            open(truth / "paragraphs.csv", "w", encoding="utf-8", newline="") as fp,
            open(truth / "errors.csv", "w", encoding="utf-8", newline="") as fe,
            open(truth / "files.csv", "w", encoding="utf-8", newline="") as ff,
            open(truth / "clean.jsonl", "w", encoding="utf-8", newline="\n") as fc,
        ):
            self.paras = csv.writer(fp, lineterminator="\n")
            self.errors = csv.writer(fe, lineterminator="\n")
            self.files = csv.writer(ff, lineterminator="\n")
            self.paras.writerow(["witness", "file", "line_start", "line_end", "para_id", "piece", "pieces", "script"])
            self.errors.writerow(["witness", "file", "para_id", "line", "column", "clean", "noisy", "kind", "clean_offset"])
            self.files.writerow(["witness", "file", "paragraphs", "wrapped", "half_width"])
            next_id = 0
            for d, doc in enumerate(self.doc_names):
                count = self.cfg.paragraphs // self.cfg.docs + (1 if d < self.cfg.paragraphs % self.cfg.docs else 0)
                clean = self._clean_doc(doc, next_id, count)
                next_id += count
                for p in clean:
                    fc.write(json.dumps({"para_id": p.para_id, "doc": doc, "script": p.script, "text": p.text}, ensure_ascii=False))
                    fc.write("\n")
                # Clean spans changed so far, per paragraph, across witnesses.
                self.changed: dict[str, list[tuple[int, int]]] = {p.para_id: [] for p in clean}
                for w in self.witnesses:
                    self._write_witness_doc(corpus, doc, clean, w)
        self._write_witnesses(truth / "witnesses.csv")
        meta = {
            "generator_version": GENERATOR_VERSION,
            "seed": self.cfg.seed,
            "witnesses": self.cfg.witnesses,
            "docs": self.cfg.docs,
            "paragraphs": self.cfg.paragraphs,
            "source": sorted(p.name for p in self.cfg.source.rglob("*") if p.is_file()),
            "rates": self.cfg.rates,
            "han_share": self.cfg.han_share,
            "page_break_rate": self.cfg.page_break_rate,
            "missing_rate": self.cfg.missing_rate,
            "reorder_rate": self.cfg.reorder_rate,
            "hard_negative_rate": self.cfg.hard_negative_rate,
            "half_width": self.cfg.half_width,
            "wrap": self.cfg.wrap,
        }
        (truth / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def _clean_doc(self, doc: str, first_id: int, count: int) -> list[CleanParagraph]:
        """The clean paragraphs of one document: bilingual runs of one script."""
        rng = random.Random(f"{self.cfg.seed}/clean/{doc}")
        out: list[CleanParagraph] = []
        recent: dict[str, list[list[str]]] = {"han": [], "latin": []}
        script = "han" if rng.random() < self.cfg.han_share else "latin"
        for k in range(count):
            # Runs of one script, like the interleaved seed transcripts.
            if k and rng.random() < 0.5:
                script = "han" if rng.random() < self.cfg.han_share else "latin"
            text, sentences, _hard = self.maker.make(rng, script, recent[script])
            recent[script] = (recent[script] + [sentences])[-8:]
            out.append(CleanParagraph(f"p{first_id + k:0{self.para_width}d}", script, text))
        return out

    def _write_witness_doc(self, corpus: Path, doc: str, clean: list[CleanParagraph], w: Witness) -> None:
        """Write one witness's copy of one document and its truth rows."""
        cfg = self.cfg
        rng = random.Random(f"{cfg.seed}/noise/{doc}/{w.name}")
        rel = f"{w.name}/{doc}.txt"
        half_width = w.half_width and rng.random() < cfg.half_width_docs
        order: list[CleanParagraph] = []
        for p in clean:
            if rng.random() < cfg.missing_rate:
                self.errors.writerow([w.name, rel, p.para_id, "", "", "", "", "missing", ""])
            else:
                order.append(p)
        moved: set[str] = set()
        for i in range(len(order) - 1):
            if rng.random() < cfg.reorder_rate:
                order[i], order[i + 1] = order[i + 1], order[i]
                moved.add(order[i + 1].para_id)
        width_l = rng.randint(*cfg.wrap_width_latin)
        width_h = rng.randint(*cfg.wrap_width_han)
        page = rng.randint(1, 300)

        lines: list[str] = []

        def add_block(block: list[str]) -> int:
            """Append a block of lines after a blank line; return its first line number."""
            if lines:
                lines.append("")
            lines.extend(block)
            return len(lines) - len(block) + 1

        i = 0
        while i < len(order):
            p = order[i]
            noisy, edits = self.corrupter.corrupt(rng, p.text, p.script, w.rate, half_width, self.changed[p.para_id])
            w.chars += len(p.text)
            w.errors += sum(1 for e in edits if e.kind != "formal")
            blocked = Blocked(edits)
            width = width_h if p.script == "han" else width_l
            pieces: list[Line] = [Line(noisy, 0, len(noisy))]
            if rng.random() < cfg.page_break_rate:
                split = page_break_split(noisy, p.script, blocked, rng)
                if split:
                    pieces = list(split)
            placed: list[tuple[int, list[Line]]] = []  # (first file line, lines) per piece
            between = ""
            for k, piece in enumerate(pieces):
                if k == 1:
                    page += 1
                    between = rng.choice((str(page), f"- {page} -", f"— {page} —", ""))
                    if between:
                        add_block([between])
                    # Sometimes the next paragraph (other script) sits between the pieces.
                    if i + 1 < len(order) and order[i + 1].script != p.script and rng.random() < 0.5:
                        i += 1
                        self._place_whole(order[i], rng, w, rel, half_width, add_block, width_h, width_l, moved)
                if w.wrapped:
                    body = piece.text[: piece.length]
                    tail = piece.text[piece.length :]
                    piece_lines = wrap(body, piece.src, p.script, width, blocked, rng, cfg.hyphenate)
                    if tail:
                        piece_lines[-1] = Line(piece_lines[-1].text + tail, piece_lines[-1].src, piece_lines[-1].length)
                else:
                    piece_lines = [piece]
                first = add_block([ln.text for ln in piece_lines])
                placed.append((first, piece_lines))
                self.paras.writerow([w.name, rel, first, first + len(piece_lines) - 1, p.para_id, k + 1, len(pieces), p.script])
            self._record(w, rel, p, edits, placed, moved, between)
            i += 1
        self.files.writerow([w.name, rel, len(order), int(w.wrapped), int(half_width)])
        with open(corpus / rel, "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(lines))
            if lines:
                f.write("\n")

    def _place_whole(self, p, rng, w, rel, half_width, add_block, width_h, width_l, moved) -> None:
        """Write a paragraph without a page break (used between two pieces)."""
        noisy, edits = self.corrupter.corrupt(rng, p.text, p.script, w.rate, half_width, self.changed[p.para_id])
        w.chars += len(p.text)
        w.errors += sum(1 for e in edits if e.kind != "formal")
        blocked = Blocked(edits)
        width = width_h if p.script == "han" else width_l
        piece_lines = wrap(noisy, 0, p.script, width, blocked, rng, self.cfg.hyphenate) if w.wrapped else [Line(noisy, 0, len(noisy))]
        first = add_block([ln.text for ln in piece_lines])
        self.paras.writerow([w.name, rel, first, first + len(piece_lines) - 1, p.para_id, 1, 1, p.script])
        self._record(w, rel, p, edits, [(first, piece_lines)], moved, "")

    def _record(self, w: Witness, rel: str, p: CleanParagraph, edits: list[Edit], placed, moved: set[str], between: str) -> None:
        """Write the truth rows of one placed paragraph: its edits and its layout changes."""
        flat: list[tuple[int, int, int, Line]] = []  # (src, length, file line, Line)
        for first, piece_lines in placed:
            for j, ln in enumerate(piece_lines):
                flat.append((ln.src, ln.length, first + j, ln))
        starts = [f[0] for f in flat]

        def locate(offset: int) -> tuple[int, int]:
            j = bisect.bisect_right(starts, offset) - 1
            src, length, line_no, _ = flat[j]
            if not src <= offset < src + length:
                raise AssertionError(f"offset {offset} of {p.para_id} in {rel} is not on a written line")
            return line_no, offset - src + 1

        for e in edits:
            line_no, col = locate(e.noisy_off)
            self.errors.writerow([w.name, rel, p.para_id, line_no, col, e.clean, e.noisy, e.kind, e.clean_off])
        for src, length, line_no, ln in flat:
            if len(ln.text) > length and ln.text.endswith("-"):
                self.errors.writerow([w.name, rel, p.para_id, line_no, length + 1, "", "-", "hyphenation", ""])
        if len(placed) == 2:
            self.errors.writerow([w.name, rel, p.para_id, placed[1][0], 1, "", between, "page_break", ""])
        if p.para_id in moved:
            self.errors.writerow([w.name, rel, p.para_id, placed[0][0], 1, "", "", "reorder", ""])

    def _write_witnesses(self, path: Path) -> None:
        with open(path, "w", encoding="utf-8", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(["witness", "noise_rate", "true_rank", "half_width", "wrapped", "chars", "errors", "observed_rate"])
            for w in self.witnesses:
                observed = w.errors / w.chars if w.chars else 0.0
                out.writerow([w.name, w.rate, w.rank, int(w.half_width), int(w.wrapped), w.chars, w.errors, f"{observed:.6f}"])


def _names(spec: str, count: int, default: list[int]) -> list[str]:
    """Parse a comma list of witness names or 1-based numbers; 'auto' uses `default`."""
    width = len(str(count))
    if spec == "auto":
        return [f"w{i:0{width}d}" for i in default if i <= count]
    if spec in ("", "none"):
        return []
    out = []
    for item in spec.split(","):
        item = item.strip()
        out.append(f"w{int(item):0{width}d}" if item.isdigit() else item)
    return out


def parse_args(argv: list[str] | None = None) -> Config:
    """Parse the command line into a Config."""
    ap = argparse.ArgumentParser(
        description="Write W noisy witness copies of D documents of recombined seed text, with exact ground truth.",
        epilog="Output: OUT/corpus/<witness>/<doc>.txt and OUT/truth/*.csv; see the module docstring for the format.",
    )
    ap.add_argument("--out", type=Path, required=True, help="output directory (gets corpus/ and truth/)")
    ap.add_argument("--witnesses", type=int, default=4, help="number of witnesses W (default 4)")
    ap.add_argument("--docs", type=int, default=20, help="documents per witness D (default 20)")
    ap.add_argument(
        "--paragraphs",
        type=int,
        default=1000,
        help="clean paragraphs in all (default 1000); each witness holds a copy of nearly all of them, "
        "so the corpus has about paragraphs × witnesses paragraphs",
    )
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="directory of seed transcripts (default data/sample)")
    ap.add_argument(
        "--rates",
        default="",
        help="comma list of per-witness noise rates, changes per character "
        "(default 0.002,0.005,0.01,0.02, doubling for more witnesses)",
    )
    ap.add_argument("--han-share", type=float, default=0.5, help="share of Han paragraphs (default 0.5)")
    ap.add_argument("--page-break-rate", type=float, default=0.03, help="chance a paragraph copy is split by a page break (default 0.03)")
    ap.add_argument("--missing-rate", type=float, default=0.01, help="chance a paragraph is missing from a witness (default 0.01)")
    ap.add_argument("--reorder-rate", type=float, default=0.01, help="chance two neighbouring paragraphs are swapped (default 0.01)")
    ap.add_argument("--hard-negative-rate", type=float, default=0.1, help="share of paragraphs that reuse half the sentences of a recent one (default 0.1)")
    ap.add_argument("--half-width", default="auto", help="witnesses writing Han punctuation half-width in most documents: names or numbers, 'none', or 'auto' (w2 and w4)")
    ap.add_argument("--wrap", default="auto", help="witnesses with hard-wrapped, hyphenated lines (OCR-like): names or numbers, 'none', or 'auto' (the last witness)")
    ap.add_argument("--force", action="store_true", help="replace an existing OUT/corpus and OUT/truth")
    a = ap.parse_args(argv)
    if a.witnesses < 1 or a.docs < 1 or a.paragraphs < a.docs:
        ap.error("need at least one witness, one document, and as many paragraphs as documents")
    if a.rates:
        rates = [float(x) for x in a.rates.split(",")]
        if len(rates) != a.witnesses:
            ap.error(f"--rates has {len(rates)} values for {a.witnesses} witnesses")
    else:
        rates = list(DEFAULT_RATES[: a.witnesses])
        while len(rates) < a.witnesses:
            rates.append(rates[-1] * 2)
    for sub in ("corpus", "truth"):
        target = a.out / sub
        if target.exists() and any(target.iterdir()):
            if not a.force:
                ap.error(f"{target} exists and is not empty (use --force to replace it)")
            shutil.rmtree(target)
    return Config(
        out=a.out,
        witnesses=a.witnesses,
        docs=a.docs,
        paragraphs=a.paragraphs,
        seed=a.seed,
        source=a.source,
        rates=rates,
        han_share=a.han_share,
        page_break_rate=a.page_break_rate,
        missing_rate=a.missing_rate,
        reorder_rate=a.reorder_rate,
        hard_negative_rate=a.hard_negative_rate,
        half_width=_names(a.half_width, a.witnesses, [2, 4]),
        wrap=_names(a.wrap, a.witnesses, [a.witnesses] if a.witnesses > 1 else []),
    )


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    cfg = parse_args(argv)
    Generator(cfg).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
