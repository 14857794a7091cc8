//! Projections of the apparatus into documented rows, and the writers of
//! the output files. Only this module writes results.
//!
//! ```text
//! Apparatus (one cluster at a time) → variants.csv · clusters.csv · apparatus.jsonl
//! Analysis (at the end)             → witnesses.csv · report.json          (one atomic set in DIR)
//! ```
//!
//! The row types below are the wire format: their fields are the CSV columns
//! in order (SPEC §7). Changing internal types must not change them.
pub mod audit;
pub mod csv;
pub mod diffview;
pub mod html;
pub mod json;
pub mod pages;
pub mod paint;
pub mod set;
pub mod table;
pub mod tei;
pub mod terminal;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;

use crate::align::apparatus::Apparatus;
use crate::analysis::Analysis;
use crate::ingest::Corpus;
use crate::pipeline::Clustering;

/// One row of `variants.csv`: a witness's reading that differs from the
/// consensus at one place.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariantRow<'a> {
    /// Number of the variation site; the rows of one site share it.
    pub variant_id: u64,
    /// The cluster the site belongs to.
    pub cluster_id: u32,
    /// The source that reads differently.
    pub witness: &'a str,
    /// Its file, as reached from the command-line argument.
    pub file: Cow<'a, str>,
    /// 1-based line of the differing characters in that file (for an
    /// omission: of the character after the gap).
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// One of the [`crate::classify::Category`] names.
    pub category: &'static str,
    /// The consensus the reading stands against, as the copy text writes
    /// it, completed to whole words in alphabetic text.
    pub consensus: &'a str,
    /// The witness's text, as written, completed likewise (empty: omitted).
    pub reading: &'a str,
    /// Witnesses that share this reading.
    pub support: usize,
    /// Witnesses that cover the place.
    pub witnesses: usize,
    /// Up to 10 characters of consensus text before `consensus`, as
    /// written.
    pub context_before: &'a str,
    /// Up to 10 characters of consensus text after it.
    pub context_after: &'a str,
    /// `true` when no reading had a strict majority at the place: the
    /// consensus shown is the pivot witness's reading, not a decision.
    pub tie: bool,
    /// The consensus characters that differ, as written (`consensus`
    /// without the letters that complete words).
    pub exact_consensus: &'a str,
    /// The witness's characters that differ, as written; they stand at
    /// `line` and `column`.
    pub exact_reading: &'a str,
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
    /// The work its document is a version of (from 1).
    pub work: u32,
    /// The cluster's text also stands in another work: this is one work's
    /// part of a shared paragraph (a template, a quotation).
    pub reuse: bool,
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
    /// Consensus characters where the vote decided (three witnesses or
    /// more, no tie).
    pub voted_chars: usize,
    /// The share of those it reads as the majority does (6 decimals);
    /// empty when it was compared only through ties, and with a reference.
    pub reliability: Option<String>,
    /// With a reference: the share of the reference's characters the
    /// source was measured on (6 decimals); empty without one, and for the
    /// reference.
    pub coverage: Option<String>,
}

/// Formats a rate with a fixed number of decimals, independent of locale.
pub fn fixed(value: f64, decimals: usize) -> String {
    debug_assert!(value.is_finite());
    format!("{value:.decimals$}")
}

/// The rows of `variants.csv` of one cluster: one per differing reading,
/// in site and member order.
pub fn variant_rows<'a>(corpus: &'a Corpus, apparatus: &'a Apparatus) -> Vec<VariantRow<'a>> {
    let mut rows = Vec::new();
    for site in &apparatus.sites {
        for r in &site.readings {
            let member = &apparatus.members[r.member];
            rows.push(VariantRow {
                variant_id: site.id,
                cluster_id: apparatus.id.0,
                witness: &corpus.sources[member.source.index()].name,
                file: corpus.documents[member.doc.index()].path.to_string_lossy(),
                line: r.line,
                column: r.column,
                category: r.category.as_str(),
                consensus: &r.consensus,
                reading: &r.text,
                support: r.support,
                witnesses: site.witnesses,
                context_before: &r.context_before,
                context_after: &r.context_after,
                tie: site.tie,
                exact_consensus: &r.exact.0,
                exact_reading: &r.exact.1,
            });
        }
    }
    rows
}

