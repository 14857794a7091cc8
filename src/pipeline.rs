//! Runs the stages in order. The only module that uses threads (rayon) and
//! draws progress (indicatif).
//!
//! ```text
//! ingest → segment → normalize → signatures → band pairs → verify → merge → align → stats → Analysis
//! ```
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::align::{AlignInput, AlignOptions, Alignment, Original, align};
use crate::candidates::{PairStats, UnitInfo, band_pairs, exact_groups, hash_key};
use crate::cluster::{
    Cluster, DocSketch, Edge, Item, Keys, MemberRole, Unit, anchor_short, doc_ranges,
    document_pairs, merge, shingle_document, sketch_document, verify, verify_pair,
};
use crate::config::Config;
use crate::ingest::{Corpus, ingest_with, read_text};
use crate::minhash::{NIBBLE_BYTES, nibble_jaccard};
use crate::model::{ClusterId, DocId, ParaId, SourceId};
use crate::normalize::{Normalized, comparison_chars, comparison_key, normalize_paragraph};
use crate::segment::{Paragraph, Role, Script, segment};
use crate::stats::{WitnessStats, witness_stats};

/// One member of a cluster.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClusterMember {
    /// The paragraph.
    pub para: ParaId,
    /// Witness, duplicate or fragment.
    pub role: MemberRole,
    /// The clustering score that tied it to the cluster (similarity or
    /// containment of its best verified edge).
    pub score: f64,
}

/// A cluster with its alignment.
#[derive(Clone, Debug, PartialEq)]
pub struct AlignedCluster {
    /// Its number in the report.
    pub id: ClusterId,
    /// Witnesses and fragments, sorted by source name, file and line; the
    /// alignment's members are in the same order.
    pub members: Vec<ClusterMember>,
    /// Duplicates (a paragraph repeated in a source that already has its
    /// witness here, a pull quote): listed, but not aligned and not voting.
    pub duplicates: Vec<ClusterMember>,
    /// The multi-witness alignment.
    pub alignment: Alignment,
}

impl AlignedCluster {
    /// Every member, duplicates included, in paragraph order, with its
    /// similarity: to the medoid for aligned members, the clustering score
    /// for duplicates.
    pub fn listed_members(&self) -> Vec<(&ClusterMember, f64)> {
        let aligned = self
            .members
            .iter()
            .zip(&self.alignment.members)
            .map(|(m, a)| (m, a.similarity));
        let duplicates = self.duplicates.iter().map(|m| (m, m.score));
        let mut members: Vec<_> = aligned.chain(duplicates).collect();
        members.sort_by_key(|(m, _)| m.para);
        members
    }
}

/// The result of a run: plain data that the reports consume.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The settings the analysis ran with.
    pub config: Config,
    /// Sources, documents and skipped files.
    pub corpus: Corpus,
    /// All paragraphs, in source, file and line order; [`ParaId`] indexes it.
    pub paragraphs: Vec<Paragraph>,
    /// The normalized form of each paragraph.
    pub normalized: Vec<Normalized>,
    /// Clusters of two or more paragraphs, in order of their first member.
    pub clusters: Vec<AlignedCluster>,
    /// Statistics per source, in source order.
    pub witnesses: Vec<WitnessStats>,
    /// Counts from the clustering stages.
    pub cluster_stats: ClusterStats,
}

impl Analysis {
    /// The alignment inputs of a cluster (normalized text, role and
    /// original text of each member), in member order.
    pub fn align_inputs(&self, cluster: &AlignedCluster) -> Vec<AlignInput<'_>> {
        align_inputs(
            &self.corpus,
            &self.paragraphs,
            &self.normalized,
            &cluster.members,
        )
    }
}

/// Reads the corpus and segments it: all `paragraphs` needs.
pub fn read(cfg: &Config) -> anyhow::Result<(Corpus, Vec<Paragraph>)> {
    let corpus = in_pool(cfg, || ingest_with(&cfg.paths, read_parallel))??;
    let paragraphs: Vec<Paragraph> = in_pool(cfg, || {
        corpus.documents.par_iter().flat_map_iter(segment).collect()
    })?;
    Ok((corpus, paragraphs))
}

/// Runs the whole analysis.
pub fn run(cfg: &Config) -> anyhow::Result<Analysis> {
    let (corpus, paragraphs) = read(cfg)?;
    in_pool(cfg, || analyze(cfg, corpus, paragraphs))?
}

/// Reads and decodes files in parallel, results in input order.
fn read_parallel(files: &[std::path::PathBuf]) -> Vec<crate::ingest::ReadResult> {
    files.par_iter().map(|p| read_text(p)).collect()
}

