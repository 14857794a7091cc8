//! Versions matched by their place: a paragraph that one source rewrote or
//! expanded is less than `min_similarity` alike to its other versions, but
//! it still stands where they stand, between the same clustered paragraphs.
//!
//! ```text
//! 1859: [C7] "It has been disputed at what period…"  [C9]    ─┐ cluster C8
//! 1866: [C7] "It has been disputed at what period…"  [C9]    ─┘
//! 1872: [C7] "With respect to what I have called…"   [C9]    0.57 alike to C8
//!   → 1872's paragraph joins C8: the same place, and over half alike
//! ```
//!
//! Only the place makes such a pair likely: two answers of one press
//! conference share stock phrases and are as alike as a rewrite, but they do
//! not stand between the same neighbours in two sources. So the edges found
//! here are weaker than any the candidates give, and are merged after all of
//! them, under the same guard (one witness per source in a cluster).
use std::ops::Range;

use rayon::prelude::*;
use similar::DiffOp;

use super::verify::Edge;
use super::{ClusterConfig, Item, Keys, MemberRole};
use crate::diff::{diff_chars, similarity_within};
use crate::model::SourceId;
use crate::segment::Script;

/// Two versions at one place must be at least this alike (normalized
/// Levenshtein similarity of the comparison keys). Unrelated paragraphs of
/// one language score about 0.3 (Latin) and below 0.2 (Han); the Darwin
/// editions that rewrite a third of a paragraph score 0.56, and a version
/// grown by half 0.6–0.7.
pub const PLACED_SIMILARITY: f64 = 0.5;

/// Or: exact runs of at least [`run_chars`] characters cover this much of
/// the shorter text, in order, when the longer one is a much expanded
/// version (a paragraph that doubled scores below 0.5).
const PLACED_RUN_COVER: f64 = 0.8;

/// A version found by its runs is at least this long against the other
/// (a paragraph that grew to three times its length is still one).
const PLACED_MIN_RATIO: f64 = 0.3;

/// Past this many sources of one document each, a document's paragraphs
/// are not compared by rank (the pairs would grow as their square).
const MAX_SINGLE_DOCUMENT_SOURCES: usize = 16;

/// A place holds at most this many paragraphs between its two neighbours:
/// a longer stretch is no place, but a passage the sources order otherwise.
const PLACE_SPAN: usize = 4;

/// The shortest exact run that counts towards [`PLACED_RUN_COVER`]: 16
/// Latin characters (three words), 8 Han characters (a phrase); shorter runs
/// match by chance in any two texts of one language.
fn run_chars(script: Script) -> usize {
    match script {
        Script::Han => 8,
        _ => 16,
    }
}

/// Where clustering stands when places are matched: `set[i]` is the set
/// (an item index) of item `i` when it is clustered, and `role[i]` its role.
pub(crate) struct Clustered<'a> {
    /// The set of each item, when it has two or more members.
    pub set: &'a [Option<u32>],
    /// The role of each item in its set.
    pub role: &'a [MemberRole],
}

