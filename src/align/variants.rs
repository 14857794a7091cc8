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
use crate::classify::{Category, classify, is_adjacent_swap};
use crate::cluster::MemberRole;

/// Groups the places where some member deviates into maximal spans. Two
/// deviating places belong to one span when only empty gaps lie between them
/// (or a weak anchor, or the two halves of a swap, see
/// [`merge_weak_anchors`]).
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
    let consensus_over = |places: &Range<usize>| -> Vec<char> {
        places
            .clone()
            .flat_map(|p| al.consensus_at(inputs, p).iter().copied())
            .collect()
    };
    let differs = |m: usize, places: &Range<usize>| {
        inputs[m].chars[al.member_chars(m, places)] != *consensus_over(places)
    };
    // Whether some member deviates in both spans and reads them, with what
    // lies between, as the consensus with two adjacent characters swapped.
    let swapped = |first: &Range<usize>, second: &Range<usize>| {
        let places = first.start..second.end;
        let consensus = consensus_over(&places);
        al.covering(&places).into_iter().any(|m| {
            if !differs(m, first) || !differs(m, second) {
                // A member that swaps within one span and reads the other
                // as the consensus does not join them.
                return false;
            }
            let reading = &inputs[m].chars[al.member_chars(m, &places)];
            // Spaces aside, as classify judges a swap.
            let solid = |s: &[char]| -> Vec<char> {
                s.iter().copied().filter(|c| !c.is_whitespace()).collect()
            };
            let (consensus, reading) = (solid(&consensus), solid(reading));
            let (head, tail) = common_affixes(&consensus, &reading);
            is_adjacent_swap(
                &consensus[head..consensus.len() - tail],
                &reading[head..reading.len() - tail],
            )
        })
    };
    merge_weak_anchors(spans, |p| al.consensus_at(inputs, p), swapped)
}

