//! Formal differences: places where a member reads the consensus once
//! normalized, but writes it otherwise in its original text.
//!
//! ```text
//! 0 我们，他们
//! 1 我们，他们  →  (member 2, place 5, Nfkc): counted in its `formal`;
//! 2 我们,他们      a variant of category Formal only when kept
//! ```
use super::{AlignInput, Alignment, Detail, Variant, VariantReading};
use crate::classify::Category;
use crate::normalize::Layer;

/// Places where a member reads the consensus after normalization but writes
/// it otherwise: `(member, place, layer)`, in place order. Needs the
/// original text of both.
pub(crate) fn formal_differences(
    inputs: &[AlignInput<'_>],
    al: &Alignment,
) -> Vec<(usize, usize, Layer)> {
    let mut out = Vec::new();
    for (p, place) in al.places.iter().enumerate() {
        let c = place.member;
        let theirs = &al.members[c].readings[p];
        let Some(original) = inputs[c].original else {
            continue;
        };
        if theirs.is_empty() {
            continue;
        }
        let consensus = original.of(theirs);
        for (m, member) in al.members.iter().enumerate() {
            let ours = &member.readings[p];
            if m == c
                || !member.coverage.contains(&p)
                || !super::same(
                    &inputs[m].chars[ours.clone()],
                    &inputs[c].chars[theirs.clone()],
                )
            {
                continue;
            }
            if let Some(written) = inputs[m].original.map(|o| o.of(ours))
                && written != consensus
            {
                out.push((m, p, Layer::between(consensus, written)));
            }
        }
    }
    out
}

/// Formal differences as variants (`--keep-formal`): one per member and
/// run of nearby places.
pub(crate) fn formal_variants(
    inputs: &[AlignInput<'_>],
    al: &Alignment,
    formal: &[(usize, usize, Layer)],
) -> Vec<Variant> {
    let mut sorted: Vec<(usize, usize)> = formal.iter().map(|&(m, p, _)| (m, p)).collect();
    sorted.sort_unstable();
    let mut out = Vec::new();
    for run in sorted.chunk_by(|a, b| a.0 == b.0 && b.1 <= a.1 + 2) {
        let m = run[0].0;
        let span = run[0].1..run[run.len() - 1].1 + 1;
        let consensus: String = span
            .clone()
            .flat_map(|p| al.consensus_at(inputs, p).iter())
            .collect();
        let chars = al.member_chars(m, &span);
        let covering = al.covering(&span);
        let written = |o: usize| {
            let r = al.member_chars(o, &span);
            inputs[o]
                .original
                .filter(|_| !r.is_empty())
                .map(|x| x.of(&r).to_string())
        };
        let mine = written(m);
        let support = covering.iter().filter(|&&o| written(o) == mine).count();
        out.push(Variant {
            places: span.clone(),
            consensus_support: covering.len() - support,
            covered: covering.len(),
            tie: false,
            readings: vec![VariantReading {
                member: m,
                text: inputs[m].chars[chars.clone()].iter().collect(),
                consensus: 0..consensus.chars().count(),
                support,
                consensus_support: covering.len() - support,
                detail: Detail {
                    chars: chars.clone(),
                    consensus: 0..consensus.chars().count(),
                },
                category: Category::Formal,
                chars,
            }],
            consensus,
        });
    }
    out
}
