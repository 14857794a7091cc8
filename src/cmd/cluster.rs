//! `recension cluster PATH... -o DIR`: near-duplicate clustering only.
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::Args;
use crate::pipeline;
use crate::report::{terminal, write_clustering};

/// Clusters the sources and writes `clusters.csv` into `output`.
pub fn run(args: &Args, paths: &[PathBuf], output: &Path) -> anyhow::Result<ExitCode> {
    let mut config = args.to_config(paths);
    config.exclude = vec![output.to_path_buf()];
    let clustering = pipeline::cluster_only(&config)?;
    let written = write_clustering(&clustering, output)?;
    if !args.quiet {
        terminal::write_clustering_summary(&clustering, &written, io::stdout().lock())?;
    }
    Ok(super::finish(&clustering.corpus, args.quiet))
}
