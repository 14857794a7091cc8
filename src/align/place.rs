//! Placing the members on the pivot: the pivot is chosen, and every other
//! member's characters are put on the pivot's places by a character diff.
//!
//! ```text
//! pivot   斡旋缅北        places    0  1  2  3  4  5  6  7  8     (2i+1: pivot character i,
//! member  斡旋东北了  →  readings  ∅  斡 ∅  旋 ∅  东 ∅  北 了     2i: the gap before it)
//! ```
use std::ops::Range;

use similar::DiffOp;

use super::{AlignInput, AlignedMember, EDGE_GAP};
use crate::cluster::MemberRole;
use crate::diff::{SOLID_MATCH, common_chars, diff_chars, is_long, matched, matched_span, shift};

/// The witness most similar to all other members (sum of match ratios); the
/// first such in input order on a tie.
pub(crate) fn choose_pivot(inputs: &[AlignInput<'_>]) -> usize {
    let witnesses: Vec<usize> = (0..inputs.len())
        .filter(|&m| inputs[m].role == MemberRole::Witness)
        .collect();
    let candidates = if witnesses.is_empty() {
        (0..inputs.len()).collect()
    } else {
        witnesses
    };
    if candidates.len() <= 2 {
        // With two witnesses either is the medoid: take the longer, so a
        // truncated version is compared against the full one.
        return candidates
            .iter()
            .copied()
            .max_by_key(|&m| (inputs[m].chars.len(), std::cmp::Reverse(m)))
            .expect("a cluster has members");
    }
    let mut score = vec![0.0f64; inputs.len()];
    for (i, &a) in candidates.iter().enumerate() {
        for &b in &candidates[i + 1..] {
            // The characters an optimal diff matches, without the diff.
            let matched = common_chars(inputs[a].chars, inputs[b].chars);
            let ratio = 2.0 * matched as f64
                / (inputs[a].chars.len() + inputs[b].chars.len()).max(1) as f64;
            score[a] += ratio;
            score[b] += ratio;
        }
    }
    candidates
        .iter()
        .copied()
        .max_by(|&a, &b| {
            score[a]
                .partial_cmp(&score[b])
                .expect("ratios are finite")
                .then(b.cmp(&a))
        })
        .expect("a cluster has members")
}

/// Places one member's characters on the pivot's places.
pub(crate) fn place_member(pivot: &[char], input: &AlignInput<'_>) -> AlignedMember {
    let ops = match input.role {
        MemberRole::Witness => diff_chars(pivot, input.chars),
        MemberRole::Fragment | MemberRole::Duplicate => locate_piece(pivot, input.chars),
    };
    let n_places = 2 * pivot.len() + 1;
    let mut readings: Vec<Option<Range<usize>>> = vec![None; n_places];
    let mut put = |place: usize, range: Range<usize>| match &mut readings[place] {
        // Two insertions at one gap (an insert next to a longer replace)
        // are adjacent in the member, so the reading simply grows.
        Some(existing) => existing.end = range.end,
        slot => *slot = Some(range),
    };
    for op in &ops {
        match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for j in 0..len {
                    put(2 * (old_index + j) + 1, new_index + j..new_index + j + 1);
                }
            }
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => {
                for j in 0..old_len {
                    put(2 * (old_index + j) + 1, new_index..new_index);
                }
            }
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => put(2 * old_index, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                // Pair characters one to one; what is left over is a
                // deletion of pivot characters or an insertion after them.
                let paired = old_len.min(new_len);
                for j in 0..paired {
                    put(2 * (old_index + j) + 1, new_index + j..new_index + j + 1);
                }
                for j in paired..old_len {
                    put(
                        2 * (old_index + j) + 1,
                        new_index + paired..new_index + paired,
                    );
                }
                if new_len > paired {
                    put(
                        2 * (old_index + old_len),
                        new_index + paired..new_index + new_len,
                    );
                }
            }
        }
    }
    // Unfilled places read nothing, at the position reached so far.
    let mut cursor = 0;
    let readings: Vec<Range<usize>> = readings
        .into_iter()
        .map(|r| {
            let r = r.unwrap_or(cursor..cursor);
            cursor = r.end;
            r
        })
        .collect();

    let matched = matched(&ops);
    let (coverage, similarity) = match input.role {
        MemberRole::Witness => (
            witness_coverage(&ops, pivot.len()),
            2.0 * matched as f64 / (pivot.len() + input.chars.len()).max(1) as f64,
        ),
        // A duplicate is normally left out of the alignment; aligned anyway,
        // it covers what it repeats, like a fragment.
        MemberRole::Fragment | MemberRole::Duplicate => (
            fragment_coverage(&ops),
            matched as f64 / input.chars.len().max(1) as f64,
        ),
    };
    let mut member = AlignedMember::new(coverage, readings, similarity);
    member.coarse = is_long(pivot, input.chars);
    member
}

