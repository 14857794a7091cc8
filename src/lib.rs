//! recension compares several versions ("witnesses") of the same transcripts
//! and reports where they differ and which reading is right.
//!
//! ```text
//! ingest → segment → normalize → candidates → cluster → align → classify → report
//! files    paragraphs  NFKC…      shingles     verified   consensus  category   CSV, JSON
//! ```
//!
//! Each stage is a module with a free function over borrowed input;
//! [`pipeline::run`] strings them together and returns an
//! [`pipeline::Analysis`], which [`report`] turns into files.
//!
//! ```no_run
//! let config = recension::config::Config::new(vec!["data/sample".into()]);
//! let analysis = recension::pipeline::run(&config)?;
//! let variants = recension::report::variant_rows(&analysis);
//! println!("{} clusters, {} variant readings", analysis.clusters.len(), variants.len());
//! # Ok::<(), anyhow::Error>(())
//! ```
#![warn(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod align;
pub mod candidates;
pub mod chars;
pub mod classify;
pub mod cli;
pub mod cluster;
pub mod compare;
pub mod config;
pub mod diff;
pub mod ingest;
pub mod minhash;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod report;
pub mod segment;
pub mod stats;

use std::io::{self, Write};

use anyhow::Context;
use std::process::ExitCode;

use cli::{Args, Command};

/// Exit status: success.
pub const EXIT_OK: u8 = 0;
/// Exit status of `diff` when the inputs differ (as diff(1)).
pub const EXIT_DIFFERENT: u8 = 1;
/// Exit status on an error, and when some input files were skipped (the
/// outputs are still written, as ripgrep does).
pub const EXIT_ERROR: u8 = 2;

/// Runs one command line and returns the exit status.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        Command::Report {
            paths,
            output,
            judging,
        } => {
            let analysis = pipeline::run(&args.to_config_judged(paths, judging))?;
            let variants = report::variant_rows(&analysis);
            let written = report::write_report(&analysis, &variants, output)?;
            if !args.quiet {
                report::terminal::write_summary(
                    &analysis,
                    &variants,
                    &written,
                    io::stdout().lock(),
                )?;
            }
            Ok(finish(&analysis.corpus))
        }
        Command::Cluster { paths, output } => {
            let clustering = pipeline::cluster_only(&args.to_config(paths))?;
            let written = report::write_clustering(&clustering, output)?;
            if !args.quiet {
                report::terminal::write_clustering_summary(
                    &clustering,
                    &written,
                    io::stdout().lock(),
                )?;
            }
            Ok(finish(&clustering.corpus))
        }
        Command::Paragraphs { paths } => {
            let (corpus, paragraphs) = pipeline::read(&args.to_config(paths))?;
            let mut out = io::BufWriter::new(io::stdout().lock());
            report::json::write_paragraphs(&corpus, &paragraphs, &mut out)?;
            out.flush()?;
            Ok(finish(&corpus))
        }
        Command::Audit {
            paths,
            category,
            source,
            limit,
            judging,
            color,
        } => {
            let analysis = pipeline::run(&args.to_config_judged(paths, judging))?;
            let filter = report::audit::AuditFilter {
                categories: category.clone(),
                sources: source
                    .iter()
                    .map(|name| {
                        let corpus = &analysis.corpus;
                        corpus
                            .find_source(name)
                            .ok_or_else(|| corpus.no_such_source("--source", name))
                    })
                    .collect::<anyhow::Result<_>>()?,
                limit: *limit,
            };
            if !args.quiet {
                let variants = report::variant_rows(&analysis);
                let paint = report::paint::Paint::new(report::paint::use_color(color.choice));
                let mut out = io::BufWriter::new(io::stdout().lock());
                report::audit::write_audit(&analysis, &variants, &filter, paint, &mut out)?;
                out.flush()?;
            }
            Ok(finish(&analysis.corpus))
        }
        Command::Clean { .. } => not_yet("clean", "recension report PATH... -o DIR"),
        Command::Diff {
            a,
            b,
            keep_formal,
            color,
        } => diff(args, a, b, *keep_formal, color.choice),
    }
}

/// The `diff` command: two files, or two directories file by file.
fn diff(
    args: &Args,
    a: &std::path::Path,
    b: &std::path::Path,
    keep_formal: bool,
    color: report::paint::ColorChoice,
) -> anyhow::Result<ExitCode> {
    let config = args.to_config(&[a.to_path_buf(), b.to_path_buf()]);
    let options = compare::CompareOptions {
        normalize: config.normalize,
        keep_formal,
    };
    for path in [a, b] {
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    }
    let tree = match (a.is_dir(), b.is_dir()) {
        (false, false) => compare::TreeComparison {
            pairs: vec![(a.to_path_buf(), b.to_path_buf())],
            ..Default::default()
        },
        (true, true) => compare::pair_trees(a, b)?,
        _ => anyhow::bail!(
            "diff compares two files or two directories, not {} and {}",
            a.display(),
            b.display()
        ),
    };
    let paint = report::paint::Paint::new(report::paint::use_color(color));
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut totals = report::diffview::DiffTotals {
        formal_shown: keep_formal,
        ..Default::default()
    };
    // Pairs are compared in parallel and printed in path order.
    let comparisons: Vec<anyhow::Result<compare::Comparison>> = pipeline::in_pool(&config, || {
        use rayon::prelude::*;
        tree.pairs
            .par_iter()
            .map(|(fa, fb)| compare::compare_files(fa, fb, &options))
            .collect()
    })?;
    let mut failed = false;
    for c in comparisons {
        match c {
            Ok(c) => {
                totals.add(&c);
                if !args.quiet {
                    report::diffview::write_comparison(&c, paint, &mut out)?;
                }
            }
            Err(e) => {
                // One unreadable pair does not stop the others.
                failed = true;
                out.flush()?;
                let _ = writeln!(io::stderr().lock(), "recension: {e:#}");
            }
        }
    }
    if !args.quiet {
        for path in &tree.only_a {
            writeln!(out, "Only in {}: {}", a.display(), path.display())?;
        }
        for path in &tree.only_b {
            writeln!(out, "Only in {}: {}", b.display(), path.display())?;
        }
        report::diffview::write_totals(&totals, &mut out)?;
    }
    out.flush()?;
    Ok(ExitCode::from(if failed {
        EXIT_ERROR
    } else if totals.differing > 0 || !tree.only_a.is_empty() || !tree.only_b.is_empty() {
        EXIT_DIFFERENT
    } else {
        EXIT_OK
    }))
}

/// Reports skipped files on stderr and picks the exit status.
fn finish(corpus: &ingest::Corpus) -> ExitCode {
    if corpus.skipped.is_empty() {
        return ExitCode::from(EXIT_OK);
    }
    // The report lists skipped files too; stderr gets them even with
    // --quiet, since they change the exit status.
    let mut err = io::stderr().lock();
    for s in &corpus.skipped {
        let _ = writeln!(err, "recension: skipped {}: {}", s.path.display(), s.reason);
    }
    ExitCode::from(EXIT_ERROR)
}

fn not_yet(command: &str, instead: &str) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`{command}` is not available yet in this version; use `{instead}` for now")
}

/// Whether an error is a closed pipe (`recension paragraphs … | head`),
/// which ends the run quietly.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
