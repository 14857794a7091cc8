//! Turns an [`Analysis`] into documented rows and writes the output files.
//! Only this module writes results.
//!
//! ```text
//! Analysis → variants.csv · clusters.csv · witnesses.csv · report.json (written atomically into DIR)
//! ```
//!
//! The row types below are the wire format: their fields are the CSV columns
//! in order (SPEC §7). Changing internal types must not change them.
pub mod audit;
pub mod csv;
pub mod diffview;
pub mod json;
pub mod paint;
pub mod terminal;

use std::borrow::Cow;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use crate::align::{AlignInput, Variant, VariantReading};
use crate::classify::Category;
use crate::pipeline::{AlignedCluster, Analysis, Clustering};

/// Characters of consensus text shown before and after a variant.
pub const CONTEXT_CHARS: usize = 10;

/// Characters of a paragraph shown in `clusters.csv`'s `preview`.
pub const PREVIEW_CHARS: usize = 40;

/// One row of `variants.csv`: a witness's reading that differs from the
/// consensus at one place.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariantRow {
    /// Number of the variant (the place); the rows of one place share it.
    pub variant_id: u64,
    /// The cluster the place belongs to.
    pub cluster_id: u32,
    /// The source that reads differently.
    pub witness: String,
    /// Its file, as reached from the command-line argument.
    pub file: String,
    /// 1-based line of the reading in that file (for a deletion: of the
    /// character after the gap).
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// One of the [`Category`] names.
    pub category: &'static str,
    /// The consensus text at the place, as a supporting witness writes it.
    pub consensus: String,
    /// The witness's text at the place, as in its file (empty: omitted).
    pub reading: String,
    /// Witnesses that share this reading.
    pub support: usize,
    /// Witnesses that cover the place.
    pub witnesses: usize,
    /// Up to [`CONTEXT_CHARS`] characters of consensus before the place.
    pub context_before: String,
    /// Up to [`CONTEXT_CHARS`] characters of consensus after it.
    pub context_after: String,
    /// `true` when no reading had a strict majority at the place: the
    /// consensus shown is the pivot witness's reading, not a decision.
    pub tie: bool,
}

/// One row of `clusters.csv`: a paragraph that belongs to a cluster of two
/// or more.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClusterRow<'a> {
    /// The cluster.
    pub cluster_id: u32,
    /// The paragraph's source.
    pub witness: Cow<'a, str>,
    /// Its file.
    pub file: Cow<'a, str>,
    /// First line, 1-based.
    pub line_start: u32,
    /// Last line, 1-based, inclusive.
    pub line_end: u32,
    /// `witness`, `duplicate` or `fragment`.
    pub role: &'static str,
    /// Share of characters matched with the cluster's pivot (0–1, 4 decimals).
    pub similarity: String,
    /// Normalized characters.
    pub chars: usize,
    /// The start of the original text, whitespace collapsed.
    pub preview: Cow<'a, str>,
}

/// One row of `witnesses.csv`: a source.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WitnessRow {
    /// The source's name.
    pub witness: String,
    /// Documents read.
    pub files: usize,
    /// Paragraphs found.
    pub paragraphs: usize,
    /// Paragraphs in clusters.
    pub clustered: usize,
    /// Consensus characters compared.
    pub compared_chars: usize,
    /// Variant readings.
    pub deviations: usize,
    /// Readings outvoted by a strict majority.
    pub minority: usize,
    /// Readings at tied places.
    pub ties: usize,
    /// Character error rate against the consensus (6 decimals); empty when
    /// nothing was compared.
    pub cer: Option<String>,
    /// 1 = most reliable; empty when nothing was compared, and for the
    /// reference.
    pub rank: Option<u32>,
    /// Places where the source writes the consensus in another form (width,
    /// dashes, quotes, spaces, case): counted, not variants.
    pub formal: usize,
}

/// Formats a rate with a fixed number of decimals, independent of locale.
pub fn fixed(value: f64, decimals: usize) -> String {
    debug_assert!(value.is_finite());
    format!("{value:.decimals$}")
}

/// The file path as reported.
fn file_of(analysis: &Analysis, para: crate::model::ParaId) -> String {
    let doc = analysis.paragraphs[para.index()].doc;
    analysis.corpus.documents[doc.index()]
        .path
        .display()
        .to_string()
}

fn source_of(analysis: &Analysis, para: crate::model::ParaId) -> String {
    let source = analysis.paragraphs[para.index()].source;
    analysis.corpus.sources[source.index()].name.clone()
}

