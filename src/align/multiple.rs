//! A multiple alignment of the witnesses, word by word: wherever witnesses
//! deviate from the pivot, their readings there are aligned with each other
//! and with the pivot's, progressively along a guide tree (as CollateX,
//! MAFFT or spoa do), and each witness's script against the pivot is the
//! one that alignment induces.
//!
//! ```text
//! pivot  … might have varied … Since the discovery of flint tools or celts …
//! 1859   … originated there, four or five thousand years ago? But Mr. Horner's …
//! 1861   … originated there, four or five thousand years ago? Since the recent …
//!
//! star:     1859 reads `four` in one variant, `five thousand years ago? …` in
//!           the next (its `or` matched the pivot's `or celts`); 1861 reads
//!           the whole phrase in the first (its `or`: `flint tools or`)
//! multiple: both read `four or five thousand years ago?` in one variant
//! ```
//!
//! Aligned to the pivot alone, two witnesses that share a reading the pivot
//! lacks may each match a different common word of the pivot (`the`, `of`)
//! and put their shared text at different places, so one variant falls
//! apart into several, and which depends on the pivot. Aligned with each
//! other first, they read their shared words in one column.
//!
//! The alignment is realigned only where someone deviates: windows between
//! runs of words every witness shares, usually a few words long. One
//! scoring decides every window, whether one witness deviates there or
//! five, so how a witness's reading is cut into variants does not depend
//! on what the others read at that place. A window whose alignment would
//! cost more than [`MAX_CELLS`] keeps the star's scripts (each witness
//! diffed against the pivot alone).
use std::collections::HashMap;
use std::ops::Range;

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::chars::is_word_char;
use crate::diff::{diff_words, join_equal_runs, shift, solid, token_ops_to_chars, tokens};

/// The most cells one profile alignment of a window may fill (its two
/// lengths in columns multiplied); a longer window keeps the star.
const MAX_CELLS: usize = 1 << 20;

/// Rewrites the scripts `ops[k]` (the pivot into `texts[k]`, every witness
/// but the pivot) so that wherever they deviate, they are the scripts a
/// progressive multiple alignment of the witnesses' readings there
/// induces. The result depends on the texts only, not on their order.
pub(crate) fn refine(pivot: &[char], texts: &[&[char]], ops: &mut [Vec<DiffOp>]) {
    let windows = windows(pivot, ops);
    if windows.is_empty() {
        return;
    }
    let mut rebuilt: Vec<Vec<DiffOp>> = vec![Vec::new(); texts.len()];
    // Where each member's script was last cut: (pivot, member) positions.
    let mut cursor = vec![(0usize, 0usize); texts.len()];
    for w in &windows {
        let starts: Vec<usize> = (0..texts.len())
            .map(|k| map_start(&ops[k], w.start, texts[k].len()))
            .collect();
        let ends: Vec<usize> = (0..texts.len()).map(|k| map_end(&ops[k], w.end)).collect();
        let readings: Vec<&[char]> = (0..texts.len())
            .map(|k| &texts[k][starts[k]..ends[k].max(starts[k])])
            .collect();
        let Some(local) = align_window(&pivot[w.clone()], &readings) else {
            continue;
        };
        for k in 0..texts.len() {
            rebuilt[k].extend(slice_ops(&ops[k], cursor[k], (w.start, starts[k])));
            rebuilt[k].extend(local[k].iter().map(|&op| shift(op, w.start, starts[k])));
            cursor[k] = (w.end, ends[k]);
        }
    }
    for k in 0..texts.len() {
        rebuilt[k].extend(slice_ops(&ops[k], cursor[k], (pivot.len(), texts[k].len())));
        ops[k] = join_equal_runs(std::mem::take(&mut rebuilt[k]));
    }
}

/// Fewer tokens than this, which every witness reads as the pivot does,
/// do not hold the readings on either side apart: short common words
/// (`the`, `of`) match anywhere, and a star alignment may have matched the
/// wrong ones.
const ANCHOR_TOKENS: usize = 4;

/// Whether the pivot's stretch `from..to`, which every witness reads as the
/// pivot does, anchors the windows on either side apart.
fn anchored(pivot: &[char], from: usize, to: usize) -> bool {
    to > from && tokens(&pivot[from..to]).len() >= ANCHOR_TOKENS
}

