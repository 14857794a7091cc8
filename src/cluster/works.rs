//! Works: which documents are versions of one text, and which clusters are
//! text one work shares with another (reuse: a template, a quotation).
//!
//! ```text
//! 000 (2023 press conference) ── intro template ── 001, 002, 004 (2024)
//!      shares 6% of its text                       share 90% of theirs
//! → works {000}, {001, 002, 004}; the intro cluster is reuse, split by work
//! ```
//!
//! Two documents are versions of one work when a good part of the shorter
//! one's text ([`VERSION_SHARE`]) is in clusters with the other: a
//! transcript copied by another site, an OCR of the same page, an excerpt.
//! Two press conferences that open with the same greeting share a
//! paragraph or two. Works are the connected components of that relation.
//!
//! A cluster with members from different works is split into one cluster
//! per work, each marked [`Cluster::reuse`]: the versions within a work are
//! still collated against each other, but a 2023 transcript's `2023` is not
//! a variant of a 2024 transcript's `2024`, and counting it would rank the
//! 2023 source as unreliable for reporting another event.
use std::collections::BTreeMap;

use super::{Cluster, Item, MemberRole};
use crate::model::DocId;

/// The share of the shorter document's text that must be in clusters with
/// the other for the two to be versions of one work. A reused template or
/// a quotation is a paragraph or two of a transcript: the sample's 2023
/// and 2024 press conferences share 1 to 4 % of their text. Versions share
/// most of it, but a copy that stops early, or a bilingual page set against
/// a Chinese-only one, shares less of the shorter text than it holds: the
/// sample's 2024 transcripts share 23 to 92 %, the generated corpora over
/// 95 %. A fifth keeps a partial copy a version and a few shared
/// paragraphs reuse.
pub const VERSION_SHARE: f64 = 0.2;

/// A cluster with members in more documents than this is boilerplate
/// repeated across a corpus (a disclaimer, a sign-off): it is no evidence
/// that any two of them are versions, and counting its pairs would cost the
/// square of its size.
const MAX_DOCS_PER_CLUSTER: usize = 64;

/// Documents grouped into works.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Works {
    /// Per document, its work, numbered from 1 in the order of each work's
    /// first document.
    pub of_doc: Vec<u32>,
    /// Clusters split because their members came from different works.
    pub reused: usize,
}

impl Works {
    /// How many works there are.
    pub fn count(&self) -> usize {
        self.of_doc.iter().copied().max().unwrap_or(0) as usize
    }
}

/// Groups `documents` documents into works by the clusters their
/// paragraphs (`items`) fell into, and splits the clusters that cross
/// works (see the module documentation). Deterministic: works are numbered
/// by their first document, split clusters stay in item order.
pub fn group_works(
    items: &[Item],
    clusters: Vec<Cluster>,
    documents: usize,
) -> (Vec<Cluster>, Works) {
    let mut doc_chars = vec![0u64; documents];
    for item in items {
        doc_chars[item.doc.index()] += u64::from(item.chars);
    }
    // Characters each pair of documents has in common clusters: per
    // cluster, the smaller of the two documents' text in it.
    let mut shared: BTreeMap<(u32, u32), u64> = BTreeMap::new();
    for cluster in &clusters {
        let mut per_doc: BTreeMap<DocId, u64> = BTreeMap::new();
        for m in &cluster.members {
            *per_doc.entry(items[m.item].doc).or_default() += u64::from(m.chars(items));
        }
        if per_doc.len() > MAX_DOCS_PER_CLUSTER {
            continue;
        }
        let docs: Vec<(DocId, u64)> = per_doc.into_iter().collect();
        for (i, &(a, ca)) in docs.iter().enumerate() {
            for &(b, cb) in &docs[i + 1..] {
                *shared.entry((a.0, b.0)).or_default() += ca.min(cb);
            }
        }
    }
    let mut parent: Vec<usize> = (0..documents).collect();
    for (&(a, b), &chars) in &shared {
        let smaller = doc_chars[a as usize].min(doc_chars[b as usize]);
        if smaller > 0 && chars as f64 >= VERSION_SHARE * smaller as f64 {
            union(&mut parent, a as usize, b as usize);
        }
    }
    let mut number: BTreeMap<usize, u32> = BTreeMap::new();
    let of_doc: Vec<u32> = (0..documents)
        .map(|d| {
            let root = find(&mut parent, d);
            let next = number.len() as u32 + 1;
            *number.entry(root).or_insert(next)
        })
        .collect();

    let mut reused = 0;
    let mut out: Vec<Cluster> = Vec::with_capacity(clusters.len());
    for cluster in clusters {
        let work = |m: &super::Member| of_doc[items[m.item].doc.index()];
        let first = work(&cluster.members[0]);
        if cluster.members.iter().all(|m| work(m) == first) {
            out.push(cluster);
            continue;
        }
        reused += 1;
        let mut groups: BTreeMap<u32, Vec<super::Member>> = BTreeMap::new();
        for m in cluster.members {
            groups.entry(work(&m)).or_default().push(m);
        }
        for members in groups.into_values() {
            out.push(Cluster {
                members: with_a_witness(members, items),
                reuse: true,
            });
        }
    }
    out.sort_by_key(|c| (c.members[0].item, c.members[0].span.map_or(0, |s| s.start)));
    (out, Works { of_doc, reused })
}

