//! The units of one document and their MinHash signatures: each paragraph,
//! and each two adjacent paragraphs as one (a page break may have cut a
//! paragraph in two), with the LSH band keys the candidate stage groups by.
//!
//! ```text
//! doc 001: 001₂₃ "促成…停火协议，"  001₂₄ "坚持…霸凌行径。"
//!   → shingles hashed once: a sketch per paragraph, and a sample (hash ≡ 0 mod 4)
//!   → units Single(23) Single(24) Joined(23,24), each with its band keys
//!     and its signature in brief
//! ```
use std::ops::Range;

use super::{ClusterConfig, Item, Keys};
use crate::candidates::UnitInfo;
use crate::minhash::{Banding, RawSketch, shingle_hashes};
use crate::segment::Script;

/// A unit of the candidate stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Unit {
    /// One paragraph.
    Single(u32),
    /// Two adjacent paragraphs of one document and script, matched as one.
    Joined(u32, u32),
}

impl Unit {
    /// What the pair stage needs to know of the unit: its source (the
    /// paragraphs of a joined unit share one), whether it is joined, and
    /// the lengths [`split_possible`](crate::candidates::split_possible) judges.
    pub(crate) fn info(self, items: &[Item]) -> UnitInfo {
        match self {
            Unit::Single(i) => UnitInfo {
                source: items[i as usize].source,
                doc: items[i as usize].doc.0,
                joined: false,
                chars: items[i as usize].chars,
                closed_piece: 0,
            },
            Unit::Joined(first, second) => {
                let (f, s) = (&items[first as usize], &items[second as usize]);
                UnitInfo {
                    source: f.source,
                    doc: f.doc.0,
                    joined: true,
                    chars: f.chars + s.chars,
                    closed_piece: if f.open { 0 } else { f.chars.max(s.chars) },
                }
            }
        }
    }
}

/// The units of one document and their band keys (`banding.bands` per unit).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct DocSketch {
    /// The units, in item order.
    pub units: Vec<Unit>,
    /// Their band keys, unit after unit.
    pub keys: Vec<u32>,
    /// Their signatures in brief ([`crate::minhash::NIBBLE_BYTES`] bytes per
    /// unit), to estimate the Jaccard similarity of a candidate pair before
    /// verifying it.
    pub nibbles: Vec<u8>,
}

/// What one pass over an item's shingles gives: its MinHash sketch (`None`
/// for an empty key) and its sample for the pull-quote search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Shingled {
    /// The one-permutation sketch of all its shingles.
    pub sketch: Option<RawSketch>,
    /// Its shingle hashes that are multiples of 4 (a fixed sample), sorted
    /// and deduplicated (see [`document_pairs`](super::pullquotes::document_pairs)).
    pub sample: Vec<u64>,
}

/// One shingle in this many takes part in the search for pull quotes.
const DOCUMENT_SAMPLE: u64 = 4;

/// The shingles of the items `range`, hashed once per document for both its
/// signatures and its pull quotes. A sketch takes the minimum per bin, so
/// repeated shingles need no deduplication; only the sample is sorted.
pub(crate) fn shingle_document(range: Range<usize>, keys: &Keys) -> Vec<Shingled> {
    let mut buf = Vec::new();
    range
        .map(|i| {
            buf.clear();
            buf.extend(keys.get(i).chars());
            // A fixed quarter of all shingles (hash mod 4 = 0): a sample that
            // keeps containment, since a shingle is sampled in every
            // paragraph or in none.
            let mut sample = Vec::new();
            let sketch = RawSketch::new(shingle_hashes(&buf).inspect(|&h| {
                if h.is_multiple_of(DOCUMENT_SAMPLE) {
                    sample.push(h);
                }
            }));
            sample.sort_unstable();
            sample.dedup();
            Shingled {
                sketch: (!sketch.is_empty()).then_some(sketch),
                sample,
            }
        })
        .collect()
}

/// Signatures and band keys of the items `range` (one document, in text
/// order), whose shingles are `shingled`. `sketched[i]` says whether item `i`
/// gets a unit of its own (it is long enough and the first of its
/// exact-duplicate group). Two consecutive body items of one script with
/// `min_chars` characters between them also get a joined unit: a page break
/// may have cut them apart, or this source may break a paragraph in two that
/// others keep whole.
pub(crate) fn sketch_document(
    range: Range<usize>,
    items: &[Item],
    shingled: &[Shingled],
    sketched: &[bool],
    banding: &Banding,
    cfg: &ClusterConfig,
) -> DocSketch {
    let raw = |i: usize| shingled[i - range.start].sketch.as_ref();
    let mut out = DocSketch::default();
    let mut emit = |unit: Unit, raw: &RawSketch, script: Script| {
        if let Some(sig) = raw.densify() {
            out.units.push(unit);
            out.keys.extend(banding.keys(&sig, script));
            out.nibbles.extend(sig.nibbles());
        }
    };
    // The previous item of each script, for joined units.
    let mut previous: [Option<usize>; 3] = [None; 3];
    for i in range.clone() {
        let item = &items[i];
        let Some(sketch) = raw(i) else {
            continue;
        };
        let slot = item.script as usize;
        if let Some(p) = previous[slot]
            && !items[p].heading
            && !item.heading
            && items[p].chars + item.chars >= cfg.min_chars as u32
            && let Some(before) = raw(p)
        {
            emit(
                Unit::Joined(p as u32, i as u32),
                &before.union(sketch),
                item.script,
            );
        }
        previous[slot] = Some(i);
        if sketched[i] {
            emit(Unit::Single(i as u32), sketch, item.script);
        }
    }
    // Units come in item order of their last paragraph; order them by unit.
    let bands = banding.bands;
    let mut order: Vec<usize> = (0..out.units.len()).collect();
    order.sort_by_key(|&u| out.units[u]);
    const N: usize = crate::minhash::NIBBLE_BYTES;
    DocSketch {
        units: order.iter().map(|&u| out.units[u]).collect(),
        keys: order
            .iter()
            .flat_map(|&u| out.keys[u * bands..(u + 1) * bands].iter().copied())
            .collect(),
        nibbles: order
            .iter()
            .flat_map(|&u| out.nibbles[u * N..(u + 1) * N].iter().copied())
            .collect(),
    }
}
