//! Per-witness statistics and the reliability ranking.
//!
//! ```text
//! 001: compared 4210, deviations 3, edits 4  → cer 0.00095  rank 1
//! 004: compared 9876, deviations 41, edits 88 → cer 0.00891  rank 2
//! 000: compared 0                            → cer —        rank —
//! ```
use crate::ingest::Corpus;
use crate::model::SourceId;
use crate::normalize::LayerCounts;
use crate::pipeline::AlignedCluster;
use crate::segment::Paragraph;

/// What one source contributed and how often it was outvoted.
#[derive(Clone, Debug, PartialEq)]
pub struct WitnessStats {
    /// The source.
    pub source: SourceId,
    /// Documents read.
    pub files: usize,
    /// Paragraphs found (all roles).
    pub paragraphs: usize,
    /// Paragraphs in a cluster of two or more.
    pub clustered: usize,
    /// Consensus characters at the places it covers.
    pub compared_chars: usize,
    /// Variant readings.
    pub deviations: usize,
    /// ...where the consensus had a strict majority against it.
    pub minority: usize,
    /// ...at tied places.
    pub ties: usize,
    /// Character edits from the consensus to its readings.
    pub edits: usize,
    /// Places where it writes the consensus in another form, by
    /// normalization layer (not variants unless `--keep-formal`).
    pub formal: LayerCounts,
    /// `edits / compared_chars`; `None` when nothing was compared.
    pub cer: Option<f64>,
    /// 1 = most reliable; `None` when nothing was compared, and for the
    /// reference (it is what the others are measured against).
    pub rank: Option<u32>,
}

/// Sums the alignments per source and ranks sources by character error rate
/// (lower first; equal rates by name, so the ranking is deterministic).
/// With a `reference` source, only clusters it is a member of count: the
/// rates are then error rates against it.
pub fn witness_stats(
    corpus: &Corpus,
    paragraphs: &[Paragraph],
    clusters: &[AlignedCluster],
    reference: Option<SourceId>,
) -> Vec<WitnessStats> {
    let mut stats: Vec<WitnessStats> = corpus
        .sources
        .iter()
        .map(|s| WitnessStats {
            source: s.id,
            files: corpus.documents.iter().filter(|d| d.source == s.id).count(),
            paragraphs: paragraphs.iter().filter(|p| p.source == s.id).count(),
            clustered: 0,
            compared_chars: 0,
            deviations: 0,
            minority: 0,
            ties: 0,
            edits: 0,
            formal: LayerCounts::default(),
            cer: None,
            rank: None,
        })
        .collect();
    for cluster in clusters {
        let Some(first) = cluster.members.first() else {
            continue;
        };
        let first = paragraphs[first.para.index()].source;
        if cluster
            .members
            .iter()
            .all(|m| paragraphs[m.para.index()].source == first)
        {
            // One source and its duplicates: nothing to compare it with.
            for member in cluster.members.iter().chain(&cluster.duplicates) {
                stats[paragraphs[member.para.index()].source.index()].clustered += 1;
            }
            continue;
        }
        let measured = reference.is_none() || cluster.alignment.reference;
        for (member, aligned) in cluster.members.iter().zip(&cluster.alignment.members) {
            let s = &mut stats[paragraphs[member.para.index()].source.index()];
            s.clustered += 1;
            if !measured {
                continue;
            }
            s.formal.add_all(&aligned.formal);
            s.compared_chars += aligned.compared;
            s.deviations += aligned.deviations;
            s.minority += aligned.minority;
            s.ties += aligned.ties;
            s.edits += aligned.edits;
        }
        for member in &cluster.duplicates {
            stats[paragraphs[member.para.index()].source.index()].clustered += 1;
        }
    }
    for s in &mut stats {
        // The reference is the measure, not measured.
        let measured = s.compared_chars > 0 && Some(s.source) != reference;
        s.cer = measured.then(|| s.edits as f64 / s.compared_chars as f64);
    }
    let mut ranked: Vec<usize> = (0..stats.len())
        .filter(|&i| stats[i].cer.is_some())
        .collect();
    ranked.sort_by(|&a, &b| {
        stats[a]
            .cer
            .partial_cmp(&stats[b].cer)
            .expect("rates are finite")
            .then(corpus.sources[a].name.cmp(&corpus.sources[b].name))
    });
    for (rank, i) in ranked.into_iter().enumerate() {
        stats[i].rank = Some(rank as u32 + 1);
    }
    stats
}