/// The rows of `clusters.csv` of one cluster, in paragraph order.
pub fn cluster_rows<'a>(corpus: &'a Corpus, apparatus: &'a Apparatus) -> Vec<ClusterRow<'a>> {
    apparatus
        .members
        .iter()
        .map(|m| ClusterRow {
            cluster_id: apparatus.id.0,
            witness: Cow::Borrowed(&corpus.sources[m.source.index()].name),
            file: corpus.documents[m.doc.index()].path.to_string_lossy(),
            line_start: m.line_start,
            line_end: m.line_end,
            role: m.role.as_str(),
            similarity: fixed(m.similarity, 4),
            chars: m.chars,
            preview: Cow::Borrowed(&m.preview),
            work: corpus.documents[m.doc.index()].work,
            reuse: apparatus.reuse,
        })
        .collect()
}

/// The rows of `clusters.csv` from the clustering stage alone (the
/// `cluster` command): `similarity` is the score of the verified edge that
/// tied each member to its cluster.
pub fn clustering_rows(clustering: &Clustering) -> Vec<ClusterRow<'_>> {
    let corpus = &clustering.corpus;
    let mut rows = Vec::new();
    for (c, cluster) in clustering.clusters.iter().enumerate() {
        for member in &cluster.members {
            let para = member
                .span
                .and_then(|span| clustering.parts.get(&(member.item, span)))
                .unwrap_or(&clustering.paragraphs[member.item]);
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
                work: corpus.documents[para.doc.index()].work,
                reuse: cluster.reuse,
            });
        }
    }
    rows
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
            voted_chars: w.voted_chars,
            reliability: w.reliability.map(|r| fixed(r, 6)),
            coverage: w.coverage.map(|c| fixed(c, 6)),
        })
        .collect()
}

/// Why some compared sources have no rank, for the ranking tables: without
/// a reference, a source compared only where the witnesses tie (two
/// versions of a text) cannot be ranked by voting.
pub fn ranking_note(analysis: &Analysis) -> Option<String> {
    if analysis.reference.is_some() {
        return None;
    }
    let unranked = analysis
        .witnesses
        .iter()
        .filter(|w| w.cer.is_some() && w.rank.is_none())
        .count();
    if unranked == 0 {
        return None;
    }
    let ranked = analysis
        .witnesses
        .iter()
        .filter(|w| w.rank.is_some())
        .count();
    Some(if ranked == 0 {
        "(no ranking: no place is covered by three sources, so every difference is a tie \
         that voting cannot decide; --reference SOURCE measures the others against one)"
            .to_string()
    } else {
        "(sources without a rank were compared only where the witnesses tie, which voting \
         cannot decide)"
            .to_string()
    })
}

/// Variant readings per category, in [`crate::classify::Category::ALL`]
/// order, zero counts left out.
pub fn category_counts(analysis: &Analysis) -> Vec<(&'static str, u64)> {
    crate::classify::Category::ALL
        .iter()
        .zip(analysis.totals.categories)
        .filter(|&(_, n)| n > 0)
        .map(|(c, n)| (c.as_str(), n))
        .collect()
}

/// The sources' names as the terminal views show them
/// ([`paint::escape`]), and the columns the widest takes, at least those
/// of the `witness` heading.
fn shown_source_names(corpus: &Corpus) -> (Vec<Cow<'_, str>>, usize) {
    let names: Vec<_> = corpus
        .sources
        .iter()
        .map(|s| paint::escape(&s.name))
        .collect();
    let columns = names
        .iter()
        .map(|name| paint::width(name))
        .max()
        .unwrap_or(0)
        .max(paint::width("witness"));
    (names, columns)
}

/// The files `report` writes, in the order they are listed.
pub const REPORT_FILES: [&str; 6] = [
    "variants.csv",
    "clusters.csv",
    "witnesses.csv",
    "report.json",
    "apparatus.jsonl",
    "report.html",
];

/// In reference mode, where sources pair files with the reference: one
/// record per pair of files (see [`pages`]).
pub const PAGES_FILE: &str = "pages.csv";