/// A group cut out of a cluster may hold only fragments or repeats of a
/// witness of another work: its longest member becomes its witness, so
/// that it can be aligned on its own.
fn with_a_witness(mut members: Vec<super::Member>, items: &[Item]) -> Vec<super::Member> {
    if !members.iter().any(|m| m.role == MemberRole::Witness) {
        let longest = (0..members.len())
            .max_by_key(|&i| (members[i].chars(items), std::cmp::Reverse(i)))
            .expect("a group is not empty");
        members[longest].role = MemberRole::Witness;
    }
    members
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    // The smaller root wins, so the result does not depend on the order
    // pairs come in.
    let (lo, hi) = (ra.min(rb), ra.max(rb));
    parent[hi] = lo;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::Member;
    use crate::model::SourceId;
    use crate::segment::Script;

    fn item(doc: u32, chars: u32) -> Item {
        Item {
            source: SourceId(doc),
            doc: DocId(doc),
            script: Script::Han,
            chars,
            heading: false,
            open: false,
        }
    }

    fn cluster(members: &[usize]) -> Cluster {
        Cluster {
            members: members
                .iter()
                .map(|&item| Member::whole(item, MemberRole::Witness, 1.0))
                .collect(),
            reuse: false,
        }
    }

    /// Documents 0, 1, 2: 1 and 2 share all their text, 0 shares one of
    /// its ten paragraphs with them (a tenth, under [`VERSION_SHARE`]).
    #[test]
    fn versions_are_one_work_and_a_shared_paragraph_is_reuse() {
        let mut items = Vec::new();
        for doc in 0..3 {
            for _ in 0..10 {
                items.push(item(doc, 100));
            }
        }
        // Items 10..20 are doc 1, 20..30 doc 2: paragraph k of both.
        let mut clusters: Vec<Cluster> = (0..10).map(|k| cluster(&[10 + k, 20 + k])).collect();
        // Doc 0's first paragraph is also in the first cluster.
        clusters[0] = cluster(&[0, 10, 20]);
        let (clusters, works) = group_works(&items, clusters, 3);
        assert_eq!(works.of_doc, vec![1, 2, 2]);
        assert_eq!(works.count(), 2);
        assert_eq!(works.reused, 1);
        assert_eq!(clusters.len(), 11);
        // The shared paragraph: doc 0's copy alone, then docs 1 and 2.
        assert_eq!(clusters[0].members.len(), 1);
        assert_eq!(clusters[0].members[0].item, 0);
        assert!(clusters[0].reuse);
        assert_eq!(
            clusters[1]
                .members
                .iter()
                .map(|m| m.item)
                .collect::<Vec<_>>(),
            vec![10, 20]
        );
        assert!(clusters[1].reuse);
        assert!(clusters[2..].iter().all(|c| !c.reuse));
    }

    #[test]
    fn an_excerpt_is_a_version_of_the_whole() {
        // Doc 1 is three paragraphs of doc 0's ten.
        let mut items: Vec<Item> = (0..10).map(|_| item(0, 100)).collect();
        items.extend((0..3).map(|_| item(1, 100)));
        let clusters: Vec<Cluster> = (0..3).map(|k| cluster(&[k, 10 + k])).collect();
        let (clusters, works) = group_works(&items, clusters, 2);
        assert_eq!(works.of_doc, vec![1, 1]);
        assert_eq!(works.reused, 0);
        assert!(clusters.iter().all(|c| !c.reuse));
    }

    #[test]
    fn a_group_of_fragments_gets_a_witness() {
        let members = vec![
            Member::whole(0, MemberRole::Fragment, 0.9),
            Member::whole(1, MemberRole::Fragment, 0.9),
        ];
        let items = vec![item(0, 40), item(0, 60)];
        let out = with_a_witness(members, &items);
        assert_eq!(out[1].role, MemberRole::Witness);
        assert_eq!(out[0].role, MemberRole::Fragment);
    }
}
