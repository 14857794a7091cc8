//! JSON output: `report.json` (the run's summary), `apparatus.jsonl` (one
//! cluster's apparatus per line, written as clusters complete) and the JSON
//! lines of `recension paragraphs`.
//!
//! ```text
//! report.json      {"version":2,"sources":[…],"documents":[…],"settings":{…},"counts":{…},"skipped":[…]}
//! apparatus.jsonl  {"version":1,"cluster":8,"members":[…],"text":"…斡旋缅北…","sites":[{"id":15,"start":217,…}]}
//! ```
use std::collections::BTreeMap;
use std::io;

use serde::Serialize;

use crate::align::apparatus::Apparatus;
use crate::analysis::Analysis;
use crate::classify::Category;
use crate::ingest::Corpus;
use crate::normalize::Layer;
use crate::segment::{Paragraph, Role, Script};

/// Version of the `report.json` shape; raised when a field changes meaning
/// or disappears (new fields may appear without it). Version 2 moved the
/// clusters and variants to `apparatus.jsonl`.
pub const REPORT_VERSION: u32 = 2;

/// Version of the shape of an `apparatus.jsonl` line, likewise.
pub const APPARATUS_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    sources: Vec<SourceJson<'a>>,
    documents: Vec<DocumentJson<'a>>,
    settings: Settings<'a>,
    counts: Counts,
    /// The other files of the report set.
    files: Files,
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
    voted_chars: usize,
    reliability: Option<f64>,
    /// With a reference: the share of its characters measured.
    coverage: Option<f64>,
    /// With a reference: its files this source has no file for, when it is
    /// measured file by file (not measured).
    #[serde(skip_serializing_if = "Option::is_none")]
    unmeasured: Option<Vec<String>>,
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
    /// The work it is a version of (from 1): documents that share most of
    /// their text.
    work: u32,
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
    /// With a reference, how the sources are measured against it: `files`
    /// (file by file where relative paths match) or `clusters`; null
    /// without a reference.
    measure_by: Option<&'static str>,
    /// Whether file pairs were measured by flexible character accuracy too
    /// (`--fca`; the `fca` column of pages.csv).
    fca: bool,
    /// The `--glob` patterns that chose the files of source directories.
    globs: &'a [String],
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
struct Counts {
    paragraphs: usize,
    clusters: usize,
    /// Variation sites (distinct `variant_id`s).
    sites: u64,
    /// Variant readings (rows of `variants.csv`).
    readings: u64,
    /// Variant readings by category (all categories, zeros included).
    categories: BTreeMap<&'static str, u64>,
    /// Works: groups of documents that are versions of one text.
    works: usize,
    /// Paragraphs shared between works (a template, a quotation): each
    /// such cluster was split by work, and only versions within one work
    /// are compared.
    reused_clusters: usize,
    /// Members aligned on the bounded path for long texts (over
    /// `LONG_TEXT` characters), piecewise between anchors; absent when none.
    #[serde(skip_serializing_if = "is_zero")]
    coarse_alignments: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct Files {
    apparatus: &'static str,
    variants: &'static str,
    clusters: &'static str,
    witnesses: &'static str,
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

/// Writes `report.json` (pretty-printed, UTF-8): the summary of a run.
pub fn write_report<W: io::Write>(analysis: &Analysis, out: W) -> anyhow::Result<()> {
    let config = &analysis.config;
    let corpus = &analysis.corpus;
    let report = Report {
        version: REPORT_VERSION,
        sources: analysis
            .witnesses
            .iter()
            .map(|w| {
                let source = &corpus.sources[w.source.index()];
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
                    voted_chars: w.voted_chars,
                    reliability: w.reliability.map(round6),
                    coverage: w.coverage.map(round6),
                    unmeasured: analysis
                        .evaluation
                        .as_ref()
                        .and_then(|e| e.of(w.source))
                        .map(|p| {
                            p.unmeasured
                                .iter()
                                .map(|f| f.to_string_lossy().into_owned())
                                .collect()
                        }),
                    formal: Layer::ALL
                        .iter()
                        .map(|&l| (l.as_str(), w.formal.get(l)))
                        .collect(),
                    categories: Category::ALL
                        .iter()
                        .zip(w.categories)
                        .map(|(c, n)| (c.as_str(), n))
                        .collect(),
                }
            })
            .collect(),
        documents: corpus
            .documents
            .iter()
            .zip(&analysis.doc_paragraphs)
            .map(|(d, &paragraphs)| DocumentJson {
                witness: &corpus.sources[d.source.index()].name,
                file: d.path.display().to_string(),
                encoding: d.encoding,
                paragraphs,
                work: d.work,
            })
            .collect(),
        settings: settings(config),
        counts: Counts {
            paragraphs: analysis.paragraphs(),
            clusters: analysis.totals.clusters,
            sites: analysis.totals.sites,
            readings: analysis.totals.readings,
            categories: Category::ALL
                .iter()
                .zip(analysis.totals.categories)
                .map(|(c, n)| (c.as_str(), n))
                .collect(),
            works: analysis.cluster_stats.works,
            reused_clusters: analysis.cluster_stats.reused,
            coarse_alignments: analysis.totals.coarse_alignments,
        },
        files: Files {
            apparatus: "apparatus.jsonl",
            variants: "variants.csv",
            clusters: "clusters.csv",
            witnesses: "witnesses.csv",
        },
        skipped: corpus
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

/// One line of `apparatus.jsonl`: a cluster's apparatus. The shape is
/// documented in the README; what can be derived is left out to keep the
/// file smaller than the CSV files (a member's source and file are in
/// `report.json`'s `documents`, its similarity in `clusters.csv`; the
/// members that read the consensus at a site are those whose coverage
/// holds it and that have no reading there).
#[derive(Serialize)]
struct ApparatusJson<'a> {
    version: u32,
    cluster: u32,
    /// A `--reference` member is the ground truth here.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    reference: bool,
    /// The text also stands in another work: these are one work's versions
    /// of a shared paragraph.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    reuse: bool,
    /// Index in `members` of the copy text, whose writing `text` follows.
    copy_text: usize,
    members: Vec<MemberJson>,
    /// The consensus text as written.
    text: &'a str,
    sites: Vec<SiteJson<'a>>,
    /// With `--alignment-table`: the columns (`at`: characters of `text`,
    /// `sites`: their ids) and one row per collated member, each cell what
    /// it reads there (null: it does not cover the column).
    #[serde(skip_serializing_if = "Option::is_none")]
    table: Option<TableJson<'a>>,
}

#[derive(Serialize)]
struct TableJson<'a> {
    columns: Vec<ColumnJson>,
    rows: Vec<TableRowJson<'a>>,
}

#[derive(Serialize)]
struct ColumnJson {
    at: [usize; 2],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    sites: Vec<u64>,
}

#[derive(Serialize)]
struct TableRowJson<'a> {
    member: usize,
    cells: &'a [Option<String>],
}

