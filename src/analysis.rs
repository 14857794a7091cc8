//! The result of a run, once every cluster has passed: what the summaries,
//! `witnesses.csv` and `report.json` show. The clusters themselves went to
//! the sinks one apparatus at a time (see [`crate::pipeline::collate`]).
use crate::cluster::ClusterStats;
use crate::config::Config;
use crate::evaluate::Evaluation;
use crate::ingest::Corpus;
use crate::model::SourceId;
use crate::stats::{Totals, WitnessStats};

/// The run's result.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The settings the analysis ran with.
    pub config: Config,
    /// Sources, documents (their text released) and skipped files.
    pub corpus: Corpus,
    /// Paragraphs of each document, in document order.
    pub doc_paragraphs: Vec<usize>,
    /// The paragraphs themselves (text released, rebuilt from the
    /// documents), when [`crate::config::Config::keep_text`] asked for them; empty
    /// otherwise.
    pub paragraphs: Vec<crate::segment::Paragraph>,
    /// The source taken as ground truth, if any.
    pub reference: Option<SourceId>,
    /// Statistics per source, in source order.
    pub witnesses: Vec<WitnessStats>,
    /// With a reference: every source that pairs files with it, measured
    /// file by file.
    pub evaluation: Option<Evaluation>,
    /// Counts over all clusters.
    pub totals: Totals,
    /// Counts from the clustering stages.
    pub cluster_stats: ClusterStats,
    /// Clusters aligned to estimate each source's reliability before ties
    /// were broken (0 with a reference, or when no cluster has three
    /// aligned members).
    pub reliability_sample: usize,
}

impl Analysis {
    /// Paragraphs read, all roles.
    pub fn paragraphs(&self) -> usize {
        self.doc_paragraphs.iter().sum()
    }
}
