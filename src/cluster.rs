//! Verify candidate pairs with a real similarity and merge them into clusters
//! of versions of the same paragraph.
//!
//! ```text
//! pairs (002₇,004₁₂) lev 0.97 · (001₂₃,002₇) containment 0.99 · (002₇,003₄) lev 0.41
//!   → verified: full(002₇,004₁₂), fragment(001₂₃ ⊂ 002₇)
//!   → clusters: {001₂₃ fragment, 002₇ witness, 004₁₂ witness}
//! ```
//!
//! Merging is best-first and version-aware: a cluster never holds two
//! paragraphs of the same source, so a chain of loosely similar pairs cannot
//! glue unrelated paragraphs together.
use crate::candidates::{CandidatePair, Item};
use crate::diff::{SOLID_MATCH, diff_chars, levenshtein_within, matched, matched_span};
use crate::model::SourceId;

/// Thresholds of the verification step.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClusterConfig {
    /// Paragraphs with fewer comparison characters stay unclustered: short
    /// lines (`王毅：`, `Thank you.`) recur everywhere and say nothing about
    /// which paragraph they belong to.
    pub min_chars: usize,
    /// Two whole paragraphs are versions of each other when their normalized
    /// Levenshtein similarity reaches this.
    pub min_similarity: f64,
    /// A smaller paragraph is a fragment (page-break piece, pull quote) of a
    /// larger one when this share of its shingles occurs in the larger one.
    pub min_containment: f64,
    /// ...and it has at least this many shingles, so that a short common
    /// phrase does not count as a fragment.
    pub min_fragment_shingles: usize,
}

/// Default minimum paragraph length: 10 comparison characters, about three
/// Chinese words or two English ones; shorter lines are labels.
pub const DEFAULT_MIN_CHARS: usize = 10;

/// Default similarity: 0.7. Transcripts of one event differ by a few percent
/// of characters (OCR noise, edits); independent paragraphs on the same topic
/// score below 0.5 in normalized Levenshtein similarity, so 0.7 leaves a
/// margin on both sides.
pub const DEFAULT_MIN_SIMILARITY: f64 = 0.7;

/// Default containment: 0.8, so a fragment with up to a fifth of its
/// shingles damaged by noise still attaches.
pub const DEFAULT_MIN_CONTAINMENT: f64 = 0.8;

/// Default fragment size: 8 shingles, about a clause.
pub const DEFAULT_MIN_FRAGMENT_SHINGLES: usize = 8;

impl Default for ClusterConfig {
    fn default() -> ClusterConfig {
        ClusterConfig {
            min_chars: DEFAULT_MIN_CHARS,
            min_similarity: DEFAULT_MIN_SIMILARITY,
            min_containment: DEFAULT_MIN_CONTAINMENT,
            min_fragment_shingles: DEFAULT_MIN_FRAGMENT_SHINGLES,
        }
    }
}

/// How a verified pair is related.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EdgeKind {
    /// Two versions of the whole paragraph, with their similarity.
    Full {
        /// Normalized Levenshtein similarity of the comparison keys.
        similarity: f64,
    },
    /// `fragment` is a piece of the other paragraph.
    Fragment {
        /// Index of the smaller paragraph.
        fragment: usize,
        /// Share of its shingles found in the other.
        containment: f64,
    },
}

/// A verified pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Edge {
    /// Smaller index.
    pub a: usize,
    /// Larger index.
    pub b: usize,
    /// How they are related.
    pub kind: EdgeKind,
}

/// How a paragraph takes part in its cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MemberRole {
    /// A full version of the paragraph.
    Witness,
    /// A piece of it: covers only the part it aligns to.
    Fragment,
}

impl MemberRole {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Witness => "witness",
            MemberRole::Fragment => "fragment",
        }
    }
}

/// One paragraph in a cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member {
    /// Index of the paragraph in the stage's input.
    pub item: usize,
    /// Witness or fragment.
    pub role: MemberRole,
}

/// Paragraphs that are versions of one another, sorted by item index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cluster {
    /// At least two members, each from a different source.
    pub members: Vec<Member>,
}

