//! What `report` prints on stdout: a short summary a person reads.
//!
//! ```text
//! 5 sources, 312 paragraphs, 47 clusters, 112 variant readings
//!
//! rank  witness                    cer  reliability  deviations  compared
//!    1  002_ed602138bd357a0a  0.001183     0.999000           9      5918
//! …
//! variants by category: substitution 40, deletion 31, …
//! wrote report/variants.csv, …
//! ```
//!
//! Source names and paths are escaped ([`escape`]): a file name cannot
//! break a line or write to the terminal.
use std::io;
use std::path::PathBuf;

use super::paint::{escape, escape_path, pad};
use super::{category_counts, fixed, ranking_note, shown_source_names};
use crate::analysis::Analysis;
use crate::cluster::MemberRole;
use crate::pipeline::Clustering;

/// Writes the summary of a finished `report` run.
pub fn write_summary<W: io::Write>(
    analysis: &Analysis,
    written: &[PathBuf],
    mut out: W,
) -> io::Result<()> {
    writeln!(
        out,
        "{} sources, {} paragraphs, {} clusters, {} variant readings",
        analysis.corpus.sources.len(),
        analysis.paragraphs(),
        analysis.totals.clusters,
        analysis.totals.readings
    )?;
    write_works(
        analysis.cluster_stats.works,
        analysis.cluster_stats.reused,
        &analysis.corpus,
        &mut out,
    )?;
    if analysis.totals.coarse_alignments > 0 {
        writeln!(
            out,
            "{} alignments of texts over {} characters done piecewise between anchors",
            analysis.totals.coarse_alignments,
            crate::diff::LONG_TEXT
        )?;
    }
    writeln!(out)?;
    let mut ranked: Vec<_> = analysis.witnesses.iter().collect();
    ranked.sort_by_key(|w| (w.rank.is_none(), w.rank, w.source));
    let (names, name_width) = shown_source_names(&analysis.corpus);
    writeln!(
        out,
        "rank  {}  {:>8}  {:>11}  {:>10}  {:>8}",
        pad("witness", name_width),
        "cer",
        "reliability",
        "deviations",
        "compared"
    )?;
    for w in ranked {
        let name = pad(&names[w.source.index()], name_width);
        let rank = w.rank.map_or("-".to_string(), |r| r.to_string());
        let cer = w.cer.map_or("-".to_string(), |c| fixed(c, 6));
        let reliability = w.reliability.map_or("-".to_string(), |r| fixed(r, 6));
        writeln!(
            out,
            "{rank:>4}  {name}  {cer:>8}  {reliability:>11}  {:>10}  {:>8}",
            w.deviations, w.compared_chars
        )?;
    }
    if let Some(note) = ranking_note(analysis) {
        writeln!(out, "{note}")?;
    }
    write_coverage(analysis, &names, &mut out)?;
    writeln!(out)?;
    let counts = category_counts(analysis);
    if counts.is_empty() {
        writeln!(out, "variants by category: none")?;
    } else {
        let list: Vec<String> = counts.iter().map(|(c, n)| format!("{c} {n}")).collect();
        writeln!(out, "variants by category: {}", list.join(", "))?;
    }
    write_skipped(&analysis.corpus, &mut out)?;
    write_written(written, out)
}

