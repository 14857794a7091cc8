//! Long texts compared piece by piece between anchors, in time and memory
//! about linear in their length.
//!
//! ```text
//! a  …的一年来举行百余场会见通话|元首外交日益发挥作用…
//! b  …的一年来举行了百余场会见通话|元首外交日益发挥了作用…
//!       └ anchor ┘ gap └── anchor ──┘ gap └ anchor ┘
//! ```
//!
//! Anchors are k-grams that occur exactly once in each text, kept where
//! they run in the same order in both (the longest increasing subsequence,
//! as patience diff and MUMmer's maximal unique matches do), and widened to
//! the longest exact match around them. Only the gaps between anchors are
//! diffed or measured, each one short; a gap still longer than
//! [`LONG_TEXT`] is anchored again inside itself, with shorter k-grams if
//! need be, and one that has no anchors at all is taken as one replacement
//! (a *coarse* gap).
use std::ops::Range;

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::shift;

/// Texts up to this many characters (the longer of the two) are compared
/// whole, exactly as before; longer ones piecewise between anchors.
///
/// Whole comparisons are quadratic: `report` on one paragraph in three
/// versions (`scripts/long_paragraph.py`) took 0.33 s of CPU at 20,000
/// characters, 2.5 s at 50,000 and 104 s at 300,000; the anchored path
/// took 0.15 s at 50,000 and 1.1 s at 300,000. Below this length the
/// exact path costs little, and no ordinary paragraph comes near it, so
/// their results stay exactly as they were.
pub const LONG_TEXT: usize = 20_000;

/// k-gram lengths tried, longest first, on a stretch that has no anchors at
/// the longer one. 32 characters are a sentence of Chinese or a line of
/// English, and rarely repeat by chance in a long text; 8 still find
/// anchors in a stretch rewritten every ten characters or so.
const ANCHOR_LENGTHS: [usize; 3] = [32, 16, 8];

/// How often a gap is anchored again inside itself before it is taken as
/// one replacement. Each round only finds anchors that are unique in the
/// smaller stretch, so texts that repeat themselves need a few.
const MAX_DEPTH: usize = 6;

/// An exact match: `a[a..a + len] == b[b..b + len]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// Start in the first text.
    pub a: usize,
    /// Start in the second text.
    pub b: usize,
    /// Characters matched.
    pub len: usize,
}

/// The maximal matches around the k-grams that occur exactly once in each
/// text, in increasing order in both texts and not overlapping; empty when
/// there are none (or a text is shorter than `k`).
pub fn anchors(a: &[char], b: &[char], k: usize) -> Vec<Anchor> {
    if k == 0 || a.len() < k || b.len() < k {
        return Vec::new();
    }
    let (ua, ub) = (unique_kgrams(a, k), unique_kgrams(b, k));
    // Both lists are sorted by hash: join them.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < ua.len() && j < ub.len() {
        match ua[i].0.cmp(&ub[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                let (pa, pb) = (ua[i].1, ub[j].1);
                // Equal hashes of different text are a collision.
                if a[pa..pa + k] == b[pb..pb + k] {
                    pairs.push((pa, pb));
                }
                i += 1;
                j += 1;
            }
        }
    }
    pairs.sort_unstable();
    let chain = longest_increasing(&pairs);

    // Overlapping k-grams on one diagonal are one run; a k-gram that
    // overlaps the run before it on another diagonal is dropped.
    let mut runs: Vec<Anchor> = Vec::new();
    for (pa, pb) in chain {
        if let Some(r) = runs.last_mut() {
            if pa - r.a == pb.wrapping_sub(r.b) && pb >= r.b && pa <= r.a + r.len {
                r.len = r.len.max(pa + k - r.a);
                continue;
            }
            if pa < r.a + r.len || pb < r.b + r.len {
                continue;
            }
        }
        runs.push(Anchor {
            a: pa,
            b: pb,
            len: k,
        });
    }
    // Widen each run to the whole exact match, up to its neighbours.
    for i in 0..runs.len() {
        let (floor_a, floor_b) = match i {
            0 => (0, 0),
            _ => (
                runs[i - 1].a + runs[i - 1].len,
                runs[i - 1].b + runs[i - 1].len,
            ),
        };
        let (ceil_a, ceil_b) = runs.get(i + 1).map_or((a.len(), b.len()), |n| (n.a, n.b));
        let r = &mut runs[i];
        while r.a > floor_a && r.b > floor_b && a[r.a - 1] == b[r.b - 1] {
            r.a -= 1;
            r.b -= 1;
            r.len += 1;
        }
        while r.a + r.len < ceil_a && r.b + r.len < ceil_b && a[r.a + r.len] == b[r.b + r.len] {
            r.len += 1;
        }
    }
    // Runs widened into each other on one diagonal are one.
    let mut merged: Vec<Anchor> = Vec::with_capacity(runs.len());
    for r in runs {
        match merged.last_mut() {
            Some(m) if m.a + m.len == r.a && m.b + m.len == r.b => m.len += r.len,
            _ => merged.push(r),
        }
    }
    merged
}

