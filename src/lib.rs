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
        Command::Audit { .. } => not_yet("audit", "recension report PATH... -o DIR"),
        Command::Clean { .. } => not_yet("clean", "recension report PATH... -o DIR"),
        Command::Diff { .. } => not_yet("diff", "recension report A B -o DIR"),
    }
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