/// With a reference: how each source was measured (file by file, or in
/// the clusters it shares with the reference), for the summary.
fn write_coverage<W: io::Write>(
    analysis: &Analysis,
    names: &[std::borrow::Cow<'_, str>],
    out: &mut W,
) -> io::Result<()> {
    let Some(reference) = analysis.reference else {
        return Ok(());
    };
    for w in analysis.witnesses.iter().filter(|w| w.source != reference) {
        let name = &names[w.source.index()];
        let coverage = fixed(100.0 * w.coverage.unwrap_or(0.0), 1);
        writeln!(
            out,
            "{name}: measured on {coverage}% of the reference's characters, {}",
            how_measured(analysis, w.source)
        )?;
    }
    Ok(())
}

/// How a source was measured against the reference.
fn how_measured(analysis: &Analysis, source: crate::model::SourceId) -> String {
    match analysis.evaluation.as_ref().and_then(|e| e.of(source)) {
        Some(p) => match p.pages.len() {
            1 => "by 1 file paired with the reference's".to_string(),
            n => format!("by {n} files paired with the reference's"),
        },
        None => "in the clusters it shares with the reference".to_string(),
    }
}

/// With a reference, one warning per source measured on less than all of
/// the reference's characters: unmeasured text is never silent. The
/// commands print them on standard error, `--quiet` or not.
pub fn coverage_warnings(analysis: &Analysis) -> Vec<String> {
    let Some(reference) = analysis.reference else {
        return Vec::new();
    };
    let (names, _) = shown_source_names(&analysis.corpus);
    let mut out = Vec::new();
    for w in analysis.witnesses.iter().filter(|w| w.source != reference) {
        let coverage = w.coverage.unwrap_or(0.0);
        if coverage >= 1.0 {
            continue;
        }
        let pages = analysis.evaluation.as_ref().and_then(|e| e.of(w.source));
        let unmeasured = pages.map_or(String::new(), |p| match p.unmeasured.len() {
            0 => String::new(),
            1 => "; 1 reference file it has no file for is listed in report.json".to_string(),
            n => format!("; {n} reference files it has no file for are listed in report.json"),
        });
        let unranked = if w.rank.is_none() && w.cer.is_some() {
            "; not ranked"
        } else {
            ""
        };
        out.push(format!(
            "recension: warning: {} measured on {}% of the reference's characters, {}{unmeasured}{unranked}",
            names[w.source.index()],
            fixed(100.0 * coverage, 1),
            how_measured(analysis, w.source)
        ));
    }
    out
}

/// Writes the summary of a finished `cluster` run:
///
/// ```text
/// 4 sources, 102181 paragraphs, 25027 clusters: 100140 witnesses, 12 duplicates, 310 fragments
/// wrote out/clusters.csv
/// ```
pub fn write_clustering_summary<W: io::Write>(
    clustering: &Clustering,
    written: &[PathBuf],
    mut out: W,
) -> io::Result<()> {
    let mut counts = [0usize; 3];
    for cluster in &clustering.clusters {
        for m in &cluster.members {
            counts[match m.role {
                MemberRole::Witness => 0,
                MemberRole::Duplicate => 1,
                MemberRole::Fragment => 2,
            }] += 1;
        }
    }
    writeln!(
        out,
        "{} sources, {} paragraphs, {} clusters: {} witnesses, {} duplicates, {} fragments",
        clustering.corpus.sources.len(),
        clustering.paragraphs.len(),
        clustering.clusters.len(),
        counts[0],
        counts[1],
        counts[2]
    )?;
    write_skipped(&clustering.corpus, &mut out)?;
    write_written(written, out)
}

/// `2 works (001, 002, 004 · 000); 3 paragraphs shared between works
/// (reuse) are compared within each work only`, when there is more than
/// one work. Sources are listed by the works their documents are in.
fn write_works<W: io::Write>(
    works: usize,
    reused: usize,
    corpus: &crate::ingest::Corpus,
    out: &mut W,
) -> io::Result<()> {
    if works < 2 {
        return Ok(());
    }
    let mut sources: Vec<std::collections::BTreeSet<usize>> = vec![Default::default(); works];
    for d in &corpus.documents {
        if d.work > 0 {
            sources[d.work as usize - 1].insert(d.source.index());
        }
    }
    let short = crate::ingest::short_names(
        &corpus
            .sources
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
    );
    let shown: Vec<String> = sources
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.iter()
                .map(|&i| escape(&short[i]).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        })
        .collect();
    // Many works (a corpus of many documents) are counted, not listed.
    let list = if shown.len() <= 6 {
        format!(" ({})", shown.join(" · "))
    } else {
        String::new()
    };
    write!(out, "{works} works{list}")?;
    if reused > 0 {
        write!(
            out,
            "; {reused} paragraphs shared between works (reuse) are compared within each work only"
        )?;
    }
    writeln!(out)
}

fn write_written<W: io::Write>(written: &[PathBuf], mut out: W) -> io::Result<()> {
    // The further pages of report.html are counted with it, with the size
    // of all of them.
    let page = |p: &PathBuf| {
        p.file_name()
            .is_some_and(|n| super::html::is_page(&n.to_string_lossy()))
    };
    let pages: Vec<&PathBuf> = written.iter().filter(|p| page(p)).collect();
    let mut paths: Vec<String> = Vec::new();
    for p in written.iter().filter(|p| !page(p)) {
        let mut shown = escape_path(p).into_owned();
        if p.file_name().is_some_and(|n| n == "report.html") {
            let bytes: u64 = std::iter::once(p)
                .chain(pages.iter().copied())
                .filter_map(|p| std::fs::metadata(p).ok())
                .map(|m| m.len())
                .sum();
            let size = format!("{:.1} MB", bytes as f64 / 1e6);
            shown = if pages.is_empty() {
                format!("{shown} ({size})")
            } else {
                format!("{shown} (and {} more pages; {size})", pages.len())
            };
        }
        paths.push(shown);
    }
    writeln!(out, "wrote {}", paths.join(", "))
}

fn write_skipped<W: io::Write>(corpus: &crate::ingest::Corpus, out: &mut W) -> io::Result<()> {
    if !corpus.skipped.is_empty() {
        writeln!(out, "skipped {} file(s):", corpus.skipped.len())?;
        for s in &corpus.skipped {
            writeln!(out, "  {}: {}", escape_path(&s.path), escape(&s.reason))?;
        }
    }
    Ok(())
}