/// Whether a token of the pivot may begin at `x`: the start or the end of
/// the text, or a character that is no space after a space or where two
/// characters do not continue one word (as [`tokens`] cuts).
fn is_boundary(text: &[char], x: usize) -> bool {
    x == 0
        || x == text.len()
        || (!text[x].is_whitespace()
            && (text[x - 1].is_whitespace()
                || !(is_word_char(text[x - 1]) && is_word_char(text[x]))))
}

/// The stretches of the pivot (as character positions) where witnesses
/// deviate, grown to token boundaries and joined where fewer than
/// [`ANCHOR_TOKENS`] shared tokens lie between, in text order and apart.
fn windows(pivot: &[char], ops: &[Vec<DiffOp>]) -> Vec<Range<usize>> {
    // Each deviation as a closed stretch of the pivot's boundaries (an
    // insertion is the one boundary it goes in at).
    let mut regions: Vec<(usize, usize)> = Vec::new();
    for script in ops {
        for op in script {
            if !matches!(op, DiffOp::Equal { .. }) {
                let r = op.old_range();
                regions.push((r.start, r.end));
            }
        }
    }
    regions.sort_unstable();
    // Components of deviations that meet.
    let mut comps: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < regions.len() {
        let (lo, mut hi) = regions[i];
        let mut j = i + 1;
        while j < regions.len() && regions[j].0 <= hi {
            hi = hi.max(regions[j].1);
            j += 1;
        }
        comps.push((lo, hi));
        i = j;
    }
    // Grow the windows to token boundaries and join what they then touch,
    // until nothing changes.
    loop {
        let mut changed = false;
        for c in comps.iter_mut() {
            while !is_boundary(pivot, c.0) {
                c.0 -= 1;
                changed = true;
            }
            while !is_boundary(pivot, c.1) {
                c.1 += 1;
                changed = true;
            }
        }
        comps.sort_unstable();
        let mut joined: Vec<(usize, usize)> = Vec::with_capacity(comps.len());
        for c in comps {
            match joined.last_mut() {
                Some(last) if !anchored(pivot, last.1, c.0) => {
                    last.1 = last.1.max(c.1);
                    changed = true;
                }
                _ => joined.push(c),
            }
        }
        comps = joined;
        if !changed {
            break;
        }
    }
    comps.into_iter().map(|c| c.0..c.1).collect()
}

/// The member's position at pivot boundary `x`, before anything it puts in
/// there (`x` lies in no deviation but may begin one).
fn map_start(ops: &[DiffOp], x: usize, len: usize) -> usize {
    for op in ops {
        let (o, n) = (op.old_range(), op.new_range());
        if o.start >= x {
            return n.start;
        }
        if matches!(op, DiffOp::Equal { .. }) && x < o.end {
            return n.start + (x - o.start);
        }
    }
    len
}

/// The member's position at pivot boundary `x`, after anything it puts in
/// there (`x` lies in no deviation but may end one).
fn map_end(ops: &[DiffOp], x: usize) -> usize {
    for op in ops.iter().rev() {
        let (o, n) = (op.old_range(), op.new_range());
        if o.end <= x {
            return n.end;
        }
        if matches!(op, DiffOp::Equal { .. }) && o.start < x {
            return n.start + (x - o.start);
        }
    }
    0
}

/// The part of a script between two cuts, `from` and `to` (pivot, member
/// positions), each of which lies where the script matches or between
/// operations.
fn slice_ops(ops: &[DiffOp], from: (usize, usize), to: (usize, usize)) -> Vec<DiffOp> {
    let mut out = Vec::new();
    for &op in ops {
        let (o, n) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { .. } => {
                let (s, e) = (o.start.max(from.0), o.end.min(to.0));
                if s < e {
                    out.push(DiffOp::Equal {
                        old_index: s,
                        new_index: n.start + (s - o.start),
                        len: e - s,
                    });
                }
            }
            _ => {
                if o.start >= from.0 && o.end <= to.0 && n.start >= from.1 && n.end <= to.1 {
                    out.push(op);
                }
            }
        }
    }
    out
}

