//! The consensus by majority: a vote at every place among the members that
//! cover it, then a decision over each variant span as a whole, among the
//! readings the members have there.
//!
//! ```text
//! place 5:  0 缅  1 缅  2 东  →  Place { member: 0, covered: 3, support: 2, tie: false }
//! place 5:  0 缅  1 东        →  Place { member: 0 (the pivot), covered: 2, support: 1, tie: true }
//! ```
use std::ops::Range;

use super::{AlignInput, AlignedMember, Alignment, Place, TRUNCATION_MIN, same};
use crate::cluster::MemberRole;

/// Majority vote at one place among the members that cover it.
pub(crate) fn vote(
    inputs: &[AlignInput<'_>],
    members: &[AlignedMember],
    pivot: usize,
    place: usize,
) -> Place {
    let reading = |m: usize| &inputs[m].chars[members[m].readings[place].clone()];
    // Members covering the place, without collecting them: this runs at
    // every place of every cluster.
    let covering = || (0..members.len()).filter(|&m| members[m].coverage.contains(&place));
    // Most places read alike in every member: the first reads the consensus
    // (as the count below would find), without comparing every pair.
    if let Some(first) = covering().next()
        && covering().all(|m| same(reading(m), reading(first)))
    {
        let covered = covering().count();
        return Place {
            member: first,
            covered,
            support: covered,
            tie: false,
        };
    }
    let mut covered = 0;
    let mut best: Option<(usize, usize)> = None; // (member, support)
    let mut tie = false;
    for m in covering() {
        covered += 1;
        // Count each distinct reading once, at its first member.
        if covering()
            .take_while(|&o| o < m)
            .any(|o| same(reading(o), reading(m)))
        {
            continue;
        }
        let support = covering().filter(|&o| same(reading(o), reading(m))).count();
        match best {
            Some((_, s)) if support < s => {}
            Some((_, s)) if support == s => tie = true,
            _ => {
                best = Some((m, support));
                tie = false;
            }
        }
    }
    match best {
        Some((member, support)) if !tie => Place {
            member,
            covered,
            support,
            tie: false,
        },
        // A tie, or a place nobody covers: the pivot's reading stands in,
        // and the tie is reported as such.
        _ => read_by(inputs, members, pivot, place, covered > 1),
    }
}

/// The place with `member`'s reading as its consensus: how many members
/// cover it and how many of them read the same.
pub(crate) fn read_by(
    inputs: &[AlignInput<'_>],
    members: &[AlignedMember],
    member: usize,
    place: usize,
    tie: bool,
) -> Place {
    let reading = |m: usize| &inputs[m].chars[members[m].readings[place].clone()];
    let covering = || (0..members.len()).filter(|&m| members[m].coverage.contains(&place));
    Place {
        member,
        covered: covering().count(),
        support: covering()
            .filter(|&o| same(reading(o), reading(member)))
            .count(),
        tie,
    }
}

/// Readings up to this many bytes together are compared with the
/// optimal-string-alignment distance (quadratic); longer ones with the
/// bounded Levenshtein distance of [`crate::diff`].
const MAX_OSA_CHARS: usize = 4096;

/// Decides the consensus of a whole variant span: always a reading some
/// covering member has over the whole span, never one assembled place by
/// place (`hpoe`, `hope`, `hoep` vote `hoe` place by place, which nobody
/// reads).
///
/// The readings are ranked by
///
/// 1. how many covering members read it over the whole span;
/// 2. how close it is to the other members' readings: the fewest edits
///    to all of them, a swap of neighbours counting as one (`hope` against
///    `hpoe` and `hoep`, each a transposition away from it);
/// 3. not being cut short: where the span runs to the end of the text, a
///    reading that stops there while another goes on for
///    [`TRUNCATION_MIN`] characters or more is a file that ends early,
///    not the others' addition;
/// 4. the reliability of the members that read it (`weights`, the log-odds
///    of each one's source being right, estimated on the places the vote
///    decided; see [`crate::stats::Reliability`]);
/// 5. the pivot's reading, then the readings' texts, so the result is the
///    same whatever the thread count and the members' order.
///
/// When the first two do not separate the best readings, the span is a
/// *tie*: the reading the reliability picks is the consensus, and the span
/// is flagged as a tie in every output. With two members every difference
/// is a tie.
pub(crate) fn decide_span(
    inputs: &[AlignInput<'_>],
    al: &mut Alignment,
    span: Range<usize>,
    weights: &[f64],
) {
    let covering = al.covering(&span);
    if covering.len() < 2 {
        return;
    }
    // A span grown to whole words can hold deviations that a space or a
    // mark all the members read alike keeps apart (`not change ln` against `enter
    // change In`, `not che In`, `not change In`): each part is decided by
    // itself, or the reading nearest to all would carry one member's
    // mistake against three that agree.
    let parts: Vec<Range<usize>> = {
        let reading = |m: usize, p: usize| &inputs[m].chars[al.members[m].readings[p].clone()];
        // A space or a punctuation mark all read alike: not a letter, which
        // the alignment may have matched between two halves of a swap
        // (`hpoe`, `hope`, `hoep` all read the `o` of the pivot).
        let agreed = |p: usize| {
            let first = reading(covering[0], p);
            !first.is_empty()
                && !first.iter().any(|&c| crate::chars::is_alphanumeric(c))
                && covering[1..].iter().all(|&m| same(reading(m, p), first))
        };
        let mut parts = Vec::new();
        let mut start = span.start;
        for p in span.clone() {
            if agreed(p) {
                if start < p {
                    parts.push(start..p);
                }
                start = p + 1;
            }
        }
        if start < span.end {
            parts.push(start..span.end);
        }
        parts
    };
    for part in parts {
        decide_part(inputs, al, part, &covering, weights);
    }
}

/// [`decide_span`] for one part of a span that no agreed character
/// divides, among the members `covering` the span.
fn decide_part(
    inputs: &[AlignInput<'_>],
    al: &mut Alignment,
    span: Range<usize>,
    covering: &[usize],
    weights: &[f64],
) {
    let text_of = |m: usize| &inputs[m].chars[al.member_chars(m, &span)];
    // One entry per distinct reading, at its first member.
    let mut readers: Vec<(usize, Vec<usize>)> = Vec::new();
    for &m in covering {
        match readers
            .iter_mut()
            .find(|(first, _)| text_of(*first) == text_of(m))
        {
            Some((_, all)) => all.push(m),
            None => readers.push((m, vec![m])),
        }
    }
    if readers.len() < 2 {
        return;
    }
    // How far each reading is from all the others, counted per member:
    // edits with a swap of neighbours as one (optimal string alignment),
    // so the reading one transposition away from two others is nearest.
    // Measured on the readings themselves, not on their places on the
    // pivot, which favour the pivot's own reading.
    let texts: Vec<String> = readers
        .iter()
        .map(|(first, _)| text_of(*first).iter().collect())
        .collect();
    let distance = |a: usize, b: usize| -> usize {
        if texts[a].len() + texts[b].len() <= MAX_OSA_CHARS {
            strsim::osa_distance(&texts[a], &texts[b])
        } else {
            crate::diff::levenshtein(text_of(readers[a].0), text_of(readers[b].0))
        }
    };
    let spread = |r: usize| -> usize {
        (0..readers.len())
            .filter(|&o| o != r)
            .map(|o| distance(r, o) * readers[o].1.len())
            .sum()
    };
    let weight = |all: &[usize]| -> f64 {
        all.iter()
            .map(|&m| weights.get(m).copied().unwrap_or(0.0))
            .sum()
    };
    // Nothing after the span but empty gaps: it runs to the end.
    let at_end =
        (span.end..al.places.len()).all(|p| al.members.iter().all(|m| m.readings[p].is_empty()));
    let longest = readers
        .iter()
        .map(|(first, _)| text_of(*first).len())
        .max()
        .unwrap_or(0);
    let whole = |m: usize| {
        let r = al.member_chars(m, &span);
        r.end == inputs[m].chars.len() && inputs[m].role == MemberRole::Witness
    };
    let goes_on = |m: usize| !(at_end && whole(m) && text_of(m).len() + TRUNCATION_MIN <= longest);
    let ranked: Vec<(usize, usize, std::cmp::Reverse<usize>, bool, f64)> = readers
        .iter()
        .enumerate()
        .map(|(r, (first, all))| {
            (
                *first,
                all.len(),
                std::cmp::Reverse(spread(r)),
                goes_on(*first),
                weight(all),
            )
        })
        .collect();
    let pivot = al.pivot;
    let holds_pivot = |first: usize| {
        readers
            .iter()
            .any(|(f, all)| *f == first && all.contains(&pivot))
    };
    let best = ranked
        .iter()
        .copied()
        .max_by(|a, b| {
            (a.1, a.2, a.3)
                .cmp(&(b.1, b.2, b.3))
                .then(a.4.total_cmp(&b.4))
                .then(holds_pivot(a.0).cmp(&holds_pivot(b.0)))
                // Last, the texts themselves, not the members' order.
                .then(text_of(b.0).cmp(text_of(a.0)))
        })
        .expect("two readings or more");
    let tie = ranked
        .iter()
        .filter(|r| (r.1, r.2) == (best.1, best.2))
        .count()
        > 1;
    for p in span {
        al.places[p] = read_by(inputs, &al.members, best.0, p, tie);
    }
}
