//! A candidate pair checked with a real similarity: two versions of one
//! paragraph, two pieces of one paragraph, or a smaller paragraph that lies
//! in a larger one as one stretch.
//!
//! ```text
//! (002₇, 004₁₂)         → Full(002₇, 004₁₂) 0.97
//! (001₂₃+001₂₄, 004₁₂)  → Split(001₂₃, 001₂₄ → 004₁₂) 0.99
//! (002₉, 002₇)          → Contained(002₉ ⊂ 002₇) 0.96
//! (002₇, 003₄)          → none: below min_similarity
//! ```
use super::sketch::Unit;
use super::{ClusterConfig, Item, Keys};
use crate::candidates::{lengths_allow, split_possible};
use crate::diff::{SOLID_MATCH, diff_chars, matched, matched_span, similarity_within};
use crate::minhash::shingle_hashes;

/// A verified relation between paragraphs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Edge {
    /// Two versions of the whole paragraph.
    Full {
        /// Smaller item index.
        a: u32,
        /// Larger item index.
        b: u32,
        /// Normalized Levenshtein similarity of the comparison keys.
        similarity: f64,
    },
    /// Two adjacent paragraphs of one source are, together, a version of
    /// `whole`: a paragraph cut by a page break.
    Split {
        /// The first piece.
        first: u32,
        /// The second piece.
        second: u32,
        /// The whole paragraph, in another source.
        whole: u32,
        /// Similarity of the joined pieces to `whole`.
        similarity: f64,
    },
    /// `part` lies in `whole` as one stretch: a fragment, a pull quote, or an
    /// abridged version.
    Contained {
        /// The smaller paragraph.
        part: u32,
        /// The larger paragraph.
        whole: u32,
        /// Share of `part`'s shingles found in `whole`.
        containment: f64,
    },
}

impl Edge {
    /// The items it connects, for deterministic ordering.
    pub(super) fn ends(&self) -> (u32, u32, u32) {
        match *self {
            Edge::Full { a, b, .. } => (a, b, u32::MAX),
            Edge::Split {
                first,
                second,
                whole,
                ..
            } => (first, second, whole),
            Edge::Contained { part, whole, .. } => (part, whole, u32::MAX),
        }
    }
}

/// Checks a candidate pair of units. `keys` are the comparison keys of all
/// items. Lengths are compared before any text is decoded: most candidates
/// fail there.
pub(crate) fn verify(
    units: (Unit, Unit),
    items: &[Item],
    keys: &Keys,
    cfg: &ClusterConfig,
) -> Option<Edge> {
    match units {
        (Unit::Single(a), Unit::Single(b)) => verify_pair(a, b, items, keys, cfg),
        (Unit::Joined(first, second), Unit::Single(whole))
        | (Unit::Single(whole), Unit::Joined(first, second)) => {
            // Two paragraphs are pieces of one only when the first stops
            // mid-sentence, or when neither could be a version of the whole
            // by itself: otherwise the longer one is that version and the
            // other a paragraph of its own.
            let info = Unit::Joined(first, second).info(items);
            let whole_chars = items[whole as usize].chars;
            if !split_possible(
                info.chars,
                info.closed_piece,
                whole_chars,
                cfg.min_similarity,
            ) {
                return None;
            }
            let mut joined = keys.chars(first as usize);
            joined.extend(keys.get(second as usize).chars());
            let similarity =
                similarity_within(&joined, &keys.chars(whole as usize), cfg.min_similarity)?;
            Some(Edge::Split {
                first,
                second,
                whole,
                similarity,
            })
        }
        (Unit::Joined(..), Unit::Joined(..)) => None,
    }
}

/// Checks two paragraphs: versions of each other (Full), or the shorter one
/// inside the longer (Contained). A paragraph at least `min_similarity` as
/// long as the other is judged as a version only: were it contained, it
/// would be similar enough.
pub(crate) fn verify_pair(
    a: u32,
    b: u32,
    items: &[Item],
    keys: &Keys,
    cfg: &ClusterConfig,
) -> Option<Edge> {
    let (a, b) = (a.min(b), a.max(b));
    let (ia, ib) = (&items[a as usize], &items[b as usize]);
    if ia.script != ib.script || (ia.chars.min(ib.chars) as usize) < cfg.min_chars {
        return None;
    }
    if lengths_allow(ia.chars, ib.chars, cfg.min_similarity) {
        let similarity = similarity_within(
            &keys.chars(a as usize),
            &keys.chars(b as usize),
            cfg.min_similarity,
        )?;
        return Some(Edge::Full { a, b, similarity });
    }
    let (part, whole) = if ia.chars <= ib.chars { (a, b) } else { (b, a) };
    if items[part as usize].heading {
        return None;
    }
    let containment = containment(&keys.chars(part as usize), &keys.chars(whole as usize), cfg)?;
    Some(Edge::Contained {
        part,
        whole,
        containment,
    })
}

/// The share of `part`'s shingles found in `whole`, when it reaches the
/// threshold and `part` lies in `whole` as one stretch.
fn containment(part: &[char], whole: &[char], cfg: &ClusterConfig) -> Option<f64> {
    // A filter first: `whole`'s shingles set bits of a small bitmap, and a
    // shingle of `part` whose bit is clear is certainly not in `whole`. Most
    // candidates fail here, before any sorting.
    const BITS: usize = 8192;
    let mut sw: Vec<u64> = shingle_hashes(whole).collect();
    let mut sp: Vec<u64> = shingle_hashes(part).collect();
    let mut bitmap = [0u64; BITS / 64];
    for &h in &sw {
        let bit = (h % BITS as u64) as usize;
        bitmap[bit / 64] |= 1 << (bit % 64);
    }
    let maybe = sp
        .iter()
        .filter(|&&h| {
            let bit = (h % BITS as u64) as usize;
            bitmap[bit / 64] & (1 << (bit % 64)) != 0
        })
        .count();
    if (maybe as f64) < cfg.min_containment * sp.len() as f64 {
        return None;
    }
    for set in [&mut sp, &mut sw] {
        set.sort_unstable();
        set.dedup();
    }
    if sp.len() < cfg.min_fragment_shingles {
        return None;
    }
    let shared = sorted_intersection(&sp, &sw);
    let containment = shared as f64 / sp.len() as f64;
    (containment >= cfg.min_containment && is_embedded(whole, part, cfg)).then_some(containment)
}

fn sorted_intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Whether `short` lies in `long` as one piece: enough of its characters
/// match, in a stretch of `long` not much longer than `short` itself. Shared
/// shingles alone do not show this: two paragraphs on one topic share most
/// of their Chinese bigrams, scattered all over.
fn is_embedded(long: &[char], short: &[char], cfg: &ClusterConfig) -> bool {
    let ops = diff_chars(long, short);
    let Some(span) = matched_span(&ops, SOLID_MATCH) else {
        return false;
    };
    matched(&ops) as f64 >= cfg.min_containment * short.len() as f64
        && span.len() as f64 <= short.len() as f64 / cfg.min_containment
}