/// The edges between paragraphs (or clusters) of different sources that
/// stand at one place and are alike enough there (see the module doc),
/// sorted. `docs` are the item ranges of the documents.
pub(crate) fn placed_edges(
    items: &[Item],
    keys: &Keys,
    docs: &[Range<usize>],
    counterparts: &[u32],
    now: &Clustered<'_>,
    cfg: &ClusterConfig,
) -> Vec<Edge> {
    // Each set's witnesses, as (set, source, item), sorted.
    let mut witnesses: Vec<(u32, SourceId, u32)> = (0..items.len())
        .filter_map(|i| {
            let set = now.set[i]?;
            (now.role[i] == MemberRole::Witness).then_some((set, items[i].source, i as u32))
        })
        .collect();
    witnesses.sort_unstable();
    let witness_of = |set: u32, source: SourceId| -> Option<usize> {
        let at = witnesses.partition_point(|&(s, src, _)| (s, src) < (set, source));
        witnesses
            .get(at)
            .filter(|&&(s, src, _)| s == set && src == source)
            .map(|&(_, _, i)| i as usize)
    };
    let set_witnesses = |set: u32| -> &[(u32, SourceId, u32)] {
        let lo = witnesses.partition_point(|&(s, _, _)| s < set);
        let hi = witnesses.partition_point(|&(s, _, _)| s <= set);
        &witnesses[lo..hi]
    };
    let mut doc_of = vec![0u32; items.len()];
    for (d, r) in docs.iter().enumerate() {
        doc_of[r.clone()].fill(d as u32);
    }
    let long = |i: usize| items[i].chars as usize >= cfg.min_chars;
    // Documents that are versions of one text: of one relative path (one
    // page of a transcription and of its OCR), or of two sources that are
    // one document each (two files compared). Where nothing is clustered
    // yet, a paragraph's place there is its rank in the document.
    let mut source_docs: Vec<(SourceId, u32)> = docs
        .iter()
        .map(|r| (items[r.start].source, items[r.start].doc.0))
        .collect();
    source_docs.sort_unstable();
    source_docs.dedup();
    let documents_of = |source: SourceId| {
        source_docs.partition_point(|&(s, _)| s <= source)
            - source_docs.partition_point(|&(s, _)| s < source)
    };
    let mut single: Vec<(SourceId, usize)> = docs
        .iter()
        .enumerate()
        .filter(|(_, r)| documents_of(items[r.start].source) == 1)
        .map(|(d, r)| (items[r.start].source, d))
        .collect();
    if single.len() > MAX_SINGLE_DOCUMENT_SOURCES {
        single.clear();
    }
    let mut by_path: Vec<(u32, usize)> = docs
        .iter()
        .enumerate()
        .map(|(d, r)| (counterparts[items[r.start].doc.0 as usize], d))
        .collect();
    by_path.sort_unstable();
    let versions_of = |d: usize| -> Vec<usize> {
        let source = items[docs[d].start].source;
        let key = counterparts[items[docs[d].start].doc.0 as usize];
        let lo = by_path.partition_point(|&(k, _)| k < key);
        let hi = by_path.partition_point(|&(k, _)| k <= key);
        let mut out: Vec<usize> = by_path[lo..hi]
            .iter()
            .map(|&(_, e)| e)
            .filter(|&e| items[docs[e].start].source != source)
            .collect();
        if out.len() > MAX_SINGLE_DOCUMENT_SOURCES {
            // A name as common as `index.html` in many sources: no sign
            // that the files are versions of one text.
            out.clear();
        }
        if single.iter().any(|&(s, _)| s == source) {
            out.extend(
                single
                    .iter()
                    .filter(|&&(s, _)| s != source)
                    .map(|&(_, e)| e),
            );
        }
        out.sort_unstable();
        out.dedup();
        out
    };

    // The edge between `i` and `v` at one place, if they are versions.
    let compare = |i: usize, v: usize| -> Option<Edge> {
        if v == i
            || !long(v)
            || items[v].source == items[i].source
            || items[v].script != items[i].script
            || items[v].heading != items[i].heading
            || (now.set[i].is_some() && now.set[v] == now.set[i])
            || now.set[v].is_some_and(|set| witness_of(set, items[i].source).is_some())
        {
            return None;
        }
        let (ka, kb) = (keys.chars(i), keys.chars(v));
        let similarity = placed_similarity(&ka, &kb, items[i].script)?;
        Some(Edge::Full {
            a: i.min(v) as u32,
            b: i.max(v) as u32,
            similarity,
        })
    };
    let mut edges: Vec<Edge> = docs
        .par_iter()
        .enumerate()
        .flat_map_iter(|(d, range)| {
            let anchors = neighbours(range.clone(), now.set, now.role);
            let mut versions: Option<Vec<usize>> = None;
            let mut out: Vec<Edge> = Vec::new();
            for i in range.clone() {
                if !long(i) {
                    continue;
                }
                let (before, after) = anchors[i - range.start];
                // A stretch of more paragraphs than a place holds between
                // the neighbours is no place (nor is a paragraph further
                // than that from its one neighbour).
                let span = match (before, after) {
                    (Some((_, x)), Some((_, y))) => y - x - 1,
                    (Some((_, x)), None) => i - x,
                    (None, Some((_, y))) => y - i,
                    (None, None) => 0,
                };
                if span > PLACE_SPAN {
                    continue;
                }
                if before.is_none() && after.is_none() {
                    // Nothing clustered in the document: by rank, in its
                    // other versions.
                    let rank = i - range.start;
                    for &e in versions.get_or_insert_with(|| versions_of(d)).iter() {
                        let e = &docs[e];
                        let place = (e.start + rank).saturating_sub(1).max(e.start)
                            ..(e.start + rank + 2).min(e.end);
                        out.extend(place.filter_map(|v| compare(i, v)));
                    }
                    continue;
                }
                // The other sources with a witness of either neighbour.
                let mut sources: Vec<SourceId> = [before, after]
                    .into_iter()
                    .flatten()
                    .flat_map(|(set, _)| set_witnesses(set).iter().map(|w| w.1))
                    .filter(|&s| s != items[i].source)
                    .collect();
                sources.sort_unstable();
                sources.dedup();
                for source in sources {
                    // Its cluster has that source's version already.
                    if now.set[i].is_some_and(|set| witness_of(set, source).is_some()) {
                        continue;
                    }
                    let a = before.and_then(|(set, _)| witness_of(set, source));
                    let b = after.and_then(|(set, _)| witness_of(set, source));
                    // A neighbour the other source lacks (it left that
                    // paragraph out, or moved it) leaves no place there.
                    if (before.is_some() && a.is_none()) || (after.is_some() && b.is_none()) {
                        continue;
                    }
                    // How far the paragraph stands from its one neighbour.
                    let offset = match (before, after) {
                        (Some((_, x)), None) => i - x,
                        (None, Some((_, y))) => y - i,
                        _ => 0,
                    };
                    let Some(place) = place(a, b, offset, &doc_of, docs) else {
                        continue;
                    };
                    let found = out.len();
                    out.extend(place.clone().filter_map(|v| compare(i, v)));
                    // Between shared neighbours (or a neighbour and the
                    // document's edge), paragraphed otherwise.
                    if out.len() == found && now.set[i].is_none() {
                        let free = |v: &usize| {
                            long(*v)
                                && now.set[*v].is_none()
                                && items[*v].script == items[i].script
                                && !items[*v].heading
                        };
                        let (Some(ours), Some(theirs)) = (
                            stretch(before.map(|n| n.1), after.map(|n| n.1), &doc_of, docs),
                            stretch(a, b, &doc_of, docs),
                        ) else {
                            continue;
                        };
                        let ours: Vec<usize> = ours.filter(free).collect();
                        let theirs: Vec<usize> = theirs.filter(free).collect();
                        out.extend(by_share(i, &ours, &theirs, keys, cfg));
                    }
                }
            }
            out
        })
        .collect();
    edges.sort_by_key(|e| e.ends());
    edges.dedup_by(|x, y| x.ends() == y.ends());
    edges
}