/// Joins variant spans that only one consensus character apart, or two
/// letters within a word, separate. Character diffs anchor on whatever
/// matches: `community` → `modernization` would otherwise come out as four
/// variants around `o`, `ni` and `t`, and the transposition `全不` → `不全`
/// as an insertion and a deletion around `不`. Frequent characters must not
/// cut one change into pieces.
///
/// Two spans are also joined, whatever separates them, when some member
/// deviates in both and reads them with what lies between as a swap of two
/// adjacent characters and nothing else (`swapped`, tested on the span
/// as merged so far): the diff of `major-country` and `majorc-ountry` puts `c`
/// in before `-` and takes it out after, `28.8%` → `28.%8` moves `8`
/// across `%`, and `x-a-` → `xa--` may take `-` out before `a` and put it
/// in after the next `-`; each is one transposition, not an insertion and
/// a deletion around the punctuation.
fn merge_weak_anchors<'a>(
    spans: Vec<Range<usize>>,
    consensus_at: impl Fn(usize) -> &'a [char],
    swapped: impl Fn(&Range<usize>, &Range<usize>) -> bool,
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
            } || swapped(last, &span);
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
                    // The differing stretch: `ours` of the reading, `theirs`
                    // of the consensus.
                    let (ours, theirs) = (head..reading.len() - tail, head..consensus.len() - tail);
                    let stops_early = inputs[m].role == MemberRole::Witness
                        && whole.end == inputs[m].chars.len()
                        && consensus_ends_at(span.end)
                        && theirs.len() >= ours.len() + TRUNCATION_MIN;
                    let category = if stops_early {
                        Category::Truncation
                    } else {
                        classify(&consensus[theirs.clone()], &reading[ours.clone()])
                    };
                    VariantReading {
                        member: m,
                        chars: whole.start + ours.start..whole.start + ours.end,
                        text: reading[ours].iter().collect(),
                        consensus: theirs,
                        support: support_of(reading),
                        category,
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

#[cfg(test)]
mod tests {
    use super::super::{AlignOptions, align};
    use crate::classify::Category;
    use crate::diff::diff_chars;
    use similar::DiffOp;

    /// The readings of three witnesses, the third differing: (consensus it
    /// replaces, its text, category, support).
    fn readings(same: &str, other: &str) -> Vec<(String, String, Category, usize)> {
        let texts: Vec<Vec<char>> = [same, same, other].map(|t| t.chars().collect()).into();
        let inputs = super::super::witness_inputs(&texts);
        let al = align(&inputs, &AlignOptions::default());
        al.variants
            .iter()
            .flat_map(|v| {
                v.readings.iter().map(|r| {
                    let consensus: String = v
                        .consensus
                        .chars()
                        .skip(r.consensus.start)
                        .take(r.consensus.len())
                        .collect();
                    (consensus, r.text.clone(), r.category, r.support)
                })
            })
            .collect()
    }

    #[test]
    fn a_swap_across_punctuation_is_one_transposition() {
        // The character diff of these takes the moved character out on one
        // side of the mark and puts it in on the other: two spans, one
        // punctuation mark apart.
        let cases = [
            (
                "a major-country diplomacy",
                "a majorc-ountry diplomacy",
                "-c",
                "c-",
            ),
            (
                "growth was 28.8% in the year",
                "growth was 28.%8 in the year",
                "8%",
                "%8",
            ),
        ];
        for (same, other, consensus, reading) in cases {
            let (a, b): (Vec<char>, Vec<char>) = (same.chars().collect(), other.chars().collect());
            let changes = diff_chars(&a, &b)
                .iter()
                .filter(|op| !matches!(op, DiffOp::Equal { .. }))
                .count();
            assert_eq!(changes, 2, "{same:?}: the diff splits the swap");
            assert_eq!(
                readings(same, other),
                vec![(
                    consensus.to_string(),
                    reading.to_string(),
                    Category::Transposition,
                    1
                )],
                "{same:?}"
            );
        }
    }

    #[test]
    fn swaps_next_to_marks_are_transpositions() {
        for (same, other, consensus, reading) in [
            (
                "the report on china's economy",
                "the report on chin'as economy",
                "a'",
                "'a",
            ),
            (
                "路口的红灯、绿灯都亮了",
                "路口的红、灯绿灯都亮了",
                "灯、",
                "、灯",
            ),
            // As normalized: a space next to punctuation is dropped, so
            // only the second keeps the one before `in`, and the reading
            // holds it (the apparatus leaves it out: the consensus writes it
            // too); spaces aside, the swap is a transposition.
            (
                "growth was 28.8%in the year",
                "growth was 28.%8 in the year",
                "8%",
                "%8 ",
            ),
        ] {
            assert_eq!(
                readings(same, other),
                vec![(
                    consensus.to_string(),
                    reading.to_string(),
                    Category::Transposition,
                    1
                )],
                "{same:?}"
            );
        }
    }

    #[test]
    fn a_swap_next_to_another_change_of_the_same_member_stays_apart() {
        // The second `f` of `fo sf` is put in: with the swap's own `f` it
        // reads as `f s` → ` sf`, a swap, but the swap and the insertion
        // are two changes.
        let got = readings(
            "relations of safeguarding world economy",
            "relations fo sfafeguarding world economy",
        );
        assert_eq!(
            got,
            [
                (
                    "of".to_string(),
                    "fo".to_string(),
                    Category::Transposition,
                    1
                ),
                (String::new(), "f".to_string(), Category::Insertion, 1)
            ]
        );
    }

    #[test]
    fn swaps_by_different_members_stay_apart() {
        // Each of two witnesses swaps a pair; the stretch from one swap to
        // the other is, for each of them, a single swap too, but neither
        // deviates in both.
        let texts: Vec<Vec<char>> = [
            "the grid belt and road as the common",
            "the grid belt and road as the common",
            "the gird belt and road as the common",
            "the grid belt and road as the comomn",
        ]
        .map(|t| t.chars().collect())
        .into();
        let inputs = super::super::witness_inputs(&texts);
        let al = align(&inputs, &AlignOptions::default());
        let got: Vec<(usize, String, Category)> = al
            .variants
            .iter()
            .flat_map(|v| {
                v.readings
                    .iter()
                    .map(|r| (r.member, r.text.clone(), r.category))
            })
            .collect();
        assert_eq!(
            got,
            [
                (2, "ir".to_string(), Category::Transposition),
                (3, "om".to_string(), Category::Transposition)
            ]
        );
        assert_eq!(al.variants.len(), 2);
    }

    #[test]
    fn an_insertion_and_a_deletion_by_different_members_stay_apart() {
        // `c` put in before `-` by one witness and taken out after it by
        // another is no swap: two readings at two places.
        let texts: Vec<Vec<char>> = [
            "a major-country diplomacy",
            "a major-country diplomacy",
            "a majorc-country diplomacy",
            "a major-ountry diplomacy",
        ]
        .map(|t| t.chars().collect())
        .into();
        let inputs = super::super::witness_inputs(&texts);
        let al = align(&inputs, &AlignOptions::default());
        let categories: Vec<Category> = al
            .variants
            .iter()
            .flat_map(|v| v.readings.iter().map(|r| r.category))
            .collect();
        assert_eq!(categories, [Category::Insertion, Category::Deletion]);
    }
}
