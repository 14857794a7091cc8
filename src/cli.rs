//! Command-line arguments (clap derive). The doc comments are the help text.
use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{Args as ClapArgs, Parser, Subcommand};

use crate::classify::Category;
use crate::config::Config;
use crate::report::paint::ColorChoice;

/// `--category`: one of the category names, listed in the help and in the
/// error for any other.
fn category_parser() -> impl clap::builder::TypedValueParser<Value = Category> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(Category::ALL.map(Category::as_str))
        .map(|name| Category::from_name(&name).expect("only listed names pass"))
}

/// `--threads`: a whole number of at least 1, with a message that says so.
fn threads_parser(value: &str) -> Result<NonZeroUsize, String> {
    match value.parse::<usize>() {
        Ok(0) => Err("the number of threads must be at least 1".to_string()),
        Ok(n) => Ok(NonZeroUsize::new(n).expect("not zero")),
        Err(_) => Err(format!("{value:?} is not a number of threads")),
    }
}

/// Compare several versions of the same transcripts: find near-duplicate
/// paragraphs across sources, align them character by character, and report
/// where and how each version differs from the consensus.
#[derive(Debug, Parser)]
#[command(name = "recension", version, about, long_about = None)]
#[command(after_help = "Examples:\n  \
    recension report data/sample -o report\n  \
    recension paragraphs data/sample/001_df2ad415fbb60e3c.txt")]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print nothing but errors; draw no progress bars.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Number of worker threads (default: one per core). The output is the
    /// same whatever the number.
    #[arg(long, short = 'j', global = true, value_name = "N", value_parser = threads_parser)]
    pub threads: Option<NonZeroUsize>,
    /// Read only the files of source directories that match GLOB
    /// (gitignore syntax, as `rg --glob`; repeatable, the last match
    /// wins). `!GLOB` leaves matching files out. A pattern without `/`
    /// matches file names at any depth. Without a selecting pattern, files
    /// ending .txt, .md, .markdown, .text or without extension are read.
    #[arg(long, short = 'g', global = true, value_name = "GLOB")]
    pub glob: Vec<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write the variance report: variants.csv, clusters.csv, witnesses.csv,
    /// report.json (the summary) and apparatus.jsonl (each cluster's
    /// collation) in DIR, and print a summary.
    ///
    /// With one directory, each file or subdirectory in it is a source;
    /// with several paths, each path is a source.
    #[command(after_help = "Example:\n  recension report data/sample -o report")]
    Report {
        /// Sources: files or directories of text files.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Directory for the report files (created if missing).
        #[arg(long, short, value_name = "DIR", help_heading = "Output")]
        output: PathBuf,
        /// Also write DIR/report.tei.xml: the collation as TEI P5 parallel
        /// segmentation (an `<app>` per variation site).
        #[arg(long, help_heading = "Output")]
        tei: bool,
        /// Also write the alignment table of every cluster (witnesses as
        /// rows, aligned segments as columns): a `table` in each line of
        /// apparatus.jsonl, and DIR/alignment.csv, one row per cell.
        #[arg(long, help_heading = "Output")]
        alignment_table: bool,
        /// How readings are judged.
        #[command(flatten)]
        judging: Judging,
    },
    /// Find near-duplicate paragraphs only: write DIR/clusters.csv (every
    /// paragraph that has a version, a duplicate or a fragment elsewhere),
    /// without aligning them. The first stage of `report`, for deduplicating
    /// large corpora.
    #[command(after_help = "Example:\n  recension cluster data/sample -o clusters")]
    Cluster {
        /// Sources: files or directories of text files.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Directory for clusters.csv (created if missing).
        #[arg(long, short, value_name = "DIR", help_heading = "Output")]
        output: PathBuf,
    },
    /// Show, in the terminal, which source is most reliable and every place
    /// where the sources disagree, grouped by cluster.
    #[command(
        after_help = "Examples:\n  recension audit data/sample\n  recension audit data/sample --source 004 --category substitution,deletion --limit 20"
    )]
    Audit {
        /// Sources: files or directories of text files.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Show only places with a reading of these categories
        /// (comma-separated).
        #[arg(long, value_delimiter = ',', value_parser = category_parser(), value_name = "CATEGORY", help_heading = "Filter")]
        category: Vec<Category>,
        /// Show only places where this source reads differently from the
        /// consensus (its name, or the short name the ranking shows;
        /// comma-separated or repeated).
        #[arg(
            long,
            value_delimiter = ',',
            value_name = "SOURCE",
            help_heading = "Filter"
        )]
        source: Vec<String>,
        /// Show at most N places.
        #[arg(long, value_name = "N", help_heading = "Filter")]
        limit: Option<usize>,
        /// How readings are judged.
        #[command(flatten)]
        judging: Judging,
        /// When to colour the output.
        #[command(flatten)]
        color: Coloring,
    },
    /// Write a cleaned copy of every document: paragraphs as read (page
    /// breaks repaired, hyphenation and markup removed), junk lines and
    /// repeated paragraphs dropped, and with --correct the readings the
    /// other sources outvote replaced. Also DIR/corpus.jsonl (one record per
    /// passage: the deduplicated corpus) and DIR/changes.csv (every change,
    /// with file and line). Inputs are never modified.
    ///
    /// DIR/SOURCE/PATH (the path in the source) holds each cleaned copy. DIR is
    /// replaced whole, so it must be new, empty, or an earlier output of
    /// `clean`; it may not lie inside an input.
    #[command(after_help = "Example:\n  recension clean data/sample -o cleaned --correct")]
    Clean {
        /// Sources: files or directories of text files.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Directory for the cleaned corpus.
        #[arg(long, short, value_name = "DIR", help_heading = "Output")]
        output: PathBuf,
        /// Replace a reading where the consensus of the other sources
        /// outvotes it: never at a tie, never on the word of one other
        /// source.
        #[arg(long, help_heading = "Correction")]
        correct: bool,
        /// With --correct, correct only these categories (comma-separated).
        /// Default: all, except the substitution of a whole word by
        /// another, which may be an editor's.
        #[arg(long, value_delimiter = ',', value_parser = category_parser(), value_name = "CATEGORY", requires = "correct", help_heading = "Correction")]
        correct_categories: Vec<Category>,
        /// Keep in corpus.jsonl only passages that N sources or more attest.
        #[arg(long, value_name = "N", default_value_t = 1, help_heading = "Corpus")]
        min_witnesses: usize,
        /// Which member stands for a passage in corpus.jsonl.
        #[arg(
            long,
            value_enum,
            default_value_t,
            value_name = "WHICH",
            help_heading = "Corpus"
        )]
        keep: KeepArg,
    },
    /// Compare two files character by character, paragraph by paragraph:
    /// changed paragraphs with their changes marked, a category and CER
    /// for each. Exits 1 when they differ, 0 when not (as diff(1)).
    #[command(
        after_help = "Example:\n  recension diff data/sample/002_ed602138bd357a0a.txt data/sample/004_3c0b0e0b6bb004f2.txt"
    )]
    Diff {
        /// The first file (the reference: CER is measured against it), or
        /// a directory.
        a: PathBuf,
        /// The second file, or a directory whose files are paired with the
        /// first's by relative path.
        b: PathBuf,
        /// Also show formal differences (width, dashes, quotes, spaces).
        #[arg(long)]
        keep_formal: bool,
        /// text: the changed paragraphs, marked; csv or json: one record
        /// per file pair (characters, edits by kind, CER, words, WER,
        /// categories) and the total.
        #[arg(long, value_enum, default_value_t, value_name = "FORMAT")]
        format: DiffFormat,
        /// When to colour the output.
        #[command(flatten)]
        color: Coloring,
    },
    /// Print how the sources were read: one JSON object per paragraph
    /// (source, file, line_start, line_end, script, role, text).
    #[command(after_help = "Example:\n  recension paragraphs data/sample/001_df2ad415fbb60e3c.txt")]
    Paragraphs {
        /// Sources: files or directories of text files.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
    },
}