/// The scripts from the pivot's reading of a window to each member's,
/// induced by a progressive alignment of all the readings; `None` when the
/// window is too long to align (the star's scripts stand).
fn align_window(pivot: &[char], readings: &[&[char]]) -> Option<Vec<Vec<DiffOp>>> {
    // The distinct readings, in text order (the alignment must not depend
    // on the members' order), each weighed by how many witnesses read it.
    let mut distinct: Vec<&[char]> = readings.iter().copied().chain([pivot]).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let index = |r: &[char]| distinct.binary_search(&r).expect("a reading is distinct");
    if distinct.len() == 1 {
        // Everyone reads the pivot's text here.
        let same = diff_words(pivot, pivot);
        return Some(vec![same; readings.len()]);
    }
    let mut weight = vec![0u32; distinct.len()];
    for r in readings.iter().chain([&pivot]) {
        weight[index(r)] += 1;
    }
    let toks: Vec<Vec<Range<usize>>> = distinct.iter().map(|d| tokens(d)).collect();
    // Tokens compared without the spaces after them, as numbers.
    let mut ids: HashMap<&[char], u32> = HashMap::new();
    let keys: Vec<Vec<u32>> = distinct
        .iter()
        .zip(&toks)
        .map(|(d, ts)| {
            ts.iter()
                .map(|t| {
                    let next = ids.len() as u32;
                    *ids.entry(&d[solid(d, t)]).or_insert(next)
                })
                .collect()
        })
        .collect();
    let profile = progressive(&keys, &weight)?;
    let p = index(pivot);
    let scripts: Vec<Vec<DiffOp>> = (0..distinct.len())
        .map(|d| {
            let token_ops = induced(&profile, &keys, p, d);
            join_equal_runs(token_ops_to_chars(
                pivot,
                distinct[d],
                &toks[p],
                &toks[d],
                token_ops,
            ))
        })
        .collect();
    Some(readings.iter().map(|r| scripts[index(r)].clone()).collect())
}

/// Aligned sequences: every column gives each sequence's token there, or
/// none.
struct Profile {
    /// The sequences, as indices into the readings.
    seqs: Vec<usize>,
    /// Per column, per sequence, its token.
    cols: Vec<Vec<Option<u32>>>,
}

/// Aligns all sequences along a guide tree built by average linkage
/// (UPGMA) on their token distances, merging the closest first; ties go to
/// the first pair in text order. `None` when one merge is too large.
fn progressive(keys: &[Vec<u32>], weight: &[u32]) -> Option<Profile> {
    let n = keys.len();
    let mut dist = vec![vec![0.0f64; n]; n];
    for a in 0..n {
        for b in a + 1..n {
            let matched: usize = capture_diff_slices(Algorithm::Myers, &keys[a], &keys[b])
                .iter()
                .map(|op| match op {
                    DiffOp::Equal { len, .. } => *len,
                    _ => 0,
                })
                .sum();
            let d = 1.0 - 2.0 * matched as f64 / (keys[a].len() + keys[b].len()).max(1) as f64;
            dist[a][b] = d;
            dist[b][a] = d;
        }
    }
    let mut groups: Vec<Option<Profile>> = (0..n)
        .map(|s| {
            Some(Profile {
                seqs: vec![s],
                cols: (0..keys[s].len() as u32).map(|t| vec![Some(t)]).collect(),
            })
        })
        .collect();
    loop {
        let live: Vec<usize> = (0..n).filter(|&g| groups[g].is_some()).collect();
        if live.len() == 1 {
            return groups[live[0]].take();
        }
        let mean = |a: &Profile, b: &Profile| {
            let total: f64 = a
                .seqs
                .iter()
                .flat_map(|&x| b.seqs.iter().map(move |&y| (x, y)))
                .map(|(x, y)| dist[x][y])
                .sum();
            total / (a.seqs.len() * b.seqs.len()) as f64
        };
        let mut best: Option<(f64, usize, usize)> = None;
        for (i, &a) in live.iter().enumerate() {
            for &b in &live[i + 1..] {
                let d = mean(
                    groups[a].as_ref().expect("live"),
                    groups[b].as_ref().expect("live"),
                );
                if best.is_none_or(|(bd, _, _)| d < bd) {
                    best = Some((d, a, b));
                }
            }
        }
        let (_, a, b) = best.expect("two groups are left");
        let (pa, pb) = (
            groups[a].take().expect("live"),
            groups[b].take().expect("live"),
        );
        groups[a] = Some(merge(pa, pb, keys, weight)?);
    }
}

/// What a column scores for each pair of equal tokens it puts together,
/// weighted by how many witnesses read each (see [`merge`]).
const MATCH: i64 = 4;

/// What a column scores for each pair of unequal tokens it puts together
/// (a substitution); a token beside a gap scores nothing.
const MISMATCH: i64 = 1;

