//! JSON output: `report.json` and the JSON lines of `recension paragraphs`.
//!
//! ```text
//! {"version":1,"sources":[…],"documents":[…],"settings":{…},"clusters":[{"id":1,"consensus":"…","members":[…]}],
//!  "variants":[{"id":1,"cluster_id":1,"consensus":"缅","readings":[…]}],"skipped":[…]}
//! ```
use std::collections::BTreeMap;
use std::io;

use serde::Serialize;

use super::VariantRow;
use crate::classify::Category;
use crate::ingest::Corpus;
use crate::normalize::Layer;
use crate::pipeline::Analysis;
use crate::segment::{Paragraph, Role, Script};

/// Version of the `report.json` shape; raised when a field changes meaning
/// or disappears (new fields may appear without it).
pub const REPORT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    sources: Vec<SourceJson<'a>>,
    documents: Vec<DocumentJson<'a>>,
    settings: Settings<'a>,
    clusters: Vec<ClusterJson<'a>>,
    variants: Vec<VariantJson<'a>>,
    skipped: Vec<SkippedJson>,
}

/// A source's statistics; the same fields as `witnesses.csv`, with `cer` a
/// number (or null when nothing was compared).
#[derive(Serialize)]
struct SourceJson<'a> {
    witness: &'a str,
    path: String,
    files: usize,
    paragraphs: usize,
    clustered: usize,
    compared_chars: usize,
    deviations: usize,
    minority: usize,
    ties: usize,
    cer: Option<f64>,
    rank: Option<u32>,
    /// Formal differences by normalization layer.
    formal: BTreeMap<&'static str, usize>,
    /// Variant readings by category (all categories, zeros included).
    categories: BTreeMap<&'static str, usize>,
}

/// A file read, with the encoding it was decoded from.
#[derive(Serialize)]
struct DocumentJson<'a> {
    witness: &'a str,
    file: String,
    encoding: &'static str,
    paragraphs: usize,
}

#[derive(Serialize)]
struct Settings<'a> {
    normalize: NormalizeJson,
    min_chars: usize,
    min_similarity: f64,
    duplicate_similarity: f64,
    min_containment: f64,
    min_fragment_shingles: usize,
    han_shingle: usize,
    latin_shingle: usize,
    minhash_permutations: usize,
    candidate_jaccard: f64,
    lsh_bands: usize,
    lsh_rows: usize,
    bucket_cap: usize,
    /// The source taken as ground truth, if any.
    reference: Option<&'a str>,
    /// Whether formal differences are reported as variants.
    keep_formal: bool,
}

#[derive(Serialize)]
struct NormalizeJson {
    nfkc: bool,
    dashes: bool,
    quotes: bool,
    whitespace: bool,
    case: bool,
}

#[derive(Serialize)]
struct ClusterJson<'a> {
    id: u32,
    consensus: String,
    members: Vec<MemberJson<'a>>,
}

#[derive(Serialize)]
struct MemberJson<'a> {
    witness: &'a str,
    file: String,
    line_start: u32,
    line_end: u32,
    role: &'static str,
    similarity: f64,
}

#[derive(Serialize)]
struct VariantJson<'a> {
    id: u64,
    cluster_id: u32,
    consensus: &'a str,
    /// Sources that read the consensus over the whole place.
    consensus_witnesses: &'a [String],
    witnesses: usize,
    tie: bool,
    context_before: &'a str,
    context_after: &'a str,
    readings: Vec<ReadingJson<'a>>,
}

#[derive(Serialize)]
struct ReadingJson<'a> {
    witness: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    reading: &'a str,
    support: usize,
    category: &'static str,
}

#[derive(Serialize)]
struct SkippedJson {
    path: String,
    reason: String,
}

