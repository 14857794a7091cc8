//! Character-level difference of two sequences, via `similar`.
//!
//! ```text
//! diff("斡旋缅北", "斡旋东北") → [Equal 0..2, Replace 缅→东, Equal 3..4]
//! ```
//!
//! Texts longer than [`LONG_TEXT`] are compared piecewise between anchors
//! (see [`anchored`]): the diff, the common characters and the distance
//! below then cost about linear time and memory instead of quadratic.
pub mod anchored;

use std::ops::Range;

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::candidates::lengths_allow;
use crate::chars::is_word_char;
pub use anchored::LONG_TEXT;

/// Whether `a` and `b` are compared on the bounded path, piecewise between
/// anchors: either is longer than [`LONG_TEXT`].
pub fn is_long(a: &[char], b: &[char]) -> bool {
    a.len().max(b.len()) > LONG_TEXT
}

/// The edit script that turns `old` into `new`.
///
/// Myers' algorithm in `similar`'s practical variant: it bounds its work on
/// pathological inputs by heuristics instead of a wall-clock deadline, so the
/// result is the same on every run and machine, whatever the load. Long
/// texts (see [`is_long`]) are diffed between anchors.
pub fn diff_chars(old: &[char], new: &[char]) -> Vec<DiffOp> {
    if is_long(old, new) {
        return anchored::diff(old, new).0;
    }
    capture_diff_slices(Algorithm::Myers, old, new)
}

/// The edit script that turns `old` into `new`, word by word where the text
/// has words: alphabetic words (runs of [`is_word_char`]) are compared
/// whole, and only where words differ are their characters diffed. A
/// character diff of a rewritten phrase matches whatever letters the two
/// share (`hardly ever` → `rarely` matches `r`, `ly`), cutting words into
/// pieces no reader sees; collation tools compare words (CollateX's tokens).
/// Han and other text without spaces is one character a token, so there it
/// is [`diff_chars`]. Long texts take the bounded path of [`diff_chars`].
pub fn diff_words(old: &[char], new: &[char]) -> Vec<DiffOp> {
    if is_long(old, new) {
        return diff_chars(old, new);
    }
    // What the two share at either end, cut after a space so that no word
    // is split, is matched as it stands; only the middle is tokenized (most
    // versions differ at a few places).
    // A cut stands after a space in both texts (or at their very start),
    // so a word one of them continues (`cat` in `category`, in `concat`)
    // is never cut.
    let after_space = |t: &[char], k: usize| k == 0 || t[k - 1].is_whitespace();
    let (mut head, mut tail) = common_affixes(old, new);
    if old.len() != new.len() || head < old.len() {
        while head > 0 && !after_space(old, head) {
            head -= 1;
        }
    }
    while tail > 0 && !(after_space(old, old.len() - tail) && after_space(new, new.len() - tail)) {
        tail -= 1;
    }
    let (mo, mn) = (&old[head..old.len() - tail], &new[head..new.len() - tail]);
    let mut ops = vec![DiffOp::Equal {
        old_index: 0,
        new_index: 0,
        len: head,
    }];
    ops.extend(
        diff_word_tokens(mo, mn)
            .into_iter()
            .map(|op| shift(op, head, head)),
    );
    ops.push(DiffOp::Equal {
        old_index: old.len() - tail,
        new_index: new.len() - tail,
        len: tail,
    });
    join_equal_runs(ops)
}

/// [`diff_words`] of two texts without a common start or end to take off.
fn diff_word_tokens(old: &[char], new: &[char]) -> Vec<DiffOp> {
    let (a, b) = (tokens(old), tokens(new));
    if a.len() == old.len() && b.len() == new.len() {
        return capture_diff_slices(Algorithm::Myers, old, new);
    }
    // Tokens compared by their text without the spaces after them, as
    // slices: no hashing, and Myers compares only where it must.
    let ia: Vec<&[char]> = a.iter().map(|r| &old[solid(old, r)]).collect();
    let ib: Vec<&[char]> = b.iter().map(|r| &new[solid(new, r)]).collect();
    token_ops_to_chars(
        old,
        new,
        &a,
        &b,
        capture_diff_slices(Algorithm::Myers, &ia, &ib),
    )
}