/// Aligns two profiles by dynamic programming (Needleman–Wunsch on sums of
/// pairs): a column scores [`MATCH`] for every weighted pair of equal
/// tokens and [`MISMATCH`] for every pair of unequal ones; gaps score
/// nothing. Pairing two words that differ scores above leaving both
/// unpaired, so the alignment keeps to the diagonal of a rewritten
/// passage, word against word, and a common word far off it (`the`, `of`,
/// `and`) is matched only where that costs fewer pairings than it gains:
/// the scoring CollateX's edit graph implies (match +1, mismatch and gap
/// −1, which is a match worth three pairings), with a match worth four so
/// that a shared phrase stays matched beside a longer rewrite. Ties go to
/// pairing, then to the gap that puts the first profile's columns first.
fn merge(a: Profile, b: Profile, keys: &[Vec<u32>], weight: &[u32]) -> Option<Profile> {
    let summary = |p: &Profile| -> Vec<Vec<(u32, i64)>> {
        p.cols
            .iter()
            .map(|col| {
                let mut s: Vec<(u32, i64)> = Vec::new();
                for (k, t) in p.seqs.iter().zip(col) {
                    if let Some(t) = t {
                        let key = keys[*k][*t as usize];
                        let w = i64::from(weight[*k]);
                        match s.iter_mut().find(|(x, _)| *x == key) {
                            Some(e) => e.1 += w,
                            None => s.push((key, w)),
                        }
                    }
                }
                s
            })
            .collect()
    };
    let (sa, sb) = (summary(&a), summary(&b));
    let (la, lb) = (sa.len(), sb.len());
    if (la + 1).saturating_mul(lb + 1) > MAX_CELLS {
        return None;
    }
    let present = |s: &[(u32, i64)]| s.iter().map(|&(_, w)| w).sum::<i64>();
    let (pa, pb): (Vec<i64>, Vec<i64>) = (
        sa.iter().map(|c| present(c)).collect(),
        sb.iter().map(|c| present(c)).collect(),
    );
    let score = |i: usize, j: usize| -> i64 {
        let mut equal = 0i64;
        for &(x, wx) in &sa[i] {
            for &(y, wy) in &sb[j] {
                if x == y {
                    equal += wx * wy;
                }
            }
        }
        MISMATCH * pa[i] * pb[j] + (MATCH - MISMATCH) * equal
    };
    // Each cell keeps the best score and the step into it: columns paired
    // (0), a column of `a` alone (1), of `b` alone (2).
    let w = lb + 1;
    let mut best = vec![0i64; (la + 1) * w];
    let mut from = vec![0u8; (la + 1) * w];
    for i in 0..=la {
        for j in 0..=lb {
            let here = i * w + j;
            let mut cell: Option<(i64, u8)> = None;
            let mut offer = |v: i64, step: u8| {
                if cell.is_none_or(|(b, _)| v > b) {
                    cell = Some((v, step));
                }
            };
            if i > 0 && j > 0 {
                offer(best[here - w - 1] + score(i - 1, j - 1), 0);
            }
            if i > 0 {
                offer(best[here - w], 1);
            }
            if j > 0 {
                offer(best[here - 1], 2);
            }
            if let Some((v, step)) = cell {
                best[here] = v;
                from[here] = step;
            }
        }
    }
    let (na, nb) = (a.seqs.len(), b.seqs.len());
    let mut cols: Vec<Vec<Option<u32>>> = Vec::with_capacity(la.max(lb));
    let (mut i, mut j) = (la, lb);
    while i > 0 || j > 0 {
        match from[i * w + j] {
            0 => {
                let mut col = a.cols[i - 1].clone();
                col.extend_from_slice(&b.cols[j - 1]);
                cols.push(col);
                i -= 1;
                j -= 1;
            }
            1 => {
                let mut col = a.cols[i - 1].clone();
                col.extend(std::iter::repeat_n(None, nb));
                cols.push(col);
                i -= 1;
            }
            _ => {
                let mut col = vec![None; na];
                col.extend_from_slice(&b.cols[j - 1]);
                cols.push(col);
                j -= 1;
            }
        }
    }
    cols.reverse();
    let mut seqs = a.seqs;
    seqs.extend(b.seqs);
    Some(Profile { seqs, cols })
}

