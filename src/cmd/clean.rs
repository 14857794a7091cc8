//! `recension clean PATH... -o DIR`: cleaned copies, corpus.jsonl and
//! changes.csv, switched in as one tree.
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::Analysis;
use crate::clean::{
    Change, CleanCounts, CleanOptions, CleanedDocument, Collector, CorpusRecord, clean_document,
    first_paragraphs,
};
use crate::cli::Args;
use crate::ingest::Corpus;
use crate::pipeline;
use crate::report::set::OutputTree;

/// The file that marks a directory as `clean`'s output (it may be replaced).
const CORPUS: &str = "corpus.jsonl";
const CHANGES: &str = "changes.csv";

/// Cleans the sources into `output`.
pub fn run(
    args: &Args,
    paths: &[PathBuf],
    output: &Path,
    options: CleanOptions,
) -> anyhow::Result<ExitCode> {
    if options
        .categories
        .contains(&crate::classify::Category::Formal)
    {
        anyhow::bail!(
            "--correct-categories: formal differences are not corrected (each source keeps its own width, dashes, quotes and spaces)"
        );
    }
    refuse_overlap(paths, output)?;
    let tree = OutputTree::begin(output, CORPUS, &[CORPUS, CHANGES])?;
    let mut config = args.to_config(paths);
    config.exclude = vec![output.to_path_buf()];
    config.keep_text = true;
    let prepared = pipeline::prepare(&config)?;
    let mut collector = Collector::new(options.clone());
    let analysis = pipeline::collate(prepared, |_, apparatus| {
        collector.add(&apparatus);
        Ok(())
    })?;
    let corpus = &analysis.corpus;
    let firsts = first_paragraphs(&analysis.doc_paragraphs);
    let targets: Vec<PathBuf> = corpus
        .documents
        .iter()
        .map(|doc| {
            inside(
                &Path::new(&corpus.sources[doc.source.index()].name)
                    .join(corpus.relative_path(doc)),
            )
        })
        .collect();
    refuse_collisions(corpus, &targets)?;
    // Each document cleaned and written where it is segmented: the
    // cleaned corpus is never held whole.
    let cleaned: Vec<anyhow::Result<(Vec<Change>, Vec<CorpusRecord>)>> = corpus
        .documents
        .par_iter()
        .zip(&firsts)
        .zip(&analysis.doc_paragraphs)
        .zip(&targets)
        .map(|(((doc, &first), &n), target)| {
            let paragraphs = &analysis.paragraphs[first..first + n];
            let CleanedDocument {
                text,
                changes,
                alone,
            } = clean_document(doc, paragraphs, first, &collector);
            let to = tree.staging().join(target);
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            std::fs::write(&to, text).with_context(|| format!("cannot write {}", to.display()))?;
            Ok((changes, alone))
        })
        .collect();
    let mut counts = CleanCounts::default();
    let mut changes_out = csv::Writer::from_path(tree.staging().join(CHANGES))?;
    changes_out.write_record([
        "source",
        "file",
        "line",
        "column",
        "kind",
        "before",
        "after",
        "category",
        "supporting",
        "kept",
        "cleaned_line",
        "cleaned_column",
    ])?;
    let mut alone: Vec<CorpusRecord> = Vec::new();
    for result in cleaned {
        let (changes, records) = result?;
        counts.add(&changes);
        for c in &changes {
            write_change(&mut changes_out, corpus, c)?;
        }
        alone.extend(records);
    }
    changes_out.flush()?;
    counts.records = write_corpus(
        &tree.staging().join(CORPUS),
        &analysis,
        collector.records().iter().chain(&alone),
        &options,
    )?;
    tree.commit()?;
    if !args.quiet {
        write_summary(&analysis, &counts, output, io::stdout().lock())?;
    }
    Ok(super::finish(corpus, args.quiet))
}

/// `path` as a path inside the output whatever it holds: only its plain
/// components (a `..`, a root or a drive would lead out of it).
fn inside(path: &Path) -> PathBuf {
    path.components()
        .filter_map(|c| match c {
            std::path::Component::Normal(name) => Some(name),
            _ => None,
        })
        .collect()
}

/// Refuses to write two documents to one path, a document where
/// `corpus.jsonl` or `changes.csv` go, or a document where another's
/// folder goes: one would be lost.
fn refuse_collisions(corpus: &Corpus, targets: &[PathBuf]) -> anyhow::Result<()> {
    let mut seen: std::collections::BTreeMap<&Path, usize> = Default::default();
    for (d, t) in targets.iter().enumerate() {
        let top = t.components().next().map(|c| c.as_os_str());
        let clash = if top.is_some_and(|c| c == CORPUS || c == CHANGES) {
            Some(format!(
                "the output's own {}",
                top.map_or(String::new(), |c| c.to_string_lossy().into_owned())
            ))
        } else if let Some(&e) = seen.get(t.as_path()) {
            Some(corpus.documents[e].path.display().to_string())
        } else {
            None
        };
        if let Some(other) = clash {
            anyhow::bail!(
                "{} and {} would both be written to {}: give the sources distinct names",
                corpus.documents[d].path.display(),
                other,
                t.display()
            );
        }
        seen.insert(t, d);
    }
    // A document's path may not be the folder of another's.
    for t in targets {
        for a in t.ancestors().skip(1) {
            if let Some(&e) = seen.get(a) {
                anyhow::bail!(
                    "{} would be written where the folder of {} goes: give the sources distinct names",
                    corpus.documents[e].path.display(),
                    t.display()
                );
            }
        }
    }
    Ok(())
}

