//! Verify candidate pairs with a real similarity and merge them into clusters
//! of versions of the same paragraph.
//!
//! ```text
//! candidates (002₇,004₁₂) (001₂₃+001₂₄, 004₁₂) (002₇,003₄)        ← units
//!   → verified: Full(002₇,004₁₂) 0.97 · Split(001₂₃,001₂₄ → 004₁₂) 0.99
//!               Contained(002₉ ⊂ 002₇) 0.96 (a pull quote)
//!   → clusters: {001₂₃ fragment, 001₂₄ fragment, 002₇ witness,
//!                002₉ duplicate, 004₁₂ witness}
//! ```
//!
//! Merging is best-first and version-aware: a cluster holds at most one
//! *witness* per source, so a chain of loosely similar pairs cannot glue
//! unrelated paragraphs together. A second paragraph of a source joins only as
//! a *duplicate* (a near-copy or a pull quote of cluster text) or as a
//! *fragment* (a piece of the paragraph).
mod stage;

use std::ops::Range;

use rayon::prelude::*;

use crate::candidates::{UnitInfo, lengths_allow, split_possible};
use crate::diff::{SOLID_MATCH, diff_chars, matched, matched_span};
use crate::minhash::{Banding, RawSketch, shingle_hashes};
use crate::model::{DocId, SourceId};
use crate::segment::Script;

pub use stage::{ClusterStats, cluster_stage};

/// Thresholds of the verification step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClusterConfig {
    /// Paragraphs with fewer comparison characters are *short*: they are not
    /// matched by their own text, which recurs everywhere (`王毅：`, `Thank
    /// you.`), but by their place between clustered paragraphs.
    pub min_chars: usize,
    /// Two whole paragraphs are versions of each other when their normalized
    /// Levenshtein similarity reaches this.
    pub min_similarity: f64,
    /// A second paragraph of a source already in the cluster joins as a
    /// duplicate when it is at least this similar.
    pub duplicate_similarity: f64,
    /// A smaller paragraph is a fragment (page-break piece, pull quote) of a
    /// larger one when this share of its shingles occurs in the larger one,
    /// in one stretch.
    pub min_containment: f64,
    /// ...and it has at least this many shingles, so that a short common
    /// phrase does not count as a fragment.
    pub min_fragment_shingles: usize,
    /// MinHash/LSH candidate threshold (estimated Jaccard similarity of the
    /// shingle sets) the banding is derived from.
    pub candidate_jaccard: f64,
    /// A band bucket with more units than this is paired as a star.
    pub bucket_cap: usize,
}

/// Default minimum paragraph length: 10 comparison characters, about three
/// Chinese words or two English ones; shorter lines are labels.
pub const DEFAULT_MIN_CHARS: usize = 10;

/// Default similarity: 0.7. Transcripts of one event differ by a few percent
/// of characters (OCR noise, edits); independent paragraphs on the same topic
/// score below 0.5 in normalized Levenshtein similarity, so 0.7 leaves a
/// margin on both sides.
pub const DEFAULT_MIN_SIMILARITY: f64 = 0.7;

/// Default duplicate similarity: 0.9. Two paragraphs of one source that are
/// only 0.7 alike are usually two paragraphs (a question asked twice in other
/// words), not one paragraph repeated.
pub const DEFAULT_DUPLICATE_SIMILARITY: f64 = 0.9;

/// Default containment: 0.8, so a fragment with up to a fifth of its
/// shingles damaged by noise still attaches.
pub const DEFAULT_MIN_CONTAINMENT: f64 = 0.8;

/// Default fragment size: 8 shingles, about a clause.
pub const DEFAULT_MIN_FRAGMENT_SHINGLES: usize = 8;

/// Default candidate threshold: estimated Jaccard 0.5, well below the
/// similarity of versions at realistic noise and above that of paragraphs
/// that only share some sentences (`scripts/shingle_study.py`).
pub const DEFAULT_CANDIDATE_JACCARD: f64 = 0.5;