/// Runs `f` on a pool of `cfg.threads` threads, or on rayon's default pool.
pub fn in_pool<T: Send>(cfg: &Config, f: impl FnOnce() -> T + Send) -> anyhow::Result<T> {
    match cfg.threads {
        None => Ok(f()),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build()?;
            Ok(pool.install(f))
        }
    }
}

/// The alignment inputs of cluster members.
fn align_inputs<'a>(
    corpus: &'a Corpus,
    paragraphs: &[Paragraph],
    normalized: &'a [Normalized],
    members: &[ClusterMember],
) -> Vec<AlignInput<'a>> {
    members
        .iter()
        .map(|m| {
            let n = &normalized[m.para.index()];
            AlignInput {
                chars: &n.chars,
                role: m.role,
                original: Some(Original {
                    text: &corpus.documents[paragraphs[m.para.index()].doc.index()].text,
                    spans: &n.spans,
                }),
            }
        })
        .collect()
}

/// The source named by `--reference`, if one was given.
fn reference_source(cfg: &Config, corpus: &Corpus) -> anyhow::Result<Option<SourceId>> {
    cfg.reference
        .as_deref()
        .map(|name| {
            corpus
                .find_source(name)
                .ok_or_else(|| corpus.no_such_source("--reference", name))
        })
        .transpose()
}

fn analyze(cfg: &Config, corpus: Corpus, paragraphs: Vec<Paragraph>) -> anyhow::Result<Analysis> {
    let reference = reference_source(cfg, &corpus)?;
    let normalized: Vec<Normalized> = paragraphs
        .par_iter()
        .map(|p| normalize_paragraph(p, &cfg.normalize))
        .collect();

    // Junk never takes part in clustering (SPEC §3).
    let eligible: Vec<usize> = (0..paragraphs.len())
        .filter(|&i| paragraphs[i].role != Role::Junk)
        .collect();
    let mut keys = Keys::default();
    let mut items = Vec::with_capacity(eligible.len());
    for &i in &eligible {
        let key = comparison_chars(&normalized[i].chars);
        items.push(item(&paragraphs[i], key.len()));
        keys.push(key.into_iter().collect::<String>());
    }
    let (clusters, cluster_stats) = cluster_stage(cfg, &items, &keys);

    let bar = progress(cfg, "aligning clusters", clusters.len());
    let aligned: Vec<AlignedCluster> = clusters
        .par_iter()
        .enumerate()
        .map(|(i, cluster)| {
            let (members, duplicates): (Vec<ClusterMember>, Vec<ClusterMember>) = cluster
                .members
                .iter()
                .map(|m| ClusterMember {
                    para: ParaId(eligible[m.item] as u32),
                    role: m.role,
                    score: m.similarity,
                })
                .partition(|m| m.role != MemberRole::Duplicate);
            let inputs = align_inputs(&corpus, &paragraphs, &normalized, &members);
            let options = AlignOptions {
                reference: members
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| Some(paragraphs[m.para.index()].source) == reference)
                    .map(|(i, _)| i)
                    .collect(),
                keep_formal: cfg.keep_formal,
            };
            let alignment = align(&inputs, &options);
            bar.inc(1);
            AlignedCluster {
                id: ClusterId(i as u32 + 1),
                members,
                duplicates,
                alignment,
            }
        })
        .collect();
    bar.finish_and_clear();

    let witnesses = witness_stats(&corpus, &paragraphs, &aligned, reference);
    Ok(Analysis {
        config: cfg.clone(),
        corpus,
        paragraphs,
        normalized,
        clusters: aligned,
        witnesses,
        cluster_stats,
    })
}

fn item(p: &Paragraph, chars: usize) -> Item {
    Item {
        source: p.source,
        doc: p.doc,
        script: p.script,
        chars: chars as u32,
        heading: p.role == Role::Heading,
        open: p.ends_open(),
    }
}

/// A paragraph as [`cluster_only`] keeps it: where it is and how it starts,
/// not its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParaSummary {
    /// Its source.
    pub source: SourceId,
    /// Its document.
    pub doc: DocId,
    /// First line, 1-based.
    pub line_start: u32,
    /// Last line, 1-based, inclusive.
    pub line_end: u32,
    /// Body, heading or junk.
    pub role: Role,
    /// Its script.
    pub script: Script,
    /// Characters of its normalized text.
    pub chars: usize,
    /// The start of its text (see [`crate::report::preview`]).
    pub preview: String,
}

