//! Short paragraphs matched by their place: their own text (`谢谢。`,
//! `Thank you.`) recurs everywhere, but two of them that sit between the same
//! clusters in two sources, and read alike, are versions of each other.
//!
//! ```text
//! 001: "王毅答记者问"  [C0]  "谢谢大家"
//! 002:                 [C0]  "谢谢大家"
//! 003:                       "谢谢大家"      (no clustered neighbour)
//!   → {001 "谢谢大家", 002 "谢谢大家"}: both after C0, nothing clustered after
//! ```
use std::ops::Range;

use super::merge::merge;
use super::verify::Edge;
use super::{Cluster, ClusterConfig, Item, Keys};
use crate::diff::similarity_within;
use crate::segment::Script;

/// Clusters of short paragraphs, matched by their place: a short paragraph
/// (fewer than `min_chars` characters) that sits between the same clusters
/// as a short paragraph of another source, in the same script, is its
/// version when their texts are at least `min_similarity` alike (`谢谢。` /
/// `谢谢！`). `cluster_of[i]` is the cluster of item `i` among `clusters`, or
/// `None`; `docs` are the item ranges of the documents.
pub(crate) fn anchor_short(
    items: &[Item],
    keys: &Keys,
    docs: &[Range<usize>],
    cluster_of: &[Option<u32>],
    cfg: &ClusterConfig,
) -> Vec<Cluster> {
    type Anchor = (Script, Option<u32>, Option<u32>);
    let mut groups: std::collections::BTreeMap<Anchor, Vec<usize>> = Default::default();
    for range in docs {
        // Nearest clustered paragraph before and after, per script.
        let mut before: Vec<Option<u32>> = vec![None; range.len()];
        let mut last = [None; 3];
        for i in range.clone() {
            before[i - range.start] = last[items[i].script as usize];
            if cluster_of[i].is_some() {
                last[items[i].script as usize] = cluster_of[i];
            }
        }
        let mut next = [None; 3];
        for i in range.clone().rev() {
            let item = &items[i];
            let short = item.chars > 0 && (item.chars as usize) < cfg.min_chars;
            let after = next[item.script as usize];
            if short && cluster_of[i].is_none() {
                let prev = before[i - range.start];
                if prev.is_some() || after.is_some() {
                    groups
                        .entry((item.script, prev, after))
                        .or_default()
                        .push(i);
                }
            }
            if cluster_of[i].is_some() {
                next[item.script as usize] = cluster_of[i];
            }
        }
    }
    let mut out = Vec::new();
    for mut group in groups.into_values() {
        group.sort_unstable();
        let mut edges = Vec::new();
        for (x, &a) in group.iter().enumerate() {
            for &b in &group[x + 1..] {
                if items[a].source == items[b].source {
                    continue;
                }
                let (ka, kb) = (keys.chars(a), keys.chars(b));
                if let Some(similarity) = similarity_within(&ka, &kb, cfg.min_similarity) {
                    edges.push(Edge::Full {
                        a: a as u32,
                        b: b as u32,
                        similarity,
                    });
                }
            }
        }
        if edges.is_empty() {
            continue;
        }
        // Merge within the group only: indices local to it.
        let local: Vec<Item> = group.iter().map(|&i| items[i]).collect();
        let position = |i: u32| group.binary_search(&(i as usize)).expect("in the group") as u32;
        let local_edges: Vec<Edge> = edges
            .iter()
            .map(|e| match *e {
                Edge::Full { a, b, similarity } => Edge::Full {
                    a: position(a),
                    b: position(b),
                    similarity,
                },
                other => other,
            })
            .collect();
        let strict = ClusterConfig {
            duplicate_similarity: f64::INFINITY,
            ..*cfg
        };
        for mut cluster in merge(&local, &local_edges, &strict) {
            for m in &mut cluster.members {
                m.item = group[m.item];
            }
            out.push(cluster);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, SourceId};

    #[test]
    fn short_paragraphs_match_by_place() {
        let items: Vec<Item> = [
            (0, 0, 5),
            (0, 0, 30),
            (0, 0, 4),
            (1, 1, 30),
            (1, 1, 4),
            (2, 2, 4),
        ]
        .iter()
        .map(|&(s, d, n)| Item {
            source: SourceId(s),
            doc: DocId(d),
            script: Script::Han,
            chars: n,
            heading: false,
            open: false,
        })
        .collect();
        let mut keys = Keys::default();
        for k in ["王毅答记者问", "x", "谢谢大家", "x", "谢谢大家", "谢谢大家"] {
            keys.push(k);
        }
        // Items 1 and 3 are one cluster (0); item 5 has no clustered
        // neighbour; item 0 precedes item 1, item 2 follows it, as item 4
        // follows item 3.
        let cluster_of = [None, Some(0), None, Some(0), None, None];
        let docs = [0..3, 3..5, 5..6];
        let got = anchor_short(&items, &keys, &docs, &cluster_of, &ClusterConfig::default());
        let members: Vec<Vec<usize>> = got
            .iter()
            .map(|c| c.members.iter().map(|m| m.item).collect())
            .collect();
        assert_eq!(members, vec![vec![2, 4]]);
    }
}
