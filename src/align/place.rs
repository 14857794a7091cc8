//! Placing the members on the pivot: the pivot is chosen, and every other
//! member's characters are put on the pivot's places by a character diff.
//!
//! ```text
//! pivot   斡旋缅北        places    0  1  2  3  4  5  6  7  8     (2i+1: pivot character i,
//! member  斡旋东北了  →  readings  ∅  斡 ∅  旋 ∅  东 ∅  北 了     2i: the gap before it)
//! ```
//!
//! A piece (a fragment, or a repeat aligned anyway) is placed by a match
//! that occurs once in the pivot, and aligned outward from it; the pieces
//! of one source's text follow each other on the pivot without overlapping.
use std::ops::Range;

use similar::DiffOp;

use super::{AlignInput, AlignedMember, multiple};
use crate::cluster::MemberRole;
use crate::diff::{
    SOLID_MATCH, common_chars, diff_chars, diff_chars_from_end, diff_words, is_long,
    join_equal_runs, matched, matched_span, shift,
};

/// Places every member on the pivot's places: the pivot on itself, every
/// other member by [`place_member`].
///
/// The members of a group of `pieces` are pieces of one text, in text
/// order (a paragraph one source splits at a page break, both pieces
/// fragments of the cluster). Each is placed on the pivot after where the
/// one before it ends: the pieces of a text never overlap and keep their
/// order, so a piece cannot be anchored on a repeat of its words inside
/// its neighbour's stretch and report that stretch as deleted. (The pivot
/// is a witness, never a piece; were it one, the other pieces of its group
/// would be placed as if alone.)
pub(crate) fn place_members(
    inputs: &[AlignInput<'_>],
    pivot: usize,
    pieces: &[Vec<usize>],
) -> Vec<AlignedMember> {
    let pivot_chars = inputs[pivot].chars;
    let n_places = 2 * pivot_chars.len() + 1;
    // Where each member may begin on the pivot (a pivot character).
    let mut from = vec![0usize; inputs.len()];
    let mut placed: Vec<Option<AlignedMember>> = vec![None; inputs.len()];
    for group in pieces {
        if group.contains(&pivot) {
            continue;
        }
        let mut next = 0;
        for &m in group {
            from[m] = next;
            let member = place_member(pivot_chars, &inputs[m], next);
            // The coverage ends at the gap after its last character.
            next = next.max(member.coverage.end / 2);
            placed[m] = Some(member);
        }
    }
    // The witnesses, each diffed against the pivot, then realigned with
    // each other where their deviations meet.
    let witnesses: Vec<usize> = (0..inputs.len())
        .filter(|&m| m != pivot && placed[m].is_none() && inputs[m].role == MemberRole::Witness)
        .collect();
    let mut scripts: Vec<Vec<DiffOp>> = witnesses
        .iter()
        .map(|&m| diff_words(pivot_chars, inputs[m].chars))
        .collect();
    // Long texts are diffed coarsely between anchors; their scripts stand.
    if !witnesses
        .iter()
        .any(|&m| is_long(pivot_chars, inputs[m].chars))
    {
        let texts: Vec<&[char]> = witnesses.iter().map(|&m| inputs[m].chars).collect();
        multiple::refine(pivot_chars, &texts, &mut scripts);
    }
    for (&m, ops) in witnesses.iter().zip(scripts) {
        placed[m] = Some(member_from_ops(pivot_chars, &inputs[m], ops));
    }
    placed
        .into_iter()
        .enumerate()
        .map(|(m, member)| {
            if m == pivot {
                let readings = (0..n_places)
                    .map(|p| {
                        if p % 2 == 1 {
                            p / 2..p / 2 + 1
                        } else {
                            p / 2..p / 2
                        }
                    })
                    .collect();
                AlignedMember::new(0..n_places, readings, 1.0)
            } else {
                member.unwrap_or_else(|| place_member(pivot_chars, &inputs[m], from[m]))
            }
        })
        .collect()
}

/// The witness most similar to all other members (sum of match ratios).
///
/// The choice does not depend on the members' order: they are taken in the
/// order of their texts (the sums are added up in that order too, so
/// rounding cannot differ), and of equally good texts the first in that
/// order is chosen. Only identical texts are told apart by their index,
/// and either of them gives the same alignment.
pub(crate) fn choose_pivot(inputs: &[AlignInput<'_>]) -> usize {
    let witnesses: Vec<usize> = (0..inputs.len())
        .filter(|&m| inputs[m].role == MemberRole::Witness)
        .collect();
    let mut candidates = if witnesses.is_empty() {
        (0..inputs.len()).collect()
    } else {
        witnesses
    };
    candidates.sort_by(|&a, &b| inputs[a].chars.cmp(inputs[b].chars).then(a.cmp(&b)));
    if candidates.len() <= 2 {
        // With two witnesses either is the medoid: take the longer, so a
        // truncated version is compared against the full one.
        return candidates
            .iter()
            .copied()
            .enumerate()
            .max_by_key(|&(i, m)| (inputs[m].chars.len(), std::cmp::Reverse(i)))
            .map(|(_, m)| m)
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
        .enumerate()
        .max_by(|&(i, a), &(j, b)| {
            score[a]
                .partial_cmp(&score[b])
                .expect("ratios are finite")
                .then(j.cmp(&i))
        })
        .map(|(_, m)| m)
        .expect("a cluster has members")
}

/// Places one member's characters on the pivot's places. A piece is
/// placed on the pivot's characters from `from` on (a witness always on all
/// of them).
pub(crate) fn place_member(pivot: &[char], input: &AlignInput<'_>, from: usize) -> AlignedMember {
    let ops = match input.role {
        MemberRole::Witness => diff_words(pivot, input.chars),
        MemberRole::Fragment | MemberRole::Duplicate => {
            let from = from.min(pivot.len());
            locate_piece(&pivot[from..], input.chars)
                .into_iter()
                .map(|op| shift(op, from, 0))
                .collect()
        }
    };
    member_from_ops(pivot, input, ops)
}

/// A member's places on the pivot from its edit script against the pivot.
fn member_from_ops(pivot: &[char], input: &AlignInput<'_>, ops: Vec<DiffOp>) -> AlignedMember {
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
        // A witness is a version of the whole text: what it lacks at
        // either end, it lacks (a heading three of six editions have is a
        // site, not text the others do not cover).
        MemberRole::Witness => (
            0..2 * pivot.len() + 1,
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
/// more than it does. So the piece is placed by an anchor (see [`anchor`]):
/// a long exact match that occurs once in the pivot. What comes before it
/// in the piece is diffed against the pivot just before it, what comes
/// after against the pivot just after, each with up to a fifth of the
/// piece's length to spare and its matches as close to the anchor as they
/// can be (the shortest such stretch; the head diffed from its end): a word the piece repeats from elsewhere in the pivot
/// (`平等的多极化` after `平等有序的世界多极化`) cannot pull its edge there,
/// which would report everything between as deleted.
fn locate_piece(pivot: &[char], piece: &[char]) -> Vec<DiffOp> {
    let ops = diff_chars(pivot, piece);
    let Some(Anchor { old, new, len }) = anchor(pivot, &ops) else {
        return ops;
    };
    let (head, tail) = (&piece[..new], &piece[new + len..]);
    let slack = piece.len() / 5 + 1;
    // The stretches the head and the tail may take, narrowed to the
    // shortest next to the anchor that holds as many of their characters:
    // the rest of a wider stretch only offers chance matches further away
    // (`taive` against `ative conference national…` would match `a` of
    // `national`, not `ive`).
    let before = &pivot[old.saturating_sub(head.len() + slack)..old];
    let start = old
        - shortest(before.len(), |k| {
            common_chars(&before[before.len() - k..], head)
        });
    let after = &pivot[old + len..(old + len + tail.len() + slack).min(pivot.len())];
    let end = old + len + shortest(after.len(), |k| common_chars(&after[..k], tail));
    // The head is diffed from its end, so that of equally good scripts
    // the one with its matches next to the anchor wins.
    let mut out: Vec<DiffOp> = diff_chars_from_end(&pivot[start..old], head)
        .into_iter()
        .map(|op| shift(op, start, 0))
        .collect();
    out.push(DiffOp::Equal {
        old_index: old,
        new_index: new,
        len,
    });
    out.extend(
        diff_chars(&pivot[old + len..end], tail)
            .into_iter()
            .map(|op| shift(op, old + len, new + len)),
    );
    join_equal_runs(out)
}

/// The least `k` in `0..=len` for which `common(k)` is as large as
/// `common(len)`; `common` grows with `k` (the characters a stretch of `k`
/// has in common with a text).
fn shortest(len: usize, common: impl Fn(usize) -> usize) -> usize {
    let most = common(len);
    let (mut low, mut high) = (0, len);
    while low < high {
        let mid = (low + high) / 2;
        if common(mid) >= most {
            high = mid;
        } else {
            low = mid + 1;
        }
    }
    low
}

/// An exact match: `pivot[old..old + len] == piece[new..new + len]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Anchor {
    old: usize,
    new: usize,
    len: usize,
}

/// The match of `ops` that places a piece: the longest of at least
/// [`SOLID_MATCH`] characters whose text occurs only once in the pivot (the
/// earliest of equal length); failing one, the longest match of all. A
/// match that repeats in the pivot could stand at either place.
fn anchor(pivot: &[char], ops: &[DiffOp]) -> Option<Anchor> {
    let mut runs: Vec<Anchor> = ops
        .iter()
        .filter_map(|op| match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => Some(Anchor {
                old: old_index,
                new: new_index,
                len,
            }),
            _ => None,
        })
        .collect();
    runs.sort_by_key(|r| (std::cmp::Reverse(r.len), r.old));
    let text: String = pivot.iter().collect();
    let unique = |r: &Anchor| {
        let run: String = pivot[r.old..r.old + r.len].iter().collect();
        let first = text.find(&run).expect("the run is in the pivot");
        // Look again one character on: repeats may overlap (`aaa` in `aaaa`).
        let next = first + text[first..].chars().next().map_or(1, char::len_utf8);
        !text[next..].contains(&run)
    };
    runs.iter()
        .find(|r| r.len >= SOLID_MATCH && unique(r))
        .or(runs.first())
        .copied()
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
        assert_eq!(place_member(&pivot, &input, 0).coverage.start, 1);
    }
}

#[cfg(test)]
mod pieces {
    use super::*;
    use crate::align::{AlignOptions, align};

    const WHOLE: &str = "王毅:世界多极化和经济全球化是人类社会发展的两大趋势,但各方对需要什么样的多极化和全球化,看法并不一致。中方的主张是,应当实现平等有序的世界多极化和普惠包容的经济全球化。平等的多极化,是要体现各国权利平等、机会平等、规则平等,不能再允许个别或少数大国垄断国际事务,不能再允许以实力地位把国家分成三六九等,不能再允许谁的拳头大谁说了算,更不能允许有的国家必须在餐桌上、有的国家只能在菜单里。要确保国家不分大小、强弱,都能在多极化进程中平等参与,享受权利,发挥作用。";
    const FIRST: &str = "王毅:世界多极化和经济全球化是人类社会发展的大趋势,但各方对需要什么样的多极化和全球化,看法并不一致。中方的主张是,应当实现平等有序的世界多极化和普惠包容的经济全球化。";
    const SECOND: &str = "平等的多极化,是要体现各国权利平等、机会平等、规则平等,不能再允许个别或少数大国垄断国际事务,不能再允许以实力地位把国家分成三六九等,不能再允许谁的拳头大谁就说了算,更不能允许有的国家必须在餐桌上、有的国家只能在菜单里。要确保国家不分大小、强弱,都能在多极化进程中平等参与,享受权利,发挥作用。";

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn input(chars: &[char], role: MemberRole) -> AlignInput<'_> {
        AlignInput {
            chars,
            role,
            original: None,
        }
    }

    /// Where the second occurrence of `平等` (`平等的多极化`) stands in the
    /// whole text, as a place.
    fn second_piece_start() -> usize {
        let at = WHOLE.find("。平等的多极化").unwrap() + "。".len();
        2 * WHOLE[..at].chars().count() + 1
    }

    #[test]
    fn a_piece_starting_with_a_repeat_is_anchored_where_it_comes_from() {
        // `平等` and `多极化` also stand in `平等有序的世界多极化`, 19
        // characters earlier; the piece begins at the later `平等的多极化`.
        let (pivot, piece) = (chars(WHOLE), chars(SECOND));
        let member = place_member(&pivot, &input(&piece, MemberRole::Fragment), 0);
        assert_eq!(member.coverage.start, second_piece_start());
        assert_eq!(member.coverage.end, 2 * pivot.len());
    }

    #[test]
    fn pieces_of_one_text_never_overlap_and_keep_their_order() {
        let (whole, first, second) = (chars(WHOLE), chars(FIRST), chars(SECOND));
        let inputs = [
            input(&whole, MemberRole::Witness),
            input(&whole, MemberRole::Witness),
            input(&first, MemberRole::Fragment),
            input(&second, MemberRole::Fragment),
        ];
        let placed = place_members(&inputs, 0, &[vec![2, 3]]);
        assert!(placed[2].coverage.end <= placed[3].coverage.start);
        assert_eq!(placed[3].coverage.start, second_piece_start());

        let options = AlignOptions {
            pieces: vec![vec![2, 3]],
            ..AlignOptions::default()
        };
        let al = align(&inputs, &options);
        let readings: Vec<(usize, String, String)> = al
            .variants
            .iter()
            .flat_map(|v| {
                v.readings.iter().map(|r| {
                    let consensus: String = v
                        .consensus
                        .chars()
                        .skip(r.consensus.start)
                        .take(r.consensus.len())
                        .collect();
                    (r.member, consensus, r.text.clone())
                })
            })
            .collect();
        // The two real differences, and no deletion of the 19 characters
        // between the two `平等`.
        assert_eq!(
            readings,
            [
                (2, "两".to_string(), String::new()),
                (3, String::new(), "就".to_string())
            ]
        );
    }

    #[test]
    fn a_piece_ends_on_its_last_characters_not_on_chance_matches_further_on() {
        // The tail `taive` has four characters in common with `ative`
        // and with the whole stretch after it; taken from the stretch, they
        // scatter (`a` of `national`) and the piece seems to end before
        // `ative`, leaving its transposition uncompared.
        let pivot = chars(
            "cooperation remains mutually beneficial sides based on the fundamental \
             consultative conference national committee sessions.",
        );
        let piece = chars(
            "cooperation remains mutually beneficiaw sides based on the fundamental consulttaive",
        );
        let member = place_member(&pivot, &input(&piece, MemberRole::Fragment), 0);
        let end =
            "cooperation remains mutually beneficial sides based on the fundamental consultative"
                .chars()
                .count();
        assert_eq!(member.coverage.end, 2 * end);
    }

    #[test]
    fn a_piece_that_lacks_characters_near_its_end_covers_them() {
        // The piece lacks `一个` three characters before its end: the
        // stretch after the anchor must hold more than the tail's length.
        let pivot =
            chars("中方坚定立场通过辛勤劳动坚持一个中国。双方同意加强合作共同维护和平与稳定。");
        let piece = chars("坚定立场通过辛勤劳动坚持中国。");
        let member = place_member(&pivot, &input(&piece, MemberRole::Fragment), 0);
        assert_eq!(member.coverage, 2 * 2 + 1..2 * 19);
    }

    #[test]
    fn shortest_finds_the_least_length_with_the_most_in_common() {
        let stretch = chars("ative conference national");
        let tail = chars("taive");
        let k = shortest(stretch.len(), |k| common_chars(&stretch[..k], &tail));
        assert_eq!(k, 5);
        assert_eq!(shortest(0, |_| 0), 0);
    }

    #[test]
    fn a_later_piece_is_placed_after_the_earlier_one() {
        // The text repeats a sentence: the second piece is the second
        // occurrence, though the first matches it as well.
        let sentence = "双方同意加强合作共同维护和平";
        let whole: Vec<char> = chars(&format!("{sentence}并且{sentence}"));
        let (first, second) = (chars(&format!("{sentence}并且")), chars(sentence));
        let inputs = [
            input(&whole, MemberRole::Witness),
            input(&first, MemberRole::Fragment),
            input(&second, MemberRole::Fragment),
        ];
        let placed = place_members(&inputs, 0, &[vec![1, 2]]);
        let len = sentence.chars().count();
        assert_eq!(placed[1].coverage, 1..2 * (len + 2));
        assert_eq!(placed[2].coverage, 2 * (len + 2) + 1..2 * whole.len());
        // Alone, it is placed on the first occurrence.
        assert_eq!(place_members(&inputs, 0, &[])[2].coverage.start, 1);
    }
}
