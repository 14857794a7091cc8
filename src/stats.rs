//! Per-witness statistics, accumulated as apparatus pass, and the
//! reliability ranking.
//!
//! ```text
//! 001: compared 4210, edits 4;  voted 3100, voted edits 2  → cer 0.00095  reliability 0.99935  rank 1
//! 004: compared 9876, edits 88; voted 7020, voted edits 61 → cer 0.00891  reliability 0.99131  rank 2
//! 003: compared 512 (all in clusters of two)               → cer 0.01172  reliability —        rank —
//! 000: compared 0                                          → cer —        reliability —        rank —
//! ```
use crate::align::apparatus::Apparatus;
use crate::classify::Category;
use crate::compare::{Measures, PageRecord};
use crate::evaluate::Evaluation;
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
    /// Consensus characters where the vote decided (three witnesses or
    /// more, no tie): the evidence of its reliability.
    pub voted_chars: usize,
    /// Character edits at those places.
    pub voted_edits: usize,
    /// `1 − voted_edits / voted_chars`: how often it reads what the
    /// majority reads where there is one; `None` when it was compared only
    /// through ties (in clusters of two) or not at all.
    pub reliability: Option<f64>,
    /// With a reference: the share of the reference's characters this
    /// source was measured on (file by file where it pairs files with the
    /// reference, else in the clusters it shares with it); `None` without
    /// a reference, and for the reference itself.
    pub coverage: Option<f64>,
    /// 1 = most reliable; `None` when nothing was compared, for the
    /// reference (it is what the others are measured against), and, without
    /// a reference, for a source whose reliability is unknown (every
    /// difference it has is a tie, which voting cannot decide).
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
    /// The file-by-file measure against the reference (see
    /// [`Tally::measure_pages`]).
    pages: Option<PagesMeasured>,
}