/// An edit script on tokens (`a` of `old`, `b` of `new`, see [`tokens`])
/// as one on characters: equal tokens match their text and the spaces
/// after them as far as both have them; tokens that differ are diffed
/// character by character, so a misspelt word still lines up letter by
/// letter.
pub(crate) fn token_ops_to_chars(
    old: &[char],
    new: &[char],
    a: &[Range<usize>],
    b: &[Range<usize>],
    token_ops: Vec<DiffOp>,
) -> Vec<DiffOp> {
    let at = |t: &[Range<usize>], i: usize, len: usize| t.get(i).map_or(len, |r| r.start);
    let mut out: Vec<DiffOp> = Vec::new();
    for op in token_ops {
        let (o, oe, n, ne) = match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => (old_index, old_index + len, new_index, new_index + len),
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (old_index, old_index + old_len, new_index, new_index),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (old_index, old_index, new_index, new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                old_index,
                old_index + old_len,
                new_index,
                new_index + new_len,
            ),
        };
        let (cs, ce) = (at(a, o, old.len()), at(a, oe, old.len()));
        let (ds, de) = (at(b, n, new.len()), at(b, ne, new.len()));
        match op {
            // Equal tokens may differ in the spaces after them (`get `,
            // `get` before a comma): their text is a match, the spaces are
            // matched as far as both have them.
            DiffOp::Equal { len, .. } => {
                for k in 0..len {
                    let (x, y) = (&a[o + k], &b[n + k]);
                    let (sx, sy) = (solid(old, x), solid(new, y));
                    out.push(DiffOp::Equal {
                        old_index: sx.start,
                        new_index: sy.start,
                        len: sx.len(),
                    });
                    let (wx, wy) = (x.end - sx.end, y.end - sy.end);
                    let both = wx.min(wy);
                    if both > 0 {
                        out.push(DiffOp::Equal {
                            old_index: sx.end,
                            new_index: sy.end,
                            len: both,
                        });
                    }
                    if wx > both {
                        out.push(DiffOp::Delete {
                            old_index: sx.end + both,
                            old_len: wx - both,
                            new_index: sy.end + both,
                        });
                    } else if wy > both {
                        out.push(DiffOp::Insert {
                            old_index: sx.end + both,
                            new_index: sy.end + both,
                            new_len: wy - both,
                        });
                    }
                }
            }
            DiffOp::Delete { .. } => out.push(DiffOp::Delete {
                old_index: cs,
                old_len: ce - cs,
                new_index: ds,
            }),
            DiffOp::Insert { .. } => out.push(DiffOp::Insert {
                old_index: cs,
                new_index: ds,
                new_len: de - ds,
            }),
            // Words that differ: their characters, so a misspelt word still
            // lines up letter by letter.
            DiffOp::Replace { .. } => out.extend(
                capture_diff_slices(Algorithm::Myers, &old[cs..ce], &new[ds..de])
                    .into_iter()
                    .map(|op| shift(op, cs, ds)),
            ),
        }
    }
    rediff_around_spaces(old, new, out)
}

