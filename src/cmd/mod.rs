//! The command layer: one file per subcommand. Each turns its arguments
//! into typed options once, runs the library, and prints; the library
//! itself prints nothing.
//!
//! ```text
//! Args ─ to_config ─→ pipeline::prepare → pipeline::collate(sink) → Analysis → summary
//! ```
mod audit;
mod clean;
mod cluster;
mod diff;
mod paragraphs;
mod report;

use std::io::{self, Write};
use std::process::ExitCode;

use crate::cli::{Args, Command};
use crate::ingest::{Corpus, Severity, Skipped};
use crate::report::paint::{escape, escape_path};
use crate::{EXIT_ERROR, EXIT_OK, pipeline};

/// Runs one command line and returns the exit status. The whole command
/// runs in one thread pool (`--threads`), writers included.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let threads = args.threads.map(std::num::NonZeroUsize::get);
    pipeline::in_pool(threads, || match &args.command {
        Command::Report {
            paths,
            output,
            tei,
            alignment_table,
            judging,
        } => report::run(
            args,
            paths,
            output,
            judging,
            crate::report::Extras {
                tei: *tei,
                alignment_table: *alignment_table,
            },
        ),
        Command::Cluster { paths, output } => cluster::run(args, paths, output),
        Command::Paragraphs { paths } => paragraphs::run(args, paths),
        Command::Audit {
            paths,
            category,
            source,
            limit,
            judging,
            color,
        } => audit::run(
            args,
            paths,
            audit::Options {
                categories: category,
                sources: source,
                limit: *limit,
                judging,
                color: color.choice,
            },
        ),
        Command::Clean {
            paths,
            output,
            correct,
            correct_categories,
            min_witnesses,
            keep,
        } => clean::run(
            args,
            paths,
            output,
            crate::clean::CleanOptions {
                correct: *correct,
                categories: correct_categories.clone(),
                min_witnesses: *min_witnesses,
                keep: (*keep).into(),
            },
        ),
        Command::Diff {
            a,
            b,
            keep_formal,
            format,
            color,
        } => diff::run(args, a, b, *keep_formal, *format, color.choice),
    })?
}

/// Reports skipped paths on stderr and picks the exit status: 2 when a
/// skip is an error ([`Severity::Error`]: missing, unreadable, undecodable,
/// special files), 0 when all are notes (files that are not text).
fn finish(corpus: &Corpus, quiet: bool) -> ExitCode {
    if report_skipped(&corpus.skipped, quiet) {
        ExitCode::from(EXIT_ERROR)
    } else {
        ExitCode::from(EXIT_OK)
    }
}

/// Prints one line per skipped path on stderr (notes only without
/// `--quiet`; errors always, since they change the exit status) and says
/// whether any is an error.
fn report_skipped(skipped: &[Skipped], quiet: bool) -> bool {
    let mut err = io::stderr().lock();
    for s in skipped {
        let (path, reason) = (escape_path(&s.path), escape(&s.reason));
        let _ = match s.severity {
            Severity::Error => writeln!(err, "recension: skipped {path}: {reason}"),
            Severity::Note if quiet => Ok(()),
            Severity::Note => writeln!(err, "recension: note: skipped {path}: {reason}"),
        };
    }
    skipped.iter().any(Skipped::is_error)
}

/// The line that reports `error` on stderr, escaped: error messages name
/// files, and a file name must not break the line or drive the terminal.
pub fn error_line(error: &anyhow::Error) -> String {
    format!("recension: {}", escape(&format!("{error:#}")))
}

/// Prints the coverage warnings of a run with a reference on standard
/// error (see [`crate::report::terminal::coverage_warnings`]).
fn warn_coverage(analysis: &crate::analysis::Analysis) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    for w in crate::report::terminal::coverage_warnings(analysis) {
        let _ = writeln!(err, "{w}");
    }
}
