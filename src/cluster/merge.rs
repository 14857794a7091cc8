//! Verified edges merged best-first into clusters, at most one witness per
//! source in each.
//!
//! ```text
//! Full(002₇,004₁₂) 0.97 · Split(001₂₃,001₂₄ → 004₁₂) 0.99 · Contained(002₉ ⊂ 002₇) 0.96
//!   → {001₂₃ fragment, 001₂₄ fragment, 002₇ witness, 002₉ duplicate, 004₁₂ witness}
//! ```
use rayon::prelude::*;

use super::placed::Clustered;
use super::verify::Edge;
use super::{Cluster, ClusterConfig, Item, Member, MemberRole};
use crate::model::SourceId;

/// Merges verified edges best-first into clusters of two or more paragraphs.
///
/// Full edges go first, most similar first (except where a split explains
/// the same whole better); then splits; then containment, best contained and
/// longest first. Two sets join only when no source has a
/// witness in both; otherwise a lone paragraph may still join as a duplicate
/// (similar enough, or contained) or a fragment. Containment attaches one
/// paragraph to a cluster and never joins two clusters, so a piece shared by
/// two paragraphs cannot chain them together. The result does not depend on
/// the order of `edges`.
pub(crate) fn merge(items: &[Item], edges: &[Edge], cfg: &ClusterConfig) -> Vec<Cluster> {
    merge_then(items, edges, cfg, |_| Vec::new())
}