/// What [`Tally::measure_pages`] keeps: per source, its totals over the
/// file pairs, and the reference's characters in both normalizations.
#[derive(Clone, Debug)]
struct PagesMeasured {
    per_source: Vec<Option<Measures>>,
    reference_chars: usize,
    reference_chars_clustered: usize,
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
                voted_chars: 0,
                voted_edits: 0,
                reliability: None,
                coverage: None,
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
            pages: None,
        }
    }

    /// Adds one cluster. A cluster of one source (a paragraph and its
    /// repeats) counts its members as clustered but compares nothing; with
    /// a reference, only clusters it is in are measured.
    pub fn add(&mut self, ap: &Apparatus) {
        self.totals.clusters += 1;
        for m in &ap.members {
            // A paragraph split across clusters counts once.
            if m.part.is_none_or(|p| p.start == 0) {
                self.stats[m.source.index()].clustered += 1;
            }
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
            s.voted_chars += c.voted;
            s.voted_edits += c.voted_edits;
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

    /// Takes the file-by-file evaluation against the reference: a source
    /// that pairs files with it is measured on them (its compared
    /// characters, edits and CER are those of the pairs; its variants
    /// still come from the clusters), and every source's coverage is
    /// figured against the reference's characters.
    pub fn measure_pages(&mut self, evaluation: &Evaluation) {
        let mut per_source = vec![None; self.stats.len()];
        for s in &evaluation.sources {
            let total = PageRecord::total(&s.pages);
            per_source[s.source.index()] = Some(total.measures);
        }
        self.pages = Some(PagesMeasured {
            per_source,
            reference_chars: evaluation.reference_chars,
            reference_chars_clustered: evaluation.reference_chars_clustered,
        });
    }

    /// The statistics per source (in source order) with rates and ranks,
    /// and the totals. Without a reference, sources are ranked by
    /// reliability, higher first, then by character error rate; with one,
    /// by error rate against it; equal ones by name, so the ranking is
    /// deterministic.
    pub fn finish(self, corpus: &Corpus) -> (Vec<WitnessStats>, Totals) {
        let Tally {
            mut stats,
            reference,
            totals,
            pages,
        } = self;
        if let Some(p) = &pages {
            for s in stats.iter_mut().filter(|s| Some(s.source) != reference) {
                let share = |n: usize, of: usize| (of > 0).then(|| (n as f64 / of as f64).min(1.0));
                match p.per_source[s.source.index()] {
                    Some(m) => {
                        s.compared_chars = m.chars;
                        s.edits = m.edits;
                        s.coverage = share(m.chars, p.reference_chars);
                    }
                    None => s.coverage = share(s.compared_chars, p.reference_chars_clustered),
                }
            }
        }
        for s in &mut stats {
            // The reference is the measure, not measured.
            let measured = s.compared_chars > 0 && Some(s.source) != reference;
            s.cer = measured.then(|| s.edits as f64 / s.compared_chars as f64);
            s.reliability = (reference.is_none() && s.voted_chars > 0)
                .then(|| 1.0 - s.voted_edits.min(s.voted_chars) as f64 / s.voted_chars as f64);
        }
        // Without a reference, a rate made only of ties says nothing: who
        // lost a tie depends on how it was broken.
        let mut ranked: Vec<usize> = (0..stats.len())
            .filter(|&i| stats[i].cer.is_some())
            // Measured on too little of the reference, a rate is no rank:
            // the easy pages cluster, the hard ones do not.
            .filter(|&i| stats[i].coverage.is_none_or(|c| c >= MIN_RANKED_COVERAGE))
            .filter(|&i| reference.is_some() || stats[i].reliability.is_some())
            .collect();
        // By reliability where the vote decides (a rate that includes ties
        // would depend on how they were broken), then by error rate; with a
        // reference, by error rate against it.
        let key = |i: usize| {
            (
                stats[i].reliability.map_or(0.0, |r| -r),
                stats[i].cer.unwrap_or(f64::INFINITY),
            )
        };
        ranked.sort_by(|&a, &b| {
            let ((ra, ca), (rb, cb)) = (key(a), key(b));
            ra.total_cmp(&rb)
                .then(ca.total_cmp(&cb))
                .then(corpus.sources[a].name.cmp(&corpus.sources[b].name))
        });
        for (rank, i) in ranked.into_iter().enumerate() {
            stats[i].rank = Some(rank as u32 + 1);
        }
        (stats, totals)
    }
}

/// With a reference, a source measured on less of its characters than
/// this share gets a rate but no rank (the summary says so).
pub const MIN_RANKED_COVERAGE: f64 = 0.9;

/// Each source's reliability as the tie-break of the vote: estimated from
/// the places where the vote decided, before the ties are broken.
///
/// A tie (two witnesses that differ, or readings with as many witnesses and
/// as close to the others) cannot be decided by counting; it goes to the
/// reading of the sources that are right more often where counting does
/// decide. Those places do not depend on how ties are broken, so one pass
/// over them gives the fixed point an iterative estimate (Dawid–Skene's EM)
/// would reach, with the majority's judgement taken as the truth.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reliability {
    /// Per source, consensus characters where the vote decided.
    pub voted: Vec<usize>,
    /// Per source, character edits at those places.
    pub edits: Vec<usize>,
}

impl Reliability {
    /// No evidence yet, for `sources` sources.
    pub fn new(sources: usize) -> Reliability {
        Reliability {
            voted: vec![0; sources],
            edits: vec![0; sources],
        }
    }

    /// Adds the evidence of one cluster.
    pub fn add(&mut self, ap: &Apparatus) {
        for m in &ap.members {
            if let Some(c) = &m.collation {
                self.voted[m.source.index()] += c.voted;
                self.edits[m.source.index()] += c.voted_edits;
            }
        }
    }

    /// The sum of two estimates (of disjoint sets of clusters).
    pub fn merge(mut self, other: Reliability) -> Reliability {
        for (a, b) in self.voted.iter_mut().zip(other.voted) {
            *a += b;
        }
        for (a, b) in self.edits.iter_mut().zip(other.edits) {
            *a += b;
        }
        self
    }

    /// Per source, the weight of its word in a tie: the log-odds that it
    /// reads a character right, `ln((voted − edits + 1) / (edits + 1))`
    /// (add-one smoothing, so a source never outvoted is not infinitely
    /// sure). A source with no evidence weighs 0, below any source right
    /// more often than wrong.
    pub fn weights(&self) -> Vec<f64> {
        self.voted
            .iter()
            .zip(&self.edits)
            .map(|(&v, &e)| {
                let e = e.min(v);
                ((v - e + 1) as f64 / (e + 1) as f64).ln()
            })
            .collect()
    }
}

/// The position of a category in [`Category::ALL`].
pub fn category_index(c: Category) -> usize {
    Category::ALL
        .iter()
        .position(|&k| k == c)
        .expect("ALL lists every category")
}
