//! Runs the stages in order. The only module that uses threads (rayon) and
//! draws progress (indicatif).
//!
//! ```text
//! ingest → segment → normalize → candidates → verify → merge → align → stats → Analysis
//! ```
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::align::{AlignInput, Alignment, align};
use crate::candidates::{Item, candidates, comparison_chars, shingles};
use crate::cluster::{Edge, MemberRole, merge, verify};
use crate::config::Config;
use crate::ingest::{Corpus, ingest};
use crate::model::{ClusterId, ParaId};
use crate::normalize::{Normalized, normalize_paragraph};
use crate::segment::{Paragraph, Role, segment};
use crate::stats::{WitnessStats, witness_stats};

/// One member of an aligned cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClusterMember {
    /// The paragraph.
    pub para: ParaId,
    /// Witness or fragment.
    pub role: MemberRole,
}

/// A cluster with its alignment.
#[derive(Clone, Debug, PartialEq)]
pub struct AlignedCluster {
    /// Its number in the report.
    pub id: ClusterId,
    /// Members sorted by source name, file and line; the alignment's members
    /// are in the same order.
    pub members: Vec<ClusterMember>,
    /// The multi-witness alignment.
    pub alignment: Alignment,
}

/// The result of a run: plain data that the reports consume.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The settings the analysis ran with.
    pub config: Config,
    /// Sources, documents and skipped files.
    pub corpus: Corpus,
    /// All paragraphs, in source, file and line order; [`ParaId`] indexes it.
    pub paragraphs: Vec<Paragraph>,
    /// The normalized form of each paragraph.
    pub normalized: Vec<Normalized>,
    /// Clusters of two or more paragraphs, in order of their first member.
    pub clusters: Vec<AlignedCluster>,
    /// Statistics per source, in source order.
    pub witnesses: Vec<WitnessStats>,
}

impl Analysis {
    /// The alignment inputs of a cluster (normalized text and role of each
    /// member), in member order.
    pub fn align_inputs(&self, cluster: &AlignedCluster) -> Vec<AlignInput<'_>> {
        cluster
            .members
            .iter()
            .map(|m| AlignInput {
                chars: &self.normalized[m.para.index()].chars,
                role: m.role,
            })
            .collect()
    }
}

/// Reads the corpus and segments it: all `paragraphs` needs.
pub fn read(cfg: &Config) -> anyhow::Result<(Corpus, Vec<Paragraph>)> {
    let corpus = ingest(&cfg.paths)?;
    let paragraphs: Vec<Paragraph> = in_pool(cfg, || {
        corpus.documents.par_iter().flat_map_iter(segment).collect()
    })?;
    Ok((corpus, paragraphs))
}

/// Runs the whole analysis.
pub fn run(cfg: &Config) -> anyhow::Result<Analysis> {
    let (corpus, paragraphs) = read(cfg)?;
    in_pool(cfg, || analyze(cfg, corpus, paragraphs))?
}

/// Runs `f` on a pool of `cfg.threads` threads, or on rayon's default pool.
fn in_pool<T: Send>(cfg: &Config, f: impl FnOnce() -> T + Send) -> anyhow::Result<T> {
    match cfg.threads {
        None => Ok(f()),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build()?;
            Ok(pool.install(f))
        }
    }
}

fn analyze(cfg: &Config, corpus: Corpus, paragraphs: Vec<Paragraph>) -> anyhow::Result<Analysis> {
    let normalized: Vec<Normalized> = paragraphs
        .par_iter()
        .map(|p| normalize_paragraph(p, &cfg.normalize))
        .collect();

    // Junk never takes part in clustering (SPEC §3).
    let eligible: Vec<usize> = (0..paragraphs.len())
        .filter(|&i| paragraphs[i].role != Role::Junk)
        .collect();
    let keys: Vec<Vec<char>> = eligible
        .par_iter()
        .map(|&i| comparison_chars(&normalized[i].chars))
        .collect();
    let items: Vec<Item> = eligible
        .par_iter()
        .zip(&keys)
        .map(|(&i, key)| Item {
            source: paragraphs[i].source,
            script: paragraphs[i].script,
            shingles: shingles(key),
        })
        .collect();

    let pairs = candidates(&items, cfg.candidate_overlap);
    let bar = progress(cfg, "verifying pairs", pairs.len());
    let edges: Vec<Edge> = pairs
        .par_iter()
        .filter_map(|pair| {
            bar.inc(1);
            verify(&keys, &items, pair, &cfg.cluster)
        })
        .collect();
    bar.finish_and_clear();
    let clusters = merge(&items, &edges);

    let bar = progress(cfg, "aligning clusters", clusters.len());
    let aligned: Vec<AlignedCluster> = clusters
        .par_iter()
        .enumerate()
        .map(|(i, cluster)| {
            let members: Vec<ClusterMember> = cluster
                .members
                .iter()
                .map(|m| ClusterMember {
                    para: ParaId(eligible[m.item] as u32),
                    role: m.role,
                })
                .collect();
            let inputs: Vec<AlignInput<'_>> = members
                .iter()
                .map(|m| AlignInput {
                    chars: &normalized[m.para.index()].chars,
                    role: m.role,
                })
                .collect();
            let alignment = align(&inputs);
            bar.inc(1);
            AlignedCluster {
                id: ClusterId(i as u32 + 1),
                members,
                alignment,
            }
        })
        .collect();
    bar.finish_and_clear();

    let witnesses = witness_stats(&corpus, &paragraphs, &aligned);
    Ok(Analysis {
        config: cfg.clone(),
        corpus,
        paragraphs,
        normalized,
        clusters: aligned,
        witnesses,
    })
}

fn progress(cfg: &Config, what: &'static str, len: usize) -> ProgressBar {
    if !cfg.progress {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg:>18} {bar:40} {pos}/{len} {elapsed}")
            .expect("the template is valid"),
    );
    bar.set_message(what);
    bar
}