/// `(hash, start)` of every k-gram of `text` whose hash occurs once, sorted
/// by hash. A polynomial rolling hash; text that repeats always has equal
/// hashes, so nothing repeated is taken as unique.
fn unique_kgrams(text: &[char], k: usize) -> Vec<(u64, usize)> {
    const BASE: u64 = 0x100_0000_01b3;
    let top = BASE.wrapping_pow(k as u32 - 1);
    let mut grams: Vec<(u64, usize)> = Vec::with_capacity(text.len() + 1 - k);
    let mut h: u64 = 0;
    for (i, &c) in text.iter().enumerate() {
        if i >= k {
            h = h.wrapping_sub((text[i - k] as u64 + 1).wrapping_mul(top));
        }
        h = h.wrapping_mul(BASE).wrapping_add(c as u64 + 1);
        if i + 1 >= k {
            grams.push((h, i + 1 - k));
        }
    }
    grams.sort_unstable();
    let n = grams.len();
    let mut unique = Vec::with_capacity(n);
    for i in 0..n {
        let h = grams[i].0;
        if (i == 0 || grams[i - 1].0 != h) && (i + 1 == n || grams[i + 1].0 != h) {
            unique.push(grams[i]);
        }
    }
    unique
}

/// The longest chain of `pairs` (sorted by their first, all distinct)
/// whose seconds increase too; the first such in order on a tie.
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // Patience sorting: tails[l] ends the best chain of length l + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = vec![usize::MAX; pairs.len()];
    for (i, &(_, b)) in pairs.iter().enumerate() {
        let at = tails.partition_point(|&t| pairs[t].1 < b);
        if at > 0 {
            prev[i] = tails[at - 1];
        }
        if at == tails.len() {
            tails.push(i);
        } else {
            tails[at] = i;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut i = tails.last().copied().unwrap_or(usize::MAX);
    while i != usize::MAX {
        chain.push(pairs[i]);
        i = prev[i];
    }
    chain.reverse();
    chain
}

/// One piece of a long comparison, in text order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// The same text in both.
    Equal(Anchor),
    /// Text between anchors: short enough to compare exactly (or empty on
    /// one side), or `coarse`: long, with nothing found to anchor it.
    Gap {
        /// Characters of the first text.
        a: Range<usize>,
        /// Characters of the second text.
        b: Range<usize>,
        /// Too long to compare exactly.
        coarse: bool,
    },
}

/// `a` and `b` cut into equal stretches and gaps between them, in order;
/// together the pieces cover both texts.
pub(crate) fn pieces(a: &[char], b: &[char]) -> Vec<Piece> {
    let mut out = Vec::new();
    split(a, b, 0, 0, 0, &mut out);
    out
}

