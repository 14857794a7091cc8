//! The consensus by majority: a vote at every place among the members that
//! cover it, and a second vote over each variant span as a whole.
//!
//! ```text
//! place 5:  0 缅  1 缅  2 东  →  Place { member: 0, covered: 3, support: 2, tie: false }
//! place 5:  0 缅  1 东        →  Place { member: 0 (the pivot), covered: 2, support: 1, tie: true }
//! ```
use std::ops::Range;

use super::{AlignInput, AlignedMember, Alignment, Place};

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
    let mut covered = 0;
    let mut best: Option<(usize, usize)> = None; // (member, support)
    let mut tie = false;
    for m in covering() {
        covered += 1;
        // Count each distinct reading once, at its first member.
        if covering()
            .take_while(|&o| o < m)
            .any(|o| reading(o) == reading(m))
        {
            continue;
        }
        let support = covering().filter(|&o| reading(o) == reading(m)).count();
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
            .filter(|&o| reading(o) == reading(member))
            .count(),
        tie,
    }
}

/// Votes again over a whole span: the place-by-place majority can assemble
/// a reading no witness has (a transposition in the pivot ties every place
/// it touches, and the pivot's reading stands in at ties). When one reading
/// of the whole span has more witnesses than any other, it is the consensus
/// at every place of the span.
pub(crate) fn revote_span(inputs: &[AlignInput<'_>], al: &mut Alignment, span: Range<usize>) {
    let covering = al.covering(&span);
    let text_of = |m: usize| &inputs[m].chars[al.member_chars(m, &span)];
    let support = |m: usize| {
        covering
            .iter()
            .filter(|&&o| text_of(o) == text_of(m))
            .count()
    };
    let mut best: Option<(usize, usize)> = None; // (member, support)
    let mut tie = false;
    for &m in &covering {
        let s = support(m);
        match best {
            Some((b, bs)) if s == bs && text_of(b) != text_of(m) => tie = true,
            Some((_, bs)) if s <= bs => {}
            _ => {
                best = Some((m, s));
                tie = false;
            }
        }
    }
    let Some((winner, _)) = best else { return };
    if tie {
        return;
    }
    for p in span {
        al.places[p] = read_by(inputs, &al.members, winner, p, false);
    }
}