/// What `diff` prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// The changed paragraphs with the changes marked, and a summary.
    #[default]
    Text,
    /// One CSV record per file pair, and a total.
    Csv,
    /// One JSON object: the pairs, the total, the unpaired files.
    Json,
}

/// `--color`, for the commands that print to a terminal.
#[derive(Clone, Copy, Debug, Default, ClapArgs)]
pub struct Coloring {
    /// When to colour: auto (a terminal, NO_COLOR unset), always, never.
    #[arg(
        long = "color",
        value_enum,
        default_value_t,
        value_name = "WHEN",
        help_heading = "Output"
    )]
    pub choice: ColorChoice,
}

/// Options that decide what counts as the right reading.
#[derive(Clone, Debug, Default, ClapArgs)]
pub struct Judging {
    /// Take this source as the ground truth instead of the majority (OCR
    /// evaluation): its reading is the consensus wherever it has the
    /// paragraph, and error rates are measured against it.
    #[arg(long, value_name = "SOURCE", help_heading = "Judging")]
    pub reference: Option<String>,
    /// Also report formal differences (width, dashes, quotes, spaces, case)
    /// as variants; they are always counted per source.
    #[arg(long, help_heading = "Judging")]
    pub keep_formal: bool,
    /// With --reference, how a source is measured against it: files (a
    /// source's file of the same relative path as a reference file is
    /// compared with it whole, as `diff` does, case and spaces counted:
    /// OCR evaluation; sources without such files by clusters) or clusters
    /// (only the paragraphs that cluster with the reference's, compared as
    /// the collation compares them: transcripts against an authoritative
    /// version).
    #[arg(
        long,
        value_enum,
        default_value_t,
        value_name = "HOW",
        requires = "reference",
        help_heading = "Judging"
    )]
    pub measure_by: MeasureBy,
    /// With --reference, also measure each file pair's flexible character
    /// accuracy (the `fca` column of pages.csv): lines matched whatever
    /// their order, for OCR that reads columns or regions in another
    /// order. Costs up to about a second a page where lines are many and
    /// long; `diff` always measures it.
    #[arg(long, requires = "reference", help_heading = "Judging")]
    pub fca: bool,
}

