//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A command running the `recension` binary built for these tests.
pub fn recension() -> assert_cmd::Command {
    assert_cmd::Command::new(env!("CARGO_BIN_EXE_recension"))
}

/// A fixture directory under `tests/fixtures`.
pub fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(case)
}

/// The sample corpus in `data/sample`.
pub fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample")
}

/// The documented columns of `variants.csv`, in order (the CSV contract,
/// written out here rather than taken from the code under test).
pub const VARIANTS_HEADER: [&str; 16] = [
    "variant_id",
    "cluster_id",
    "witness",
    "file",
    "line",
    "column",
    "category",
    "consensus",
    "reading",
    "support",
    "witnesses",
    "context_before",
    "context_after",
    "tie",
    "exact_consensus",
    "exact_reading",
];

/// The documented columns of `clusters.csv`, in order.
pub const CLUSTERS_HEADER: [&str; 11] = [
    "cluster_id",
    "witness",
    "file",
    "line_start",
    "line_end",
    "role",
    "similarity",
    "chars",
    "preview",
    "work",
    "reuse",
];

/// The documented columns of `witnesses.csv`, in order.
pub const WITNESSES_HEADER: [&str; 14] = [
    "witness",
    "files",
    "paragraphs",
    "clustered",
    "compared_chars",
    "deviations",
    "minority",
    "ties",
    "cer",
    "rank",
    "formal",
    "voted_chars",
    "reliability",
    "coverage",
];

/// A CSV file's header and rows, each row keyed by column name.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<BTreeMap<String, String>>,
}

/// Reads a CSV file back with the csv crate.
pub fn read_csv(path: &Path) -> Table {
    let mut reader = csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let header: Vec<String> = reader
        .headers()
        .expect("a header row")
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.expect("a well-formed record");
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect();
    Table { header, rows }
}

/// Runs the whole pipeline in-process and keeps every apparatus.
pub fn collate_all(
    config: &recension::config::Config,
) -> (
    recension::analysis::Analysis,
    Vec<recension::align::apparatus::Apparatus>,
    recension::ingest::Corpus,
) {
    let prepared = recension::pipeline::prepare(config).expect("the run succeeds");
    let corpus = prepared.corpus.clone();
    let mut all = Vec::new();
    let analysis = recension::pipeline::collate(prepared, |_, apparatus| {
        all.push(apparatus);
        Ok(())
    })
    .expect("the run succeeds");
    (analysis, all, corpus)
}

/// Default settings for `paths`, without progress bars.
pub fn quiet(paths: Vec<PathBuf>) -> recension::config::Config {
    let mut config = recension::config::Config::new(paths);
    config.progress = false;
    config
}
