//! Character-level difference of two sequences, via `similar`.
//!
//! ```text
//! diff("斡旋缅北", "斡旋东北") → [Equal 0..2, Replace 缅→东, Equal 3..4]
//! ```
use std::ops::Range;

use similar::{Algorithm, DiffOp, capture_diff_slices};

/// The edit script that turns `old` into `new`.
///
/// Myers' algorithm in `similar`'s practical variant: it bounds its work on
/// pathological inputs by heuristics instead of a wall-clock deadline, so the
/// result is the same on every run and machine, whatever the load.
pub fn diff_chars(old: &[char], new: &[char]) -> Vec<DiffOp> {
    capture_diff_slices(Algorithm::Myers, old, new)
}

/// Exact matches shorter than this are not trusted to anchor the edges of a
/// fragment: single characters and pairs (`的`, `，`, `th`) match by chance
/// anywhere in a long text.
pub const SOLID_MATCH: usize = 3;

/// Characters that `ops` keeps unchanged.
pub fn matched(ops: &[DiffOp]) -> usize {
    ops.iter()
        .map(|op| match *op {
            DiffOp::Equal { len, .. } => len,
            _ => 0,
        })
        .sum()
}

/// The stretch of the old sequence from the first to the last exact match of
/// at least `min` characters, if there is one.
pub fn matched_span(ops: &[DiffOp], min: usize) -> Option<Range<usize>> {
    let mut equal = ops.iter().filter_map(|op| match *op {
        DiffOp::Equal { old_index, len, .. } if len >= min => Some(old_index..old_index + len),
        _ => None,
    });
    let first = equal.next()?;
    let last = equal.next_back().unwrap_or_else(|| first.clone());
    Some(first.start..last.end)
}

/// Levenshtein distance between two character slices.
pub fn levenshtein(a: &[char], b: &[char]) -> usize {
    rapidfuzz::distance::levenshtein::distance(a.iter().copied(), b.iter().copied())
}

/// Levenshtein distance if it is at most `max`, else `None`.
///
/// rapidfuzz's bit-parallel algorithm with a band of width `max`: about 64
/// characters per machine word, and no work past the cutoff. Verifying
/// candidate pairs was 55% of a `report` run with strsim's quadratic
/// version (perf, 8,000 generated paragraphs).
pub fn levenshtein_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    use rapidfuzz::distance::levenshtein::{Args, distance_with_args};
    distance_with_args(
        a.iter().copied(),
        b.iter().copied(),
        &Args::default().score_cutoff(max),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(old: &[char], new: &[char], ops: &[DiffOp]) -> Vec<char> {
        let mut out = Vec::new();
        for op in ops {
            match *op {
                DiffOp::Equal { old_index, len, .. } => {
                    out.extend_from_slice(&old[old_index..old_index + len])
                }
                DiffOp::Delete { .. } => {}
                DiffOp::Insert {
                    new_index, new_len, ..
                }
                | DiffOp::Replace {
                    new_index, new_len, ..
                } => out.extend_from_slice(&new[new_index..new_index + new_len]),
            }
        }
        out
    }

    #[test]
    fn applying_the_diff_gives_the_new_text() {
        let cases = [
            ("斡旋缅北达成", "斡旋东北达成"),
            ("中俄关系", "俄中关系"),
            ("", "abc"),
            ("abc", ""),
            ("the cat sat", "the hat sat down"),
        ];
        for (a, b) in cases {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            assert_eq!(apply(&a, &b, &diff_chars(&a, &b)), b);
        }
    }

    #[test]
    fn matched_span_skips_chance_matches() {
        let long: Vec<char> = "的一年来举行百余场会见通话元首外交".chars().collect();
        let short: Vec<char> = "的会见通话元首".chars().collect();
        let ops = diff_chars(&long, &short);
        assert_eq!(matched(&ops), 7);
        assert_eq!(matched_span(&ops, SOLID_MATCH), Some(9..15));
        assert_eq!(matched_span(&ops, 1), Some(0..15));
    }

    #[test]
    fn levenshtein_counts_edits() {
        let a: Vec<char> = "斡旋缅北".chars().collect();
        let b: Vec<char> = "斡旋东北!".chars().collect();
        assert_eq!(levenshtein(&a, &b), 2);
        assert_eq!(levenshtein_within(&a, &b, 2), Some(2));
        assert_eq!(levenshtein_within(&a, &b, 1), None);
    }

    #[test]
    fn levenshtein_agrees_with_strsim() {
        // strsim's plain dynamic programme is the reference.
        let texts = [
            "",
            "a",
            "kitten",
            "sitting",
            "斡旋缅北达成停火",
            "斡旋东北达成停火协议",
            "the cat sat on the mat",
        ];
        for a in texts {
            for b in texts {
                let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                assert_eq!(
                    levenshtein(&ca, &cb),
                    strsim::levenshtein(a, b),
                    "{a:?} {b:?}"
                );
            }
        }
        let long: Vec<char> = "斡旋缅北达成停火".repeat(40).chars().collect();
        let mut other = long.clone();
        other[100] = '东';
        other.remove(200);
        assert_eq!(levenshtein(&long, &other), 2);
    }
}
