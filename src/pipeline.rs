//! Runs the stages in order. The only module that draws progress
//! (indicatif); the command layer runs it inside one thread pool.
//!
//! ```text
//! prepare:  ingest → segment → comparison keys → cluster::cluster_stage → Prepared
//! collate:  batches of clusters → align::apparatus::collate (in parallel)
//!           → numbered, tallied and handed to the sink in cluster order → Analysis
//! ```
//!
//! Nothing of a cluster is kept after the sink has it: memory holds the
//! documents, the paragraphs' places and one batch of apparatus.
use std::collections::BTreeMap;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::align::apparatus::{Apparatus, CollateMember, CollateOptions, collate as collate_one};
use crate::analysis::Analysis;
use crate::cluster::works::group_works;
use crate::cluster::{Cluster, ClusterStats, Item, KeySpan, Keys, cluster_stage};
use crate::config::Config;
use crate::ingest::{Corpus, Selection, ingest_with, read_text};
use crate::model::{ClusterId, DocId, ParaId, SourceId};
use crate::normalize::{comparison_key, key_byte_span};
use crate::segment::{Paragraph, Role, Script, preview, segment};
use crate::stats::{Reliability, Tally};

/// Clusters aligned in parallel before they are written: enough to keep
/// both cores busy between writes, a few megabytes of apparatus at a time.
const BATCH: usize = 2048;

/// Reads the corpus and segments it: all `paragraphs` needs.
pub fn read(cfg: &Config) -> anyhow::Result<(Corpus, Vec<Paragraph>)> {
    let corpus = ingest_with(
        &cfg.paths,
        &Selection::new(&cfg.exclude, &cfg.globs)?,
        read_parallel,
    )?;
    let paragraphs: Vec<Paragraph> = corpus.documents.par_iter().flat_map_iter(segment).collect();
    Ok((corpus, paragraphs))
}

/// Reads and decodes files in parallel, results in input order.
fn read_parallel(files: &[std::path::PathBuf]) -> Vec<crate::ingest::ReadResult> {
    files.par_iter().map(|p| read_text(p)).collect()
}

/// Runs `f` on a pool of `threads` threads, or on rayon's default pool (one
/// per core): the command layer runs a whole command in it, writers
/// included, so `-j 1` means one thread everywhere.
pub fn in_pool<T: Send>(threads: Option<usize>, f: impl FnOnce() -> T + Send) -> anyhow::Result<T> {
    match threads {
        None => Ok(f()),
        Some(n) => {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(n).build()?;
            Ok(pool.install(f))
        }
    }
}

/// The source named by `--reference`, if one was given.
fn reference_source(cfg: &Config, corpus: &Corpus) -> anyhow::Result<Option<SourceId>> {
    cfg.reference
        .as_deref()
        .map(|name| {
            corpus
                .find_source(name)
                .ok_or_else(|| corpus.no_such_source("--reference", name))
        })
        .transpose()
}

/// The corpus read and clustered, ready to be collated.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The settings.
    pub config: Config,
    /// Sources, documents (with their text) and skipped files.
    pub corpus: Corpus,
    /// All paragraphs, in source, file and line order; [`ParaId`] indexes
    /// it. Their text is released: [`Paragraph::rebuild_text`] gives it
    /// back from the document.
    pub paragraphs: Vec<Paragraph>,
    /// Clusters of two or more paragraphs, in order of their first member;
    /// member items index `paragraphs`.
    pub clusters: Vec<Cluster>,
    /// Counts from the clustering stages.
    pub cluster_stats: ClusterStats,
    /// The source named by `--reference`.
    pub reference: Option<SourceId>,
}

/// Reads, segments and clusters the corpus. Each paragraph's comparison key
/// is made where it is read and its text released, so the corpus is held
/// once (as documents) while the clustering stages run.
pub fn prepare(cfg: &Config) -> anyhow::Result<Prepared> {
    let corpus = ingest_with(
        &cfg.paths,
        &Selection::new(&cfg.exclude, &cfg.globs)?,
        read_parallel,
    )?;
    let reference = reference_source(cfg, &corpus)?;
    let bar = progress(cfg, "reading", corpus.documents.len());
    let per_doc: Vec<Vec<Keyed<Paragraph>>> = corpus
        .documents
        .par_iter()
        .map(|doc| {
            let out = segment(doc)
                .into_iter()
                .map(|mut p| {
                    // Junk never takes part in clustering (SPEC §3).
                    let key = (p.role != Role::Junk)
                        .then(|| (comparison_key(&p.text, &cfg.normalize).0, p.ends_open()));
                    p.release_text();
                    (p, key)
                })
                .collect();
            bar.inc(1);
            out
        })
        .collect();
    bar.finish_and_clear();
    let counterparts = corpus.counterparts();
    let (paragraphs, clusters, cluster_stats, works) =
        cluster_keyed(cfg, per_doc, &counterparts, |p| {
            (p.source, p.doc, p.script, p.role == Role::Heading)
        });
    let mut corpus = corpus;
    for (doc, work) in corpus.documents.iter_mut().zip(works) {
        doc.work = work;
    }
    Ok(Prepared {
        config: cfg.clone(),
        corpus,
        paragraphs,
        clusters,
        cluster_stats,
        reference,
    })
}