/// Checks one candidate pair; `keys` are the comparison characters of every
/// paragraph. Returns the edge when the pair holds.
pub fn verify(
    keys: &[Vec<char>],
    items: &[Item],
    pair: &CandidatePair,
    cfg: &ClusterConfig,
) -> Option<Edge> {
    let (ka, kb) = (&keys[pair.a], &keys[pair.b]);
    if ka.len() < cfg.min_chars || kb.len() < cfg.min_chars {
        return None;
    }
    let (short, long) = if ka.len() <= kb.len() {
        (ka.len(), kb.len())
    } else {
        (kb.len(), ka.len())
    };
    // The length ratio bounds the Levenshtein similarity from above, so the
    // quadratic computation runs only where it can succeed.
    if short as f64 / long as f64 >= cfg.min_similarity {
        let max_distance = ((1.0 - cfg.min_similarity) * long as f64).floor() as usize;
        if let Some(distance) = levenshtein_within(ka, kb, max_distance) {
            return Some(Edge {
                a: pair.a,
                b: pair.b,
                kind: EdgeKind::Full {
                    similarity: 1.0 - distance as f64 / long as f64,
                },
            });
        }
    }
    let fragment = if ka.len() <= kb.len() { pair.a } else { pair.b };
    if pair.containment >= cfg.min_containment
        && items[fragment].shingles.len() >= cfg.min_fragment_shingles
        && is_embedded(&keys[pair.a + pair.b - fragment], &keys[fragment], cfg)
    {
        return Some(Edge {
            a: pair.a,
            b: pair.b,
            kind: EdgeKind::Fragment {
                fragment,
                containment: pair.containment,
            },
        });
    }
    None
}

/// Whether `short` lies in `long` as one piece: enough of its characters
/// match, in a stretch of `long` not much longer than `short` itself. Shared
/// shingles alone do not show this: two paragraphs on one topic share most
/// of their Chinese bigrams, scattered all over.
fn is_embedded(long: &[char], short: &[char], cfg: &ClusterConfig) -> bool {
    let ops = diff_chars(long, short);
    let Some(span) = matched_span(&ops, SOLID_MATCH) else {
        return false;
    };
    matched(&ops) as f64 >= cfg.min_containment * short.len() as f64
        && span.len() as f64 <= short.len() as f64 / cfg.min_containment
}

/// Merges verified edges best-first into clusters of two or more paragraphs.
/// Full edges go first, most similar first; then fragments, best contained
/// and longest first. A merge that would put two paragraphs of one source
/// into one cluster is refused. The result does not depend on the order of
/// `edges`.
pub fn merge(items: &[Item], edges: &[Edge]) -> Vec<Cluster> {
    let mut order: Vec<&Edge> = edges.iter().collect();
    order.sort_by(|x, y| {
        let rank = |e: &Edge| match e.kind {
            EdgeKind::Full { similarity } => (0, -similarity, 0),
            EdgeKind::Fragment {
                fragment,
                containment,
            } => (1, -containment, -(items[fragment].shingles.len() as i64)),
        };
        rank(x)
            .partial_cmp(&rank(y))
            .expect("similarities are finite")
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });

    let mut sets = DisjointSets::new(items);
    let mut fragment = vec![false; items.len()];
    for edge in order {
        match edge.kind {
            EdgeKind::Full { .. } => {
                sets.union(edge.a, edge.b);
            }
            EdgeKind::Fragment { fragment: f, .. } => {
                let other = if f == edge.a { edge.b } else { edge.a };
                // Containment attaches one paragraph to a cluster; it never
                // joins two clusters, so a piece shared by two paragraphs
                // cannot chain them together.
                if sets.size(f) == 1 {
                    if sets.union(f, other) {
                        fragment[f] = true;
                    }
                } else if sets.size(other) == 1 {
                    // The larger paragraph is a fuller version of a
                    // clustered one (an abridged source, or paragraphs split
                    // differently): it joins as a witness.
                    sets.union(f, other);
                }
            }
        }
    }

    let mut groups: std::collections::BTreeMap<usize, Vec<Member>> = Default::default();
    for (item, &is_fragment) in fragment.iter().enumerate() {
        let role = if is_fragment {
            MemberRole::Fragment
        } else {
            MemberRole::Witness
        };
        groups
            .entry(sets.find(item))
            .or_default()
            .push(Member { item, role });
    }
    let mut clusters: Vec<Cluster> = groups
        .into_values()
        .filter(|members| members.len() >= 2)
        .map(|members| Cluster { members })
        .collect();
    clusters.sort_by_key(|c| c.members[0].item);
    clusters
}