/// A clustered neighbour: its set and its item.
type Anchor = Option<(u32, usize)>;

/// For each item of a document, its nearest neighbours before and after
/// that are witnesses of a set other than its own.
type Anchors = (Anchor, Anchor);

fn neighbours(range: Range<usize>, set: &[Option<u32>], role: &[MemberRole]) -> Vec<Anchors> {
    // Only witnesses anchor a place: a duplicate or a fragment stands
    // elsewhere than its set's other members.
    let anchor = |i: usize| set[i].filter(|_| role[i] == MemberRole::Witness);
    let mut out: Vec<Anchors> = vec![(None, None); range.len()];
    // The nearest clustered item, and the nearest of another set than it.
    let pick =
        |last: Option<(u32, usize)>, other: Option<(u32, usize)>, own: Option<u32>| match last {
            Some((s, _)) if Some(s) == own => other,
            _ => last,
        };
    let (mut last, mut other): (Anchor, Anchor) = (None, None);
    for i in range.clone() {
        out[i - range.start].0 = pick(last, other, set[i]);
        if let Some(s) = anchor(i) {
            if last.is_some_and(|(l, _)| l != s) {
                other = last;
            }
            last = Some((s, i));
        }
    }
    (last, other) = (None, None);
    for i in range.clone().rev() {
        out[i - range.start].1 = pick(last, other, set[i]);
        if let Some(s) = anchor(i) {
            if last.is_some_and(|(l, _)| l != s) {
                other = last;
            }
            last = Some((s, i));
        }
    }
    out
}

