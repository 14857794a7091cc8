//! The variants: the places where some member deviates from the consensus,
//! grouped into maximal spans, and per span every covering member's reading,
//! trimmed to where it differs and classified.
//!
//! ```text
//! 0 中国-拉美的命运
//! 1 中国-拉美的命运        →  Variant { consensus "的", readings: [2 "-加勒比" support 1], covered 3 }
//! 2 中国-拉美-加勒比命运
//! ```
use std::ops::Range;

use super::{AlignInput, Alignment, TRUNCATION_MIN, Variant, VariantReading};
use crate::classify::{Category, classify};
use crate::cluster::MemberRole;

/// Groups the places where some member deviates into maximal spans. Two
/// deviating places belong to one span when only empty gaps lie between them
/// (or a weak anchor, see [`merge_weak_anchors`]).
pub(crate) fn variant_spans(inputs: &[AlignInput<'_>], al: &Alignment) -> Vec<Range<usize>> {
    let n = al.places.len();
    let deviates = |m: usize, p: usize| {
        al.members[m].coverage.contains(&p)
            && inputs[m].chars[al.members[m].readings[p].clone()] != *al.consensus_at(inputs, p)
    };
    let empty_gap = |p: usize| {
        p.is_multiple_of(2) && (0..al.members.len()).all(|m| al.members[m].readings[p].is_empty())
    };
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut open: Option<Range<usize>> = None;
    for p in 0..n {
        let any = (0..al.members.len()).any(|m| deviates(m, p));
        if any {
            open = Some(match open.take() {
                Some(r) => r.start..p + 1,
                None => p..p + 1,
            });
        } else if !empty_gap(p)
            && let Some(r) = open.take()
        {
            spans.push(r);
        }
    }
    spans.extend(open);
    merge_weak_anchors(spans, |p| al.consensus_at(inputs, p))
}

/// Joins variant spans that only one consensus character apart, or two
/// letters within a word, separate. Character diffs anchor on whatever
/// matches: `community` → `modernization` would otherwise come out as four
/// variants around `o`, `ni` and `t`, and the transposition `全不` → `不全`
/// as an insertion and a deletion around `不`. Frequent characters must not
/// cut one change into pieces.
fn merge_weak_anchors<'a>(
    spans: Vec<Range<usize>>,
    consensus_at: impl Fn(usize) -> &'a [char],
) -> Vec<Range<usize>> {
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        if let Some(last) = merged.last_mut() {
            let gap: Vec<char> = (last.end..span.start)
                .flat_map(|p| consensus_at(p).iter().copied())
                .collect();
            let weak = match gap.as_slice() {
                [c] => c.is_alphanumeric(),
                [a, b] => [a, b]
                    .iter()
                    .all(|c| c.is_alphanumeric() && !crate::chars::is_wide(**c)),
                _ => false,
            };
            if weak {
                last.end = span.end;
                continue;
            }
        }
        merged.push(span);
    }
    merged
}

/// The variants of the spans: per span, the consensus and every covering
/// member's differing reading, trimmed and classified.
pub(crate) fn find_variants(
    inputs: &[AlignInput<'_>],
    al: &Alignment,
    spans: Vec<Range<usize>>,
) -> Vec<Variant> {
    let n = al.places.len();
    let consensus_ends_at = |p: usize| (p..n).all(|q| al.consensus_at(inputs, q).is_empty());

    spans
        .into_iter()
        .map(|span| {
            let covering = al.covering(&span);
            let text_of = |m: usize| al.member_chars(m, &span);
            let consensus: Vec<char> = span
                .clone()
                .flat_map(|p| al.consensus_at(inputs, p).iter().copied())
                .collect();
            let chars_of = |m: usize| &inputs[m].chars[text_of(m)];
            let support_of =
                |text: &[char]| covering.iter().filter(|&&o| chars_of(o) == text).count();
            let readings = covering
                .iter()
                .filter(|&&m| chars_of(m) != consensus.as_slice())
                .map(|&m| {
                    let (whole, reading) = (text_of(m), chars_of(m));
                    let (head, tail) = common_affixes(&consensus, reading);
                    let (ours, theirs) = (
                        &reading[head..reading.len() - tail],
                        &consensus[head..consensus.len() - tail],
                    );
                    let stops_early = inputs[m].role == MemberRole::Witness
                        && whole.end == inputs[m].chars.len()
                        && consensus_ends_at(span.end)
                        && theirs.len() >= ours.len() + TRUNCATION_MIN;
                    VariantReading {
                        member: m,
                        chars: whole.start + head..whole.end - tail,
                        text: ours.iter().collect(),
                        consensus: head..consensus.len() - tail,
                        support: support_of(reading),
                        category: if stops_early {
                            Category::Truncation
                        } else {
                            classify(theirs, ours)
                        },
                    }
                })
                .collect();
            let consensus_support = support_of(&consensus);
            Variant {
                tie: span.clone().any(|p| al.places[p].tie),
                places: span.clone(),
                consensus_support,
                consensus: consensus.iter().collect(),
                covered: covering.len(),
                readings,
            }
        })
        .filter(|v| !v.readings.is_empty())
        .collect()
}

/// Lengths of the common prefix and of the common suffix of two different
/// sequences, not overlapping in either.
fn common_affixes(a: &[char], b: &[char]) -> (usize, usize) {
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
