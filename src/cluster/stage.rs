//! The clustering stages composed, over the paragraphs of a whole corpus:
//!
//! ```text
//! exact groups → signatures and band keys per document → pairs per band
//!   → verification (and pull quotes per document) → best-first merge
//!   → short paragraphs by their place
//! ```
use indicatif::ProgressBar;
use rayon::prelude::*;

use super::merge::merge_then;
use super::placed::placed_edges;
use super::pullquotes::document_pairs;
use super::short::anchor_short;
use super::sketch::{DocSketch, Unit, shingle_document, sketch_document};
use super::spanning::split_spanning;
use super::verify::{Edge, verify, verify_pair};
use super::{Cluster, ClusterConfig, Item, Keys, doc_ranges};
use crate::candidates::{PairStats, UnitInfo, band_pairs, exact_groups, hash_key};
use crate::minhash::{NIBBLE_BYTES, nibble_jaccard};

/// Counts from the clustering stages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClusterStats {
    /// Paragraphs that took part (not junk).
    pub items: usize,
    /// Groups of identical comparison keys.
    pub exact_groups: usize,
    /// Units with a signature (paragraphs, and adjacent pairs joined).
    pub units: usize,
    /// LSH bands.
    pub bands: usize,
    /// Rows per band.
    pub rows: usize,
    /// The band group-by, and the candidates dropped by their estimated
    /// similarity.
    pub pairs: PairStats,
    /// Verified pairs within documents (pull quotes and repeats).
    pub document_pairs: usize,
    /// Verified edges.
    pub edges: usize,
    /// Edges between rewritten or expanded versions found by their place.
    pub placed_edges: usize,
    /// Clusters, including those of short paragraphs.
    pub clusters: usize,
    /// Clusters of short paragraphs matched by their place.
    pub short_clusters: usize,
    /// Parts of paragraphs moved to the cluster of the paragraph they run
    /// on into (`cluster::spanning`).
    pub spanning: usize,
    /// Works: groups of documents that are versions of one text
    /// ([`super::works`]).
    pub works: usize,
    /// Clusters split because their members came from different works
    /// (reuse).
    pub reused: usize,
}

