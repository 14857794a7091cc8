//! OCR evaluation against a reference source, file by file.
//!
//! ```text
//! gt/19.txt  ──┐                         pages.csv: 19.txt ↔ 19.txt  CER 0.3216 …
//! ocr/19.txt ──┴→ compare (as `diff`)  → witnesses.csv: ocr  cer 0.4155  coverage 1.000000
//! gt/20.txt     (no ocr/20.txt)          summary: ocr measured 92.1 % of the reference
//! ```
//!
//! When a source holds files of the same relative paths as the reference
//! (the usual layout: a folder of ground truth, a folder per engine), each
//! pair is compared over the whole file as `diff` compares it, and the
//! source is measured on those pairs: every character of a paired
//! reference file counts, whatever the engine did to its paragraphing (one
//! OCR block spanning two ground-truth paragraphs, a paragraph end lost to
//! trailing noise). Clusters measure only what clustered, and pair a
//! paragraph with the one cluster it joined. A source that pairs no file is
//! measured on the clusters, as before. Either way, how much of the
//! reference was measured (the coverage) is reported.
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::compare::{Measures, PageRecord, Side, measure};
use crate::ingest::{Corpus, Document};
use crate::model::SourceId;
use crate::normalize::NormalizeConfig;

/// One source measured file by file against the reference.
#[derive(Clone, Debug, PartialEq)]
pub struct SourcePages {
    /// The source.
    pub source: SourceId,
    /// One record per pair of files, in the reference's file order;
    /// `file_a` is the reference's path, `file_b` the source's, as reached
    /// from the command line.
    pub pages: Vec<PageRecord>,
    /// Reference files the source has no file for, as reached from the
    /// command line: not measured.
    pub unmeasured: Vec<PathBuf>,
}

/// The file-by-file evaluation of every source that pairs files with the
/// reference.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evaluation {
    /// The reference's characters as OCR evaluation counts them (see
    /// [`NormalizeConfig::evaluation`]): the denominator of coverage for
    /// sources measured file by file.
    pub reference_chars: usize,
    /// The reference's characters as the clusters count them (the
    /// comparison normalization): the denominator for sources measured on
    /// clusters.
    pub reference_chars_clustered: usize,
    /// The sources that pair at least one file, in source order.
    pub sources: Vec<SourcePages>,
}

impl Evaluation {
    /// The file-by-file measure of `source`, if it pairs files.
    pub fn of(&self, source: SourceId) -> Option<&SourcePages> {
        self.sources.iter().find(|s| s.source == source)
    }
}

