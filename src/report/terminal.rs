//! What `report` prints on stdout: a short summary a person reads.
//!
//! ```text
//! 5 sources, 312 paragraphs, 47 clusters, 112 variant readings
//!
//! rank  witness                    cer  deviations  compared
//!    1  002_ed602138bd357a0a  0.001183           9      5918
//! …
//! variants by category: substitution 40, deletion 31, …
//! wrote report/variants.csv, …
//! ```
use std::io;
use std::path::PathBuf;

use super::{VariantRow, category_counts, fixed};
use crate::pipeline::Analysis;

/// Writes the summary of a finished `report` run.
pub fn write_summary<W: io::Write>(
    analysis: &Analysis,
    variants: &[VariantRow],
    written: &[PathBuf],
    mut out: W,
) -> io::Result<()> {
    writeln!(
        out,
        "{} sources, {} paragraphs, {} clusters, {} variant readings",
        analysis.corpus.sources.len(),
        analysis.paragraphs.len(),
        analysis.clusters.len(),
        variants.len()
    )?;
    writeln!(out)?;
    let mut ranked: Vec<_> = analysis.witnesses.iter().collect();
    ranked.sort_by_key(|w| (w.rank.is_none(), w.rank, w.source));
    let width = analysis
        .corpus
        .sources
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(0)
        .max("witness".len());
    writeln!(
        out,
        "rank  {:<width$}  {:>8}  {:>10}  {:>8}",
        "witness", "cer", "deviations", "compared"
    )?;
    for w in ranked {
        let name = &analysis.corpus.sources[w.source.index()].name;
        let rank = w.rank.map_or("-".to_string(), |r| r.to_string());
        let cer = w.cer.map_or("-".to_string(), |c| fixed(c, 6));
        writeln!(
            out,
            "{rank:>4}  {name:<width$}  {cer:>8}  {:>10}  {:>8}",
            w.deviations, w.compared_chars
        )?;
    }
    writeln!(out)?;
    let counts = category_counts(variants);
    if counts.is_empty() {
        writeln!(out, "variants by category: none")?;
    } else {
        let list: Vec<String> = counts.iter().map(|(c, n)| format!("{c} {n}")).collect();
        writeln!(out, "variants by category: {}", list.join(", "))?;
    }
    let skipped = &analysis.corpus.skipped;
    if !skipped.is_empty() {
        writeln!(out, "skipped {} file(s):", skipped.len())?;
        for s in skipped {
            writeln!(out, "  {}: {}", s.path.display(), s.reason)?;
        }
    }
    let paths: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    writeln!(out, "wrote {}", paths.join(", "))?;
    Ok(())
}