/// The clustering stages over `items` (in source, document and text order)
/// and their comparison `keys`; `counterparts[d]` numbers document `d` so
/// that documents of one relative path in different sources share it:
/// versions of one file, whose paragraphs match by rank where nothing else
/// places them.
///
/// ```text
/// exact groups → signatures and band keys per document → pairs per band
///   → verification (and pull quotes per document) → best-first merge
///   → rewritten versions by their place → short paragraphs by their place
///   → paragraphs that span two of another source's split across clusters
/// ```
///
/// Each stage is parallel over independent pieces (documents, bands, pairs)
/// and its output is sorted, so the result is the same for any thread count.
pub fn cluster_stage(
    cc: &ClusterConfig,
    items: &[Item],
    keys: &Keys,
    counterparts: &[u32],
    progress: &dyn Fn(&'static str, usize) -> ProgressBar,
) -> (Vec<Cluster>, ClusterStats) {
    let banding = cc.banding();
    let mut stats = ClusterStats {
        items: items.len(),
        bands: banding.bands,
        rows: banding.rows,
        ..ClusterStats::default()
    };
    let docs = doc_ranges(items);

    // Exact duplicates: only the first of a group gets a signature.
    let hashes: Vec<u64> = (0..items.len())
        .into_par_iter()
        .map(|i| hash_key(keys.get(i)))
        .collect();
    let groups = exact_groups(&hashes, |i| keys.get(i));
    drop(hashes);
    stats.exact_groups = groups.len();
    let mut sketched: Vec<bool> = items
        .iter()
        .map(|i| i.chars as usize >= cc.min_chars)
        .collect();
    let mut repeat = vec![false; items.len()];
    let mut edges: Vec<Edge> = Vec::new();
    for group in &groups {
        for &other in &group[1..] {
            sketched[other as usize] = false;
            repeat[other as usize] = true;
            if items[other as usize].chars as usize >= cc.min_chars {
                edges.push(Edge::Full {
                    a: group[0],
                    b: other,
                    similarity: 1.0,
                });
            }
        }
    }

    // Per document: its shingles hashed once, then signatures and band keys
    // of its units, and the pairs within it that may be pull quotes or
    // repeats.
    let bar = progress("signatures", docs.len());
    let per_doc: Vec<(DocSketch, Vec<(u32, u32)>)> = docs
        .par_iter()
        .map(|r| {
            let shingled = shingle_document(r.clone(), keys);
            let sketch = sketch_document(r.clone(), items, &shingled, &sketched, &banding, cc);
            let pairs = document_pairs(
                r.clone(),
                items,
                &shingled,
                &repeat,
                cc,
                DOCUMENT_POSTING_CAP,
            );
            bar.inc(1);
            (sketch, pairs)
        })
        .collect();
    bar.finish_and_clear();
    let mut sketches = Vec::with_capacity(per_doc.len());
    let mut doc_pairs = Vec::new();
    for (sketch, pairs) in per_doc {
        sketches.push(sketch);
        doc_pairs.extend(pairs);
    }
    let total: usize = sketches.iter().map(|s| s.units.len()).sum();
    let mut units: Vec<Unit> = Vec::with_capacity(total);
    let mut band_keys: Vec<u32> = Vec::with_capacity(total * banding.bands);
    let mut nibbles: Vec<u8> = Vec::with_capacity(total * NIBBLE_BYTES);
    let mut info: Vec<UnitInfo> = Vec::with_capacity(total);
    for s in sketches {
        info.extend(s.units.iter().map(|u| u.info(items)));
        units.extend(s.units);
        band_keys.extend(s.keys);
        nibbles.extend(s.nibbles);
    }
    stats.units = units.len();

    // Most candidates are chance collisions in one band: their signatures in
    // brief show it, at a fraction of the cost of verifying them.
    let floor = cc.candidate_jaccard - ESTIMATE_MARGIN;
    let brief = |u: u32| &nibbles[u as usize * NIBBLE_BYTES..(u as usize + 1) * NIBBLE_BYTES];
    let screen = |a: u32, b: u32| nibble_jaccard(brief(a), brief(b)) >= floor;
    let bar = progress("band buckets", banding.bands);
    let per_band: Vec<(Vec<(u32, u32)>, PairStats)> = (0..banding.bands)
        .into_par_iter()
        .map(|band| {
            let out = band_pairs(
                band,
                banding.bands,
                &band_keys,
                &info,
                cc.bucket_cap,
                cc.min_similarity,
                screen,
            );
            bar.inc(1);
            out
        })
        .collect();
    bar.finish_and_clear();
    drop(band_keys);
    // The bands' pairs are disjoint and each band's are sorted: their
    // concatenation in band order is deterministic.
    let mut likely: Vec<(u32, u32)> = Vec::with_capacity(per_band.iter().map(|p| p.0.len()).sum());
    for (p, s) in per_band {
        likely.extend(p);
        stats.pairs.buckets += s.buckets;
        stats.pairs.capped += s.capped;
        stats.pairs.pairs += s.pairs;
        stats.pairs.screened_out += s.screened_out;
    }
    let bar = progress("verifying pairs", likely.len());
    let verified: Vec<Edge> = likely
        .par_iter()
        .filter_map(|&(a, b)| {
            bar.inc(1);
            verify((units[a as usize], units[b as usize]), items, keys, cc)
        })
        .collect();
    bar.finish_and_clear();
    edges.extend(verified);

    let before = edges.len();
    edges.par_extend(
        doc_pairs
            .par_iter()
            .filter_map(|&(a, b)| verify_pair(a, b, items, keys, cc)),
    );
    stats.document_pairs = edges.len() - before;
    stats.edges = edges.len();

    let mut clusters = merge_then(items, &edges, cc, |now| {
        let placed = placed_edges(items, keys, &docs, counterparts, now, cc);
        stats.placed_edges = placed.len();
        placed
    });
    let mut cluster_of: Vec<Option<u32>> = vec![None; items.len()];
    for (c, cluster) in clusters.iter().enumerate() {
        for m in &cluster.members {
            cluster_of[m.item] = Some(c as u32);
        }
    }
    let short = anchor_short(items, keys, &docs, &cluster_of, cc);
    stats.short_clusters = short.len();
    clusters.extend(short);
    let (clusters, moved) = split_spanning(items, keys, clusters);
    stats.spanning = moved;
    stats.clusters = clusters.len();
    (clusters, stats)
}

/// Candidate pairs whose estimated Jaccard similarity falls this far below
/// the candidate threshold are dropped before verification: 0.2 is over four
/// standard deviations of the estimate at `J = 0.5` (128 values).
const ESTIMATE_MARGIN: f64 = 0.2;

/// Shingles in more paragraphs of one document than this are not used to
/// look for pull quotes (see [`document_pairs`]): a quote's telling words
/// occur in the quote, its paragraph and perhaps a few others.
const DOCUMENT_POSTING_CAP: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::MemberRole;
    use crate::cluster::merge::merge;
    use crate::model::{DocId, SourceId};
    use crate::normalize::normalize;
    use crate::segment::Script;

    /// Runs sketching, the band pairs, verification, the pairs within
    /// documents and the merge on `(source, doc, text)` paragraphs, in order.
    /// Unlike [`cluster_stage`] it forms no exact-duplicate groups, screens no
    /// candidate by its estimated similarity and clusters no short paragraph.
    fn run(texts: &[(u32, u32, &str)]) -> Vec<Vec<(usize, MemberRole)>> {
        let cfg = ClusterConfig::default();
        let mut keys = Keys::default();
        let mut items = Vec::new();
        for &(source, doc, text) in texts {
            let norm = normalize(text, 0, &Default::default());
            let key: String = crate::normalize::comparison_chars(&norm.chars)
                .into_iter()
                .collect();
            items.push(Item {
                source: SourceId(source),
                doc: DocId(doc),
                script: Script::Han,
                chars: key.chars().count() as u32,
                heading: false,
                open: !text.ends_with(['。', '.']),
            });
            keys.push(key);
        }
        let banding = cfg.banding();
        let docs = doc_ranges(&items);
        let sketched: Vec<bool> = items
            .iter()
            .map(|i| i.chars as usize >= cfg.min_chars)
            .collect();
        let mut units = Vec::new();
        let mut band_keys = Vec::new();
        let mut info: Vec<UnitInfo> = Vec::new();
        for r in &docs {
            let shingled = shingle_document(r.clone(), &keys);
            let s = sketch_document(r.clone(), &items, &shingled, &sketched, &banding, &cfg);
            info.extend(s.units.iter().map(|u| u.info(&items)));
            units.extend(s.units);
            band_keys.extend(s.keys);
        }
        let mut edges = Vec::new();
        for band in 0..banding.bands {
            let (pairs, _) = band_pairs(
                band,
                banding.bands,
                &band_keys,
                &info,
                cfg.bucket_cap,
                cfg.min_similarity,
                |_, _| true,
            );
            edges.extend(pairs.iter().filter_map(|&(a, b)| {
                verify((units[a as usize], units[b as usize]), &items, &keys, &cfg)
            }));
        }
        let skip = vec![false; items.len()];
        for r in &docs {
            let shingled = shingle_document(r.clone(), &keys);
            for (a, b) in document_pairs(r.clone(), &items, &shingled, &skip, &cfg, 16) {
                edges.extend(verify_pair(a, b, &items, &keys, &cfg));
            }
        }
        merge(&items, &edges, &cfg)
            .into_iter()
            .map(|c| c.members.iter().map(|m| (m.item, m.role)).collect())
            .collect()
    }

    const A: &str = "促成沙特伊朗历史性和解，斡旋缅北达成停火协议，坚持政治解决所有热点冲突，坚决反对一切强权霸凌行径。";
    const B: &str = "促成沙特伊朗历史性和解，斡旋东北达成停火协议，坚持政治解决所有热点冲突，坚决反对一切强权霸凌行径。";
    const OTHER: &str = "中方愿同俄方一道，进一步培育合作新动能，不断夯实两国人民友好基础，推动两国关系持续向前发展。";

    use MemberRole::{Duplicate as D, Fragment as F, Witness as W};

    #[test]
    fn versions_cluster_and_strangers_do_not() {
        let got = run(&[(0, 0, A), (1, 1, B), (2, 2, OTHER)]);
        assert_eq!(got, vec![vec![(0, W), (1, W)]]);
    }

    #[test]
    fn page_break_pieces_join_as_fragments() {
        let got = run(&[
            (0, 0, A),
            (1, 1, "促成沙特伊朗历史性和解，斡旋东北达成停火协议，"),
            (1, 1, "坚持政治解决所有热点冲突，坚决反对一切强权霸凌行径。"),
        ]);
        assert_eq!(got, vec![vec![(0, W), (1, F), (2, F)]]);
    }

    #[test]
    fn pull_quote_joins_as_duplicate() {
        let got = run(&[
            (0, 0, A),
            (0, 0, OTHER),
            (0, 0, "斡旋缅北达成停火协议，坚持政治解决所有热点冲突"),
            (1, 1, B),
        ]);
        assert_eq!(got, vec![vec![(0, W), (2, D), (3, W)]]);
    }

    #[test]
    fn a_repeated_quote_joins_as_duplicates_with_its_repeat() {
        // The quote twice in the document: the two repeat each other, and
        // both are repeats of the paragraph they quote, as one alone is.
        let quote = "斡旋缅北达成停火协议，坚持政治解决所有热点冲突";
        let got = run(&[
            (0, 0, quote),
            (0, 0, A),
            (0, 0, OTHER),
            (0, 0, quote),
            (1, 1, B),
        ]);
        assert_eq!(got, vec![vec![(0, D), (1, W), (3, D), (4, W)]]);
    }

    #[test]
    fn fragment_from_another_source_joins_as_fragment() {
        // A piece two thirds as long as the paragraph (shingle Jaccard 0.64,
        // so LSH finds the pair) but too short to be a version of it.
        let got = run(&[
            (0, 0, A),
            (
                1,
                1,
                "斡旋缅北达成停火协议，坚持政治解决所有热点冲突，坚决反对一切强权",
            ),
        ]);
        assert_eq!(got, vec![vec![(0, W), (1, F)]]);
    }

    #[test]
    fn scattered_shared_words_are_not_a_fragment() {
        // The same bigrams as A, in another order: high shingle containment,
        // but no contiguous piece of A.
        let got = run(&[
            (0, 0, A),
            (
                0,
                0,
                "热点冲突坚持政治解决所有达成停火协议斡旋缅北历史性和解促成沙特伊朗",
            ),
        ]);
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn never_two_witnesses_of_one_source() {
        // Source 0 holds A twice (an exact repeat: a duplicate) and B is
        // source 1's version.
        let got = run(&[(0, 0, A), (0, 0, OTHER), (0, 0, A), (1, 1, B)]);
        assert_eq!(got, vec![vec![(0, W), (2, D), (3, W)]]);
        // Two different paragraphs of one source, each 0.8 like a third one,
        // do not end up together.
        let c =
            "促成沙特伊朗历史性和解，斡旋缅北达成停火协议，坚持政治解决所有热点冲突，反对霸凌。";
        let d = "促成沙特伊朗历史性和解，斡旋缅北达成和平协议，坚持政治解决所有热点问题，坚决反对一切强权霸凌行径。";
        let got = run(&[(0, 0, c), (0, 0, OTHER), (0, 0, d), (1, 1, A)]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].iter().filter(|m| m.1 == W).count(), 2, "{got:?}");
    }
}