fn split(a: &[char], b: &[char], a0: usize, b0: usize, depth: usize, out: &mut Vec<Piece>) {
    let equal = |out: &mut Vec<Piece>, a: usize, b: usize, len: usize| {
        if len > 0 {
            out.push(Piece::Equal(Anchor { a, b, len }));
        }
    };
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    equal(out, a0, b0, prefix);
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let (ma0, mb0) = (a0 + prefix, b0 + prefix);
    let gap = |out: &mut Vec<Piece>, coarse| {
        if !ma.is_empty() || !mb.is_empty() {
            out.push(Piece::Gap {
                a: ma0..ma0 + ma.len(),
                b: mb0..mb0 + mb.len(),
                coarse,
            });
        }
    };
    if ma.is_empty() || mb.is_empty() || ma.len().max(mb.len()) <= LONG_TEXT {
        gap(out, false);
    } else {
        let found = (depth < MAX_DEPTH)
            .then(|| {
                ANCHOR_LENGTHS
                    .iter()
                    .map(|&k| anchors(ma, mb, k))
                    .find(|found| !found.is_empty())
            })
            .flatten();
        match found {
            None => gap(out, true),
            Some(found) => {
                let (mut i, mut j) = (0, 0);
                for an in found {
                    split(&ma[i..an.a], &mb[j..an.b], ma0 + i, mb0 + j, depth + 1, out);
                    equal(out, ma0 + an.a, mb0 + an.b, an.len);
                    (i, j) = (an.a + an.len, an.b + an.len);
                }
                split(&ma[i..], &mb[j..], ma0 + i, mb0 + j, depth + 1, out);
            }
        }
    }
    equal(out, a0 + a.len() - suffix, b0 + b.len() - suffix, suffix);
}

/// The edit script of two long texts: anchors are equal, each short gap is
/// diffed by Myers, a coarse gap is one replacement. Also whether any gap
/// was coarse.
pub(crate) fn diff(old: &[char], new: &[char]) -> (Vec<DiffOp>, bool) {
    let mut ops: Vec<DiffOp> = Vec::new();
    let mut coarse = false;
    for piece in pieces(old, new) {
        match piece {
            Piece::Equal(an) => ops.push(DiffOp::Equal {
                old_index: an.a,
                new_index: an.b,
                len: an.len,
            }),
            Piece::Gap { a, b, coarse: true } => {
                coarse = true;
                ops.push(DiffOp::Replace {
                    old_index: a.start,
                    old_len: a.len(),
                    new_index: b.start,
                    new_len: b.len(),
                });
            }
            Piece::Gap { a, b, .. } => {
                ops.extend(
                    capture_diff_slices(Algorithm::Myers, &old[a.clone()], &new[b.clone()])
                        .into_iter()
                        .map(|op| shift(op, a.start, b.start)),
                );
            }
        }
    }
    (super::join_equal_runs(ops), coarse)
}

