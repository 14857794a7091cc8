//! `recension report PATH... -o DIR`: the report files, and a summary.
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{Args, Judging};
use crate::pipeline;
use crate::report::{Extras, ReportWriter, terminal};

/// Collates the sources into the report set in `output`.
pub fn run(
    args: &Args,
    paths: &[PathBuf],
    output: &Path,
    judging: &Judging,
    extras: Extras,
) -> anyhow::Result<ExitCode> {
    let mut config = args.to_config_judged(paths, judging);
    config.exclude = vec![output.to_path_buf()];
    let prepared = pipeline::prepare(&config)?;
    let mut writer = ReportWriter::create(output, extras)?;
    let analysis = pipeline::collate(prepared, |corpus, apparatus| writer.add(corpus, &apparatus))?;
    let written = writer.finish(&analysis)?;
    if !args.quiet {
        terminal::write_summary(&analysis, &written, io::stdout().lock())?;
    }
    super::warn_coverage(&analysis);
    Ok(super::finish(&analysis.corpus, args.quiet))
}