/// The token script from sequence `p` to sequence `d` that the profile
/// induces: columns where both read one token match, the stretches between
/// are replaced.
fn induced(profile: &Profile, keys: &[Vec<u32>], p: usize, d: usize) -> Vec<DiffOp> {
    let at = |s: usize| {
        profile
            .seqs
            .iter()
            .position(|&x| x == s)
            .expect("every sequence is in the profile")
    };
    let (cp, cd) = (at(p), at(d));
    let mut out: Vec<DiffOp> = Vec::new();
    let (mut i, mut j) = (0usize, 0usize);
    // The unmatched stretch since the last match: its starts.
    let (mut si, mut sj) = (0usize, 0usize);
    let flush =
        |out: &mut Vec<DiffOp>, si: usize, sj: usize, i: usize, j: usize| match (i - si, j - sj) {
            (0, 0) => {}
            (old_len, 0) => out.push(DiffOp::Delete {
                old_index: si,
                old_len,
                new_index: sj,
            }),
            (0, new_len) => out.push(DiffOp::Insert {
                old_index: si,
                new_index: sj,
                new_len,
            }),
            (old_len, new_len) => out.push(DiffOp::Replace {
                old_index: si,
                old_len,
                new_index: sj,
                new_len,
            }),
        };
    for col in &profile.cols {
        match (col[cp], col[cd]) {
            (Some(x), Some(y)) if keys[p][x as usize] == keys[d][y as usize] => {
                flush(&mut out, si, sj, i, j);
                out.push(DiffOp::Equal {
                    old_index: i,
                    new_index: j,
                    len: 1,
                });
                i += 1;
                j += 1;
                (si, sj) = (i, j);
            }
            (x, y) => {
                i += usize::from(x.is_some());
                j += usize::from(y.is_some());
            }
        }
    }
    flush(&mut out, si, sj, i, j);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::diff_words;
    use crate::diff::tests::apply;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn refined(pivot: &str, texts: &[&str]) -> Vec<Vec<DiffOp>> {
        let pivot = chars(pivot);
        let texts: Vec<Vec<char>> = texts.iter().map(|t| chars(t)).collect();
        let views: Vec<&[char]> = texts.iter().map(|t| t.as_slice()).collect();
        let mut ops: Vec<Vec<DiffOp>> = views.iter().map(|t| diff_words(&pivot, t)).collect();
        refine(&pivot, &views, &mut ops);
        for (t, o) in views.iter().zip(&ops) {
            assert_eq!(apply(&pivot, t, o), t.to_vec());
        }
        ops
    }

    /// The pivot's words each member matches, as text.
    fn matched_words(pivot: &str, ops: &[DiffOp]) -> String {
        let p = chars(pivot);
        ops.iter()
            .filter_map(|op| match *op {
                DiffOp::Equal { old_index, len, .. } => {
                    Some(p[old_index..old_index + len].iter().collect::<String>())
                }
                _ => None,
            })
            .collect::<Vec<_>>()
            .join("|")
    }

    #[test]
    fn witnesses_that_share_a_reading_line_it_up_with_each_other() {
        // Against the pivot alone, `x q r s y` and `x q s y` both match
        // `q` or `s` wherever the diff finds them; aligned together, the
        // reading they share sits at one place in both.
        let pivot = "one two three four five six";
        let ops = refined(
            pivot,
            &[
                "one two alpha beta gamma four five six",
                "one two alpha gamma four five six",
                "one two three alpha four five six",
            ],
        );
        for o in &ops {
            // Nobody's change reaches past `two` or before `four`.
            let m = matched_words(pivot, o);
            assert!(m.starts_with("one two "), "{m}");
            assert!(m.ends_with("four five six"), "{m}");
        }
    }

    #[test]
    fn editions_that_keep_a_sentence_read_it_at_one_place() {
        // Darwin, *Origin*, chapter 1: the first two editions and the third
        // keep `four or five thousand years ago?`, the later three (the
        // pivot among them) rewrite the passage. Each diffed against the
        // pivot alone, the first matches the `or` of its `or celts` and the
        // third the `or` of `flint tools or`: the kept words are read at
        // two places, `four` in one variant and the rest in another.
        let first = "Even if this latter fact were found more strictly and generally true than seems to me to be the case, what does it show, but that some of our breeds originated there, four or five thousand years ago? But Mr. Horner's researches have rendered it in some degree probable that man sufficiently civilized to have manufactured pottery existed in the valley of the Nile thirteen or fourteen thousand years ago.";
        let third = "Even if this latter fact were found more strictly and generally true than seems to me to be the case, what does it show, but some of our breeds originated there, four or five thousand years ago? Since the recent discoveries of flint tools or celts in the superficial deposits of France and England, few geologists will doubt that man, in a sufficiently civilized state to have manufactured weapons, existed at a period extremely remote as measured by years.";
        let later = "But this only throws far backwards the history of civilization, and shows that animals were domesticated at a much earlier period than has hitherto been supposed. The lake-inhabitants of Switzerland cultivated several kinds of wheat and barley, the pea, the poppy for oil and flax; and they possessed several domesticated animals; they had also commerce with other nations. All this clearly shows, as Heer has remarked, that they had at this early age progressed considerably in civilization; and this again implies a long-continued previous period of less advanced civilization, during which the domesticated animals, kept by the different tribes and in different districts, might have varied and given rise to distinct races. Since the discovery of flint tools or celts in the superficial formations of France and England, all geologists believe that man in a barbarous condition existed at an enormously remote period.";
        let texts: Vec<Vec<char>> = [first, first, third, later, later, later]
            .map(|t| t.chars().collect())
            .into();
        let inputs = super::super::witness_inputs(&texts);
        let al = super::super::align(&inputs, &super::super::AlignOptions::default());
        let reads = |m: usize, places: &Range<usize>| -> String {
            texts[m][al.member_chars(m, places)].iter().collect()
        };
        let kept = "five thousand years ago?";
        let mut seen = false;
        for v in &al.variants {
            let (a, b) = (reads(0, &v.places), reads(2, &v.places));
            if a.contains(kept) || b.contains(kept) {
                seen = true;
                assert!(
                    a.contains(kept) && b.contains(kept),
                    "the first edition reads {a:?} where the third reads {b:?}"
                );
            }
        }
        assert!(seen, "the kept sentence is part of a variant");
    }

    #[test]
    fn the_scripts_do_not_depend_on_the_members_order() {
        let pivot = "the cat sat on the mat today";
        let texts = [
            "the dog sat on a mat today",
            "the cat lay on a rug today",
            "a cat sat upon the mat",
            "the dog lay on the mat today",
        ];
        let forward = refined(pivot, &texts);
        let mut reversed: Vec<&str> = texts.to_vec();
        reversed.reverse();
        let mut backward = refined(pivot, &reversed);
        backward.reverse();
        assert_eq!(forward, backward);
    }

    #[test]
    fn a_rewritten_clause_is_one_site_not_cut_at_a_common_word() {
        // A diff that finds the longest common subsequence matches `the`,
        // the one word the two clauses share, and cuts each into an
        // insertion and a replacement; read word against word, it is one
        // rewrite.
        let old = "rain fell hard on the roof all night";
        let new = "the storm broke windows in town all night";
        let texts: Vec<Vec<char>> = [old, old, new, new].map(|t| t.chars().collect()).into();
        let inputs = super::super::witness_inputs(&texts);
        let al = super::super::align(&inputs, &super::super::AlignOptions::default());
        let sites: Vec<(String, String)> = al
            .variants
            .iter()
            .map(|v| {
                let reads = |m: usize| -> String {
                    texts[m][al.member_chars(m, &v.places)].iter().collect()
                };
                (reads(0), reads(2))
            })
            .collect();
        assert_eq!(
            sites,
            vec![(
                "rain fell hard on the roof".to_string(),
                "the storm broke windows in town".to_string()
            )]
        );
    }

    #[test]
    fn a_misspelt_word_still_lines_up_letter_by_letter() {
        // Realigned word by word, the words that differ are diffed by
        // their characters: the script is the star's.
        let pivot = chars("alpha beta gamma delta epsilon");
        let texts = [
            chars("alpha betta gamma delta epsilon"),
            chars("alpha beta gamma delta epsilom"),
        ];
        let views: Vec<&[char]> = texts.iter().map(|t| t.as_slice()).collect();
        let star: Vec<Vec<DiffOp>> = views.iter().map(|t| diff_words(&pivot, t)).collect();
        let mut ops = star.clone();
        refine(&pivot, &views, &mut ops);
        assert_eq!(ops, star);
    }

    #[test]
    fn windows_grow_to_whole_tokens() {
        let pivot = chars("alpha beta gamma");
        // Two members change letters of `beta` at different places.
        let ops = vec![
            diff_words(&pivot, &chars("alpha bexa gamma")),
            diff_words(&pivot, &chars("alpha betx gamma")),
        ];
        assert_eq!(windows(&pivot, &ops), vec![6..11]);
    }
}