/// The items between `a` and `b` (another source's witnesses of the two
/// neighbours); or, when the paragraph has one neighbour only, the items
/// about `offset` paragraphs after `a` or before `b` (one either side);
/// `None` when the two are not in one document in order, or the place holds
/// more than [`PLACE_SPAN`] paragraphs.
fn place(
    a: Option<usize>,
    b: Option<usize>,
    offset: usize,
    doc_of: &[u32],
    docs: &[Range<usize>],
) -> Option<Range<usize>> {
    let r = match (a, b) {
        (Some(a), Some(b)) if doc_of[a] == doc_of[b] && a < b => a + 1..b,
        (Some(_), Some(_)) | (None, None) => return None,
        (Some(a), None) => {
            let end = docs[doc_of[a] as usize].end;
            (a + offset).saturating_sub(1).max(a + 1)..(a + offset + 2).min(end)
        }
        (None, Some(b)) => {
            let start = docs[doc_of[b] as usize].start;
            b.saturating_sub(offset + 1).max(start)..(b + 2).saturating_sub(offset).min(b)
        }
    };
    (r.len() <= PLACE_SPAN).then_some(r)
}

/// The items strictly between `a` and `b`, or between one of them and its
/// document's edge; `None` when that is more than [`PLACE_SPAN`] of them,
/// or `a` and `b` are not in one document in order.
fn stretch(
    a: Option<usize>,
    b: Option<usize>,
    doc_of: &[u32],
    docs: &[Range<usize>],
) -> Option<Range<usize>> {
    let r = match (a, b) {
        (Some(a), Some(b)) if doc_of[a] == doc_of[b] && a < b => a + 1..b,
        (Some(a), None) => a + 1..docs[doc_of[a] as usize].end,
        (None, Some(b)) => docs[doc_of[b] as usize].start..b,
        _ => return None,
    };
    (r.len() <= PLACE_SPAN).then_some(r)
}

/// Where one source paragraphs a stretch between two shared neighbours
/// otherwise than another (an OCR engine's blocks against a
/// transcription's paragraphs), its paragraphs are not alike one to one,
/// but the two stretches are versions of each other. Then paragraph `i` of
/// `ours` (the stretch of its source) is paired with the paragraph of
/// `theirs` that covers most of its share of the stretch, the two stretches
/// laid over each other by length: an edge as similar as the stretches,
/// times the share of the two paragraphs that overlaps.
/// Where their boundaries differ, [`super::spanning`] splits the
/// paragraphs across the clusters afterwards.
fn by_share(
    i: usize,
    ours: &[usize],
    theirs: &[usize],
    keys: &Keys,
    cfg: &ClusterConfig,
) -> Option<Edge> {
    if ours.len() + theirs.len() < 3 || !ours.contains(&i) || theirs.is_empty() {
        return None;
    }
    let text =
        |run: &[usize]| -> Vec<char> { run.iter().flat_map(|&v| keys.get(v).chars()).collect() };
    let (a, b) = (text(ours), text(theirs));
    let similarity = similarity_within(&a, &b, cfg.min_similarity)?;
    // `i`'s characters in `ours`, scaled onto `theirs`.
    let start: usize = ours
        .iter()
        .take_while(|&&v| v != i)
        .map(|&v| keys.get(v).chars().count())
        .sum();
    let len = keys.get(i).chars().count();
    let scale = b.len() as f64 / a.len().max(1) as f64;
    let (lo, hi) = (start as f64 * scale, (start + len) as f64 * scale);
    let mut at = 0.0;
    let mut best: Option<(f64, usize)> = None;
    for &v in theirs {
        let end = at + keys.get(v).chars().count() as f64;
        let overlap = hi.min(end) - lo.max(at);
        if overlap > 0.0 && best.is_none_or(|(o, _)| overlap > o) {
            best = Some((overlap, v));
        }
        at = end;
    }
    let (overlap, v) = best?;
    // Weighed by how much of the two the overlap is, so that of two
    // paragraphs paired with one, the one that covers more of it wins.
    let longer = (len as f64).max(keys.get(v).chars().count() as f64 * scale);
    Some(Edge::Full {
        a: i.min(v) as u32,
        b: i.max(v) as u32,
        similarity: similarity * overlap / longer.max(1.0),
    })
}

