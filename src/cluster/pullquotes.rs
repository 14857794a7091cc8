//! Pairs within one document where one paragraph repeats another: pull
//! quotes and repeated paragraphs. The candidate stage pairs only across
//! sources, so these are looked for here, by the sampled shingles two
//! paragraphs of the document share.
//!
//! ```text
//! doc 002: 002₇ "促成…，斡旋缅北达成停火协议，坚持政治解决所有热点冲突，…"
//!          002₈ "中方愿同俄方一道，…"
//!          002₉ "斡旋缅北达成停火协议，坚持政治解决所有热点冲突"
//!   → (002₇, 002₉), to be verified as Contained(002₉ ⊂ 002₇)
//! ```
use std::ops::Range;

use super::sketch::Shingled;
use super::{ClusterConfig, Item};

/// Pairs of one document (`range`, whose shingles are `shingled`) where one
/// paragraph's shingles lie mostly in the other's: pull quotes and repeated
/// paragraphs, which the candidate stage does not look for since it pairs
/// only across sources. Only *informative* shingles count: those in at most
/// `cap` paragraphs of the document. Common words (`我们`, `the world`) say
/// nothing about where a quote comes from, and following them would cost the
/// square of their count. Items with `skip` set (repeats of an earlier
/// identical key) take no part.
pub(crate) fn document_pairs(
    range: Range<usize>,
    items: &[Item],
    shingled: &[Shingled],
    skip: &[bool],
    cfg: &ClusterConfig,
    cap: usize,
) -> Vec<(u32, u32)> {
    let usable = |local: usize| {
        let i = range.start + local;
        !skip[i] && items[i].chars as usize >= cfg.min_chars
    };
    let mut entries: Vec<(u64, u32)> = Vec::new();
    for (local, s) in shingled.iter().enumerate() {
        if usable(local) {
            entries.extend(s.sample.iter().map(|&h| (h, local as u32)));
        }
    }
    entries.sort_unstable();
    let mut informative = vec![0u32; shingled.len()];
    let mut shared: Vec<(u32, u32)> = Vec::new();
    for run in entries.chunk_by(|x, y| x.0 == y.0) {
        if run.len() > cap {
            continue;
        }
        for (k, &(_, x)) in run.iter().enumerate() {
            informative[x as usize] += 1;
            for &(_, y) in &run[k + 1..] {
                if items[range.start + x as usize].script == items[range.start + y as usize].script
                {
                    shared.push((x, y));
                }
            }
        }
    }
    shared.sort_unstable();
    let mut pairs = Vec::new();
    for run in shared.chunk_by(|p, q| p == q) {
        let (x, y) = (run[0].0 as usize, run[0].1 as usize);
        let smaller = if informative[x] <= informative[y] {
            x
        } else {
            y
        };
        // The sample is small: a looser bar here, the exact test follows.
        let need = (DOCUMENT_CANDIDATE * informative[smaller] as f64).max(MIN_INFORMATIVE as f64);
        if run.len() as f64 >= need {
            pairs.push(((range.start + x) as u32, (range.start + y) as u32));
        }
    }
    pairs
}

/// A pull quote needs at least this many sampled informative shingles in
/// common with the paragraph it repeats (about twelve shingles in all).
const MIN_INFORMATIVE: usize = 3;

/// ...and at least this share of its sampled informative shingles.
const DOCUMENT_CANDIDATE: f64 = 0.6;