/// Sums `exact(gap a, gap b)` over the short gaps, `coarse(gap a, gap b)`
/// over the coarse ones and `len` over the equal pieces.
pub(crate) fn sum_over_pieces(
    a: &[char],
    b: &[char],
    equal: impl Fn(usize) -> usize,
    exact: impl Fn(&[char], &[char]) -> usize,
    coarse: impl Fn(usize, usize) -> usize,
) -> usize {
    pieces(a, b)
        .into_iter()
        .map(|piece| match piece {
            Piece::Equal(an) => equal(an.len),
            Piece::Gap {
                a: ra,
                b: rb,
                coarse: true,
            } => coarse(ra.len(), rb.len()),
            Piece::Gap { a: ra, b: rb, .. } => exact(&a[ra], &b[rb]),
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn unique_kgrams_anchor_and_widen_to_the_whole_match() {
        let a = chars("xxabcdefghyy");
        let b = chars("zabcdefghw");
        assert_eq!(anchors(&a, &b, 4), vec![Anchor { a: 2, b: 1, len: 8 }]);
    }

    #[test]
    fn repeated_kgrams_are_no_anchors() {
        // `abcd` occurs twice in `a`: it anchors nothing; `wxyz` does.
        let a = chars("abcd-abcd-wxyz");
        let b = chars("abcd+wxyz");
        let found = anchors(&a, &b, 4);
        assert_eq!(
            found,
            vec![Anchor {
                a: 10,
                b: 5,
                len: 4
            }]
        );
    }

    #[test]
    fn anchors_out_of_order_are_left_out() {
        // Three unique k-grams; `2222` is moved: the two in order win.
        let a = chars("1111.2222.3333.4444");
        let b = chars("1111.3333.2222+4444");
        let found = anchors(&a, &b, 4);
        let starts: Vec<(usize, usize)> = found.iter().map(|x| (x.a, x.b)).collect();
        assert_eq!(starts, vec![(0, 0), (10, 5), (15, 15)]);
        // Widened up to their neighbours, never overlapping.
        for w in found.windows(2) {
            assert!(w[0].a + w[0].len <= w[1].a && w[0].b + w[0].len <= w[1].b);
        }
    }

    #[test]
    fn no_common_kgrams_no_anchors() {
        assert!(anchors(&chars("abcdefgh"), &chars("ijklmnop"), 4).is_empty());
        assert!(anchors(&chars("abc"), &chars("abc"), 4).is_empty());
        assert!(anchors(&[], &chars("abcd"), 4).is_empty());
    }

    #[test]
    fn longest_increasing_keeps_the_ordered_chain() {
        let pairs = [(0, 5), (1, 1), (2, 2), (3, 0), (4, 3), (5, 4)];
        assert_eq!(
            longest_increasing(&pairs),
            vec![(1, 1), (2, 2), (4, 3), (5, 4)]
        );
        assert!(longest_increasing(&[]).is_empty());
    }

    /// A text of `n` characters that does not repeat itself much: words of
    /// a small vocabulary drawn by a fixed generator.
    fn text(n: usize, seed: u64) -> Vec<char> {
        let words = [
            "的", "中国", "外交", "合作", "发展", "the ", "talks ", "will ", "，", "。",
        ];
        let mut state = seed;
        let mut out = Vec::with_capacity(n + 8);
        while out.len() < n {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            out.extend(words[(state >> 33) as usize % words.len()].chars());
        }
        out.truncate(n);
        out
    }

    #[test]
    fn a_coarse_gap_is_one_replacement() {
        // Two long texts with nothing in common.
        let a: Vec<char> = (0..LONG_TEXT + 10)
            .map(|i| if i % 2 == 0 { 'a' } else { 'b' })
            .collect();
        let b: Vec<char> = vec!['c'; LONG_TEXT + 5];
        let (ops, coarse) = diff(&a, &b);
        assert!(coarse);
        assert_eq!(
            ops,
            vec![DiffOp::Replace {
                old_index: 0,
                old_len: a.len(),
                new_index: 0,
                new_len: b.len()
            }]
        );
    }

    #[test]
    fn pieces_cover_both_texts_in_order() {
        let a = text(3 * LONG_TEXT, 1);
        let mut b = a.clone();
        for i in (0..b.len()).step_by(997) {
            b[i] = 'X';
        }
        b.drain(10_000..10_300);
        let (mut i, mut j) = (0, 0);
        for piece in pieces(&a, &b) {
            match piece {
                Piece::Equal(an) => {
                    assert_eq!((an.a, an.b), (i, j));
                    assert_eq!(a[an.a..an.a + an.len], b[an.b..an.b + an.len]);
                    (i, j) = (an.a + an.len, an.b + an.len);
                }
                Piece::Gap {
                    a: ra,
                    b: rb,
                    coarse,
                } => {
                    assert!(!coarse);
                    assert_eq!((ra.start, rb.start), (i, j));
                    (i, j) = (ra.end, rb.end);
                }
            }
        }
        assert_eq!((i, j), (a.len(), b.len()));
    }
}
