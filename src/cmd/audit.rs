//! `recension audit PATH...`: the analysis of `report` in the terminal.
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::classify::Category;
use crate::cli::{Args, Judging};
use crate::pipeline;
use crate::report::audit::{AuditFilter, AuditView};
use crate::report::paint::{ColorChoice, Paint, use_color};

/// What `audit` shows, as given on the command line.
pub struct Options<'a> {
    /// `--category`.
    pub categories: &'a [Category],
    /// `--source`, by name.
    pub sources: &'a [String],
    /// `--limit`.
    pub limit: Option<usize>,
    /// `--reference`, `--keep-formal`.
    pub judging: &'a Judging,
    /// `--color`.
    pub color: ColorChoice,
}

/// Collates the sources and prints the ranking and the disputed places.
pub fn run(args: &Args, paths: &[PathBuf], options: Options<'_>) -> anyhow::Result<ExitCode> {
    let prepared = pipeline::prepare(&args.to_config_judged(paths, options.judging))?;
    // Source names are checked as soon as the sources are known, not after
    // the whole analysis.
    let corpus = &prepared.corpus;
    let filter = AuditFilter {
        categories: options.categories.to_vec(),
        sources: options
            .sources
            .iter()
            .map(|name| {
                corpus
                    .find_source(name)
                    .ok_or_else(|| corpus.no_such_source("--source", name))
            })
            .collect::<anyhow::Result<_>>()?,
        limit: options.limit,
    };
    let paint = Paint::new(use_color(options.color));
    let mut view = AuditView::new(corpus, filter, paint)?;
    let analysis = pipeline::collate(prepared, |corpus, apparatus| {
        Ok(view.add(corpus, &apparatus)?)
    })?;
    if !args.quiet {
        let mut out = io::BufWriter::new(io::stdout().lock());
        view.finish(&analysis, &mut out)?;
        out.flush()?;
    }
    super::warn_coverage(&analysis);
    Ok(super::finish(&analysis.corpus, args.quiet))
}