/// Every variant row, in cluster, place and witness order.
pub fn variant_rows(analysis: &Analysis) -> Vec<VariantRow> {
    let mut rows = Vec::new();
    let mut variant_id = 0u64;
    for cluster in &analysis.clusters {
        let inputs = analysis.align_inputs(cluster);
        // The cluster's consensus text and where each place starts in it.
        let mut consensus: Vec<char> = Vec::new();
        let mut place_offset = Vec::with_capacity(cluster.alignment.places.len() + 1);
        for p in 0..cluster.alignment.places.len() {
            place_offset.push(consensus.len());
            consensus.extend_from_slice(cluster.alignment.consensus_at(&inputs, p));
        }
        place_offset.push(consensus.len());
        for variant in &cluster.alignment.variants {
            variant_id += 1;
            for reading in &variant.readings {
                let member = cluster.members[reading.member];
                let span = analysis.normalized[member.para.index()]
                    .original_span(reading.chars.start, reading.chars.end);
                let doc = &analysis.corpus.documents
                    [analysis.paragraphs[member.para.index()].doc.index()];
                let (line, column) = doc.line_col(span.start as usize);
                let at = place_offset[variant.places.start];
                let (from, to) = (at + reading.consensus.start, at + reading.consensus.end);
                rows.push(VariantRow {
                    variant_id,
                    cluster_id: cluster.id.0,
                    witness: source_of(analysis, member.para),
                    file: file_of(analysis, member.para),
                    line,
                    column,
                    category: reading.category.as_str(),
                    consensus: consensus_as_written(analysis, cluster, &inputs, variant, reading),
                    reading: doc.text[span.range()].to_string(),
                    support: reading.support,
                    witnesses: variant.covered,
                    context_before: consensus[from.saturating_sub(CONTEXT_CHARS)..from]
                        .iter()
                        .collect(),
                    context_after: consensus[to..(to + CONTEXT_CHARS).min(consensus.len())]
                        .iter()
                        .collect(),
                    tie: variant.tie,
                });
            }
        }
    }
    rows
}

/// For every variant, in `variant_id` order (as [`variant_rows`] numbers
/// them), the sources that read the consensus over its whole span, sorted
/// by name.
pub fn consensus_readers(analysis: &Analysis) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for cluster in &analysis.clusters {
        let al = &cluster.alignment;
        for variant in &al.variants {
            let mut names: Vec<String> = al
                .members
                .iter()
                .enumerate()
                .filter(|&(m, aligned)| {
                    aligned.coverage.start <= variant.places.start
                        && variant.places.end <= aligned.coverage.end
                        && !variant.readings.iter().any(|r| r.member == m)
                })
                .map(|(m, _)| source_of(analysis, cluster.members[m].para))
                .collect();
            names.sort();
            names.dedup();
            out.push(names);
        }
    }
    out
}

/// The consensus part a reading replaces, as the first witness that reads
/// the consensus writes it in its file; the normalized text when no witness
/// reads exactly the consensus over the span (possible at a tie).
fn consensus_as_written(
    analysis: &Analysis,
    cluster: &AlignedCluster,
    inputs: &[AlignInput<'_>],
    variant: &Variant,
    reading: &VariantReading,
) -> String {
    let al = &cluster.alignment;
    // The member whose reading the vote chose first: for a formal
    // difference, the form the others are compared with.
    let chosen = al.places[variant.places.start].member;
    let order = std::iter::once(chosen).chain((0..cluster.members.len()).filter(|&m| m != chosen));
    for m in order {
        let (member, aligned) = (&cluster.members[m], &al.members[m]);
        if aligned.coverage.start > variant.places.start
            || variant.places.end > aligned.coverage.end
        {
            continue;
        }
        let start = aligned.readings[variant.places.start].start;
        let end = aligned.readings[variant.places.end - 1].end;
        if inputs[m].chars[start..end]
            .iter()
            .copied()
            .eq(variant.consensus.chars())
        {
            let part = start + reading.consensus.start..start + reading.consensus.end;
            let normalized = &analysis.normalized[member.para.index()];
            let span = normalized.original_span(part.start, part.end);
            let doc =
                &analysis.corpus.documents[analysis.paragraphs[member.para.index()].doc.index()];
            return doc.text[span.range()].to_string();
        }
    }
    variant
        .consensus
        .chars()
        .skip(reading.consensus.start)
        .take(reading.consensus.len())
        .collect()
}

/// Every cluster member row, in cluster and member order (duplicates
/// among the others, in paragraph order).
pub fn cluster_rows(analysis: &Analysis) -> Vec<ClusterRow<'_>> {
    let mut rows = Vec::new();
    for cluster in &analysis.clusters {
        for (member, similarity) in cluster.listed_members() {
            let para = &analysis.paragraphs[member.para.index()];
            rows.push(ClusterRow {
                cluster_id: cluster.id.0,
                witness: Cow::Borrowed(&analysis.corpus.sources[para.source.index()].name),
                file: analysis.corpus.documents[para.doc.index()]
                    .path
                    .to_string_lossy(),
                line_start: para.line_start(),
                line_end: para.line_end(),
                role: member.role.as_str(),
                similarity: fixed(similarity, 4),
                chars: analysis.normalized[member.para.index()].chars.len(),
                preview: Cow::Owned(preview(&para.text)),
            });
        }
    }
    rows
}