/// The report files being written: the per-cluster files fill as apparatus
/// pass ([`ReportWriter::add`]); [`ReportWriter::finish`] writes the
/// summaries and switches the whole set in ([`set::OutputSet`]), so a
/// failed or killed run leaves the previous report whole. Other files in
/// the directory are not touched.
pub struct ReportWriter {
    set: set::OutputSet,
    variants: ::csv::Writer<set::Staged>,
    clusters: ::csv::Writer<set::Staged>,
    apparatus: set::Staged,
    html: Option<html::HtmlReport>,
    extras: Extras,
    tei: Option<tei::TeiWriter<set::Staged>>,
    table: Option<::csv::Writer<set::Staged>>,
}

/// The files `report` writes on request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Extras {
    /// `report.tei.xml`.
    pub tei: bool,
    /// The alignment tables: in `apparatus.jsonl` and `alignment.csv`.
    pub alignment_table: bool,
}

/// The TEI file of `report --tei`.
pub const TEI_FILE: &str = "report.tei.xml";
/// The alignment tables of `report --alignment-table`.
pub const TABLE_FILE: &str = "alignment.csv";

impl ReportWriter {
    /// Starts the per-cluster files of a report set for `dir`.
    pub fn create(dir: &Path, extras: Extras) -> anyhow::Result<ReportWriter> {
        let set = set::OutputSet::begin(dir)?.replacing(is_optional_output);
        let csv_writer =
            |name: &'static str, header: &[&str]| -> anyhow::Result<::csv::Writer<set::Staged>> {
                let mut w = ::csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(set.create(name)?);
                w.write_record(header)?;
                Ok(w)
            };
        let variants = csv_writer("variants.csv", <VariantRow<'_> as csv::Row>::HEADER)?;
        let clusters = csv_writer("clusters.csv", <ClusterRow<'_> as csv::Row>::HEADER)?;
        let apparatus = set.create("apparatus.jsonl")?;
        let table = if extras.alignment_table {
            Some(csv_writer(
                TABLE_FILE,
                &[
                    "cluster_id",
                    "column",
                    "site_ids",
                    "witness",
                    "file",
                    "line_start",
                    "role",
                    "text",
                ],
            )?)
        } else {
            None
        };
        Ok(ReportWriter {
            set,
            variants,
            clusters,
            apparatus,
            html: None,
            extras,
            tei: None,
            table,
        })
    }

    /// Writes one cluster's rows and its JSON line.
    pub fn add(&mut self, corpus: &Corpus, apparatus: &Apparatus) -> anyhow::Result<()> {
        // A full disk or a vanished directory shows as an error naming the
        // file it stopped.
        let cannot = |file: &set::Staged| format!("cannot write {}", file.target().display());
        for row in variant_rows(corpus, apparatus) {
            if let Err(e) = self.variants.serialize(row) {
                return Err(e).with_context(|| cannot(self.variants.get_ref()));
            }
        }
        for row in cluster_rows(corpus, apparatus) {
            if let Err(e) = self.clusters.serialize(row) {
                return Err(e).with_context(|| cannot(self.clusters.get_ref()));
            }
        }
        let table = self
            .extras
            .alignment_table
            .then(|| table::AlignmentTable::new(apparatus));
        json::write_apparatus(apparatus, table.as_ref(), &mut self.apparatus)
            .with_context(|| cannot(&self.apparatus))?;
        if let (Some(t), Some(out)) = (&table, &mut self.table) {
            for row in table_rows(corpus, apparatus, t) {
                if let Err(e) = out.write_record(&row) {
                    return Err(e).with_context(|| cannot(out.get_ref()));
                }
            }
        }
        if self.extras.tei {
            if self.tei.is_none() {
                let staged = self.set.create(TEI_FILE)?;
                self.tei = Some(tei::TeiWriter::start(staged, corpus)?);
            }
            if let Some(t) = &mut self.tei {
                t.add(apparatus)?;
            }
        }
        self.html
            .get_or_insert_with(|| html::HtmlReport::new(corpus))
            .add(apparatus);
        Ok(())
    }

    /// Writes `witnesses.csv` and `report.json`, then switches the set in;
    /// returns the files' paths in [`REPORT_FILES`] order.
    pub fn finish(self, analysis: &Analysis) -> anyhow::Result<Vec<PathBuf>> {
        let into_inner = |w: ::csv::Writer<set::Staged>| -> anyhow::Result<set::Staged> {
            let target = w.get_ref().target().display().to_string();
            w.into_inner()
                .map_err(|e| anyhow::anyhow!("cannot write {target}: {}", e.error()))
        };
        let variants = into_inner(self.variants)?;
        let clusters = into_inner(self.clusters)?;
        let table = self.table.map(into_inner).transpose()?;
        let tei = match (self.tei, self.extras.tei) {
            (Some(t), _) => Some(t.finish()?),
            // No cluster: the header and an empty body.
            (None, true) => Some(
                tei::TeiWriter::start(self.set.create(TEI_FILE)?, &analysis.corpus)?.finish()?,
            ),
            (None, false) => None,
        };
        let mut witnesses = self.set.create("witnesses.csv")?;
        csv::write_rows(&witness_rows(analysis), &mut witnesses)
            .with_context(|| format!("cannot write {}", witnesses.target().display()))?;
        let mut report = self.set.create("report.json")?;
        json::write_report(analysis, &mut report)
            .with_context(|| format!("cannot write {}", report.target().display()))?;
        let mut files = vec![variants, clusters, witnesses, report, self.apparatus];
        let pages = self
            .html
            .unwrap_or_else(|| html::HtmlReport::new(&analysis.corpus))
            .finish(analysis);
        for page in pages {
            let mut staged = self.set.create(&page.name)?;
            std::io::Write::write_all(&mut staged, page.html.as_bytes())
                .with_context(|| format!("cannot write {}", staged.target().display()))?;
            files.push(staged);
        }
        files.extend(tei);
        files.extend(table);
        // With a reference that sources pair files with: the pages.
        if let Some(e) = analysis
            .evaluation
            .as_ref()
            .filter(|e| !e.sources.is_empty())
        {
            let mut pages_csv = self.set.create(PAGES_FILE)?;
            let groups: Vec<(&str, &[crate::compare::PageRecord])> = e
                .sources
                .iter()
                .map(|s| {
                    (
                        analysis.corpus.sources[s.source.index()].name.as_str(),
                        s.pages.as_slice(),
                    )
                })
                .collect();
            pages::write_csv_by_witness(&groups, &mut pages_csv)
                .with_context(|| format!("cannot write {}", pages_csv.target().display()))?;
            files.push(pages_csv);
        }
        self.set.commit(files)
    }
}

/// The files of a report set that a run may not write: further pages of
/// `report.html`, and what options or a reference add. An earlier run's
/// go with it, so the set never mixes two runs.
fn is_optional_output(name: &str) -> bool {
    html::is_page(name) || [TEI_FILE, TABLE_FILE, PAGES_FILE].contains(&name)
}

/// The rows of `alignment.csv` of one cluster: one per cell its table
/// shows (a member and a column it covers), in column and member order.
fn table_rows(
    corpus: &Corpus,
    apparatus: &Apparatus,
    table: &table::AlignmentTable,
) -> Vec<[String; 8]> {
    let mut rows = Vec::new();
    for (c, column) in table.columns.iter().enumerate() {
        let sites: Vec<String> = column
            .sites
            .iter()
            .map(|&s| apparatus.sites[s].id.to_string())
            .collect();
        for row in &table.rows {
            let Some(text) = &row.cells[c] else { continue };
            let m = &apparatus.members[row.member];
            rows.push([
                apparatus.id.0.to_string(),
                (c + 1).to_string(),
                sites.join(" "),
                corpus.sources[m.source.index()].name.clone(),
                corpus.documents[m.doc.index()]
                    .path
                    .to_string_lossy()
                    .into_owned(),
                m.line_start.to_string(),
                m.role.as_str().to_string(),
                text.clone(),
            ]);
        }
    }
    rows
}

/// Writes `clusters.csv` of the `cluster` command into `dir`, atomically.
pub fn write_clustering(clustering: &Clustering, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let set = set::OutputSet::begin(dir)?;
    let mut staged = set.create("clusters.csv")?;
    csv::write_rows(&clustering_rows(clustering), &mut staged)?;
    set.commit(vec![staged])
}