#[derive(Serialize)]
struct MemberJson {
    /// Index into `report.json`'s `documents` (source and file).
    doc: u32,
    /// First and last line, 1-based.
    lines: [u32; 2],
    role: &'static str,
    /// The characters of `text` it covers, `[start, end)`; absent for a
    /// duplicate, which is not aligned.
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage: Option<[usize; 2]>,
    /// Character edits from the consensus over its coverage (normalized).
    #[serde(skip_serializing_if = "Option::is_none")]
    edits: Option<usize>,
}

#[derive(Serialize)]
struct SiteJson<'a> {
    /// The `variant_id` of its rows in `variants.csv`.
    id: u64,
    /// Its characters in `text`, `[start, end)` (Unicode scalar values, as
    /// Python and jq count).
    at: [usize; 2],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    tie: bool,
    readings: Vec<ReadingJson<'a>>,
}

#[derive(Serialize)]
struct ReadingJson<'a> {
    member: usize,
    /// The characters of `text` it replaces, `[start, end)`, when they are
    /// not the whole site.
    #[serde(skip_serializing_if = "Option::is_none")]
    at: Option<[usize; 2]>,
    /// What it reads there instead, as written (`""`: an omission).
    text: &'a str,
    /// Line and column of `text` in the member's file.
    pos: [u32; 2],
    category: &'static str,
    support: usize,
}

/// Writes one cluster's apparatus as one JSON line.
pub fn write_apparatus<W: io::Write>(
    apparatus: &Apparatus,
    table: Option<&super::table::AlignmentTable>,
    mut out: W,
) -> anyhow::Result<()> {
    let line = ApparatusJson {
        version: APPARATUS_VERSION,
        cluster: apparatus.id.0,
        reference: apparatus.reference,
        reuse: apparatus.reuse,
        copy_text: apparatus.copy_text,
        members: apparatus
            .members
            .iter()
            .map(|m| MemberJson {
                doc: m.doc.0,
                lines: [m.line_start, m.line_end],
                role: m.role.as_str(),
                coverage: m
                    .collation
                    .as_ref()
                    .map(|c| [c.coverage.start, c.coverage.end]),
                edits: m.collation.as_ref().map(|c| c.edits),
            })
            .collect(),
        text: &apparatus.text,
        sites: apparatus
            .sites
            .iter()
            .map(|site| SiteJson {
                id: site.id,
                at: [site.chars.start, site.chars.end],
                tie: site.tie,
                readings: site
                    .readings
                    .iter()
                    .map(|r| ReadingJson {
                        member: r.member,
                        at: (r.at != site.chars).then_some([r.at.start, r.at.end]),
                        text: &r.exact.1,
                        pos: [r.line, r.column],
                        category: r.category.as_str(),
                        support: r.support,
                    })
                    .collect(),
            })
            .collect(),
        table: table.map(|t| TableJson {
            columns: t
                .columns
                .iter()
                .map(|c| ColumnJson {
                    at: [c.chars.start, c.chars.end],
                    sites: c.sites.iter().map(|&s| apparatus.sites[s].id).collect(),
                })
                .collect(),
            rows: t
                .rows
                .iter()
                .map(|r| TableRowJson {
                    member: r.member,
                    cells: &r.cells,
                })
                .collect(),
        }),
    };
    serde_json::to_writer(&mut out, &line)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// The settings a run used, as `report.json` lists them.
fn settings(config: &crate::config::Config) -> Settings<'_> {
    let n = &config.normalize;
    Settings {
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
        measure_by: config.reference.as_ref().map(|_| {
            if config.pair_files {
                "files"
            } else {
                "clusters"
            }
        }),
        fca: config.flexible,
        globs: &config.globs,
    }
}

/// The settings a run used, as `report.json` lists them, as a JSON value
/// (for the HTML report).
pub fn settings_value(config: &crate::config::Config) -> serde_json::Value {
    serde_json::to_value(settings(config)).unwrap_or(serde_json::Value::Null)
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
