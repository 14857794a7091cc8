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

use super::{AlignInput, Alignment, Detail, TRUNCATION_MIN, Variant, VariantReading, same};
use crate::chars::is_word_char;
use crate::classify::{Category, classify, is_adjacent_swap};
use crate::cluster::MemberRole;
use crate::diff::common_affixes;

/// Groups the places where some member deviates into maximal spans. Two
/// deviating places belong to one span when only empty gaps lie between them
/// (or a weak anchor, or the two halves of a swap, see
/// [`merge_weak_anchors`]).
pub(crate) fn variant_spans(inputs: &[AlignInput<'_>], al: &Alignment) -> Vec<Range<usize>> {
    let n = al.places.len();
    let deviates = |m: usize, p: usize| {
        al.members[m].coverage.contains(&p)
            && !same(
                &inputs[m].chars[al.members[m].readings[p].clone()],
                al.consensus_at(inputs, p),
            )
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
    let spans = merge_weak_anchors(spans, |p| al.consensus_at(inputs, p), swapped);
    whole_words(inputs, al, spans)
}

/// The variant spans as a reader of alphabetic text sees them: a span that
/// begins or ends inside a word grows to the whole word (`glass` against
/// `glasses` is a site at `glass`, not an insertion of `es`), and spans
/// that only spaces separate are one site, as a rewritten phrase is one
/// (`hardly ever` → `rarely`, `the whole amount of difference` → `all
/// our`): CollateX's sites, which are runs of words. Han text is untouched:
/// its sites stay characters. A span never grows past where one of the
/// members covering it stops covering, so a fragment keeps its readings.
fn whole_words(
    inputs: &[AlignInput<'_>],
    al: &Alignment,
    spans: Vec<Range<usize>>,
) -> Vec<Range<usize>> {
    let n = al.places.len();
    let consensus = |p: usize| al.consensus_at(inputs, p);
    // The nearest place before `q` (after, from `q` on) whose consensus
    // reads something, and its last (first) character.
    let before = |q: usize| {
        (0..q)
            .rev()
            .find_map(|p| consensus(p).last().map(|&c| (p, c)))
    };
    let after = |q: usize| (q..n).find_map(|p| consensus(p).first().map(|&c| (p, c)));
    // The first (last) characters read over a span, by the consensus and
    // by every member covering it.
    let edge = |span: &Range<usize>, last: bool| -> Vec<char> {
        let mut out: Vec<char> = Vec::new();
        out.extend(if last {
            before(span.end)
                .filter(|&(p, _)| p >= span.start)
                .map(|(_, c)| c)
        } else {
            after(span.start)
                .filter(|&(p, _)| p < span.end)
                .map(|(_, c)| c)
        });
        for m in al.covering(span) {
            let r = al.member_chars(m, span);
            if !r.is_empty() {
                out.push(inputs[m].chars[if last { r.end - 1 } else { r.start }]);
            }
        }
        out
    };
    let mut grown: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for mut span in spans {
        let covering = al.covering(&span);
        // A mark or a space put in between two letters of the consensus
        // (`con- tinues` for `continues`) is inside a word too.
        let inside = matches!(
            (before(span.start), after(span.end)),
            (Some((_, b)), Some((_, a))) if is_word_char(b) && is_word_char(a)
        ) && span
            .clone()
            .all(|p| consensus(p).iter().copied().all(is_word_char));
        while let Some((p, c)) = before(span.start)
            && is_word_char(c)
            && (inside || edge(&span, false).into_iter().any(is_word_char))
            && al.covering(&(p..span.end)) == covering
        {
            span.start = p;
        }
        while let Some((p, c)) = after(span.end)
            && is_word_char(c)
            && (inside || edge(&span, true).into_iter().any(is_word_char))
            && al.covering(&(span.start..p + 1)) == covering
        {
            span.end = p + 1;
        }
        grown.push(span);
    }
    // Join what now overlaps, and what only spaces separate. A span may
    // have grown back past earlier ones (over an insertion of a mark, whose
    // places read nothing in the consensus): in order of their starts, a
    // join takes the earliest start.
    grown.sort_by_key(|s| (s.start, s.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(grown.len());
    for span in grown {
        if let Some(last) = out.last_mut() {
            let between: Vec<char> = (last.end..span.start)
                .flat_map(|p| consensus(p).iter().copied())
                .collect();
            // Nothing but spaces (or nothing: spans a word grew to meet).
            let spaced = between.iter().all(|c| c.is_whitespace());
            let joined = last.start..span.end.max(last.end);
            if span.start <= last.end
                || (spaced
                    && al.covering(&joined) == al.covering(last)
                    && al.covering(&joined) == al.covering(&span))
            {
                *last = joined;
                continue;
            }
        }
        out.push(span);
    }
    out
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
/// member's differing readings, classified.
///
/// A member's readings are the stretches of the span where it reads
/// otherwise, found on the alignment (not by comparing strings, which
/// cannot tell which of two `a`s a member lacks), as whole words in
/// alphabetic text (see [`reading_runs`]). Each is classified on its
/// characters that differ, so `rnodern` for `modern` is a confusable.
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
            let consensus_over = |places: &Range<usize>| -> Vec<char> {
                places
                    .clone()
                    .flat_map(|p| al.consensus_at(inputs, p).iter().copied())
                    .collect()
            };
            let consensus = consensus_over(&span);
            let chars_of =
                |m: usize, places: &Range<usize>| &inputs[m].chars[al.member_chars(m, places)];
            let support_of = |places: &Range<usize>, text: &[char]| {
                covering
                    .iter()
                    .filter(|&&o| chars_of(o, places) == text)
                    .count()
            };
            let mut readings = Vec::new();
            for &m in &covering {
                if chars_of(m, &span) == consensus.as_slice() {
                    continue;
                }
                for run in reading_runs(inputs, al, m, &span) {
                    let mut whole = al.member_chars(m, &run);
                    let mut theirs_all = consensus_over(&run);
                    // Offset of the run's consensus in the span's.
                    let mut offset = consensus_over(&(span.start..run.start)).len();
                    // Who reads the same, and the consensus, over the run.
                    let support = support_of(&run, &inputs[m].chars[whole.clone()]);
                    let consensus_support = support_of(&run, &theirs_all);
                    // A space both end (or begin) with is no part of the
                    // reading: the word diff may place a space on either
                    // side of a changed word.
                    let own = inputs[m].chars;
                    while whole.end > whole.start
                        && theirs_all.last().is_some_and(|c| c.is_whitespace())
                        && own[whole.end - 1].is_whitespace()
                    {
                        whole.end -= 1;
                        theirs_all.pop();
                    }
                    while whole.end > whole.start
                        && theirs_all.first().is_some_and(|c| c.is_whitespace())
                        && own[whole.start].is_whitespace()
                    {
                        whole.start += 1;
                        theirs_all.remove(0);
                        offset += 1;
                    }
                    let reading = &own[whole.clone()];
                    if reading == theirs_all.as_slice() {
                        continue;
                    }
                    // The characters that differ, for the category.
                    let (head, tail) = common_affixes(&theirs_all, reading);
                    let (ours, theirs) =
                        (head..reading.len() - tail, head..theirs_all.len() - tail);
                    let stops_early = inputs[m].role == MemberRole::Witness
                        && whole.end == inputs[m].chars.len()
                        && consensus_ends_at(run.end)
                        && theirs.len() >= ours.len() + TRUNCATION_MIN;
                    let category = if stops_early {
                        Category::Truncation
                    } else {
                        classify(&theirs_all[theirs.clone()], &reading[ours.clone()])
                    };
                    readings.push(VariantReading {
                        member: m,
                        chars: whole.clone(),
                        text: reading.iter().collect(),
                        consensus: offset..offset + theirs_all.len(),
                        support,
                        consensus_support,
                        detail: Detail {
                            chars: whole.start + ours.start..whole.start + ours.end,
                            consensus: offset + theirs.start..offset + theirs.end,
                        },
                        category,
                    });
                }
            }
            readings.sort_by_key(|r| (r.consensus.start, r.member));
            let consensus_support = support_of(&span, &consensus);
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

/// Differing stretches longer than this are rewrites whatever their
/// distance (see [`reading_runs`]).
const REWRITE_CHARS: usize = 64;

/// The stretches of `span` where member `m` reads otherwise than the
/// consensus, as places: its deviating places, joined where only a weak
/// anchor (one character, two letters) or part of a word separates them,
/// grown to whole words in alphabetic text, and joined across a space when
/// both sides are rewrites rather than misspellings (`whole amount` →
/// `all our` is one reading; `of safeguarding` → `fo sfafeguarding` is two,
/// each a word with a slip in it, as are `betwcen` and `elaborate` for
/// `between humanity`).
fn reading_runs(
    inputs: &[AlignInput<'_>],
    al: &Alignment,
    m: usize,
    span: &Range<usize>,
) -> Vec<Range<usize>> {
    let consensus = |p: usize| al.consensus_at(inputs, p);
    let text_of = |places: &Range<usize>| -> Vec<char> {
        places
            .clone()
            .flat_map(|p| consensus(p).iter().copied())
            .collect()
    };
    let ours = |places: &Range<usize>| &inputs[m].chars[al.member_chars(m, places)];
    let deviates = |p: usize| inputs[m].chars[al.reading(m, p)] != *consensus(p);
    // The member reads the stretch as the consensus with two neighbours
    // swapped, spaces aside: one transposition across a mark (`-c` →
    // `c-`), as in [`merge_weak_anchors`].
    let swap = |places: &Range<usize>| {
        let solid = |s: &[char]| -> Vec<char> {
            s.iter().copied().filter(|c| !c.is_whitespace()).collect()
        };
        let (c, o) = (solid(&text_of(places)), solid(ours(places)));
        let (head, tail) = common_affixes(&c, &o);
        c != o && is_adjacent_swap(&c[head..c.len() - tail], &o[head..o.len() - tail])
    };
    let mut runs: Vec<Range<usize>> = Vec::new();
    for p in span.clone().filter(|&p| deviates(p)) {
        if let Some(last) = runs.last_mut() {
            let between = text_of(&(last.end..p));
            let weak = match between.as_slice() {
                [] => true,
                [c] => c.is_alphanumeric(),
                [a, b] => [a, b].iter().all(|c| is_word_char(**c)),
                more => more.iter().all(|&c| is_word_char(c)),
            };
            if weak || swap(&(last.start..p + 1)) {
                last.end = p + 1;
                continue;
            }
        }
        runs.push(p..p + 1);
    }
    // Grow to whole words inside the span: the span is already whole words.
    let first_last = |places: &Range<usize>, last: bool| -> [Option<char>; 2] {
        let c = text_of(places);
        let o = ours(places);
        if last {
            [c.last().copied(), o.last().copied()]
        } else {
            [c.first().copied(), o.first().copied()]
        }
    };
    // The consensus characters just before and after a run, inside the span.
    let neighbours = |run: &Range<usize>| {
        let before = (span.start..run.start)
            .rev()
            .find_map(|p| consensus(p).last().copied());
        let after = (run.end..span.end).find_map(|p| consensus(p).first().copied());
        (before, after)
    };
    for run in &mut runs {
        // A mark put in or left out between two letters (`abc-defgh` for
        // `abcdefgh`) is inside a word too.
        let inside =
            matches!(neighbours(run), (Some(b), Some(a)) if is_word_char(b) && is_word_char(a));
        while run.start > span.start {
            let Some(p) = (span.start..run.start)
                .rev()
                .find(|&p| !consensus(p).is_empty())
            else {
                break;
            };
            let before = *consensus(p).last().expect("not empty");
            if !is_word_char(before)
                || !(inside
                    || first_last(run, false)
                        .into_iter()
                        .flatten()
                        .any(is_word_char))
            {
                break;
            }
            run.start = p;
        }
        while run.end < span.end {
            let Some(p) = (run.end..span.end).find(|&p| !consensus(p).is_empty()) else {
                break;
            };
            let next = consensus(p)[0];
            if !is_word_char(next)
                || !(inside
                    || first_last(run, true)
                        .into_iter()
                        .flatten()
                        .any(is_word_char))
            {
                break;
            }
            run.end = p + 1;
        }
    }
    let rewrite = |places: &Range<usize>| {
        let (c, o) = (text_of(places), ours(places));
        // No word is this long: a longer stretch that differs is rewritten
        // text (and the distance, quadratic, is not computed on it).
        if c.len().max(o.len()) > REWRITE_CHARS {
            return true;
        }
        let (a, b): (String, String) = (c.iter().collect(), o.iter().collect());
        2 * strsim::osa_distance(&a, &b) > c.len().max(o.len())
    };
    let mut out: Vec<Range<usize>> = Vec::with_capacity(runs.len());
    for run in runs {
        if let Some(last) = out.last_mut() {
            let between = text_of(&(last.end..run.start));
            let spaced = between.iter().all(|c| c.is_whitespace());
            if run.start <= last.end || (spaced && rewrite(last) && rewrite(&run)) {
                last.end = last.end.max(run.end);
                continue;
            }
        }
        out.push(run);
    }
    out
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
                "major-country",
                "majorc-ountry",
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
                "china's",
                "chin'as",
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
                (
                    "safeguarding".to_string(),
                    "sfafeguarding".to_string(),
                    Category::Insertion,
                    1
                )
            ]
        );
    }

    /// A span that grows back to the start of its word past an earlier
    /// span (an inserted mark, whose places the consensus leaves empty)
    /// joins it whole: the site starts where the word does.
    #[test]
    fn a_word_grown_past_an_inserted_mark_is_one_whole_site() {
        let texts: Vec<Vec<char>> = ["abcdefgh ij", "abcdefgh ij", "abc-defgh ij", "abcdefxh ij"]
            .map(|t| t.chars().collect())
            .into();
        let inputs = super::super::witness_inputs(&texts);
        let al = align(&inputs, &AlignOptions::default());
        assert_eq!(al.variants.len(), 1, "{:?}", al.variants);
        let v = &al.variants[0];
        assert_eq!(v.consensus, "abcdefgh");
        let of = |m: usize| {
            let r = v
                .readings
                .iter()
                .find(|r| r.member == m)
                .expect("a reading");
            r.text.clone()
        };
        assert_eq!(of(3), "abcdefxh");
        assert_eq!(of(2), "abc-defgh");
    }

    #[test]
    fn a_mark_put_inside_a_word_makes_the_whole_word_the_site() {
        // No other member deviates there: the span is the insertion alone,
        // and grows to the word it stands in.
        let texts: Vec<Vec<char>> = [
            "it continues to vary",
            "it continues to vary",
            "it con- tinues to vary",
        ]
        .map(|t| t.chars().collect())
        .into();
        let inputs = super::super::witness_inputs(&texts);
        let al = align(&inputs, &AlignOptions::default());
        assert_eq!(al.variants.len(), 1, "{:?}", al.variants);
        let v = &al.variants[0];
        assert_eq!(v.consensus, "continues");
        assert_eq!(v.readings[0].text, "con- tinues");
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
                (2, "gird".to_string(), Category::Transposition),
                (3, "comomn".to_string(), Category::Transposition)
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
