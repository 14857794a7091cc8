//! `recension paragraphs PATH...`: how the sources were read, as JSON lines.
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::Args;
use crate::pipeline;
use crate::report::json::write_paragraphs;

/// Prints one JSON object per paragraph.
pub fn run(args: &Args, paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let (corpus, paragraphs) = pipeline::read(&args.to_config(paths))?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    write_paragraphs(&corpus, &paragraphs, &mut out)?;
    out.flush()?;
    Ok(super::finish(&corpus, args.quiet))
}