/// `clean --keep`: which member of a cluster stands for it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum KeepArg {
    /// The first source's, in source order.
    First,
    /// The longest.
    Longest,
    /// The most reliable source's.
    #[default]
    MostReliable,
}

impl From<KeepArg> for crate::clean::Keep {
    fn from(k: KeepArg) -> Self {
        match k {
            KeepArg::First => crate::clean::Keep::First,
            KeepArg::Longest => crate::clean::Keep::Longest,
            KeepArg::MostReliable => crate::clean::Keep::MostReliable,
        }
    }
}

/// How `--reference` measures the other sources.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum MeasureBy {
    /// File by file where the relative paths match, else by clusters.
    #[default]
    Files,
    /// By the clusters shared with the reference only.
    Clusters,
}

impl Args {
    /// The analysis settings for the given source paths.
    pub fn to_config(&self, paths: &[PathBuf]) -> Config {
        let mut config = Config::new(paths.to_vec());
        config.threads = self.threads.map(NonZeroUsize::get);
        config.globs = self.glob.clone();
        config.progress = !self.quiet;
        config
    }

    /// The analysis settings, with the judging options.
    pub fn to_config_judged(&self, paths: &[PathBuf], judging: &Judging) -> Config {
        let mut config = self.to_config(paths);
        config.reference = judging.reference.clone();
        config.keep_formal = judging.keep_formal;
        config.pair_files = judging.measure_by == MeasureBy::Files;
        config.flexible = judging.fca;
        config
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Args::command().debug_assert();
    }
}