/// The similarity of two texts that stand at one place, when they are
/// versions of each other: at least [`PLACED_SIMILARITY`] alike, or the
/// shorter lying in the longer in long exact runs.
fn placed_similarity(a: &[char], b: &[char], script: Script) -> Option<f64> {
    if let Some(s) = similarity_within(a, b, PLACED_SIMILARITY) {
        return Some(s);
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if (short.len() as f64) < PLACED_MIN_RATIO * long.len() as f64 {
        // A fragment or a quotation, which containment finds, not a version.
        return None;
    }
    let ops = diff_chars(short, long);
    let min = run_chars(script);
    let (mut covered, mut distance) = (0usize, 0usize);
    for op in &ops {
        match *op {
            DiffOp::Equal { len, .. } => {
                if len >= min {
                    covered += len;
                }
            }
            other => distance += other.old_range().len().max(other.new_range().len()),
        }
    }
    (covered as f64 >= PLACED_RUN_COVER * short.len() as f64)
        .then(|| 1.0 - distance as f64 / long.len().max(1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_skip_the_items_own_set() {
        // Items: C0, C1, lone, C1, C2.
        let set = [Some(0), Some(1), None, Some(1), Some(2)];
        let got = neighbours(0..5, &set, &[MemberRole::Witness; 5]);
        assert_eq!(got[2], (Some((1, 1)), Some((1, 3))));
        // Item 3 is of set 1: its neighbours are C0 (item 0) and C2.
        assert_eq!(got[3], (Some((0, 0)), Some((2, 4))));
        assert_eq!(got[0], (None, Some((1, 1))));
        // A duplicate anchors nothing.
        let mut roles = [MemberRole::Witness; 5];
        roles[1] = MemberRole::Duplicate;
        let got = neighbours(0..5, &set, &roles);
        assert_eq!(got[2], (Some((0, 0)), Some((1, 3))));
    }

    #[test]
    fn a_place_is_between_two_neighbours_of_one_document() {
        let docs = [0..5, 5..12];
        let doc_of = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1];
        assert_eq!(place(Some(6), Some(8), 0, &doc_of, &docs), Some(7..8));
        assert_eq!(place(Some(8), Some(6), 0, &doc_of, &docs), None);
        assert_eq!(place(Some(3), Some(6), 0, &doc_of, &docs), None);
        assert_eq!(place(Some(5), Some(11), 0, &doc_of, &docs), None);
        // One neighbour: the items about as far from it as the paragraph
        // stands from its own, one either side, within the document.
        assert_eq!(place(None, Some(7), 1, &doc_of, &docs), Some(5..7));
        assert_eq!(place(None, Some(11), 3, &doc_of, &docs), Some(7..10));
        assert_eq!(place(Some(9), None, 1, &doc_of, &docs), Some(10..12));
        assert_eq!(place(Some(5), None, 3, &doc_of, &docs), Some(7..10));
    }

    #[test]
    fn rewritten_versions_pass_and_unrelated_paragraphs_do_not() {
        let chars = |s: &str| -> Vec<char> { s.chars().collect() };
        let old = chars(
            "It has been disputed at what period of life the causes of variability, \
             whatever they may be, generally act; whether during the early or late period \
             of development of the embryo, or at the instant of conception.",
        );
        let revised = chars(
            "It has been disputed at what period of life the causes of variability, \
             whatever they may be, generally act; whether during the early or late period \
             of development of the embryo, or at the instant of conception, a question \
             to which I shall return in a later chapter.",
        );
        let other = chars(
            "Nothing is more easy than to tame an animal, and few things more difficult \
             than to get it to breed freely under confinement, even when the male and \
             female unite.",
        );
        assert!(placed_similarity(&old, &revised, Script::Latin).is_some());
        assert_eq!(placed_similarity(&old, &other, Script::Latin), None);
        // Doubled: under half alike, but the old text lies in it whole.
        let doubled: Vec<char> = old
            .iter()
            .chain([' '].iter())
            .chain(other.iter())
            .chain([' '].iter())
            .chain(other.iter())
            .copied()
            .collect();
        assert!(similarity_within(&old, &doubled, PLACED_SIMILARITY).is_none());
        assert!(placed_similarity(&old, &doubled, Script::Latin).is_some());
    }
}