/// Collates every cluster and hands each apparatus to `sink`, in cluster
/// order, with its sites numbered from 1 across the run. Clusters are
/// aligned in parallel batches while the previous batch is being written;
/// the statistics accumulate as they pass.
pub fn collate(
    prepared: Prepared,
    mut sink: impl FnMut(&Corpus, Apparatus) -> anyhow::Result<()> + Send,
) -> anyhow::Result<Analysis> {
    let Prepared {
        config,
        mut corpus,
        paragraphs,
        clusters,
        cluster_stats,
        reference,
    } = prepared;
    let members_of = |cluster: &Cluster| -> Vec<CollateMember<'_>> {
        cluster
            .members
            .iter()
            .map(|m| {
                let paragraph = &paragraphs[m.item];
                CollateMember {
                    para: ParaId(m.item as u32),
                    paragraph,
                    document: &corpus.documents[paragraph.doc.index()],
                    role: m.role,
                    score: m.similarity,
                    span: m.span,
                }
            })
            .collect()
    };
    let mut options = CollateOptions {
        normalize: config.normalize,
        reference,
        keep_formal: config.keep_formal,
        weights: Vec::new(),
    };
    let (estimate, sampled) = if reference.is_none() {
        estimate_reliability(
            &config,
            &clusters,
            corpus.sources.len(),
            &members_of,
            &options,
        )
    } else {
        (Reliability::new(corpus.sources.len()), 0)
    };
    options.weights = estimate.weights();
    let mut tally = Tally::new(&corpus, paragraphs.iter().map(|p| p.source), reference);
    let bar = progress(&config, "aligning clusters", clusters.len());
    let align_batch = |first: usize, batch: &[Cluster]| -> Vec<Apparatus> {
        batch
            .par_iter()
            .enumerate()
            .map(|(i, cluster)| {
                let members = members_of(cluster);
                let mut apparatus =
                    collate_one(ClusterId((first + i) as u32 + 1), &members, &options);
                apparatus.reuse = cluster.reuse;
                bar.inc(1);
                apparatus
            })
            .collect()
    };
    let mut next_site = 1u64;
    let mut write = |batch: Vec<Apparatus>| -> anyhow::Result<()> {
        for mut apparatus in batch {
            for site in &mut apparatus.sites {
                site.id = next_site;
                next_site += 1;
            }
            tally.add(&apparatus);
            sink(&corpus, apparatus)?;
        }
        Ok(())
    };
    let mut pending: Vec<Apparatus> = Vec::new();
    for (b, batch) in clusters.chunks(BATCH).enumerate() {
        let previous = std::mem::take(&mut pending);
        let (aligned, written) = rayon::join(|| align_batch(b * BATCH, batch), || write(previous));
        written?;
        pending = aligned;
    }
    write(pending)?;
    bar.finish_and_clear();

    let mut doc_paragraphs = vec![0usize; corpus.documents.len()];
    for p in &paragraphs {
        doc_paragraphs[p.doc.index()] += 1;
    }
    let paragraphs = if config.keep_text {
        paragraphs
    } else {
        drop(paragraphs);
        Vec::new()
    };
    // With a reference, files of the same relative path are compared whole
    // (while the documents' text is still held), unless measuring by
    // clusters was asked for.
    let evaluation = reference
        .map(|r| crate::evaluate::evaluate(&corpus, r, config.pair_files, config.flexible));
    if let Some(e) = &evaluation {
        tally.measure_pages(e);
    }
    if !config.keep_text {
        for d in &mut corpus.documents {
            d.release_text();
        }
    }
    let (witnesses, totals) = tally.finish(&corpus);
    Ok(Analysis {
        config,
        corpus,
        doc_paragraphs,
        reference,
        witnesses,
        evaluation,
        totals,
        cluster_stats,
        reliability_sample: sampled,
        paragraphs,
    })
}

/// Clusters aligned, at most, to estimate each source's reliability before
/// the ties are broken. Two thousand clusters of three witnesses or more
/// hold hundreds of thousands of decided characters per source (the
/// generated corpora: about 350,000), enough to tell sources whose error
/// rates differ by a tenth; beyond that, an evenly spaced sample keeps the
/// extra pass at a few percent of the alignment (a full pass would add a
/// third to `report`'s time on 100,000 paragraphs).
pub const RELIABILITY_SAMPLE: usize = 2_000;