impl Default for ClusterConfig {
    fn default() -> ClusterConfig {
        ClusterConfig {
            min_chars: DEFAULT_MIN_CHARS,
            min_similarity: DEFAULT_MIN_SIMILARITY,
            duplicate_similarity: DEFAULT_DUPLICATE_SIMILARITY,
            min_containment: DEFAULT_MIN_CONTAINMENT,
            min_fragment_shingles: DEFAULT_MIN_FRAGMENT_SHINGLES,
            candidate_jaccard: DEFAULT_CANDIDATE_JACCARD,
            bucket_cap: crate::candidates::DEFAULT_BUCKET_CAP,
        }
    }
}

impl ClusterConfig {
    /// The LSH banding for [`ClusterConfig::candidate_jaccard`]; a missed
    /// pair weighs four times a false candidate, since every candidate is
    /// verified anyway.
    pub fn banding(&self) -> Banding {
        Banding::for_threshold(self.candidate_jaccard, 4.0)
    }
}

/// What clustering knows of one paragraph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Item {
    /// Its source.
    pub source: SourceId,
    /// Its document: adjacent paragraphs of one document can be matched as
    /// one unit, and pull quotes are looked for within a document.
    pub doc: DocId,
    /// Its script: only paragraphs of one script are compared.
    pub script: Script,
    /// Length of its comparison key in characters.
    pub chars: u32,
    /// A heading: it may be a version of another heading, but it is never a
    /// fragment or pull quote of a paragraph whose words it repeats.
    pub heading: bool,
    /// Body text that stops mid-sentence ([`crate::segment::Paragraph::ends_open`]):
    /// it may be the first piece of a paragraph cut by a page break.
    pub open: bool,
}

/// The comparison keys of all items, as UTF-8 (a third of the size of
/// `char`s for Latin text; keys are decoded only to verify a pair).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keys {
    keys: Vec<Box<str>>,
}

impl Keys {
    /// Appends the key of the next item.
    pub fn push(&mut self, key: impl Into<Box<str>>) {
        self.keys.push(key.into());
    }

    /// The key of item `i`.
    pub fn get(&self, i: usize) -> &str {
        &self.keys[i]
    }