/// Where the spaces after an equal token are put in or taken out next to
/// another change (`8% ` → `%8 `: the token `%` matched, its space taken
/// out, `8 ` put in), the changes together are diffed character by
/// character (`8` out, `8` in), as a character diff would read them.
fn rediff_around_spaces(old: &[char], new: &[char], ops: Vec<DiffOp>) -> Vec<DiffOp> {
    let blank = |op: &DiffOp| {
        let (r, s) = match op {
            DiffOp::Delete { .. } => (op.old_range(), old),
            DiffOp::Insert { .. } => (op.new_range(), new),
            _ => return false,
        };
        s[r].iter().all(|c| c.is_whitespace())
    };
    let mut out: Vec<DiffOp> = Vec::with_capacity(ops.len());
    let mut i = 0;
    while i < ops.len() {
        if matches!(ops[i], DiffOp::Equal { .. }) {
            out.push(ops[i]);
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < ops.len() && !matches!(ops[j], DiffOp::Equal { .. }) {
            j += 1;
        }
        let group = &ops[i..j];
        if group.len() > 1 && group.iter().any(blank) {
            let (o, n) = (group[0].old_range().start, group[0].new_range().start);
            let (oe, ne) = (
                group[group.len() - 1].old_range().end,
                group[group.len() - 1].new_range().end,
            );
            out.extend(
                capture_diff_slices(Algorithm::Myers, &old[o..oe], &new[n..ne])
                    .into_iter()
                    .map(|op| shift(op, o, n)),
            );
        } else {
            out.extend_from_slice(group);
        }
        i = j;
    }
    out
}

/// The tokens of a text: each alphabetic word whole, every other character
/// (punctuation, Han) on its own, each with the spaces after it, as
/// CollateX tokenizes. A space alone is no token: spaces match everywhere,
/// and would pull a word diff onto the gaps between other words (`before
/// the cat` against `the black cat` matching two spaces instead of `the`).
pub(crate) fn tokens(text: &[char]) -> Vec<Range<usize>> {
    // ASCII first: this runs over every character of every witness.
    let word = |c: char| {
        if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            is_word_char(c)
        }
    };
    let mut out: Vec<Range<usize>> = Vec::with_capacity(text.len() / 4);
    let mut in_word = false;
    for (i, &c) in text.iter().enumerate() {
        if c.is_whitespace() {
            match out.last_mut() {
                Some(last) => last.end = i + 1,
                None => out.push(i..i + 1),
            }
            in_word = false;
            continue;
        }
        let w = word(c);
        match out.last_mut() {
            Some(last) if w && in_word && last.end == i => last.end = i + 1,
            _ => out.push(i..i + 1),
        }
        in_word = w;
    }
    out
}

/// A token without the spaces after it: what the word diff compares.
pub(crate) fn solid(text: &[char], token: &Range<usize>) -> Range<usize> {
    let t = &text[token.clone()];
    let spaces = t.iter().rev().take_while(|c| c.is_whitespace()).count();
    token.start..token.end - spaces
}

/// The edit script that turns `old` into `new`, with ties broken toward the
/// end: of equally short scripts, one whose matches lie late. Myers (and
/// the common prefix `similar` takes off first) prefers early matches, so
/// the texts are diffed reversed. The part of a text that must end where
/// another begins (a piece's head before its anchor) is diffed this way.
pub fn diff_chars_from_end(old: &[char], new: &[char]) -> Vec<DiffOp> {
    let reversed = |s: &[char]| s.iter().rev().copied().collect::<Vec<char>>();
    let (o, n) = (old.len(), new.len());
    let mut ops: Vec<DiffOp> = diff_chars(&reversed(old), &reversed(new))
        .into_iter()
        .map(|op| match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => DiffOp::Equal {
                old_index: o - old_index - len,
                new_index: n - new_index - len,
                len,
            },
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => DiffOp::Delete {
                old_index: o - old_index - old_len,
                old_len,
                new_index: n - new_index,
            },
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => DiffOp::Insert {
                old_index: o - old_index,
                new_index: n - new_index - new_len,
                new_len,
            },
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => DiffOp::Replace {
                old_index: o - old_index - old_len,
                old_len,
                new_index: n - new_index - new_len,
                new_len,
            },
        })
        .collect();
    ops.reverse();
    ops
}

