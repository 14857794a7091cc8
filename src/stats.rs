//! Per-witness statistics, accumulated as apparatus pass, and the
//! reliability ranking.
//!
//! ```text
//! 001: compared 4210, deviations 3, edits 4  → cer 0.00095  rank 1
//! 004: compared 9876, deviations 41, edits 88 → cer 0.00891  rank 2
//! 000: compared 0                            → cer —        rank —
//! ```
use crate::align::apparatus::Apparatus;
use crate::classify::Category;
use crate::ingest::Corpus;
use crate::model::SourceId;
use crate::normalize::LayerCounts;

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
    /// Variant readings by category, in [`Category::ALL`] order.
    pub categories: [usize; Category::ALL.len()],
    /// `edits / compared_chars`; `None` when nothing was compared.
    pub cer: Option<f64>,
    /// 1 = most reliable; `None` when nothing was compared, and for the
    /// reference (it is what the others are measured against).
    pub rank: Option<u32>,
}

/// Counts over the whole run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Clusters collated.
    pub clusters: usize,
    /// Variation sites (disputed places).
    pub sites: u64,
    /// Variant readings (rows of `variants.csv`).
    pub readings: u64,
    /// Variant readings by category, in [`Category::ALL`] order.
    pub categories: [u64; Category::ALL.len()],
    /// Members aligned on the bounded path for long texts (longer than
    /// [`crate::diff::LONG_TEXT`] characters), piecewise between anchors.
    pub coarse_alignments: u64,
}

/// The statistics so far: each apparatus is added as it passes, and
/// nothing of it is kept.
#[derive(Clone, Debug)]
pub struct Tally {
    stats: Vec<WitnessStats>,
    reference: Option<SourceId>,
    totals: Totals,
}

impl Tally {
    /// Empty statistics for the sources of `corpus`; `paragraphs` holds the
    /// source of every paragraph.
    pub fn new(
        corpus: &Corpus,
        paragraphs: impl Iterator<Item = SourceId>,
        reference: Option<SourceId>,
    ) -> Tally {
        let mut stats: Vec<WitnessStats> = corpus
            .sources
            .iter()
            .map(|s| WitnessStats {
                source: s.id,
                files: 0,
                paragraphs: 0,
                clustered: 0,
                compared_chars: 0,
                deviations: 0,
                minority: 0,
                ties: 0,
                edits: 0,
                formal: LayerCounts::default(),
                categories: [0; Category::ALL.len()],
                cer: None,
                rank: None,
            })
            .collect();
        for d in &corpus.documents {
            stats[d.source.index()].files += 1;
        }
        for s in paragraphs {
            stats[s.index()].paragraphs += 1;
        }
        Tally {
            stats,
            reference,
            totals: Totals::default(),
        }
    }

    /// Adds one cluster. A cluster of one source (a paragraph and its
    /// repeats) counts its members as clustered but compares nothing; with
    /// a reference, only clusters it is in are measured.
    pub fn add(&mut self, ap: &Apparatus) {
        self.totals.clusters += 1;
        for m in &ap.members {
            self.stats[m.source.index()].clustered += 1;
            if m.collation.as_ref().is_some_and(|c| c.coarse) {
                self.totals.coarse_alignments += 1;
            }
        }
        if ap.single_source() || (self.reference.is_some() && !ap.reference) {
            return;
        }
        for m in &ap.members {
            let Some(c) = &m.collation else { continue };
            let s = &mut self.stats[m.source.index()];
            s.formal.add_all(&c.formal);
            s.compared_chars += c.compared;
            s.deviations += c.deviations;
            s.minority += c.minority;
            s.ties += c.ties;
            s.edits += c.edits;
        }
        for site in &ap.sites {
            self.totals.sites += 1;
            for r in &site.readings {
                let k = category_index(r.category);
                self.totals.readings += 1;
                self.totals.categories[k] += 1;
                self.stats[ap.members[r.member].source.index()].categories[k] += 1;
            }
        }
    }

    /// The statistics per source (in source order) with rates and ranks,
    /// and the totals. Sources are ranked by character error rate, lower
    /// first; equal rates by name, so the ranking is deterministic.
    pub fn finish(self, corpus: &Corpus) -> (Vec<WitnessStats>, Totals) {
        let Tally {
            mut stats,
            reference,
            totals,
        } = self;
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
        (stats, totals)
    }
}

/// The position of a category in [`Category::ALL`].
pub fn category_index(c: Category) -> usize {
    Category::ALL
        .iter()
        .position(|&k| k == c)
        .expect("ALL lists every category")
}
