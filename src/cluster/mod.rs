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
//!
//! This module holds the stage's input and output types; [`cluster_stage`]
//! composes the steps, one submodule each: `sketch` (units and their
//! signatures per document), `verify` (a candidate pair checked),
//! `pullquotes` (candidate pairs within a document), `merge` (verified edges
//! into clusters), `placed` (rewritten versions by their place) and `short`
//! (short paragraphs by their place).
mod merge;
mod placed;
mod pullquotes;
mod short;
mod sketch;
mod spanning;
mod stage;
mod verify;
pub mod works;

use std::ops::Range;

use crate::minhash::Banding;
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

/// Default candidate threshold: Jaccard 0.5, banded as 30 × 4. Measured
/// 2026-11-30 on a generated corpus (4 witnesses × 25,000 paragraphs, seed
/// 2026; Han bigrams / Latin 5-grams): it misses an expected 0.01 % / 0.40 %
/// of true pairs and makes candidates of 7 % / 5 % of hard negatives (all
/// rejected by the verifier) and 0.05 ‰ / 0.17 ‰ of random pairs. At 0.4
/// (31 × 3) it would miss 0.00 % / 0.05 % but make 0.87 ‰ / 2.31 ‰ random
/// candidates.
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
pub(crate) fn doc_ranges(items: &[Item]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match out.last_mut() {
            Some(r) if items[r.start].doc == item.doc => r.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

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

/// One paragraph in a cluster, or the part of one that stands in it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Member {
    /// Index of the paragraph in the stage's input.
    pub item: usize,
    /// Witness, duplicate or fragment.
    pub role: MemberRole,
    /// The score of the best verified edge that ties it to the cluster
    /// (similarity or containment).
    pub similarity: f64,
    /// The part of the paragraph that belongs to this cluster, when the
    /// paragraph spans the boundary between two paragraphs of another
    /// source and is split across their clusters (see `spanning`);
    /// `None`: all of it.
    pub span: Option<KeySpan>,
}

impl Member {
    /// A member that stands for its whole paragraph.
    pub fn whole(item: usize, role: MemberRole, similarity: f64) -> Member {
        Member {
            item,
            role,
            similarity,
            span: None,
        }
    }

    /// Its length in comparison characters: the paragraph's, or its part's.
    pub fn chars(&self, items: &[Item]) -> u32 {
        self.span
            .map_or(items[self.item].chars, |s| s.end - s.start)
    }

    /// Whether it is the paragraph's first part (or all of it): a paragraph
    /// split across clusters counts once where paragraphs are counted.
    pub fn is_first_part(&self) -> bool {
        self.span.is_none_or(|s| s.start == 0)
    }
}

/// A stretch of a paragraph's comparison key (`start..end`, in
/// characters): the key drops whitespace and punctuation, so a span is
/// mapped back to the paragraph's text by the normalization that made it
/// ([`crate::normalize::key_byte_span`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeySpan {
    /// First character.
    pub start: u32,
    /// Past the last character.
    pub end: u32,
}

/// Paragraphs that are versions of one another, sorted by item index.
#[derive(Clone, Debug, PartialEq)]
pub struct Cluster {
    /// At least two members, or, for reuse, one.
    pub members: Vec<Member>,
    /// Its text also stands in another work (a template, a quotation):
    /// this is one work's part of a cluster split by [`works::group_works`].
    pub reuse: bool,
}