/// Lengths of the common prefix and of the common suffix of two
/// sequences, not overlapping in either.
pub(crate) fn common_affixes(a: &[char], b: &[char]) -> (usize, usize) {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - head;
    let tail = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    (head, tail)
}

/// The same script with consecutive exact matches as one and empty ones
/// left out: the pieces of a script diffed in parts may meet in a match.
pub(crate) fn join_equal_runs(ops: Vec<DiffOp>) -> Vec<DiffOp> {
    let mut out: Vec<DiffOp> = Vec::with_capacity(ops.len());
    for op in ops {
        if matches!(op, DiffOp::Equal { len: 0, .. }) {
            continue;
        }
        if let (
            Some(DiffOp::Equal {
                old_index,
                new_index,
                len,
            }),
            DiffOp::Equal {
                old_index: o,
                new_index: n,
                len: more,
            },
        ) = (out.last_mut(), op)
            && *old_index + *len == o
            && *new_index + *len == n
        {
            *len += more;
            continue;
        }
        out.push(op);
    }
    out
}

/// The same operation with indices moved by `old` and `new`.
pub(crate) fn shift(op: DiffOp, old: usize, new: usize) -> DiffOp {
    match op {
        DiffOp::Equal {
            old_index,
            new_index,
            len,
        } => DiffOp::Equal {
            old_index: old_index + old,
            new_index: new_index + new,
            len,
        },
        DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        } => DiffOp::Delete {
            old_index: old_index + old,
            old_len,
            new_index: new_index + new,
        },
        DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        } => DiffOp::Insert {
            old_index: old_index + old,
            new_index: new_index + new,
            new_len,
        },
        DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } => DiffOp::Replace {
            old_index: old_index + old,
            old_len,
            new_index: new_index + new,
            new_len,
        },
    }
}

/// Exact matches shorter than this are not trusted to anchor the edges of a
/// fragment: single characters and pairs (`的`, `，`, `th`) match by chance
/// anywhere in a long text.
pub const SOLID_MATCH: usize = 3;

/// Characters that `ops` keeps unchanged.
pub fn matched(ops: &[DiffOp]) -> usize {
    ops.iter()
        .map(|op| match *op {
            DiffOp::Equal { len, .. } => len,
            _ => 0,
        })
        .sum()
}

/// The stretch of the old sequence from the first to the last exact match of
/// at least `min` characters, if there is one.
pub fn matched_span(ops: &[DiffOp], min: usize) -> Option<Range<usize>> {
    let mut equal = ops.iter().filter_map(|op| match *op {
        DiffOp::Equal { old_index, len, .. } if len >= min => Some(old_index..old_index + len),
        _ => None,
    });
    let first = equal.next()?;
    let last = equal.next_back().unwrap_or_else(|| first.clone());
    Some(first.start..last.end)
}

/// Length of the longest common subsequence: the characters an optimal
/// diff matches, as [`matched`] counts them on [`diff_chars`]'s result,
/// computed bit-parallel (rapidfuzz) without building the edit script.
/// For long texts, the anchors' characters and those common to each gap
/// between them: a lower bound, exact when the anchors lie on an optimal
/// alignment; a coarse gap counts none.
pub fn common_chars(a: &[char], b: &[char]) -> usize {
    if is_long(a, b) {
        return anchored::sum_over_pieces(a, b, |len| len, lcs, |_, _| 0);
    }
    lcs(a, b)
}

/// The length of the longest common subsequence of `a` and `b`.
pub(crate) fn lcs(a: &[char], b: &[char]) -> usize {
    rapidfuzz::distance::lcs_seq::similarity(a.iter().copied(), b.iter().copied())
}

/// Levenshtein distance between two character slices. For long texts, the
/// sum of the distances of the gaps between anchors: an upper bound, exact
/// when the anchors lie on an optimal alignment; a coarse gap counts as
/// the longer of its two sides.
pub fn levenshtein(a: &[char], b: &[char]) -> usize {
    if is_long(a, b) {
        return anchored::sum_over_pieces(a, b, |_| 0, exact_levenshtein, usize::max);
    }
    exact_levenshtein(a, b)
}