/// Refuses an output directory inside an input (its copies would be read
/// back as a source next time) or an input inside the output (it would be
/// replaced).
fn refuse_overlap(paths: &[PathBuf], output: &Path) -> anyhow::Result<()> {
    let out = absolute(output);
    for p in paths {
        let input = absolute(p);
        if out.starts_with(&input) {
            anyhow::bail!(
                "the output directory {} is inside the input {}: choose a directory outside the inputs",
                output.display(),
                p.display()
            );
        }
        if input.starts_with(&out) {
            anyhow::bail!(
                "the input {} is inside the output directory {}, which is replaced whole: choose another output directory",
                p.display(),
                output.display()
            );
        }
    }
    Ok(())
}

/// `path` made absolute, symbolic links resolved as far as it exists.
fn absolute(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut at = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    loop {
        if let Ok(real) = at.canonicalize() {
            return missing.into_iter().rev().fold(real, |p, c| p.join(c));
        }
        match (at.file_name().map(ToOwned::to_owned), at.parent()) {
            (Some(name), Some(parent)) => {
                missing.push(name);
                at = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
}

fn write_change(
    out: &mut csv::Writer<std::fs::File>,
    corpus: &Corpus,
    c: &Change,
) -> anyhow::Result<()> {
    let (source, file) = crate::clean::change_place(corpus, c);
    let supporting: Vec<&str> = c
        .supporting
        .iter()
        .map(|s| corpus.sources[s.index()].name.as_str())
        .collect();
    let kept = c.kept.map(|(doc, line)| {
        format!(
            "{}:{line}",
            corpus.documents[doc.index()].path.to_string_lossy()
        )
    });
    out.write_record([
        source,
        &file,
        &c.line.to_string(),
        &c.column.to_string(),
        c.kind.as_str(),
        &c.before,
        &c.after,
        c.category.map_or("", |k| k.as_str()),
        &supporting.join(" "),
        kept.as_deref().unwrap_or(""),
        &c.cleaned_line.to_string(),
        &c.cleaned_column.to_string(),
    ])?;
    Ok(())
}

/// Writes `corpus.jsonl`: the records attested by enough sources, each with
/// the member that stands for it. Returns how many were written.
fn write_corpus<'a>(
    path: &Path,
    analysis: &Analysis,
    records: impl Iterator<Item = &'a CorpusRecord>,
    options: &CleanOptions,
) -> anyhow::Result<usize> {
    let corpus = &analysis.corpus;
    let reliability: Vec<Option<f64>> = analysis.witnesses.iter().map(|w| w.reliability).collect();
    let mut out = io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
    );
    let mut written = 0;
    for r in records.filter(|r| r.sources() >= options.min_witnesses.max(1)) {
        let member = |m: &crate::clean::RecordMember| MemberOut {
            source: &corpus.sources[m.source.index()].name,
            file: corpus.documents[m.doc.index()].path.to_string_lossy(),
            lines: [m.lines.0, m.lines.1],
            role: m.role.as_str(),
        };
        let kept = r.kept(options.keep, &reliability);
        let line = RecordOut {
            cluster: r.cluster,
            text: &r.text,
            sources: r.sources(),
            members: r.members.iter().map(member).collect(),
            kept: member(&r.members[kept]),
        };
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
        written += 1;
    }
    out.flush()?;
    Ok(written)
}

/// One line of `corpus.jsonl`.
#[derive(Serialize)]
struct RecordOut<'a> {
    cluster: Option<u32>,
    text: &'a str,
    sources: usize,
    members: Vec<MemberOut<'a>>,
    kept: MemberOut<'a>,
}

/// A member of a `corpus.jsonl` record.
#[derive(Serialize)]
struct MemberOut<'a> {
    source: &'a str,
    file: std::borrow::Cow<'a, str>,
    lines: [u32; 2],
    role: &'static str,
}

/// The summary: what was done, where it went.
///
/// ```text
/// cleaned 5 documents of 5 sources: 12 corrections, 40 junk lines and 3 repeats dropped, 2 page breaks joined
/// wrote cleaned/ (a folder per source), cleaned/corpus.jsonl (180 records), cleaned/changes.csv (57 changes)
/// ```
fn write_summary<W: Write>(
    analysis: &Analysis,
    counts: &CleanCounts,
    output: &Path,
    mut out: W,
) -> io::Result<()> {
    let n = |k: &str| counts.by_kind.get(k).copied().unwrap_or(0);
    let total: usize = counts.by_kind.values().sum();
    writeln!(
        out,
        "cleaned {} documents of {} sources: {} corrections, {} junk lines and {} repeats dropped, {} page breaks joined, {} hyphens and {} markup removed",
        analysis.corpus.documents.len(),
        analysis.corpus.sources.len(),
        n("correct"),
        n("drop-junk"),
        n("drop-duplicate"),
        n("join"),
        n("dehyphenate"),
        n("strip-markup"),
    )?;
    let shown = crate::report::paint::escape_path(output);
    writeln!(
        out,
        "wrote {shown}/ (a folder per source), {shown}/{CORPUS} ({} records), {shown}/{CHANGES} ({total} changes)",
        counts.records
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_stay_inside_the_output() {
        assert_eq!(inside(Path::new("../a/./b.txt")), PathBuf::from("a/b.txt"));
        assert_eq!(
            inside(Path::new("/etc/passwd")),
            PathBuf::from("etc/passwd")
        );
    }
}
