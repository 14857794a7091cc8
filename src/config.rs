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
    /// Normalization layers.
    pub normalize: NormalizeConfig,
    /// Candidate pairs need at least this containment of shingles before
    /// they are verified.
    pub candidate_overlap: f64,
    /// Verification and merging.
    pub cluster: ClusterConfig,
    /// Worker threads; `None` lets rayon choose (one per core).
    pub threads: Option<usize>,
    /// Draw progress bars (they also hide themselves when stderr is not a
    /// terminal).
    pub progress: bool,
}

/// Default candidate overlap: 0.2. A Han pair at the default similarity of
/// 0.7 keeps at least 40% of its bigrams (one edit breaks at most two); Latin
/// 5-grams break more easily, hence the lower bound. Below it a pair is not
/// worth a Levenshtein computation.
pub const DEFAULT_CANDIDATE_OVERLAP: f64 = 0.2;

impl Config {
    /// Default settings for the given paths.
    pub fn new(paths: Vec<PathBuf>) -> Config {
        Config {
            paths,
            normalize: NormalizeConfig::default(),
            candidate_overlap: DEFAULT_CANDIDATE_OVERLAP,
            cluster: ClusterConfig::default(),
            threads: None,
            progress: true,
        }
    }
}