/// Rounds a rate to 6 decimals so the JSON does not carry float noise.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Writes `report.json` (pretty-printed, UTF-8).
pub fn write_report<W: io::Write>(
    analysis: &Analysis,
    variants: &[VariantRow],
    out: W,
) -> anyhow::Result<()> {
    let config = &analysis.config;
    let clusters = analysis
        .clusters
        .iter()
        .map(|cluster| {
            let inputs = analysis.align_inputs(cluster);
            ClusterJson {
                id: cluster.id.0,
                consensus: cluster.alignment.consensus_text(&inputs),
                members: {
                    cluster
                        .listed_members()
                        .into_iter()
                        .map(|(m, similarity)| {
                            let para = &analysis.paragraphs[m.para.index()];
                            let doc = &analysis.corpus.documents[para.doc.index()];
                            MemberJson {
                                witness: &analysis.corpus.sources[para.source.index()].name,
                                file: doc.path.display().to_string(),
                                line_start: para.line_start(),
                                line_end: para.line_end(),
                                role: m.role.as_str(),
                                similarity: round6(similarity),
                            }
                        })
                        .collect()
                },
            }
        })
        .collect();

    let readers = super::consensus_readers(analysis);
    let mut grouped: Vec<VariantJson<'_>> = Vec::new();
    for row in variants {
        if grouped.last().is_none_or(|v| v.id != row.variant_id) {
            grouped.push(VariantJson {
                id: row.variant_id,
                cluster_id: row.cluster_id,
                consensus: &row.consensus,
                consensus_witnesses: &readers[row.variant_id as usize - 1],
                witnesses: row.witnesses,
                tie: row.tie,
                context_before: &row.context_before,
                context_after: &row.context_after,
                readings: Vec::new(),
            });
        }
        grouped
            .last_mut()
            .expect("pushed above")
            .readings
            .push(ReadingJson {
                witness: &row.witness,
                file: &row.file,
                line: row.line,
                column: row.column,
                reading: &row.reading,
                support: row.support,
                category: row.category,
            });
    }

    // Variant readings per source and category, counted in one pass.
    let mut per_category: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for row in variants {
        *per_category
            .entry((row.witness.as_str(), row.category))
            .or_default() += 1;
    }
    let n = &config.normalize;
    let report = Report {
        version: REPORT_VERSION,
        sources: analysis
            .witnesses
            .iter()
            .map(|w| {
                let source = &analysis.corpus.sources[w.source.index()];
                SourceJson {
                    witness: &source.name,
                    path: source.path.display().to_string(),
                    files: w.files,
                    paragraphs: w.paragraphs,
                    clustered: w.clustered,
                    compared_chars: w.compared_chars,
                    deviations: w.deviations,
                    minority: w.minority,
                    ties: w.ties,
                    cer: w.cer.map(round6),
                    rank: w.rank,
                    formal: Layer::ALL
                        .iter()
                        .map(|&l| (l.as_str(), w.formal.get(l)))
                        .collect(),
                    categories: Category::ALL
                        .iter()
                        .map(|c| {
                            let n = per_category
                                .get(&(source.name.as_str(), c.as_str()))
                                .copied()
                                .unwrap_or(0);
                            (c.as_str(), n)
                        })
                        .collect(),
                }
            })
            .collect(),
        documents: {
            let mut per_doc = vec![0usize; analysis.corpus.documents.len()];
            for p in &analysis.paragraphs {
                per_doc[p.doc.index()] += 1;
            }
            analysis
                .corpus
                .documents
                .iter()
                .zip(per_doc)
                .map(|(d, paragraphs)| DocumentJson {
                    witness: &analysis.corpus.sources[d.source.index()].name,
                    file: d.path.display().to_string(),
                    encoding: d.encoding,
                    paragraphs,
                })
                .collect()
        },
        settings: Settings {
            normalize: NormalizeJson {
                nfkc: n.nfkc,
                dashes: n.dashes,
                quotes: n.quotes,
                whitespace: n.whitespace,
                case: n.case,
            },
            min_chars: config.cluster.min_chars,
            min_similarity: config.cluster.min_similarity,
            duplicate_similarity: config.cluster.duplicate_similarity,
            min_containment: config.cluster.min_containment,
            min_fragment_shingles: config.cluster.min_fragment_shingles,
            han_shingle: crate::minhash::HAN_SHINGLE,
            latin_shingle: crate::minhash::LATIN_SHINGLE,
            minhash_permutations: crate::minhash::PERMUTATIONS,
            candidate_jaccard: config.cluster.candidate_jaccard,
            lsh_bands: config.cluster.banding().bands,
            lsh_rows: config.cluster.banding().rows,
            bucket_cap: config.cluster.bucket_cap,
            reference: config.reference.as_deref(),
            keep_formal: config.keep_formal,
        },
        clusters,
        variants: grouped,
        skipped: analysis
            .corpus
            .skipped
            .iter()
            .map(|s| SkippedJson {
                path: s.path.display().to_string(),
                reason: s.reason.clone(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(out, &report)?;
    Ok(())
}

/// One line of `recension paragraphs`.
#[derive(Serialize)]
struct ParagraphJson<'a> {
    source: &'a str,
    file: String,
    line_start: u32,
    line_end: u32,
    /// Line ranges of the pieces a page-break repair joined.
    pieces: &'a [(u32, u32)],
    script: Script,
    role: Role,
    text: &'a str,
}

/// Writes one JSON object per paragraph and line.
pub fn write_paragraphs<W: io::Write>(
    corpus: &Corpus,
    paragraphs: &[Paragraph],
    mut out: W,
) -> anyhow::Result<()> {
    for p in paragraphs {
        let doc = &corpus.documents[p.doc.index()];
        let line = ParagraphJson {
            source: &corpus.sources[p.source.index()].name,
            file: doc.path.display().to_string(),
            line_start: p.line_start(),
            line_end: p.line_end(),
            pieces: &p.pieces,
            script: p.script,
            role: p.role,
            text: &p.text,
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