/// Levenshtein distance, exact whatever the length, computed in bands of
/// growing width: a band as wide as the distance is enough, and rapidfuzz's
/// banded kernel costs the band's width over 64 per character, so two
/// long texts that differ little cost little (a page of 20,000 characters
/// at CER 0.08: a tenth of the full matrix).
pub fn exact_levenshtein_banded(a: &[char], b: &[char]) -> usize {
    use rapidfuzz::distance::levenshtein::{Args, distance_with_args};
    let longest = a.len().max(b.len());
    let mut max = a.len().abs_diff(b.len()).max(64);
    while max < longest {
        let args = Args::default().score_cutoff(max);
        let d = match as_bytes(a, b) {
            Some((a, b)) => distance_with_args(a.iter().copied(), b.iter().copied(), &args),
            None => distance_with_args(a.iter().copied(), b.iter().copied(), &args),
        };
        if let Some(d) = d {
            return d;
        }
        max *= 4;
    }
    exact_levenshtein(a, b)
}

/// Levenshtein distance, exact whatever the length (quadratic over 64).
pub fn exact_levenshtein(a: &[char], b: &[char]) -> usize {
    rapidfuzz::distance::levenshtein::distance(a.iter().copied(), b.iter().copied())
}

/// Levenshtein distance if it is at most `max`, else `None`.
///
/// rapidfuzz's bit-parallel algorithm with a band of width `max`: about 64
/// characters per machine word, and no work past the cutoff. Verifying
/// candidate pairs was 55% of a `report` run with strsim's quadratic
/// version (perf, 8,000 generated paragraphs).
///
/// The kernels look each character up in a table of bit masks: directly
/// for a byte, through a hash map for any other character. Two paragraphs
/// seldom use more than 256 distinct characters between them (a Chinese
/// paragraph of 300 characters uses about 200), so they are renumbered as
/// bytes first, which keeps the distance and takes about a quarter off
/// its time (pairs of 200 Han characters up to 50 edits apart).
///
/// Long texts are measured by [`levenshtein`] between anchors: the band
/// would still be quadratic when `max` is a share of the length.
pub fn levenshtein_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    use rapidfuzz::distance::levenshtein::{Args, distance_with_args};
    if is_long(a, b) {
        if a.len().abs_diff(b.len()) > max {
            return None;
        }
        return Some(levenshtein(a, b)).filter(|&d| d <= max);
    }
    let args = Args::default().score_cutoff(max);
    match as_bytes(a, b) {
        Some((a, b)) => distance_with_args(a.iter().copied(), b.iter().copied(), &args),
        None => distance_with_args(a.iter().copied(), b.iter().copied(), &args),
    }
}

/// Levenshtein distance of `a` and `b` when their normalized similarity,
/// `1 − distance / longer length`, reaches `min`; `None` when it does not,
/// or when both are empty. The one measure of "versions of each other":
/// clustering verifies candidate pairs by it ([`similarity_within`]) and
/// `diff` pairs paragraphs by it.
///
/// The length ratio bounds the similarity from above, so the distance is
/// computed only where it can succeed, and never past the most edits `min`
/// allows.
pub fn distance_within_similarity(a: &[char], b: &[char], min: f64) -> Option<usize> {
    if !lengths_allow(a.len() as u32, b.len() as u32, min) {
        return None;
    }
    let long = a.len().max(b.len());
    let max_distance = ((1.0 - min) * long as f64).floor() as usize;
    levenshtein_within(a, b, max_distance)
}

/// Normalized Levenshtein similarity, `1 − distance / longer length`, of
/// `a` and `b` if it reaches `min` (see [`distance_within_similarity`]).
pub fn similarity_within(a: &[char], b: &[char], min: f64) -> Option<f64> {
    let distance = distance_within_similarity(a, b, min)?;
    Some(1.0 - distance as f64 / a.len().max(b.len()) as f64)
}