/// The first pass of [`collate`]: aligns the clusters where a vote can
/// decide (three aligned members or more), every one of them or an evenly
/// spaced [`RELIABILITY_SAMPLE`], and sums where each source reads what the
/// majority reads. Returns the estimate and how many clusters it used.
fn estimate_reliability<'a>(
    config: &Config,
    clusters: &'a [Cluster],
    sources: usize,
    members_of: &(impl Fn(&'a Cluster) -> Vec<CollateMember<'a>> + Sync),
    options: &CollateOptions,
) -> (Reliability, usize) {
    let voting: Vec<usize> = (0..clusters.len())
        .filter(|&i| {
            let aligned = clusters[i]
                .members
                .iter()
                .filter(|m| m.role != crate::cluster::MemberRole::Duplicate)
                .count();
            aligned >= 3
        })
        .collect();
    let stride = voting.len().div_ceil(RELIABILITY_SAMPLE).max(1);
    let sample: Vec<usize> = voting.into_iter().step_by(stride).collect();
    if sample.is_empty() {
        return (Reliability::new(sources), 0);
    }
    let bar = progress(config, "weighing sources", sample.len());
    let estimate = sample
        .par_iter()
        .fold(
            || Reliability::new(sources),
            |mut acc, &i| {
                let members = members_of(&clusters[i]);
                acc.add(&collate_one(ClusterId(i as u32 + 1), &members, options));
                bar.inc(1);
                acc
            },
        )
        .reduce(|| Reliability::new(sources), Reliability::merge);
    bar.finish_and_clear();
    (estimate, sample.len())
}

/// A paragraph as [`cluster_only`] keeps it: where it is and how it starts,
/// not its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParaSummary {
    /// Its source.
    pub source: SourceId,
    /// Its document.
    pub doc: DocId,
    /// First line, 1-based.
    pub line_start: u32,
    /// Last line, 1-based, inclusive.
    pub line_end: u32,
    /// Body, heading or junk.
    pub role: Role,
    /// Its script.
    pub script: Script,
    /// Characters of its normalized text.
    pub chars: usize,
    /// The start of its text (see [`preview`]).
    pub preview: String,
}

/// The result of [`cluster_only`].
#[derive(Clone, Debug)]
pub struct Clustering {
    /// Sources, documents (their text dropped) and skipped files.
    pub corpus: Corpus,
    /// All paragraphs, in source, file and line order.
    pub paragraphs: Vec<ParaSummary>,
    /// Clusters of two or more paragraphs, in order of their first member;
    /// member items index `paragraphs`.
    pub clusters: Vec<Cluster>,
    /// Counts from the clustering stages.
    pub stats: ClusterStats,
    /// The parts of paragraphs split across clusters, by paragraph and
    /// part (where they are and how they start); a part missing here is
    /// described by its paragraph.
    pub parts: BTreeMap<(usize, KeySpan), ParaSummary>,
}