/// The rows of `clusters.csv` from the clustering stage alone (the
/// `cluster` command): `similarity` is the score of the verified edge that
/// tied each member to its cluster.
pub fn clustering_rows(clustering: &Clustering) -> Vec<ClusterRow<'_>> {
    let corpus = &clustering.corpus;
    let mut rows = Vec::new();
    for (c, cluster) in clustering.clusters.iter().enumerate() {
        for member in &cluster.members {
            let para = &clustering.paragraphs[member.item];
            rows.push(ClusterRow {
                cluster_id: c as u32 + 1,
                witness: Cow::Borrowed(&corpus.sources[para.source.index()].name),
                file: corpus.documents[para.doc.index()].path.to_string_lossy(),
                line_start: para.line_start,
                line_end: para.line_end,
                role: member.role.as_str(),
                similarity: fixed(member.similarity, 4),
                chars: para.chars,
                preview: Cow::Borrowed(&para.preview),
            });
        }
    }
    rows
}

/// The first [`PREVIEW_CHARS`] characters with whitespace runs collapsed
/// (reading no further than that).
pub fn preview(text: &str) -> String {
    let mut out = String::new();
    let mut n = 0;
    for word in text.split_whitespace() {
        if n > 0 {
            if n >= PREVIEW_CHARS {
                break;
            }
            out.push(' ');
            n += 1;
        }
        for c in word.chars() {
            if n >= PREVIEW_CHARS {
                return out;
            }
            out.push(c);
            n += 1;
        }
    }
    out
}

/// One row per source, in source order.
pub fn witness_rows(analysis: &Analysis) -> Vec<WitnessRow> {
    analysis
        .witnesses
        .iter()
        .map(|w| WitnessRow {
            witness: analysis.corpus.sources[w.source.index()].name.clone(),
            files: w.files,
            paragraphs: w.paragraphs,
            clustered: w.clustered,
            compared_chars: w.compared_chars,
            deviations: w.deviations,
            minority: w.minority,
            ties: w.ties,
            cer: w.cer.map(|c| fixed(c, 6)),
            rank: w.rank,
            formal: w.formal.total(),
        })
        .collect()
}

/// Number of variant rows per category, in [`Category::ALL`] order, zero
/// counts left out.
pub fn category_counts(rows: &[VariantRow]) -> Vec<(&'static str, usize)> {
    Category::ALL
        .iter()
        .map(|c| {
            (
                c.as_str(),
                rows.iter().filter(|r| r.category == c.as_str()).count(),
            )
        })
        .filter(|&(_, n)| n > 0)
        .collect()
}

/// The files `report` writes, in the order they are listed.
pub const REPORT_FILES: [&str; 4] = [
    "variants.csv",
    "clusters.csv",
    "witnesses.csv",
    "report.json",
];

/// Writes the report files into `dir` (created if missing) and returns their
/// paths. Each file is written to a temporary file in `dir` first; only when
/// all are complete are they renamed into place, so a failed run leaves the
/// previous report whole. Other files in `dir` are not touched.
pub fn write_report(
    analysis: &Analysis,
    variants: &[VariantRow],
    dir: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    write_files(dir, &REPORT_FILES, |name, out| match name {
        "variants.csv" => csv::write_rows(variants, out),
        "clusters.csv" => csv::write_rows(&cluster_rows(analysis), out),
        "witnesses.csv" => csv::write_rows(&witness_rows(analysis), out),
        "report.json" => json::write_report(analysis, variants, out),
        _ => unreachable!("REPORT_FILES lists only these"),
    })
}

/// Writes `clusters.csv` of the `cluster` command into `dir`, atomically.
pub fn write_clustering(clustering: &Clustering, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    write_files(dir, &["clusters.csv"], |_, out| {
        csv::write_rows(&clustering_rows(clustering), out)
    })
}

/// Stages every file of `names` through `write` into a temporary file in
/// `dir`, then renames them all into place.
fn write_files(
    dir: &Path,
    names: &[&str],
    write: impl Fn(&str, &mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut staged = Vec::new();
    for &name in names {
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix);
        // A temporary file is private (0600) by default; a report is not:
        // it gets the permissions any new file gets under the umask.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let mut tmp = builder
            .tempfile_in(dir)
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        {
            let mut out = io::BufWriter::new(tmp.as_file_mut());
            write(name, &mut out)?;
            out.flush()
                .with_context(|| format!("cannot write {}", dir.join(name).display()))?;
        }
        staged.push((tmp, dir.join(name)));
    }
    let mut written = Vec::new();
    for (tmp, path) in staged {
        tmp.persist(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