/// Union-find that tracks the sources in each set and refuses unions of sets
/// that share a source.
struct DisjointSets {
    parent: Vec<usize>,
    sources: Vec<Vec<SourceId>>,
}

impl DisjointSets {
    fn new(items: &[Item]) -> DisjointSets {
        DisjointSets {
            parent: (0..items.len()).collect(),
            sources: items.iter().map(|i| vec![i.source]).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn size(&mut self, x: usize) -> usize {
        let root = self.find(x);
        self.sources[root].len()
    }

    /// Joins the sets of `a` and `b` unless they share a source; says
    /// whether they are joined now.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return true;
        }
        if self.sources[ra]
            .iter()
            .any(|s| self.sources[rb].contains(s))
        {
            return false;
        }
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        let moved = std::mem::take(&mut self.sources[gone]);
        self.sources[keep].extend(moved);
        self.parent[gone] = keep;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::candidates::{candidates, comparison_chars, shingles};
    use crate::segment::Script;

    fn setup(texts: &[(u32, &str)]) -> (Vec<Vec<char>>, Vec<Item>) {
        let keys: Vec<Vec<char>> = texts
            .iter()
            .map(|(_, t)| comparison_chars(&t.chars().collect::<Vec<_>>()))
            .collect();
        let items = texts
            .iter()
            .zip(&keys)
            .map(|(&(s, _), k)| Item {
                source: SourceId(s),
                script: Script::Han,
                shingles: shingles(k),
            })
            .collect();
        (keys, items)
    }

    fn run(texts: &[(u32, &str)]) -> Vec<Vec<(usize, MemberRole)>> {
        let (keys, items) = setup(texts);
        let edges: Vec<Edge> = candidates(&items, 0.3)
            .iter()
            .filter_map(|p| verify(&keys, &items, p, &ClusterConfig::default()))
            .collect();
        merge(&items, &edges)
            .into_iter()
            .map(|c| c.members.iter().map(|m| (m.item, m.role)).collect())
            .collect()
    }

    const A: &str = "促成沙特伊朗历史性和解，斡旋缅北达成停火协议，坚持政治解决所有热点冲突。";
    const B: &str = "促成沙特伊朗历史性和解，斡旋东北达成停火协议，坚持政治解决所有热点冲突。";

    #[test]
    fn versions_cluster_and_strangers_do_not() {
        let got = run(&[
            (0, A),
            (1, B),
            (
                2,
                "中方愿同俄方一道，进一步培育合作新动能，不断夯实两国人民友好基础。",
            ),
        ]);
        assert_eq!(
            got,
            vec![vec![(0, MemberRole::Witness), (1, MemberRole::Witness)]]
        );
    }

    #[test]
    fn fragment_joins_as_fragment() {
        let got = run(&[
            (0, A),
            (1, "斡旋缅北达成停火协议，坚持政治解决所有热点冲突。"),
        ]);
        assert_eq!(
            got,
            vec![vec![(0, MemberRole::Witness), (1, MemberRole::Fragment)]]
        );
    }

    #[test]
    fn fuller_version_joins_a_cluster_as_witness() {
        let short = "斡旋缅北达成停火协议，坚持政治解决所有热点冲突。";
        let long = "促成沙特伊朗历史性和解，斡旋缅北达成停火协议，坚持政治解决所有热点冲突。坚决反对一切强权霸凌行径。";
        let got = run(&[(0, short), (1, short), (2, long)]);
        assert_eq!(
            got,
            vec![vec![
                (0, MemberRole::Witness),
                (1, MemberRole::Witness),
                (2, MemberRole::Witness)
            ]]
        );
    }

    #[test]
    fn scattered_shared_words_are_not_a_fragment() {
        // The same bigrams as A, in another order: high shingle containment,
        // but no contiguous piece of A.
        let got = run(&[
            (0, A),
            (
                1,
                "热点冲突坚持政治解决所有达成停火协议斡旋缅北历史性和解促成沙特伊朗",
            ),
        ]);
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn never_two_paragraphs_of_one_source() {
        let got = run(&[(0, A), (0, A), (1, B)]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].len(), 2);
    }
}
