//! What to compute, per stage, as plain data with defaults. No clap types:
//! [`crate::cli::Args::to_config`] is the one place that builds it.
use std::path::PathBuf;

use crate::cluster::ClusterConfig;
use crate::normalize::NormalizeConfig;

/// Settings of one analysis run.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// The sources, as given on the command line (SPEC §2).
    pub paths: Vec<PathBuf>,
    /// Directories never read as input, wherever they are found: the
    /// output directory of `report` and `cluster`, so that a report written
    /// inside an input directory is not read back as a source.
    pub exclude: Vec<PathBuf>,
    /// `--glob` patterns: which files of a source directory are read
    /// ([`crate::ingest::Selection::new`]).
    pub globs: Vec<String>,
    /// Normalization layers.
    pub normalize: NormalizeConfig,
    /// Candidates, verification and merging.
    pub cluster: ClusterConfig,
    /// The source taken as ground truth (`--reference`), by name.
    pub reference: Option<String>,
    /// With a reference: measure a source that holds files of the
    /// reference's relative paths file by file, over the whole files, as
    /// `diff` does (OCR evaluation); otherwise only in the clusters it
    /// shares with the reference (`--measure-by clusters`).
    pub pair_files: bool,
    /// With file pairs: also measure each pair's flexible character
    /// accuracy (`--fca`), a reading-order-independent score that costs
    /// far more than the CER on pages whose lines are many and long.
    pub flexible: bool,
    /// Report formal differences as variants (`--keep-formal`).
    pub keep_formal: bool,
    /// Worker threads; `None` lets rayon choose (one per core).
    pub threads: Option<usize>,
    /// Draw progress bars (they also hide themselves when stderr is not a
    /// terminal).
    pub progress: bool,
    /// Keep the documents' text in the [`crate::analysis::Analysis`]
    /// (`clean` writes each document again); otherwise it is released once
    /// the clusters are collated.
    pub keep_text: bool,
}

impl Config {
    /// Default settings for the given paths.
    pub fn new(paths: Vec<PathBuf>) -> Config {
        Config {
            paths,
            exclude: Vec::new(),
            globs: Vec::new(),
            normalize: NormalizeConfig::default(),
            cluster: ClusterConfig::default(),
            reference: None,
            pair_files: true,
            flexible: false,
            keep_formal: false,
            threads: None,
            progress: true,
            keep_text: false,
        }
    }
}