/// [`merge`], then the edges `later` finds on that clustering (see
/// [`super::placed`]) merged after all others, as versions (never as
/// duplicates), most similar first.
pub(crate) fn merge_then(
    items: &[Item],
    edges: &[Edge],
    cfg: &ClusterConfig,
    later: impl FnOnce(&Clustered<'_>) -> Vec<Edge>,
) -> Vec<Cluster> {
    // A split outranks the full edge of one of its pieces to the same whole
    // when it explains the whole better: the piece alone is only most of it.
    let mut best_split: Vec<((u32, u32), f64)> = edges
        .iter()
        .filter_map(|e| match *e {
            Edge::Split {
                first,
                second,
                whole,
                similarity,
            } => Some([((first, whole), similarity), ((second, whole), similarity)]),
            _ => None,
        })
        .flatten()
        .collect();
    // Best first within each (piece, whole), so the first entry of a key is
    // the one a binary search needs.
    best_split.sort_unstable_by(|x, y| x.0.cmp(&y.0).then(y.1.total_cmp(&x.1)));
    best_split.dedup_by_key(|e| e.0);
    let split_of = |key: (u32, u32)| {
        best_split
            .binary_search_by_key(&key, |e| e.0)
            .ok()
            .map(|i| best_split[i].1)
    };
    let superseded = |a: u32, b: u32, similarity: f64| {
        [(a, b), (b, a)]
            .into_iter()
            .any(|key| split_of(key).is_some_and(|s| s > similarity))
    };
    let mut order: Vec<&Edge> = edges
        .par_iter()
        .filter(|e| !matches!(**e, Edge::Full { a, b, similarity } if superseded(a, b, similarity)))
        .collect();
    // Full edges first: when two sources agree on a paragraph, neither is a
    // piece of a third source's longer paragraph. Then splits, then
    // containment.
    // A source's near-copy in another of its documents comes after the
    // versions of other sources: where two pages of one source repeat a
    // passage and another source has both pages too, each page's text
    // clusters with its own version, and the copies are linked only where
    // nothing holds them apart.
    let copies = |a: u32, b: u32| {
        let (x, y) = (&items[a as usize], &items[b as usize]);
        x.source == y.source && x.doc != y.doc
    };
    let rank = |e: &Edge| match *e {
        Edge::Full { a, b, similarity } if copies(a, b) => (1, -similarity, 0),
        Edge::Full { similarity, .. } => (0, -similarity, 0),
        Edge::Split { similarity, .. } => (2, -similarity, 0),
        Edge::Contained {
            part, containment, ..
        } => (3, -containment, -i64::from(items[part as usize].chars)),
    };
    order.par_sort_by(|x, y| {
        rank(x)
            .partial_cmp(&rank(y))
            .expect("similarities are finite")
            .then(x.ends().cmp(&y.ends()))
    });

    let mut sets = Sets::new(items);
    for edge in order {
        match *edge {
            Edge::Full { a, b, similarity } => {
                let (a, b) = (a as usize, b as usize);
                if !sets.union(a, b, similarity) && similarity >= cfg.duplicate_similarity {
                    if sets.is_single(b) {
                        sets.attach(b, a, MemberRole::Duplicate, similarity);
                    } else if sets.is_single(a) {
                        sets.attach(a, b, MemberRole::Duplicate, similarity);
                    }
                }
            }
            Edge::Split {
                first,
                second,
                whole,
                similarity,
            } => {
                let (first, second, whole) = (first as usize, second as usize, whole as usize);
                if sets.is_single(first)
                    && sets.is_single(second)
                    && !sets.has_witness(whole, items[first].source)
                {
                    sets.attach(first, whole, MemberRole::Fragment, similarity);
                    sets.attach(second, whole, MemberRole::Fragment, similarity);
                }
            }
            Edge::Contained {
                part,
                whole,
                containment,
            } => {
                let (part, whole) = (part as usize, whole as usize);
                if sets.is_single(part) {
                    let role = if sets.has_source(whole, items[part].source) {
                        MemberRole::Duplicate
                    } else {
                        MemberRole::Fragment
                    };
                    sets.attach(part, whole, role, containment);
                } else if sets.is_single(whole) && !sets.has_witness(part, items[whole].source) {
                    // The larger paragraph is a fuller version of a
                    // clustered one (an abridged source, or paragraphs split
                    // differently): it joins as a witness.
                    sets.attach(whole, part, MemberRole::Witness, containment);
                } else if sets.repeats_in(part) == Some(items[whole].doc) {
                    // The part is already clustered with its exact repeats
                    // in its document (a title and its heading copy): they
                    // are all repeats of the longer paragraph too. Joining
                    // them as found alone makes the result depend on
                    // whether a repeat is in the document or not.
                    sets.demote_into(items, part, whole, containment);
                }
            }
        }
    }
    let set: Vec<Option<u32>> = (0..items.len())
        .map(|i| {
            let root = sets.find(i);
            (sets.size[root] >= 2).then_some(root as u32)
        })
        .collect();
    let mut placed = later(&Clustered {
        set: &set,
        role: &sets.role,
    });
    placed.sort_by(|x, y| {
        let s = |e: &Edge| match *e {
            Edge::Full { similarity, .. } => similarity,
            _ => 0.0,
        };
        s(y).total_cmp(&s(x)).then(x.ends().cmp(&y.ends()))
    });
    for edge in placed {
        if let Edge::Full { a, b, similarity } = edge {
            // Stricter than the union's guard: a source with any member in
            // one set (a fragment, a duplicate) keeps the other out, so no
            // source's text is aligned twice over.
            let (ra, rb) = (sets.find(a as usize), sets.find(b as usize));
            if ra != rb
                && !sets.sources[ra]
                    .iter()
                    .any(|s| sets.sources[rb].contains(s))
            {
                sets.union(a as usize, b as usize, similarity);
            }
        }
    }
    sets.clusters()
}

/// Union-find over items that tracks, per set, the sources with a witness
/// and the sources with any member.
struct Sets {
    parent: Vec<u32>,
    size: Vec<u32>,
    witnesses: Vec<Vec<SourceId>>,
    sources: Vec<Vec<SourceId>>,
    role: Vec<MemberRole>,
    score: Vec<f64>,
    /// Per set, whether its members lie in more than one document.
    mixed: Vec<bool>,
    doc: Vec<crate::model::DocId>,
}

impl Sets {
    fn new(items: &[Item]) -> Sets {
        Sets {
            parent: (0..items.len() as u32).collect(),
            size: vec![1; items.len()],
            witnesses: items.iter().map(|i| vec![i.source]).collect(),
            sources: items.iter().map(|i| vec![i.source]).collect(),
            role: vec![MemberRole::Witness; items.len()],
            score: vec![0.0; items.len()],
            mixed: vec![false; items.len()],
            doc: items.iter().map(|i| i.doc).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] as usize != x {
            let up = self.parent[self.parent[x] as usize];
            self.parent[x] = up;
            x = up as usize;
        }
        x
    }

    fn is_single(&mut self, x: usize) -> bool {
        let root = self.find(x);
        self.size[root] == 1
    }

    fn has_witness(&mut self, x: usize, source: SourceId) -> bool {
        let root = self.find(x);
        self.witnesses[root].contains(&source)
    }

    fn has_source(&mut self, x: usize, source: SourceId) -> bool {
        let root = self.find(x);
        self.sources[root].contains(&source)
    }

    fn link(&mut self, ra: usize, rb: usize) -> usize {
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        let moved = std::mem::take(&mut self.witnesses[gone]);
        self.witnesses[keep].extend(moved);
        for s in std::mem::take(&mut self.sources[gone]) {
            if !self.sources[keep].contains(&s) {
                self.sources[keep].push(s);
            }
        }
        self.size[keep] += self.size[gone];
        self.mixed[keep] |= self.mixed[gone] || self.doc[keep] != self.doc[gone];
        self.parent[gone] = keep as u32;
        keep
    }

    fn touch(&mut self, x: usize, score: f64) {
        self.score[x] = self.score[x].max(score);
    }

    /// Joins the sets of `a` and `b` unless a source has a witness in both;
    /// says whether they are joined now.
    fn union(&mut self, a: usize, b: usize, score: f64) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            if self.witnesses[ra]
                .iter()
                .any(|s| self.witnesses[rb].contains(s))
            {
                return false;
            }
            self.link(ra, rb);
        }
        self.touch(a, score);
        self.touch(b, score);
        true
    }

    /// The document of `x`'s set when all its members lie in that one
    /// document and it has more than one.
    fn repeats_in(&mut self, x: usize) -> Option<crate::model::DocId> {
        let root = self.find(x);
        (self.size[root] > 1 && !self.mixed[root]).then_some(self.doc[root])
    }

    /// Joins the set of `part` (all of one document, see
    /// [`Sets::repeats_in`]) to the set of `to`, every member of it a
    /// duplicate there.
    fn demote_into(&mut self, items: &[Item], part: usize, to: usize, score: f64) {
        let (rp, rt) = (self.find(part), self.find(to));
        if rp == rt {
            return;
        }
        // Items of one document are adjacent: its members are found near
        // `part`.
        let doc = self.doc[part];
        let start = (0..part)
            .rev()
            .take_while(|&i| items[i].doc == doc)
            .last()
            .unwrap_or(part);
        let end = (part..items.len())
            .take_while(|&i| items[i].doc == doc)
            .last()
            .unwrap_or(part);
        for i in start..=end {
            if self.find(i) == rp {
                self.role[i] = MemberRole::Duplicate;
            }
        }
        self.witnesses[rp].clear();
        self.link(rp, rt);
        self.touch(part, score);
        self.touch(to, score);
    }

    /// Adds the lone item `x` to the set of `to` with `role`.
    fn attach(&mut self, x: usize, to: usize, role: MemberRole, score: f64) {
        let (rx, rt) = (self.find(x), self.find(to));
        if rx == rt {
            return;
        }
        if role != MemberRole::Witness {
            self.witnesses[rx].clear();
        }
        self.link(rx, rt);
        self.role[x] = role;
        self.touch(x, score);
        self.touch(to, score);
    }

    fn clusters(mut self) -> Vec<Cluster> {
        let mut groups: std::collections::BTreeMap<usize, Vec<Member>> = Default::default();
        for item in 0..self.parent.len() {
            let root = self.find(item);
            if self.size[root] < 2 {
                continue;
            }
            groups.entry(root).or_default().push(Member::whole(
                item,
                self.role[item],
                self.score[item],
            ));
        }
        let mut clusters: Vec<Cluster> = groups
            .into_values()
            .map(|members| Cluster {
                members,
                reuse: false,
            })
            .collect();
        clusters.sort_by_key(|c| c.members[0].item);
        clusters
    }
}
