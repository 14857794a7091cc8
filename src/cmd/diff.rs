//! `recension diff A B`: two files, or two directories file by file,
//! compared paragraph by paragraph.
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use rayon::prelude::*;

use crate::cli::{Args, DiffFormat};
use crate::compare::PageRecord;
use crate::normalize::NormalizeConfig;
use crate::report::pages;
use crate::report::paint::{ColorChoice, Paint, escape_path, use_color};
use crate::{EXIT_DIFFERENT, EXIT_ERROR, EXIT_OK, compare, report};

/// The `diff` command: two files, or two directories file by file.
pub fn run(
    args: &Args,
    a: &Path,
    b: &Path,
    keep_formal: bool,
    format: DiffFormat,
    color: ColorChoice,
) -> anyhow::Result<ExitCode> {
    let config = args.to_config(&[a.to_path_buf(), b.to_path_buf()]);
    // OCR evaluation's measure: case and spaces count.
    let options = compare::CompareOptions {
        normalize: NormalizeConfig::evaluation(),
        keep_formal,
    };
    for path in [a, b] {
        std::fs::metadata(path).with_context(|| format!("cannot read {}", escape_path(path)))?;
    }
    let tree = match (a.is_dir(), b.is_dir()) {
        (false, false) => compare::TreeComparison {
            pairs: vec![(a.to_path_buf(), b.to_path_buf())],
            ..Default::default()
        },
        (true, true) => {
            compare::pair_trees(a, b, &crate::ingest::Selection::new(&[], &config.globs)?)?
        }
        _ => anyhow::bail!(
            "diff compares two files or two directories, not {} and {}",
            escape_path(a),
            escape_path(b)
        ),
    };
    // Files of the two trees that cannot be read are named, and make the
    // status 2, as in `report`.
    let mut failed = super::report_skipped(&tree.skipped, args.quiet);
    let paint = Paint::new(use_color(color));
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut totals = report::diffview::DiffTotals {
        formal_shown: keep_formal,
        ..Default::default()
    };
    // Pairs are compared in parallel and printed in path order.
    let comparisons: Vec<anyhow::Result<(compare::Comparison, compare::Measures)>> = tree
        .pairs
        .par_iter()
        .map(|(fa, fb)| {
            compare::compare_files(fa, fb, &options).map(|c| {
                let m = c.measures();
                (c, m)
            })
        })
        .collect();
    if format != DiffFormat::Text {
        // A file pair is named by its paths relative to the two arguments
        // (as given, for two files).
        let name = |root: &Path, path: &Path| -> String {
            path.strip_prefix(root)
                .ok()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(path)
                .to_string_lossy()
                .into_owned()
        };
        let mut records = Vec::new();
        let mut differ = false;
        for (c, (fa, fb)) in comparisons.into_iter().zip(&tree.pairs) {
            match c {
                Ok((c, m)) => {
                    differ |= c.differ();
                    records.push(PageRecord::of(name(a, fa), name(b, fb), &c, m));
                }
                Err(e) => {
                    failed = true;
                    let _ = writeln!(io::stderr().lock(), "{}", super::error_line(&e));
                }
            }
        }
        let only_a: Vec<String> = tree.only_a.iter().map(|p| name(a, p)).collect();
        let only_b: Vec<String> = tree.only_b.iter().map(|p| name(b, p)).collect();
        let out = io::BufWriter::new(io::stdout().lock());
        let written = match format {
            DiffFormat::Csv => pages::write_csv(&records, out),
            _ => pages::write_json(&records, &only_a, &only_b, out),
        };
        if let Err(e) = written {
            // A closed pipe stops the printing, nothing else.
            let closed_pipe = e.chain().any(|c| {
                c.downcast_ref::<io::Error>()
                    .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
                    || c.downcast_ref::<csv::Error>().is_some_and(|c| {
                        matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe)
                    })
            });
            if !closed_pipe {
                return Err(e);
            }
        }
        if !args.quiet {
            let mut err = io::stderr().lock();
            for (root, p) in only_a
                .iter()
                .map(|p| (a, p))
                .chain(only_b.iter().map(|p| (b, p)))
            {
                let _ = writeln!(
                    err,
                    "recension: note: only in {}: {}",
                    escape_path(root),
                    escape_path(Path::new(p))
                );
            }
        }
        return Ok(ExitCode::from(if failed {
            EXIT_ERROR
        } else if differ || !tree.only_a.is_empty() || !tree.only_b.is_empty() {
            EXIT_DIFFERENT
        } else {
            EXIT_OK
        }));
    }
    // A closed pipe (`diff … | head`) stops the printing, not the
    // comparison: the exit status still says whether the inputs differ.
    let mut show = !args.quiet;
    for c in comparisons {
        match c {
            Ok((c, m)) => {
                totals.add(&c, &m);
                if show {
                    let shown = report::diffview::write_comparison(&c, paint, &mut out);
                    printing(shown, &mut show)?;
                }
            }
            Err(e) => {
                // One unreadable pair does not stop the others.
                failed = true;
                printing(out.flush(), &mut show)?;
                let _ = writeln!(io::stderr().lock(), "{}", super::error_line(&e));
            }
        }
    }
    if show {
        let shown = (|| -> io::Result<()> {
            for path in &tree.only_a {
                writeln!(out, "Only in {}: {}", escape_path(a), escape_path(path))?;
            }
            for path in &tree.only_b {
                writeln!(out, "Only in {}: {}", escape_path(b), escape_path(path))?;
            }
            report::diffview::write_totals(&totals, &mut out)?;
            out.flush()
        })();
        printing(shown, &mut show)?;
    }
    Ok(ExitCode::from(if failed {
        EXIT_ERROR
    } else if totals.differing > 0 || !tree.only_a.is_empty() || !tree.only_b.is_empty() {
        EXIT_DIFFERENT
    } else {
        EXIT_OK
    }))
}

/// Passes a printing error on, except a closed pipe, which stops the
/// printing (`show`) and nothing else.
fn printing(result: io::Result<()>, show: &mut bool) -> io::Result<()> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            *show = false;
            Ok(())
        }
        other => other,
    }
}