/// The result of [`cluster_only`].
#[derive(Clone, Debug)]
pub struct Clustering {
    /// Sources, documents (their text dropped) and skipped files.
    pub corpus: Corpus,
    /// All paragraphs, in source, file and line order.
    pub paragraphs: Vec<ParaSummary>,
    /// Clusters of two or more paragraphs, in order of their first member;
    /// member items index `paragraphs`.
    pub clusters: Vec<Cluster>,
    /// Counts from the clustering stages.
    pub stats: ClusterStats,
}

/// Reads, segments and clusters, keeping only what `clusters.csv` needs:
/// each document's text is dropped once its paragraphs are summarized and
/// keyed, so memory holds comparison keys and band keys, not the corpus.
pub fn cluster_only(cfg: &Config) -> anyhow::Result<Clustering> {
    in_pool(cfg, || {
        let mut corpus = ingest_with(&cfg.paths, read_parallel)?;
        let bar = progress(cfg, "reading", corpus.documents.len());
        let per_doc: Vec<Vec<ReadParagraph>> = corpus
            .documents
            .par_iter_mut()
            .map(|doc| {
                let out = segment(doc)
                    .iter()
                    .map(|p| {
                        let (key, chars) = comparison_key(&p.text, &cfg.normalize);
                        let summary = ParaSummary {
                            source: p.source,
                            doc: p.doc,
                            line_start: p.line_start(),
                            line_end: p.line_end(),
                            role: p.role,
                            script: p.script,
                            chars,
                            preview: crate::report::preview(&p.text),
                        };
                        let key = (p.role != Role::Junk).then_some((key, p.ends_open()));
                        (summary, key)
                    })
                    .collect();
                doc.release_text();
                bar.inc(1);
                out
            })
            .collect();
        bar.finish_and_clear();

        let mut paragraphs = Vec::new();
        let mut eligible = Vec::new();
        let mut items = Vec::new();
        let mut keys = Keys::default();
        for (summary, key) in per_doc.into_iter().flatten() {
            if let Some((key, open)) = key {
                eligible.push(paragraphs.len());
                items.push(Item {
                    source: summary.source,
                    doc: summary.doc,
                    script: summary.script,
                    chars: key.chars().count() as u32,
                    heading: summary.role == Role::Heading,
                    open,
                });
                keys.push(key);
            }
            paragraphs.push(summary);
        }
        let (mut clusters, stats) = cluster_stage(cfg, &items, &keys);
        for c in &mut clusters {
            for m in &mut c.members {
                m.item = eligible[m.item];
            }
        }
        Ok(Clustering {
            corpus,
            paragraphs,
            clusters,
            stats,
        })
    })?
}

/// A paragraph as the reading stage of [`cluster_only`] leaves it: its
/// summary, and for a non-junk paragraph its comparison key and whether it
/// ends open.
type ReadParagraph = (ParaSummary, Option<(String, bool)>);

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
    /// Clusters, including those of short paragraphs.
    pub clusters: usize,
    /// Clusters of short paragraphs matched by their place.
    pub short_clusters: usize,
}

/// The clustering stages over `items` (in source, document and text order)
/// and their comparison `keys`:
///
/// ```text
/// exact groups → signatures and band keys per document → pairs per band
///   → verification (and pull quotes per document) → best-first merge
///   → short paragraphs by their place
/// ```
///
/// Each stage is parallel over independent pieces (documents, bands, pairs)
/// and its output is sorted, so the result is the same for any thread count.
pub fn cluster_stage(cfg: &Config, items: &[Item], keys: &Keys) -> (Vec<Cluster>, ClusterStats) {
    let cc = &cfg.cluster;
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
    let bar = progress(cfg, "signatures", docs.len());
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
    let bar = progress(cfg, "band buckets", banding.bands);
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
    let bar = progress(cfg, "verifying pairs", likely.len());
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

    let mut clusters = merge(items, &edges, cc);
    let mut cluster_of: Vec<Option<u32>> = vec![None; items.len()];
    for (c, cluster) in clusters.iter().enumerate() {
        for m in &cluster.members {
            cluster_of[m.item] = Some(c as u32);
        }
    }
    let short = anchor_short(items, keys, &docs, &cluster_of, cc);
    stats.short_clusters = short.len();
    clusters.extend(short);
    clusters.sort_by_key(|c| c.members[0].item);
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

fn progress(cfg: &Config, what: &'static str, len: usize) -> ProgressBar {
    if !cfg.progress {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg:>18} {bar:40} {pos}/{len} {elapsed}")
            .expect("the template is valid"),
    );
    bar.set_message(what);
    bar
}