/// The summaries of the parts of paragraphs split across clusters. The
/// documents' text was released after keying, so the few documents that
/// hold such a paragraph are read and segmented again; one that cannot be
/// (a pipe read once, a file changed since) leaves its parts described by
/// their paragraphs.
fn summarize_parts(
    cfg: &Config,
    corpus: &Corpus,
    paragraphs: &[ParaSummary],
    clusters: &[Cluster],
) -> BTreeMap<(usize, KeySpan), ParaSummary> {
    let mut wanted: BTreeMap<DocId, Vec<(usize, KeySpan)>> = BTreeMap::new();
    for m in clusters.iter().flat_map(|c| &c.members) {
        if let Some(span) = m.span {
            wanted
                .entry(paragraphs[m.item].doc)
                .or_default()
                .push((m.item, span));
        }
    }
    let first_of_doc = |doc: DocId| paragraphs.partition_point(|p| p.doc < doc);
    wanted
        .into_par_iter()
        .flat_map_iter(|(doc, parts)| {
            let d = &corpus.documents[doc.index()];
            let reread = crate::ingest::read_document(d.id, d.source, d.path.clone()).ok();
            let segmented = reread.map(|r| {
                let paras = segment(&r);
                (r, paras)
            });
            let first = first_of_doc(doc);
            let summaries: Vec<_> = parts
                .into_iter()
                .filter_map(|(item, span)| {
                    let (document, paras) = segmented.as_ref()?;
                    let p = paras.get(item - first)?;
                    let whole = &paragraphs[item];
                    if p.line_start() != whole.line_start || p.line_end() != whole.line_end {
                        return None;
                    }
                    let range = key_byte_span(
                        &p.text,
                        &cfg.normalize,
                        span.start as usize,
                        span.end as usize,
                    );
                    let text = &p.text[range.clone()];
                    let bytes = p.doc_span(range);
                    let summary = ParaSummary {
                        line_start: document.line(bytes.start as usize),
                        line_end: document.line(
                            (bytes.end as usize)
                                .saturating_sub(1)
                                .max(bytes.start as usize),
                        ),
                        chars: comparison_key(text, &cfg.normalize).1,
                        preview: preview(text),
                        ..whole.clone()
                    };
                    Some(((item, span), summary))
                })
                .collect();
            summaries
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect()
}

/// Reads, segments and clusters, keeping only what `clusters.csv` needs:
/// each document's text is dropped once its paragraphs are summarized and
/// keyed, so memory holds comparison keys and band keys, not the corpus.
pub fn cluster_only(cfg: &Config) -> anyhow::Result<Clustering> {
    {
        let mut corpus = ingest_with(
            &cfg.paths,
            &Selection::new(&cfg.exclude, &cfg.globs)?,
            read_parallel,
        )?;
        let bar = progress(cfg, "reading", corpus.documents.len());
        let per_doc: Vec<Vec<ReadParagraph>> = corpus
            .documents
            .par_iter_mut()
            .map(|doc| {
                let out = segment(doc)
                    .iter()
                    .map(|p| {
                        let (key, chars) = comparison_key(&p.text, &cfg.normalize);
                        let summary = ParaSummary {
                            source: p.source,
                            doc: p.doc,
                            line_start: p.line_start(),
                            line_end: p.line_end(),
                            role: p.role,
                            script: p.script,
                            chars,
                            preview: preview(&p.text),
                        };
                        let key = (p.role != Role::Junk).then_some((key, p.ends_open()));
                        (summary, key)
                    })
                    .collect();
                doc.release_text();
                bar.inc(1);
                out
            })
            .collect();
        bar.finish_and_clear();

        let counterparts = corpus.counterparts();
        let (paragraphs, clusters, stats, works) =
            cluster_keyed(cfg, per_doc, &counterparts, |p| {
                (p.source, p.doc, p.script, p.role == Role::Heading)
            });
        for (doc, work) in corpus.documents.iter_mut().zip(works) {
            doc.work = work;
        }
        let parts = summarize_parts(cfg, &corpus, &paragraphs, &clusters);
        Ok(Clustering {
            corpus,
            paragraphs,
            clusters,
            stats,
            parts,
        })
    }
}

/// Clusters paragraphs read document by document, each with its comparison
/// key and whether it ends open (`None` for junk, which takes no part);
/// `place` tells a paragraph's source, document, script and whether it is a
/// heading; `counterparts` numbers the documents by relative path (see
/// [`Corpus::counterparts`]). Returns the paragraphs in order, the clusters (split by work,
/// see [`crate::cluster::works`]), whose member items index them, and each
/// document's work.
fn cluster_keyed<T>(
    cfg: &Config,
    per_doc: Vec<Vec<Keyed<T>>>,
    counterparts: &[u32],
    place: impl Fn(&T) -> (SourceId, DocId, Script, bool),
) -> (Vec<T>, Vec<Cluster>, ClusterStats, Vec<u32>) {
    let documents = per_doc.len();
    let mut paragraphs = Vec::new();
    let mut eligible = Vec::new();
    let mut items = Vec::new();
    let mut keys = Keys::default();
    for (p, key) in per_doc.into_iter().flatten() {
        if let Some((key, open)) = key {
            let (source, doc, script, heading) = place(&p);
            eligible.push(paragraphs.len());
            items.push(Item {
                source,
                doc,
                script,
                chars: key.chars().count() as u32,
                heading,
                open,
            });
            keys.push(key);
        }
        paragraphs.push(p);
    }
    let (clusters, mut stats) =
        cluster_stage(&cfg.cluster, &items, &keys, counterparts, &|what, len| {
            progress(cfg, what, len)
        });
    drop(keys);
    let (mut clusters, works) = group_works(&items, clusters, documents);
    stats.works = works.count();
    stats.reused = works.reused;
    for c in &mut clusters {
        for m in &mut c.members {
            m.item = eligible[m.item];
        }
    }
    (paragraphs, clusters, stats, works.of_doc)
}

/// A paragraph as the reading stage of [`cluster_only`] leaves it: its
/// summary, and for a non-junk paragraph its comparison key and whether it
/// ends open.
type ReadParagraph = Keyed<ParaSummary>;

/// A paragraph (or its summary) as read, with its comparison key and
/// whether it ends open; `None` for junk, which is not clustered.
type Keyed<T> = (T, Option<(String, bool)>);

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