/// Compares every document of every other source with the reference's
/// document of the same relative path (none with `pair_files` false: only
/// the reference's characters are counted, for the coverage), with their
/// flexible character accuracy when `flexible` is set. The documents' text
/// must still be held.
pub fn evaluate(
    corpus: &Corpus,
    reference: SourceId,
    pair_files: bool,
    flexible: bool,
) -> Evaluation {
    let options = NormalizeConfig::evaluation();
    let clustered = NormalizeConfig::default();
    let references: Vec<&Document> = corpus
        .documents
        .iter()
        .filter(|d| d.source == reference)
        .collect();
    // Each source's file of each reference file's relative path, if any.
    let mut paired: Vec<(SourceId, Vec<Option<&Document>>)> = Vec::new();
    for source in corpus
        .sources
        .iter()
        .filter(|s| s.id != reference && pair_files)
    {
        let mut own: Vec<(&Path, &Document)> = corpus
            .documents
            .iter()
            .filter(|d| d.source == source.id)
            .map(|d| (corpus.relative_path(d), d))
            .collect();
        own.sort_by(|a, b| a.0.cmp(b.0));
        let files: Vec<Option<&Document>> = references
            .iter()
            .map(|r| {
                let rel = corpus.relative_path(r);
                own.binary_search_by(|(p, _)| (*p).cmp(rel))
                    .ok()
                    .map(|k| own[k].1)
            })
            .collect();
        if files.iter().any(Option::is_some) {
            paired.push((source.id, files));
        }
    }
    // One reference file at a time, measured against every source's file
    // of its path, so that a thread holds one reference side, not the
    // whole reference. Measured, not aligned: the distance between the
    // whole texts is what `diff` reports for the pair; the categories are
    // `diff`'s to show (and the clusters', in variants.csv).
    let measured: Vec<(usize, usize, Vec<Option<Measures>>)> = references
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            let side = Side::new((*r).clone(), &options);
            let clustered_chars = Side::new((*r).clone(), &clustered).text.chars.len();
            let pages = paired
                .iter()
                .map(|(_, files)| {
                    files[i].map(|doc| measure(&side, &Side::new(doc.clone(), &options), flexible))
                })
                .collect();
            (side.text.chars.len(), clustered_chars, pages)
        })
        .collect();
    let reference_chars = measured.iter().map(|m| m.0).sum();
    let reference_chars_clustered = measured.iter().map(|m| m.1).sum();
    let sources = paired
        .iter()
        .enumerate()
        .map(|(k, (source, files))| {
            let mut pages = Vec::new();
            let mut unmeasured = Vec::new();
            for (i, file) in files.iter().enumerate() {
                match (file, &measured[i].2[k]) {
                    (Some(doc), Some(m)) => pages.push(PageRecord::measured(
                        references[i].path.to_string_lossy().into_owned(),
                        doc.path.to_string_lossy().into_owned(),
                        *m,
                    )),
                    _ => unmeasured.push(references[i].path.clone()),
                }
            }
            SourcePages {
                source: *source,
                pages,
                unmeasured,
            }
        })
        .collect();
    Evaluation {
        reference_chars,
        reference_chars_clustered,
        sources,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::ingest;

    /// A reference folder and an engine's folder in a temporary directory.
    fn corpus(files: &[(&str, &str)]) -> (tempfile::TempDir, Corpus) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().expect("a parent")).expect("created");
            std::fs::write(p, text).expect("written");
        }
        let paths = [dir.path().join("gt"), dir.path().join("ocr")];
        let corpus = ingest(&paths).expect("read");
        (dir, corpus)
    }

    #[test]
    fn files_of_one_relative_path_are_compared_whole() {
        // The engine runs the two paragraphs of page 1 into one block and
        // loses page 2.
        let (_dir, corpus) = corpus(&[
            (
                "gt/p1.txt",
                "First paragraph of the page.\n\nSecond paragraph here.\n",
            ),
            ("gt/p2.txt", "Another page entirely.\n"),
            (
                "ocr/p1.txt",
                "First paragraph of the page. Secand paragraph here.\n",
            ),
        ]);
        let reference = corpus.sources[0].id;
        let e = evaluate(&corpus, reference, true, false);
        assert_eq!(e.sources.len(), 1);
        let s = &e.sources[0];
        assert_eq!(s.pages.len(), 1);
        let m = s.pages[0].measures;
        // `First … page.` (28), a space for the paragraph break, and
        // `Second paragraph here.` (22): every character measured, one
        // substitution.
        assert_eq!((m.chars, m.edits, m.substitutions), (51, 1, 1));
        assert_eq!(s.unmeasured.len(), 1);
        assert!(s.unmeasured[0].ends_with("p2.txt"));
        // Both reference files count towards coverage.
        assert_eq!(e.reference_chars, 51 + 22);
    }

    #[test]
    fn a_source_without_common_paths_is_left_to_the_clusters() {
        let (_dir, corpus) = corpus(&[
            ("gt/a.txt", "Some text of the page.\n"),
            ("ocr/b.txt", "Some text of the page.\n"),
        ]);
        let e = evaluate(&corpus, corpus.sources[0].id, true, false);
        assert!(e.sources.is_empty());
        assert_eq!(e.reference_chars, 22);
    }
}