/// Diffs a piece (a fragment or a repeat) against the part of the pivot it
/// comes from. Diffed against the whole pivot, a short piece finds its
/// common words (`the`, `and the`, `的`) all over it and seems to cover far
/// more than it does; so the piece is first placed by its longest common
/// run, then diffed against that stretch with a fifth of its length to
/// spare on either side.
fn locate_piece(pivot: &[char], piece: &[char]) -> Vec<DiffOp> {
    let ops = diff_chars(pivot, piece);
    let longest = ops
        .iter()
        .filter_map(|op| match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => Some((len, old_index, new_index)),
            _ => None,
        })
        .max_by_key(|&(len, old, _)| (len, std::cmp::Reverse(old)));
    let Some((_, old, new)) = longest else {
        return ops;
    };
    let slack = piece.len() / 5 + 1;
    let start = old.saturating_sub(new + slack);
    // Where the piece would start in the pivot may lie before the pivot's
    // start (the piece has text the pivot lacks at its head).
    let end = (old + piece.len() + slack)
        .saturating_sub(new)
        .min(pivot.len());
    if start == 0 && end == pivot.len() {
        return ops;
    }
    diff_chars(&pivot[start..end], piece)
        .into_iter()
        .map(|op| shift(op, start, 0))
        .collect()
}

/// All places, except a long unmatched stretch at the start (see
/// [`EDGE_GAP`]): a version that begins later leaves out a lead-in (a
/// speaker label, a dateline), while one that stops early is truncated, and
/// what it lacks at the end is reported as a truncation.
fn witness_coverage(ops: &[DiffOp], pivot_len: usize) -> Range<usize> {
    let n_places = 2 * pivot_len + 1;
    let solid = fragment_coverage(ops);
    if solid.is_empty() {
        return 0..n_places;
    }
    // Pivot characters before the first solid match.
    let lead = (solid.start - 1) / 2;
    let start = if lead >= EDGE_GAP { solid.start } else { 0 };
    start..n_places
}

/// From the first solid match to the last (places); any match if there is no
/// solid one; nothing if nothing matches.
fn fragment_coverage(ops: &[DiffOp]) -> Range<usize> {
    matched_span(ops, SOLID_MATCH)
        .or_else(|| matched_span(ops, 1))
        .map_or(0..0, |chars| 2 * chars.start + 1..2 * chars.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn a_piece_with_a_head_the_pivot_lacks_is_placed() {
        // The piece's longest run with the pivot starts later in the piece
        // than in the pivot: placing it must not run before the pivot's
        // start (an overflow in debug builds).
        let pivot = chars("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥");
        let piece = chars("一二三四五六七八九十甲乙丙丁戊");
        let ops = locate_piece(&pivot, &piece);
        assert_eq!(matched(&ops), 5);
        let input = AlignInput {
            chars: &piece,
            role: MemberRole::Fragment,
            original: None,
        };
        assert_eq!(place_member(&pivot, &input).coverage.start, 1);
    }
}
