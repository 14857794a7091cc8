//! recension compares several versions ("witnesses") of the same transcripts
//! and reports where they differ and which reading is right.
//!
//! ```text
//! ingest → segment → normalize → candidates → cluster → align → apparatus → report
//! files    paragraphs  NFKC…      shingles     verified   consensus  per cluster  CSV, JSON, audit
//! ```
//!
//! Each stage is a module with a free function over borrowed input;
//! [`pipeline::prepare`] reads and clusters the corpus, and
//! [`pipeline::collate`] aligns the clusters in parallel batches and hands
//! each one's [`align::apparatus::Apparatus`] to a sink as it completes,
//! returning the run's [`analysis::Analysis`] at the end.
//!
//! ```no_run
//! let config = recension::config::Config::new(vec!["data/sample".into()]);
//! let prepared = recension::pipeline::prepare(&config)?;
//! let mut sites = 0;
//! let analysis = recension::pipeline::collate(prepared, |_corpus, apparatus| {
//!     sites += apparatus.sites.len();
//!     Ok(())
//! })?;
//! println!("{} clusters, {sites} variation sites", analysis.totals.clusters);
//! # Ok::<(), anyhow::Error>(())
//! ```
#![warn(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod align;
pub mod analysis;
pub mod candidates;
pub mod chars;
pub mod classify;
pub mod clean;
pub mod cli;
pub mod cluster;
pub mod cmd;
pub mod compare;
pub mod config;
pub mod diff;
pub mod escape;
pub mod evaluate;
pub mod fca;
pub mod ingest;
pub mod minhash;
pub mod model;
pub mod normalize;
pub mod pipeline;
pub mod report;
pub mod segment;
pub mod stats;

use std::io;

/// Exit status: success.
pub const EXIT_OK: u8 = 0;
/// Exit status of `diff` when the inputs differ (as diff(1)).
pub const EXIT_DIFFERENT: u8 = 1;
/// Exit status on an error, and when some input files were skipped (the
/// outputs are still written, as ripgrep does).
pub const EXIT_ERROR: u8 = 2;

pub use cmd::run;

/// Whether an error is a closed pipe (`recension paragraphs … | head`),
/// which ends the run quietly.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let io_kind = cause
            .downcast_ref::<io::Error>()
            .map(io::Error::kind)
            // The JSON and CSV writers wrap the I/O error they met.
            .or_else(|| cause.downcast_ref::<serde_json::Error>()?.io_error_kind())
            .or_else(|| match cause.downcast_ref::<csv::Error>()?.kind() {
                csv::ErrorKind::Io(e) => Some(e.kind()),
                _ => None,
            });
        io_kind == Some(io::ErrorKind::BrokenPipe)
    })
}