    /// The key of item `i` as characters.
    pub fn chars(&self, i: usize) -> Vec<char> {
        let key = self.get(i);
        // The byte length bounds the character count: one allocation.
        let mut out = Vec::with_capacity(key.len());
        out.extend(key.chars());
        out
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there are no keys.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The item ranges of the documents (items come grouped by document).
pub fn doc_ranges(items: &[Item]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match out.last_mut() {
            Some(r) if items[r.start].doc == item.doc => r.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// A unit of the candidate stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Unit {
    /// One paragraph.
    Single(u32),
    /// Two adjacent paragraphs of one document and script, matched as one.
    Joined(u32, u32),
}

impl Unit {
    /// What the pair stage needs to know of the unit: its source (the
    /// paragraphs of a joined unit share one), whether it is joined, and
    /// the lengths [`split_possible`] judges.
    pub fn info(self, items: &[Item]) -> UnitInfo {
        match self {
            Unit::Single(i) => UnitInfo {
                source: items[i as usize].source,
                joined: false,
                chars: items[i as usize].chars,
                closed_piece: 0,
            },
            Unit::Joined(first, second) => {
                let (f, s) = (&items[first as usize], &items[second as usize]);
                UnitInfo {
                    source: f.source,
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
pub struct DocSketch {
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
pub struct Shingled {
    /// The one-permutation sketch of all its shingles.
    pub sketch: Option<RawSketch>,
    /// Its shingle hashes that are multiples of 4 (a fixed sample), sorted
    /// and deduplicated (see [`document_pairs`]).
    pub sample: Vec<u64>,
}

/// The shingles of the items `range`, hashed once per document for both its
/// signatures and its pull quotes. A sketch takes the minimum per bin, so
/// repeated shingles need no deduplication; only the sample is sorted.
pub fn shingle_document(range: Range<usize>, keys: &Keys) -> Vec<Shingled> {
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
pub fn sketch_document(
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

/// A verified relation between paragraphs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Edge {
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
    fn ends(&self) -> (u32, u32, u32) {
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
pub fn verify(
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
pub fn verify_pair(
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

/// Normalized Levenshtein similarity of `a` and `b` if it reaches `min`:
/// the measure `diff` pairs paragraphs by too.
fn similarity_within(a: &[char], b: &[char], min: f64) -> Option<f64> {
    crate::diff::similarity_within(a, b, min)
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

/// Pairs of one document (`range`, whose shingles are `shingled`) where one
/// paragraph's shingles lie mostly in the other's: pull quotes and repeated
/// paragraphs, which the candidate stage does not look for since it pairs
/// only across sources. Only *informative* shingles count: those in at most
/// `cap` paragraphs of the document. Common words (`我们`, `the world`) say
/// nothing about where a quote comes from, and following them would cost the
/// square of their count. Items with `skip` set (repeats of an earlier
/// identical key) take no part.
pub fn document_pairs(
    range: Range<usize>,
    items: &[Item],
    shingled: &[Shingled],
    skip: &[bool],
    cfg: &ClusterConfig,
    cap: usize,
) -> Vec<(u32, u32)> {
    let usable = |local: usize| {
        let i = range.start + local;
        !skip[i] && items[i].chars as usize >= cfg.min_chars
    };
    let mut entries: Vec<(u64, u32)> = Vec::new();
    for (local, s) in shingled.iter().enumerate() {
        if usable(local) {
            entries.extend(s.sample.iter().map(|&h| (h, local as u32)));
        }
    }
    entries.sort_unstable();
    let mut informative = vec![0u32; shingled.len()];
    let mut shared: Vec<(u32, u32)> = Vec::new();
    for run in entries.chunk_by(|x, y| x.0 == y.0) {
        if run.len() > cap {
            continue;
        }
        for (k, &(_, x)) in run.iter().enumerate() {
            informative[x as usize] += 1;
            for &(_, y) in &run[k + 1..] {
                if items[range.start + x as usize].script == items[range.start + y as usize].script
                {
                    shared.push((x, y));
                }
            }
        }
    }
    shared.sort_unstable();
    let mut pairs = Vec::new();
    for run in shared.chunk_by(|p, q| p == q) {
        let (x, y) = (run[0].0 as usize, run[0].1 as usize);
        let smaller = if informative[x] <= informative[y] {
            x
        } else {
            y
        };
        // The sample is small: a looser bar here, the exact test follows.
        let need = (DOCUMENT_CANDIDATE * informative[smaller] as f64).max(MIN_INFORMATIVE as f64);
        if run.len() as f64 >= need {
            pairs.push(((range.start + x) as u32, (range.start + y) as u32));
        }
    }
    pairs
}

/// One shingle in this many takes part in the search for pull quotes.
const DOCUMENT_SAMPLE: u64 = 4;

/// A pull quote needs at least this many sampled informative shingles in
/// common with the paragraph it repeats (about twelve shingles in all).
const MIN_INFORMATIVE: usize = 3;

/// ...and at least this share of its sampled informative shingles.
const DOCUMENT_CANDIDATE: f64 = 0.6;

/// How a paragraph takes part in its cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MemberRole {
    /// A full version of the paragraph: at most one per source.
    Witness,
    /// Another copy of cluster text in a source that already has a witness:
    /// a repeated paragraph or a pull quote.
    Duplicate,
    /// A piece of the paragraph (a page-break fragment): covers only the part
    /// it aligns to.
    Fragment,
}

impl MemberRole {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Witness => "witness",
            MemberRole::Duplicate => "duplicate",
            MemberRole::Fragment => "fragment",
        }
    }
}

/// One paragraph in a cluster.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Member {
    /// Index of the paragraph in the stage's input.
    pub item: usize,
    /// Witness, duplicate or fragment.
    pub role: MemberRole,
    /// The score of the best verified edge that ties it to the cluster
    /// (similarity or containment).
    pub similarity: f64,
}

/// Paragraphs that are versions of one another, sorted by item index.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// At least two members.
    pub members: Vec<Member>,
}

/// Merges verified edges best-first into clusters of two or more paragraphs.
///
/// Full edges go first, most similar first (except where a split explains
/// the same whole better); then splits; then containment, best contained and
/// longest first. Two sets join only when no source has a
/// witness in both; otherwise a lone paragraph may still join as a duplicate
/// (similar enough, or contained) or a fragment. Containment attaches one
/// paragraph to a cluster and never joins two clusters, so a piece shared by
/// two paragraphs cannot chain them together. The result does not depend on
/// the order of `edges`.
pub fn merge(items: &[Item], edges: &[Edge], cfg: &ClusterConfig) -> Vec<Cluster> {
    // A split outranks the full edge of one of its pieces to the same whole
    // when it explains the whole better: the piece alone is only most of it.
    let mut best_split: Vec<((u32, u32), f64)> = edges
        .iter()
        .filter_map(|e| match *e {
            Edge::Split {
                first,
                second,
                whole,
                similarity,
            } => Some([((first, whole), similarity), ((second, whole), similarity)]),
            _ => None,
        })
        .flatten()
        .collect();
    // Best first within each (piece, whole), so the first entry of a key is
    // the one a binary search needs.
    best_split.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)));
    best_split.dedup_by_key(|e| e.0);
    let split_of = |key: (u32, u32)| {
        best_split
            .binary_search_by_key(&key, |e| e.0)
            .ok()
            .map(|i| best_split[i].1)
    };
    let superseded = |a: u32, b: u32, similarity: f64| {
        [(a, b), (b, a)]
            .into_iter()
            .any(|key| split_of(key).is_some_and(|s| s > similarity))
    };
    let mut order: Vec<&Edge> = edges
        .par_iter()
        .filter(|e| !matches!(**e, Edge::Full { a, b, similarity } if superseded(a, b, similarity)))
        .collect();
    // Full edges first: when two sources agree on a paragraph, neither is a
    // piece of a third source's longer paragraph. Then splits, then
    // containment.
    let rank = |e: &Edge| match *e {
        Edge::Full { similarity, .. } => (0, -similarity, 0),
        Edge::Split { similarity, .. } => (1, -similarity, 0),
        Edge::Contained {
            part, containment, ..
        } => (2, -containment, -i64::from(items[part as usize].chars)),
    };
    order.par_sort_by(|x, y| {
        rank(x)
            .partial_cmp(&rank(y))
            .expect("similarities are finite")
            .then(x.ends().cmp(&y.ends()))
    });

    let mut sets = Sets::new(items);
    for edge in order {
        match *edge {
            Edge::Full { a, b, similarity } => {
                let (a, b) = (a as usize, b as usize);
                if !sets.union(a, b, similarity) && similarity >= cfg.duplicate_similarity {
                    if sets.is_single(b) {
                        sets.attach(b, a, MemberRole::Duplicate, similarity);
                    } else if sets.is_single(a) {
                        sets.attach(a, b, MemberRole::Duplicate, similarity);
                    }
                }
            }
            Edge::Split {
                first,
                second,
                whole,
                similarity,
            } => {
                let (first, second, whole) = (first as usize, second as usize, whole as usize);
                if sets.is_single(first)
                    && sets.is_single(second)
                    && !sets.has_witness(whole, items[first].source)
                {
                    sets.attach(first, whole, MemberRole::Fragment, similarity);
                    sets.attach(second, whole, MemberRole::Fragment, similarity);
                }
            }
            Edge::Contained {
                part,
                whole,
                containment,
            } => {
                let (part, whole) = (part as usize, whole as usize);
                if sets.is_single(part) {
                    let role = if sets.has_source(whole, items[part].source) {
                        MemberRole::Duplicate
                    } else {
                        MemberRole::Fragment
                    };
                    sets.attach(part, whole, role, containment);
                } else if sets.is_single(whole) && !sets.has_witness(part, items[whole].source) {
                    // The larger paragraph is a fuller version of a
                    // clustered one (an abridged source, or paragraphs split
                    // differently): it joins as a witness.
                    sets.attach(whole, part, MemberRole::Witness, containment);
                }
            }
        }
    }
    sets.clusters()
}

/// Union-find over items that tracks, per set, the sources with a witness
/// and the sources with any member.
struct Sets {
    parent: Vec<u32>,
    size: Vec<u32>,
    witnesses: Vec<Vec<SourceId>>,
    sources: Vec<Vec<SourceId>>,
    role: Vec<MemberRole>,
    score: Vec<f64>,
}

impl Sets {
    fn new(items: &[Item]) -> Sets {
        Sets {
            parent: (0..items.len() as u32).collect(),
            size: vec![1; items.len()],
            witnesses: items.iter().map(|i| vec![i.source]).collect(),
            sources: items.iter().map(|i| vec![i.source]).collect(),
            role: vec![MemberRole::Witness; items.len()],
            score: vec![0.0; items.len()],
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] as usize != x {
            let up = self.parent[self.parent[x] as usize];
            self.parent[x] = up;
            x = up as usize;
        }
        x
    }

    fn is_single(&mut self, x: usize) -> bool {
        let root = self.find(x);
        self.size[root] == 1
    }

    fn has_witness(&mut self, x: usize, source: SourceId) -> bool {
        let root = self.find(x);
        self.witnesses[root].contains(&source)
    }

    fn has_source(&mut self, x: usize, source: SourceId) -> bool {
        let root = self.find(x);
        self.sources[root].contains(&source)
    }

    fn link(&mut self, ra: usize, rb: usize) -> usize {
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        let moved = std::mem::take(&mut self.witnesses[gone]);
        self.witnesses[keep].extend(moved);
        for s in std::mem::take(&mut self.sources[gone]) {
            if !self.sources[keep].contains(&s) {
                self.sources[keep].push(s);
            }
        }
        self.size[keep] += self.size[gone];
        self.parent[gone] = keep as u32;
        keep
    }

    fn touch(&mut self, x: usize, score: f64) {
        self.score[x] = self.score[x].max(score);
    }

    /// Joins the sets of `a` and `b` unless a source has a witness in both;
    /// says whether they are joined now.
    fn union(&mut self, a: usize, b: usize, score: f64) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            if self.witnesses[ra]
                .iter()
                .any(|s| self.witnesses[rb].contains(s))
            {
                return false;
            }
            self.link(ra, rb);
        }
        self.touch(a, score);
        self.touch(b, score);
        true
    }

    /// Adds the lone item `x` to the set of `to` with `role`.
    fn attach(&mut self, x: usize, to: usize, role: MemberRole, score: f64) {
        let (rx, rt) = (self.find(x), self.find(to));
        if rx == rt {
            return;
        }
        if role != MemberRole::Witness {
            self.witnesses[rx].clear();
        }
        self.link(rx, rt);
        self.role[x] = role;
        self.touch(x, score);
        self.touch(to, score);
    }

    fn clusters(mut self) -> Vec<Cluster> {
        let mut groups: std::collections::BTreeMap<usize, Vec<Member>> = Default::default();
        for item in 0..self.parent.len() {
            let root = self.find(item);
            if self.size[root] < 2 {
                continue;
            }
            groups.entry(root).or_default().push(Member {
                item,
                role: self.role[item],
                similarity: self.score[item],
            });
        }
        let mut clusters: Vec<Cluster> = groups
            .into_values()
            .map(|members| Cluster { members })
            .collect();
        clusters.sort_by_key(|c| c.members[0].item);
        clusters
    }
}

/// Clusters of short paragraphs, matched by their place: a short paragraph
/// (fewer than `min_chars` characters) that sits between the same clusters
/// as a short paragraph of another source, in the same script, is its
/// version when their texts are at least `min_similarity` alike (`谢谢。` /
/// `谢谢！`). `cluster_of[i]` is the cluster of item `i` among `clusters`, or
/// `None`; `docs` are the item ranges of the documents.
pub fn anchor_short(
    items: &[Item],
    keys: &Keys,
    docs: &[Range<usize>],
    cluster_of: &[Option<u32>],
    cfg: &ClusterConfig,
) -> Vec<Cluster> {
    type Anchor = (Script, Option<u32>, Option<u32>);
    let mut groups: std::collections::BTreeMap<Anchor, Vec<usize>> = Default::default();
    for range in docs {
        // Nearest clustered paragraph before and after, per script.
        let mut before: Vec<Option<u32>> = vec![None; range.len()];
        let mut last = [None; 3];
        for i in range.clone() {
            before[i - range.start] = last[items[i].script as usize];
            if cluster_of[i].is_some() {
                last[items[i].script as usize] = cluster_of[i];
            }
        }
        let mut next = [None; 3];
        for i in range.clone().rev() {
            let item = &items[i];
            let short = item.chars > 0 && (item.chars as usize) < cfg.min_chars;
            let after = next[item.script as usize];
            if short && cluster_of[i].is_none() {
                let prev = before[i - range.start];
                if prev.is_some() || after.is_some() {
                    groups
                        .entry((item.script, prev, after))
                        .or_default()
                        .push(i);
                }
            }
            if cluster_of[i].is_some() {
                next[item.script as usize] = cluster_of[i];
            }
        }
    }
    let mut out = Vec::new();
    for mut group in groups.into_values() {
        group.sort_unstable();
        let mut edges = Vec::new();
        for (x, &a) in group.iter().enumerate() {
            for &b in &group[x + 1..] {
                if items[a].source == items[b].source {
                    continue;
                }
                let (ka, kb) = (keys.chars(a), keys.chars(b));
                if let Some(similarity) = similarity_within(&ka, &kb, cfg.min_similarity) {
                    edges.push(Edge::Full {
                        a: a as u32,
                        b: b as u32,
                        similarity,
                    });
                }
            }
        }
        if edges.is_empty() {
            continue;
        }
        // Merge within the group only: indices local to it.
        let local: Vec<Item> = group.iter().map(|&i| items[i]).collect();
        let position = |i: u32| group.binary_search(&(i as usize)).expect("in the group") as u32;
        let local_edges: Vec<Edge> = edges
            .iter()
            .map(|e| match *e {
                Edge::Full { a, b, similarity } => Edge::Full {
                    a: position(a),
                    b: position(b),
                    similarity,
                },
                other => other,
            })
            .collect();
        let strict = ClusterConfig {
            duplicate_similarity: f64::INFINITY,
            ..*cfg
        };
        for mut cluster in merge(&local, &local_edges, &strict) {
            for m in &mut cluster.members {
                m.item = group[m.item];
            }
            out.push(cluster);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidates::band_pairs;
    use crate::normalize::normalize;

    /// Runs the whole stage on `(source, doc, text)` paragraphs, in order.
    fn run(texts: &[(u32, u32, &str)]) -> Vec<Vec<(usize, MemberRole)>> {
        let cfg = ClusterConfig::default();
        let mut keys = Keys::default();
        let mut items = Vec::new();
        for &(source, doc, text) in texts {
            let norm = normalize(text, 0, &Default::default());
            let key: String = crate::normalize::comparison_chars(&norm.chars)
                .into_iter()
                .collect();
            items.push(Item {
                source: SourceId(source),
                doc: DocId(doc),
                script: Script::Han,
                chars: key.chars().count() as u32,
                heading: false,
                open: !text.ends_with(['。', '.']),
            });
            keys.push(key);
        }
        let banding = cfg.banding();
        let docs = doc_ranges(&items);
        let sketched: Vec<bool> = items
            .iter()
            .map(|i| i.chars as usize >= cfg.min_chars)
            .collect();
        let mut units = Vec::new();
        let mut band_keys = Vec::new();
        let mut info: Vec<UnitInfo> = Vec::new();
        for r in &docs {
            let shingled = shingle_document(r.clone(), &keys);
            let s = sketch_document(r.clone(), &items, &shingled, &sketched, &banding, &cfg);
            info.extend(s.units.iter().map(|u| u.info(&items)));
            units.extend(s.units);
            band_keys.extend(s.keys);
        }
        let mut edges = Vec::new();
        for band in 0..banding.bands {
            let (pairs, _) = band_pairs(
                band,
                banding.bands,
                &band_keys,
                &info,
                cfg.bucket_cap,
                cfg.min_similarity,
                |_, _| true,
            );
            edges.extend(pairs.iter().filter_map(|&(a, b)| {
                verify((units[a as usize], units[b as usize]), &items, &keys, &cfg)
            }));
        }
        let skip = vec![false; items.len()];
        for r in &docs {
            let shingled = shingle_document(r.clone(), &keys);
            for (a, b) in document_pairs(r.clone(), &items, &shingled, &skip, &cfg, 16) {
                edges.extend(verify_pair(a, b, &items, &keys, &cfg));
            }
        }
        merge(&items, &edges, &cfg)
            .into_iter()
            .map(|c| c.members.iter().map(|m| (m.item, m.role)).collect())
            .collect()
    }

    const A: &str = "促成沙特伊朗历史性和解，斡旋缅北达成停火协议，坚持政治解决所有热点冲突，坚决反对一切强权霸凌行径。";
    const B: &str = "促成沙特伊朗历史性和解，斡旋东北达成停火协议，坚持政治解决所有热点冲突，坚决反对一切强权霸凌行径。";
    const OTHER: &str = "中方愿同俄方一道，进一步培育合作新动能，不断夯实两国人民友好基础，推动两国关系持续向前发展。";

    use MemberRole::{Duplicate as D, Fragment as F, Witness as W};

    #[test]
    fn versions_cluster_and_strangers_do_not() {
        let got = run(&[(0, 0, A), (1, 1, B), (2, 2, OTHER)]);
        assert_eq!(got, vec![vec![(0, W), (1, W)]]);
    }

    #[test]
    fn page_break_pieces_join_as_fragments() {
        let got = run(&[
            (0, 0, A),
            (1, 1, "促成沙特伊朗历史性和解，斡旋东北达成停火协议，"),
            (1, 1, "坚持政治解决所有热点冲突，坚决反对一切强权霸凌行径。"),
        ]);
        assert_eq!(got, vec![vec![(0, W), (1, F), (2, F)]]);
    }

    #[test]
    fn pull_quote_joins_as_duplicate() {
        let got = run(&[
            (0, 0, A),
            (0, 0, OTHER),
            (0, 0, "斡旋缅北达成停火协议，坚持政治解决所有热点冲突"),
            (1, 1, B),
        ]);
        assert_eq!(got, vec![vec![(0, W), (2, D), (3, W)]]);
    }

    #[test]
    fn fragment_from_another_source_joins_as_fragment() {
        // A piece two thirds as long as the paragraph (shingle Jaccard 0.64,
        // so LSH finds the pair) but too short to be a version of it.
        let got = run(&[
            (0, 0, A),
            (
                1,
                1,
                "斡旋缅北达成停火协议，坚持政治解决所有热点冲突，坚决反对一切强权",
            ),
        ]);
        assert_eq!(got, vec![vec![(0, W), (1, F)]]);
    }

    #[test]
    fn scattered_shared_words_are_not_a_fragment() {
        // The same bigrams as A, in another order: high shingle containment,
        // but no contiguous piece of A.
        let got = run(&[
            (0, 0, A),
            (
                0,
                0,
                "热点冲突坚持政治解决所有达成停火协议斡旋缅北历史性和解促成沙特伊朗",
            ),
        ]);
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn never_two_witnesses_of_one_source() {
        // Source 0 holds A twice (an exact repeat: a duplicate) and B is
        // source 1's version.
        let got = run(&[(0, 0, A), (0, 0, OTHER), (0, 0, A), (1, 1, B)]);
        assert_eq!(got, vec![vec![(0, W), (2, D), (3, W)]]);
        // Two different paragraphs of one source, each 0.8 like a third one,
        // do not end up together.
        let c =
            "促成沙特伊朗历史性和解，斡旋缅北达成停火协议，坚持政治解决所有热点冲突，反对霸凌。";
        let d = "促成沙特伊朗历史性和解，斡旋缅北达成和平协议，坚持政治解决所有热点问题，坚决反对一切强权霸凌行径。";
        let got = run(&[(0, 0, c), (0, 0, OTHER), (0, 0, d), (1, 1, A)]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].iter().filter(|m| m.1 == W).count(), 2, "{got:?}");
    }

    #[test]
    fn short_paragraphs_match_by_place() {
        let items: Vec<Item> = [
            (0, 0, 5),
            (0, 0, 30),
            (0, 0, 4),
            (1, 1, 30),
            (1, 1, 4),
            (2, 2, 4),
        ]
        .iter()
        .map(|&(s, d, n)| Item {
            source: SourceId(s),
            doc: DocId(d),
            script: Script::Han,
            chars: n,
            heading: false,
            open: false,
        })
        .collect();
        let mut keys = Keys::default();
        for k in ["王毅答记者问", "x", "谢谢大家", "x", "谢谢大家", "谢谢大家"] {
            keys.push(k);
        }
        // Items 1 and 3 are one cluster (0); item 5 has no clustered
        // neighbour; item 0 precedes item 1, item 2 follows it, as item 4
        // follows item 3.
        let cluster_of = [None, Some(0), None, Some(0), None, None];
        let docs = [0..3, 3..5, 5..6];
        let got = anchor_short(&items, &keys, &docs, &cluster_of, &ClusterConfig::default());
        let members: Vec<Vec<usize>> = got
            .iter()
            .map(|c| c.members.iter().map(|m| m.item).collect())
            .collect();
        assert_eq!(members, vec![vec![2, 4]]);
    }
}