/// `a` and `b` with each distinct character numbered as a byte in order of
/// first appearance; `None` when they hold more than 256 distinct ones.
fn as_bytes(a: &[char], b: &[char]) -> Option<(Vec<u8>, Vec<u8>)> {
    // Open addressing over a power of two well above 256 slots, so probe
    // runs stay short; a slot holds a character and its number.
    const SLOTS: usize = 1024;
    const FREE: u32 = u32::MAX;
    let mut slots = [(FREE, 0u8); SLOTS];
    let mut next = 0usize;
    let mut number = |c: char| -> Option<u8> {
        let key = c as u32;
        let mut i = (key.wrapping_mul(0x9E37_79B9) >> 22) as usize;
        loop {
            match slots[i] {
                (k, n) if k == key => return Some(n),
                (FREE, _) => {
                    let n = u8::try_from(next).ok()?;
                    slots[i] = (key, n);
                    next += 1;
                    return Some(n);
                }
                _ => i = (i + 1) % SLOTS,
            }
        }
    };
    let a: Vec<u8> = a.iter().map(|&c| number(c)).collect::<Option<_>>()?;
    let b: Vec<u8> = b.iter().map(|&c| number(c)).collect::<Option<_>>()?;
    Some((a, b))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The text a script makes of `old`: `new`, when the script is right.
    pub(crate) fn apply(old: &[char], new: &[char], ops: &[DiffOp]) -> Vec<char> {
        let mut out = Vec::new();
        for op in ops {
            match *op {
                DiffOp::Equal { old_index, len, .. } => {
                    out.extend_from_slice(&old[old_index..old_index + len])
                }
                DiffOp::Delete { .. } => {}
                DiffOp::Insert {
                    new_index, new_len, ..
                }
                | DiffOp::Replace {
                    new_index, new_len, ..
                } => out.extend_from_slice(&new[new_index..new_index + new_len]),
            }
        }
        out
    }

    #[test]
    fn applying_the_diff_gives_the_new_text() {
        let cases = [
            ("斡旋缅北达成", "斡旋东北达成"),
            ("中俄关系", "俄中关系"),
            ("", "abc"),
            ("abc", ""),
            ("the cat sat", "the hat sat down"),
        ];
        for (a, b) in cases {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            assert_eq!(apply(&a, &b, &diff_chars(&a, &b)), b);
        }
    }

    #[test]
    fn diffing_from_the_end_gives_the_new_text_with_late_matches() {
        let cases = [
            ("t the t", "the t"),
            ("中俄关系", "俄中关系"),
            ("", "abc"),
            ("abc", ""),
            ("the cat sat", "the hat sat down"),
            (
                "平等有序的世界多极化和普惠包容的经济全球化。平等的多极化",
                "平等的多极化",
            ),
        ];
        for (a, b) in cases {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let ops = diff_chars_from_end(&a, &b);
            assert_eq!(apply(&a, &b, &ops), b);
            assert_eq!(matched(&ops), matched(&diff_chars(&a, &b)));
        }
        // The repeated words match where they end the text.
        let (a, b): (Vec<char>, Vec<char>) =
            ("t the t".chars().collect(), "the t".chars().collect());
        assert_eq!(
            diff_chars_from_end(&a, &b),
            [
                DiffOp::Delete {
                    old_index: 0,
                    old_len: 2,
                    new_index: 0
                },
                DiffOp::Equal {
                    old_index: 2,
                    new_index: 0,
                    len: 5
                }
            ]
        );
    }

    #[test]
    fn matched_span_skips_chance_matches() {
        let long: Vec<char> = "的一年来举行百余场会见通话元首外交".chars().collect();
        let short: Vec<char> = "的会见通话元首".chars().collect();
        let ops = diff_chars(&long, &short);
        assert_eq!(matched(&ops), 7);
        assert_eq!(matched_span(&ops, SOLID_MATCH), Some(9..15));
        assert_eq!(matched_span(&ops, 1), Some(0..15));
    }

    #[test]
    fn levenshtein_counts_edits() {
        let a: Vec<char> = "斡旋缅北".chars().collect();
        let b: Vec<char> = "斡旋东北!".chars().collect();
        assert_eq!(levenshtein(&a, &b), 2);
        assert_eq!(levenshtein_within(&a, &b, 2), Some(2));
        assert_eq!(levenshtein_within(&a, &b, 1), None);
    }

    #[test]
    fn similarity_is_one_minus_distance_over_the_longer_length() {
        let (a, b): (Vec<char>, Vec<char>) =
            ("kitten".chars().collect(), "sitting".chars().collect());
        // Three edits over seven characters: 4/7.
        assert_eq!(distance_within_similarity(&a, &b, 0.5), Some(3));
        assert_eq!(similarity_within(&a, &b, 0.5), Some(1.0 - 3.0 / 7.0));
        assert_eq!(similarity_within(&a, &b, 0.6), None);
        // Lengths alone rule a pair out; two empty texts are not versions.
        assert_eq!(similarity_within(&a, &a[..2], 0.5), None);
        assert_eq!(similarity_within(&[], &[], 0.5), None);
    }

    #[test]
    fn levenshtein_agrees_with_strsim() {
        // strsim's plain dynamic programme is the reference.
        let texts = [
            "",
            "a",
            "kitten",
            "sitting",
            "斡旋缅北达成停火",
            "斡旋东北达成停火协议",
            "the cat sat on the mat",
        ];
        for a in texts {
            for b in texts {
                let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                assert_eq!(
                    levenshtein(&ca, &cb),
                    strsim::levenshtein(a, b),
                    "{a:?} {b:?}"
                );
            }
        }
        let long: Vec<char> = "斡旋缅北达成停火".repeat(40).chars().collect();
        let mut other = long.clone();
        other[100] = '东';
        other.remove(200);
        assert_eq!(levenshtein(&long, &other), 2);
    }

    proptest::proptest! {
        /// With few distinct characters the pair is renumbered as bytes,
        /// with many (over 256) it is not: both give strsim's distance.
        #[test]
        fn levenshtein_within_agrees_with_strsim(
            a in proptest::collection::vec(0u32..4000, 0..300),
            edits in proptest::collection::vec((0usize..300, 0u32..4000), 0..40),
            wide: bool,
            max in 0usize..60,
        ) {
            let alphabet = if wide { 4000 } else { 40 };
            let ch = |n: u32| char::from_u32(0x4E00 + n % alphabet).unwrap();
            let a: Vec<char> = a.into_iter().map(ch).collect();
            let mut b = a.clone();
            for (at, n) in edits {
                let len = b.len();
                match n % 3 {
                    0 if len > 0 => b[at % len] = ch(n),
                    1 if len > 0 => drop(b.remove(at % len)),
                    _ => b.insert(at % (len + 1), ch(n)),
                }
            }
            let (sa, sb): (String, String) = (a.iter().collect(), b.iter().collect());
            let exact = strsim::levenshtein(&sa, &sb);
            proptest::prop_assert_eq!(
                levenshtein_within(&a, &b, max),
                (exact <= max).then_some(exact)
            );
        }
    }

    #[test]
    fn common_chars_is_what_an_optimal_diff_matches() {
        let texts = [
            "斡旋缅北达成停火",
            "斡旋东北达成停火协议",
            "abcXdef",
            "abcdef",
            "",
            "the talks would continue",
            "the talk will continue next week",
        ];
        for a in texts {
            for b in texts {
                let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                assert_eq!(
                    common_chars(&a, &b),
                    matched(&diff_chars(&a, &b)),
                    "{a:?} {b:?}"
                );
            }
        }
    }
}
