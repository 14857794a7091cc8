//! Align every member of a cluster character by character, vote a consensus
//! at every place, and find the variants: maximal spans where a member reads
//! otherwise than the consensus.
//!
//! ```text
//! 001 …斡旋缅北达成…      places: … 斡 旋 [缅] 北 …   consensus 缅 (2 of 3)
//! 002 …斡旋缅北达成…   →  Variant { consensus "缅", readings: [004 "东" support 1], covered 3 }
//! 004 …斡旋东北达成…
//! ```
//!
//! This version aligns each member to one pivot, the medoid (the member most
//! similar to all others), and merges the pairwise alignments on the pivot's
//! positions: place `2i+1` is the pivot's character `i`, place `2i` the gap
//! before it, where other members' insertions go. A fragment covers only the
//! places between its first and last solid match with the pivot.
pub mod apparatus;

use std::ops::Range;

use similar::DiffOp;

use crate::classify::{Category, classify};
use crate::cluster::MemberRole;
use crate::diff::{SOLID_MATCH, diff_chars, levenshtein, matched, matched_span};
use crate::model::ByteSpan;
use crate::normalize::{Layer, LayerCounts};

/// A witness that lacks at least this many of the pivot's characters at its
/// start does not cover that part: it begins later (a lead-in left out, a
/// piece after a page break), not with a run of deletions. Shorter gaps (a
/// missing speaker label, a dropped word) are reported as deletions; at the
/// end, any gap is reported (see [`TRUNCATION_MIN`]). Twenty characters is
/// about a clause in Chinese and three words in English.
const EDGE_GAP: usize = 20;

/// A witness whose text ends while the consensus goes on for at least this
/// many more characters has stopped early: a truncation. Fewer lost
/// characters at the end are a dropped word or a typo (a deletion).
const TRUNCATION_MIN: usize = 5;

/// One member to align.
#[derive(Clone, Copy, Debug)]
pub struct AlignInput<'a> {
    /// Normalized characters.
    pub chars: &'a [char],
    /// Witness or fragment.
    pub role: MemberRole,
    /// The text the characters came from, to tell formal differences
    /// (those normalization hides); without it none are found.
    pub original: Option<Original<'a>>,
}

/// Where normalized characters came from.
#[derive(Clone, Copy, Debug)]
pub struct Original<'a> {
    /// The document text.
    pub text: &'a str,
    /// For each normalized character, its bytes in `text`.
    pub spans: &'a [ByteSpan],
}

impl<'a> Original<'a> {
    /// The original text behind normalized characters `chars` (non-empty).
    fn of(self, chars: &Range<usize>) -> &'a str {
        let (start, end) = (self.spans[chars.start].start, self.spans[chars.end - 1].end);
        &self.text[start as usize..end as usize]
    }
}

/// How to align.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AlignOptions {
    /// The members that are the ground truth (`--reference`: a witness, or
    /// the pieces of one): their reading is the consensus wherever they
    /// cover a place, and a witness among them is the pivot.
    pub reference: Vec<usize>,
    /// Report formal differences (those normalization hides) as variants;
    /// they are counted per member either way.
    pub keep_formal: bool,
}

/// How one member lines up with the pivot.
#[derive(Clone, Debug, PartialEq)]
pub struct AlignedMember {
    /// The places this member covers.
    pub coverage: Range<usize>,
    /// For every place, the range of this member's characters read there
    /// (empty: nothing, positioned where the text would stand).
    pub readings: Vec<Range<usize>>,
    /// Share of matched characters with the pivot: `2·matches / (len + pivot
    /// len)` for a witness, `matches / len` for a fragment; 1 for the pivot.
    pub similarity: f64,
    /// Consensus characters at the places it covers.
    pub compared: usize,
    /// Variant readings of this member.
    pub deviations: usize,
    /// ...of which the consensus had a strict majority against it.
    pub minority: usize,
    /// ...of which the place was a tie.
    pub ties: usize,
    /// Character edits (Levenshtein) from the consensus to its readings.
    pub edits: usize,
    /// Places where it reads the consensus in another form (`，` for `,`,
    /// `—` for `-`), by normalization layer; not variants unless kept.
    pub formal: LayerCounts,
}

impl AlignedMember {
    /// A placed member; its counts are filled in once the consensus is known.
    fn new(coverage: Range<usize>, readings: Vec<Range<usize>>, similarity: f64) -> AlignedMember {
        AlignedMember {
            coverage,
            readings,
            similarity,
            compared: 0,
            deviations: 0,
            minority: 0,
            ties: 0,
            edits: 0,
            formal: LayerCounts::default(),
        }
    }
}

/// The consensus at one place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The member whose reading is the consensus (its reading at this place).
    pub member: usize,
    /// Members that cover this place.
    pub covered: usize,
    /// Members that share the consensus reading.
    pub support: usize,
    /// No reading has a strict majority; the pivot's reading stands in.
    pub tie: bool,
}

/// One member's reading of a variant span, trimmed to where it differs.
///
/// A span is maximal over all members; one member may agree with the
/// consensus over part of it. The common start and end are trimmed off, so
/// `中国-拉美的命运` against `中国-拉美-加勒比命运` reads `的` → `-加勒比`,
/// and a member that only lacks `中` reads `中` → ``.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantReading {
    /// The member (index into the cluster's members).
    pub member: usize,
    /// Its differing characters (empty: an omission at that position).
    pub chars: Range<usize>,
    /// The normalized text of those characters.
    pub text: String,
    /// The part of the variant's consensus it replaces, as character
    /// offsets into [`Variant::consensus`].
    pub consensus: Range<usize>,
    /// How many covering members read the same over the whole span.
    pub support: usize,
    /// What kind of difference it is.
    pub category: Category,
}

/// A maximal span of places where some member differs from the consensus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    /// The places it spans.
    pub places: Range<usize>,
    /// The consensus text over those places (normalized).
    pub consensus: String,
    /// How many covering members read the consensus.
    pub consensus_support: usize,
    /// Members that cover the whole span.
    pub covered: usize,
    /// Some place in it was a tie.
    pub tie: bool,
    /// The readings that differ from the consensus, by member.
    pub readings: Vec<VariantReading>,
}

/// The multi-witness alignment of one cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct Alignment {
    /// The member everything is aligned to.
    pub pivot: usize,
    /// Whether a reference member is the ground truth here.
    pub reference: bool,
    /// One per input member, in input order.
    pub members: Vec<AlignedMember>,
    /// `2 · pivot length + 1` places.
    pub places: Vec<Place>,
    /// Variants in place order.
    pub variants: Vec<Variant>,
}

impl Alignment {
    /// The consensus reading at `place` as characters.
    pub fn consensus_at<'a>(&self, inputs: &[AlignInput<'a>], place: usize) -> &'a [char] {
        let p = &self.places[place];
        &inputs[p.member].chars[self.members[p.member].readings[place].clone()]
    }

    /// Member `m`'s characters read over the places `places` (non-empty):
    /// what it reads there, possibly nothing, positioned in its text.
    pub fn member_chars(&self, m: usize, places: &Range<usize>) -> Range<usize> {
        let r = &self.members[m].readings;
        r[places.start].start..r[places.end - 1].end
    }

    /// Members that cover the whole of `places`, in member order.
    pub fn covering(&self, places: &Range<usize>) -> Vec<usize> {
        (0..self.members.len())
            .filter(|&m| {
                let c = &self.members[m].coverage;
                c.start <= places.start && places.end <= c.end
            })
            .collect()
    }

    /// The whole consensus text.
    pub fn consensus_text(&self, inputs: &[AlignInput<'_>]) -> String {
        (0..self.places.len())
            .flat_map(|p| self.consensus_at(inputs, p).iter())
            .collect()
    }
}

/// Aligns the members of one cluster. `inputs` must hold at least one
/// witness-role member.
pub fn align(inputs: &[AlignInput<'_>], options: &AlignOptions) -> Alignment {
    // A reference witness first: where it covers a place, its pieces (or a
    // repeat of it attached as a fragment) have no say.
    let mut reference = options.reference.clone();
    reference.sort_by_key(|&r| (inputs[r].role != MemberRole::Witness, r));
    let pivot = reference
        .iter()
        .copied()
        .find(|&r| inputs[r].role == MemberRole::Witness)
        .unwrap_or_else(|| choose_pivot(inputs));
    let pivot_chars = inputs[pivot].chars;
    let n_places = 2 * pivot_chars.len() + 1;

    let members: Vec<AlignedMember> = inputs
        .iter()
        .enumerate()
        .map(|(m, input)| {
            if m == pivot {
                AlignedMember::new(
                    0..n_places,
                    (0..n_places)
                        .map(|p| {
                            if p % 2 == 1 {
                                p / 2..p / 2 + 1
                            } else {
                                p / 2..p / 2
                            }
                        })
                        .collect(),
                    1.0,
                )
            } else {
                place_member(pivot_chars, input)
            }
        })
        .collect();

    let places: Vec<Place> = (0..n_places)
        .map(|p| {
            match reference
                .iter()
                .find(|&&r| members[r].coverage.contains(&p))
            {
                Some(&r) => read_by(inputs, &members, r, p, false),
                None => vote(inputs, &members, pivot, p),
            }
        })
        .collect();
    let mut alignment = Alignment {
        pivot,
        reference: !reference.is_empty(),
        members,
        places,
        variants: Vec::new(),
    };
    let spans = variant_spans(inputs, &alignment);
    if reference.is_empty() {
        for span in &spans {
            revote_span(inputs, &mut alignment, span.clone());
        }
    }
    for m in 0..inputs.len() {
        let compared = alignment.members[m]
            .coverage
            .clone()
            .map(|p| alignment.consensus_at(inputs, p).len())
            .sum();
        alignment.members[m].compared = compared;
    }
    alignment.variants = find_variants(inputs, &alignment, spans);
    let formal = formal_differences(inputs, &alignment);
    for &(m, _, layer) in &formal {
        alignment.members[m].formal.add(layer, 1);
    }
    // Differences in whitespace only are formal too.
    for v in &alignment.variants {
        for r in v.readings.iter().filter(|r| r.category == Category::Formal) {
            alignment.members[r.member].formal.add(Layer::Whitespace, 1);
        }
    }
    if options.keep_formal {
        alignment
            .variants
            .extend(formal_variants(inputs, &alignment, &formal));
        alignment
            .variants
            .sort_by_key(|v| (v.places.start, v.places.end));
    } else {
        alignment.variants.retain_mut(|v| {
            v.readings.retain(|r| r.category != Category::Formal);
            !v.readings.is_empty()
        });
    }
    for v in &alignment.variants {
        for r in v.readings.iter().filter(|r| r.category != Category::Formal) {
            let m = &mut alignment.members[r.member];
            m.deviations += 1;
            if v.tie {
                m.ties += 1;
            } else if r.support < v.consensus_support {
                m.minority += 1;
            }
        }
    }
    // Edits are the Levenshtein distance over the whole covered stretch, the
    // usual definition of an error rate, rather than a sum over variants:
    // a variant span can hold readings a cheaper edit path would align
    // differently.
    for m in 0..inputs.len() {
        let coverage = alignment.members[m].coverage.clone();
        if coverage.is_empty() {
            continue;
        }
        let consensus: Vec<char> = coverage
            .clone()
            .flat_map(|p| alignment.consensus_at(inputs, p).iter().copied())
            .collect();
        let ours = &inputs[m].chars[span_chars(&alignment, m, &coverage)];
        alignment.members[m].edits = levenshtein(&consensus, ours);
    }
    alignment
}

/// The witness most similar to all other members (sum of match ratios); the
/// first such in input order on a tie.
fn choose_pivot(inputs: &[AlignInput<'_>]) -> usize {
    let witnesses: Vec<usize> = (0..inputs.len())
        .filter(|&m| inputs[m].role == MemberRole::Witness)
        .collect();
    let candidates = if witnesses.is_empty() {
        (0..inputs.len()).collect()
    } else {
        witnesses
    };
    if candidates.len() <= 2 {
        // With two witnesses either is the medoid: take the longer, so a
        // truncated version is compared against the full one.
        return candidates
            .iter()
            .copied()
            .max_by_key(|&m| (inputs[m].chars.len(), std::cmp::Reverse(m)))
            .expect("a cluster has members");
    }
    let mut score = vec![0.0f64; inputs.len()];
    for (i, &a) in candidates.iter().enumerate() {
        for &b in &candidates[i + 1..] {
            let matched = matched(&diff_chars(inputs[a].chars, inputs[b].chars));
            let ratio = 2.0 * matched as f64
                / (inputs[a].chars.len() + inputs[b].chars.len()).max(1) as f64;
            score[a] += ratio;
            score[b] += ratio;
        }
    }
    candidates
        .iter()
        .copied()
        .max_by(|&a, &b| {
            score[a]
                .partial_cmp(&score[b])
                .expect("ratios are finite")
                .then(b.cmp(&a))
        })
        .expect("a cluster has members")
}

/// Places one member's characters on the pivot's places.
fn place_member(pivot: &[char], input: &AlignInput<'_>) -> AlignedMember {
    let ops = match input.role {
        MemberRole::Witness => diff_chars(pivot, input.chars),
        MemberRole::Fragment | MemberRole::Duplicate => locate_piece(pivot, input.chars),
    };
    let n_places = 2 * pivot.len() + 1;
    let mut readings: Vec<Option<Range<usize>>> = vec![None; n_places];
    let mut put = |place: usize, range: Range<usize>| match &mut readings[place] {
        // Two insertions at one gap (an insert next to a longer replace)
        // are adjacent in the member, so the reading simply grows.
        Some(existing) => existing.end = range.end,
        slot => *slot = Some(range),
    };
    for op in &ops {
        match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for j in 0..len {
                    put(2 * (old_index + j) + 1, new_index + j..new_index + j + 1);
                }
            }
            DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => {
                for j in 0..old_len {
                    put(2 * (old_index + j) + 1, new_index..new_index);
                }
            }
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => put(2 * old_index, new_index..new_index + new_len),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                // Pair characters one to one; what is left over is a
                // deletion of pivot characters or an insertion after them.
                let paired = old_len.min(new_len);
                for j in 0..paired {
                    put(2 * (old_index + j) + 1, new_index + j..new_index + j + 1);
                }
                for j in paired..old_len {
                    put(
                        2 * (old_index + j) + 1,
                        new_index + paired..new_index + paired,
                    );
                }
                if new_len > paired {
                    put(
                        2 * (old_index + old_len),
                        new_index + paired..new_index + new_len,
                    );
                }
            }
        }
    }
    // Unfilled places read nothing, at the position reached so far.
    let mut cursor = 0;
    let readings: Vec<Range<usize>> = readings
        .into_iter()
        .map(|r| {
            let r = r.unwrap_or(cursor..cursor);
            cursor = r.end;
            r
        })
        .collect();

    let matched = matched(&ops);
    let (coverage, similarity) = match input.role {
        MemberRole::Witness => (
            witness_coverage(&ops, pivot.len()),
            2.0 * matched as f64 / (pivot.len() + input.chars.len()).max(1) as f64,
        ),
        // A duplicate is normally left out of the alignment; aligned anyway,
        // it covers what it repeats, like a fragment.
        MemberRole::Fragment | MemberRole::Duplicate => (
            fragment_coverage(&ops),
            matched as f64 / input.chars.len().max(1) as f64,
        ),
    };
    AlignedMember::new(coverage, readings, similarity)
}

/// Diffs a piece (a fragment or a repeat) against the part of the pivot it
/// comes from. Diffed against the whole pivot, a short piece finds its
/// common words (`the`, `and the`, `的`) all over it and seems to cover far
/// more than it does; so the piece is first placed by its longest common
/// run, then diffed against that stretch with a fifth of its length to
/// spare on either side.
fn locate_piece(pivot: &[char], piece: &[char]) -> Vec<DiffOp> {
    let ops = diff_chars(pivot, piece);
    let longest = ops
        .iter()
        .filter_map(|op| match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => Some((len, old_index, new_index)),
            _ => None,
        })
        .max_by_key(|&(len, old, _)| (len, std::cmp::Reverse(old)));
    let Some((_, old, new)) = longest else {
        return ops;
    };
    let slack = piece.len() / 5 + 1;
    let start = old.saturating_sub(new + slack);
    // Where the piece would start in the pivot may lie before the pivot's
    // start (the piece has text the pivot lacks at its head).
    let end = (old + piece.len() + slack)
        .saturating_sub(new)
        .min(pivot.len());
    if start == 0 && end == pivot.len() {
        return ops;
    }
    diff_chars(&pivot[start..end], piece)
        .into_iter()
        .map(|op| shift_old(op, start))
        .collect()
}

/// The same operation with pivot indices moved by `by`.
fn shift_old(op: DiffOp, by: usize) -> DiffOp {
    match op {
        DiffOp::Equal {
            old_index,
            new_index,
            len,
        } => DiffOp::Equal {
            old_index: old_index + by,
            new_index,
            len,
        },
        DiffOp::Delete {
            old_index,
            old_len,
            new_index,
        } => DiffOp::Delete {
            old_index: old_index + by,
            old_len,
            new_index,
        },
        DiffOp::Insert {
            old_index,
            new_index,
            new_len,
        } => DiffOp::Insert {
            old_index: old_index + by,
            new_index,
            new_len,
        },
        DiffOp::Replace {
            old_index,
            old_len,
            new_index,
            new_len,
        } => DiffOp::Replace {
            old_index: old_index + by,
            old_len,
            new_index,
            new_len,
        },
    }
}

/// All places, except a long unmatched stretch at the start (see
/// [`EDGE_GAP`]): a version that begins later leaves out a lead-in (a
/// speaker label, a dateline), while one that stops early is truncated, and
/// what it lacks at the end is reported as a truncation.
fn witness_coverage(ops: &[DiffOp], pivot_len: usize) -> Range<usize> {
    let n_places = 2 * pivot_len + 1;
    let solid = fragment_coverage(ops);
    if solid.is_empty() {
        return 0..n_places;
    }
    // Pivot characters before the first solid match.
    let lead = (solid.start - 1) / 2;
    let start = if lead >= EDGE_GAP { solid.start } else { 0 };
    start..n_places
}

/// From the first solid match to the last (places); any match if there is no
/// solid one; nothing if nothing matches.
fn fragment_coverage(ops: &[DiffOp]) -> Range<usize> {
    matched_span(ops, SOLID_MATCH)
        .or_else(|| matched_span(ops, 1))
        .map_or(0..0, |chars| 2 * chars.start + 1..2 * chars.end)
}

/// Majority vote at one place among the members that cover it.
fn vote(inputs: &[AlignInput<'_>], members: &[AlignedMember], pivot: usize, place: usize) -> Place {
    let reading = |m: usize| &inputs[m].chars[members[m].readings[place].clone()];
    let covering: Vec<usize> = (0..members.len())
        .filter(|&m| members[m].coverage.contains(&place))
        .collect();
    let mut best: Option<(usize, usize)> = None; // (member, support)
    let mut tie = false;
    for (i, &m) in covering.iter().enumerate() {
        // Count each distinct reading once, at its first member.
        if covering[..i].iter().any(|&o| reading(o) == reading(m)) {
            continue;
        }
        let support = covering
            .iter()
            .filter(|&&o| reading(o) == reading(m))
            .count();
        match best {
            Some((_, s)) if support < s => {}
            Some((_, s)) if support == s => tie = true,
            _ => {
                best = Some((m, support));
                tie = false;
            }
        }
    }
    match best {
        Some((member, support)) if !tie => Place {
            member,
            covered: covering.len(),
            support,
            tie: false,
        },
        // A tie, or a place nobody covers: the pivot's reading stands in,
        // and the tie is reported as such.
        _ => read_by(inputs, members, pivot, place, covering.len() > 1),
    }
}

/// The place with `member`'s reading as its consensus: how many members
/// cover it and how many of them read the same.
fn read_by(
    inputs: &[AlignInput<'_>],
    members: &[AlignedMember],
    member: usize,
    place: usize,
    tie: bool,
) -> Place {
    let reading = |m: usize| &inputs[m].chars[members[m].readings[place].clone()];
    let covering: Vec<usize> = (0..members.len())
        .filter(|&m| members[m].coverage.contains(&place))
        .collect();
    Place {
        member,
        covered: covering.len(),
        support: covering
            .iter()
            .filter(|&&o| reading(o) == reading(member))
            .count(),
        tie,
    }
}

/// Groups the places where some member deviates into maximal spans. Two
/// deviating places belong to one span when only empty gaps lie between them
/// (or a weak anchor, see [`merge_weak_anchors`]).
fn variant_spans(inputs: &[AlignInput<'_>], al: &Alignment) -> Vec<Range<usize>> {
    let n = al.places.len();
    let deviates = |m: usize, p: usize| {
        al.members[m].coverage.contains(&p)
            && inputs[m].chars[al.members[m].readings[p].clone()] != *al.consensus_at(inputs, p)
    };
    let empty_gap = |p: usize| {
        p.is_multiple_of(2) && (0..al.members.len()).all(|m| al.members[m].readings[p].is_empty())
    };
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut open: Option<Range<usize>> = None;
    for p in 0..n {
        let any = (0..al.members.len()).any(|m| deviates(m, p));
        if any {
            open = Some(match open.take() {
                Some(r) => r.start..p + 1,
                None => p..p + 1,
            });
        } else if !empty_gap(p)
            && let Some(r) = open.take()
        {
            spans.push(r);
        }
    }
    spans.extend(open);
    merge_weak_anchors(spans, |p| al.consensus_at(inputs, p))
}

/// Votes again over a whole span: the place-by-place majority can assemble
/// a reading no witness has (a transposition in the pivot ties every place
/// it touches, and the pivot's reading stands in at ties). When one reading
/// of the whole span has more witnesses than any other, it is the consensus
/// at every place of the span.
fn revote_span(inputs: &[AlignInput<'_>], al: &mut Alignment, span: Range<usize>) {
    let covering = covering(al, &span);
    let text_of = |m: usize| &inputs[m].chars[span_chars(al, m, &span)];
    let support = |m: usize| {
        covering
            .iter()
            .filter(|&&o| text_of(o) == text_of(m))
            .count()
    };
    let mut best: Option<(usize, usize)> = None; // (member, support)
    let mut tie = false;
    for &m in &covering {
        let s = support(m);
        match best {
            Some((b, bs)) if s == bs && text_of(b) != text_of(m) => tie = true,
            Some((_, bs)) if s <= bs => {}
            _ => {
                best = Some((m, s));
                tie = false;
            }
        }
    }
    let Some((winner, _)) = best else { return };
    if tie {
        return;
    }
    for p in span {
        al.places[p] = read_by(inputs, &al.members, winner, p, false);
    }
}

/// The variants of the spans: per span, the consensus and every covering
/// member's differing reading, trimmed and classified.
fn find_variants(
    inputs: &[AlignInput<'_>],
    al: &Alignment,
    spans: Vec<Range<usize>>,
) -> Vec<Variant> {
    let n = al.places.len();
    let consensus_ends_at = |p: usize| (p..n).all(|q| al.consensus_at(inputs, q).is_empty());

    spans
        .into_iter()
        .map(|span| {
            let covering = covering(al, &span);
            let text_of = |m: usize| span_chars(al, m, &span);
            let consensus: Vec<char> = span
                .clone()
                .flat_map(|p| al.consensus_at(inputs, p).iter().copied())
                .collect();
            let chars_of = |m: usize| &inputs[m].chars[text_of(m)];
            let support_of =
                |text: &[char]| covering.iter().filter(|&&o| chars_of(o) == text).count();
            let readings = covering
                .iter()
                .filter(|&&m| chars_of(m) != consensus.as_slice())
                .map(|&m| {
                    let (whole, reading) = (text_of(m), chars_of(m));
                    let (head, tail) = common_affixes(&consensus, reading);
                    let (ours, theirs) = (
                        &reading[head..reading.len() - tail],
                        &consensus[head..consensus.len() - tail],
                    );
                    let stops_early = inputs[m].role == MemberRole::Witness
                        && whole.end == inputs[m].chars.len()
                        && consensus_ends_at(span.end)
                        && theirs.len() >= ours.len() + TRUNCATION_MIN;
                    VariantReading {
                        member: m,
                        chars: whole.start + head..whole.end - tail,
                        text: ours.iter().collect(),
                        consensus: head..consensus.len() - tail,
                        support: support_of(reading),
                        category: if stops_early {
                            Category::Truncation
                        } else {
                            classify(theirs, ours)
                        },
                    }
                })
                .collect();
            let consensus_support = support_of(&consensus);
            Variant {
                tie: span.clone().any(|p| al.places[p].tie),
                places: span.clone(),
                consensus_support,
                consensus: consensus.iter().collect(),
                covered: covering.len(),
                readings,
            }
        })
        .filter(|v| !v.readings.is_empty())
        .collect()
}

/// Members that cover the whole of `span`.
fn covering(al: &Alignment, span: &Range<usize>) -> Vec<usize> {
    al.covering(span)
}

/// A member's characters read over `span`.
fn span_chars(al: &Alignment, m: usize, span: &Range<usize>) -> Range<usize> {
    al.member_chars(m, span)
}

/// Places where a member reads the consensus after normalization but writes
/// it otherwise: `(member, place, layer)`, in place order. Needs the
/// original text of both.
fn formal_differences(inputs: &[AlignInput<'_>], al: &Alignment) -> Vec<(usize, usize, Layer)> {
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
                || inputs[m].chars[ours.clone()] != inputs[c].chars[theirs.clone()]
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
fn formal_variants(
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
        let chars = span_chars(al, m, &span);
        let covering = covering(al, &span);
        let written = |o: usize| {
            let r = span_chars(al, o, &span);
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
                category: Category::Formal,
                chars,
            }],
            consensus,
        });
    }
    out
}

/// Joins variant spans that only one consensus character apart, or two
/// letters within a word, separate. Character diffs anchor on whatever
/// matches: `community` → `modernization` would otherwise come out as four
/// variants around `o`, `ni` and `t`, and the transposition `全不` → `不全`
/// as an insertion and a deletion around `不`. Frequent characters must not
/// cut one change into pieces.
fn merge_weak_anchors<'a>(
    spans: Vec<Range<usize>>,
    consensus_at: impl Fn(usize) -> &'a [char],
) -> Vec<Range<usize>> {
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        if let Some(last) = merged.last_mut() {
            let gap: Vec<char> = (last.end..span.start)
                .flat_map(|p| consensus_at(p).iter().copied())
                .collect();
            let weak = match gap.as_slice() {
                [c] => c.is_alphanumeric(),
                [a, b] => [a, b]
                    .iter()
                    .all(|c| c.is_alphanumeric() && !crate::chars::is_wide(**c)),
                _ => false,
            };
            if weak {
                last.end = span.end;
                continue;
            }
        }
        merged.push(span);
    }
    merged
}

/// Lengths of the common prefix and of the common suffix of two different
/// sequences, not overlapping in either.
fn common_affixes(a: &[char], b: &[char]) -> (usize, usize) {
    let head = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - head;
    let tail = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    (head, tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn run(texts: &[(&str, MemberRole)]) -> (Alignment, Vec<Vec<char>>) {
        let owned: Vec<Vec<char>> = texts.iter().map(|(t, _)| chars(t)).collect();
        let inputs: Vec<AlignInput<'_>> = owned
            .iter()
            .zip(texts)
            .map(|(c, (_, role))| AlignInput {
                chars: c,
                role: *role,
                original: None,
            })
            .collect();
        (align(&inputs, &AlignOptions::default()), owned.clone())
    }

    fn rows(al: &Alignment) -> Vec<(usize, String, String, usize, usize)> {
        al.variants
            .iter()
            .flat_map(|v| {
                v.readings.iter().map(move |r| {
                    let consensus: String = v
                        .consensus
                        .chars()
                        .skip(r.consensus.start)
                        .take(r.consensus.len())
                        .collect();
                    (r.member, consensus, r.text.clone(), r.support, v.covered)
                })
            })
            .collect()
    }

    use MemberRole::{Fragment as F, Witness as W};

    #[test]
    fn one_substitution_against_two() {
        let (al, _) = run(&[
            ("斡旋缅北达成停火", W),
            ("斡旋缅北达成停火", W),
            ("斡旋东北达成停火", W),
        ]);
        assert_eq!(rows(&al), vec![(2, "缅".into(), "东".into(), 1, 3)]);
        assert_eq!(al.members[2].minority, 1);
        assert_eq!(al.members[2].edits, 1);
        assert_eq!(al.members[0].compared, 8);
    }

    #[test]
    fn adjacent_edits_form_one_variant() {
        let (al, _) = run(&[
            ("中国-拉美的命运", W),
            ("中国-拉美的命运", W),
            ("中国-拉美-加勒比命运", W),
        ]);
        assert_eq!(rows(&al), vec![(2, "的".into(), "-加勒比".into(), 1, 3)]);
    }

    #[test]
    fn deletion_and_insertion() {
        let (al, _) = run(&[
            ("在中南半岛实现", W),
            ("在南半岛实现", W),
            ("在中南半岛实现", W),
        ]);
        assert_eq!(rows(&al), vec![(1, "中".into(), "".into(), 1, 3)]);
        let (al, _) = run(&[("abcdef", W), ("abcXdef", W), ("abcdef", W)]);
        assert_eq!(rows(&al), vec![(1, "".into(), "X".into(), 1, 3)]);
    }

    #[test]
    fn identical_witnesses_have_no_variants() {
        let (al, _) = run(&[("同一段文字", W), ("同一段文字", W)]);
        assert!(al.variants.is_empty());
        assert_eq!(al.members[1].compared, 5);
    }

    #[test]
    fn two_witnesses_disagreeing_is_a_tie() {
        let (al, _) = run(&[("斡旋缅北达成", W), ("斡旋东北达成", W)]);
        assert_eq!(al.variants.len(), 1);
        assert!(al.variants[0].tie);
        let r = &al.variants[0].readings;
        assert_eq!(r.len(), 1);
        assert_eq!(al.members[r[0].member].ties, 1);
        assert_eq!(al.members[r[0].member].minority, 0);
    }

    #[test]
    fn fragment_covers_only_its_span() {
        let (al, _) = run(&[
            ("一年来举行百余场会见通话元首外交日益发挥作用", W),
            ("一年来举行百余场会见通话元首外交日益发挥作用", W),
            ("见通话元首外交日益发挥作用", F),
        ]);
        assert!(al.variants.is_empty(), "{:?}", rows(&al));
        assert_eq!(al.members[2].compared, 13);
    }

    #[test]
    fn fragment_variant_is_counted_inside_its_span() {
        let (al, _) = run(&[
            ("一年来举行百余场会见通话斡旋缅北达成停火", W),
            ("一年来举行百余场会见通话斡旋东北达成停火", W),
            ("见通话斡旋缅北达成停火", F),
        ]);
        assert_eq!(rows(&al), vec![(1, "缅".into(), "东".into(), 1, 3)]);
    }

    #[test]
    fn overlapping_deviations_are_trimmed_per_reading() {
        let (al, _) = run(&[
            ("王毅就中国外交政策", W),
            ("王毅就中国外交政策", W),
            ("秦刚就中国外交政策", W),
            ("王毅外交政策", W),
        ]);
        assert_eq!(al.variants.len(), 1, "one span: the deviations overlap");
        let got = rows(&al);
        assert!(
            got.contains(&(2, "王毅".into(), "秦刚".into(), 1, 4)),
            "{got:?}"
        );
        assert!(
            got.contains(&(3, "就中国".into(), "".into(), 1, 4)),
            "{got:?}"
        );
    }

    #[test]
    fn witness_missing_a_long_start_covers_only_the_rest() {
        let full = "一年来习近平主席主持两大主场外交出席三场多边峰会开展四次重要出访举行百余场会见通话斡旋缅北达成停火";
        let (al, _) = run(&[
            (full, W),
            (full, W),
            (&full.replace("多边", "多场"), W),
            ("会见通话斡旋缅北达成停火", W),
        ]);
        // Without the edge rule the piece would "delete" the first 40
        // characters, and 边 would have 2 votes of 4: a tie.
        assert_eq!(rows(&al), vec![(2, "边".into(), "场".into(), 1, 3)]);
        assert_eq!(al.members[3].compared, 12);
        assert!(!al.variants[0].tie);
    }

    #[test]
    fn a_piece_covers_only_where_it_comes_from() {
        // Diffed against the whole text, the piece's `the`s and `a`s match
        // from the first word on, and it would seem to omit everything
        // before `the trade deal`.
        let whole = "the talks in the capital ended and the two sides agreed that the trade \
                     deal would be signed in the spring by the ministers of the two countries";
        let piece = "the trade deal woud be signed";
        let (al, _) = run(&[(whole, W), (piece, MemberRole::Fragment)]);
        let at = whole[..whole.find("the trade").unwrap()].chars().count();
        let len = "the trade deal would be signed".chars().count();
        assert_eq!(al.members[1].coverage, 2 * at + 1..2 * (at + len));
        assert_eq!(rows(&al), vec![(1, "l".into(), "".into(), 1, 2)]);
    }

    #[test]
    fn a_piece_with_a_head_the_pivot_lacks_is_placed() {
        // The piece's longest run with the pivot starts later in the piece
        // than in the pivot: placing it must not run before the pivot's
        // start (an overflow in debug builds).
        let pivot = chars("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥");
        let piece = chars("一二三四五六七八九十甲乙丙丁戊");
        let ops = locate_piece(&pivot, &piece);
        assert_eq!(matched(&ops), 5);
        let (al, _) = run(&[
            ("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥", W),
            ("一二三四五六七八九十甲乙丙丁戊", MemberRole::Fragment),
        ]);
        assert_eq!(al.members[1].coverage.start, 1);
    }

    #[test]
    fn consensus_text_is_the_majority_reading() {
        let owned = [chars("abXd"), chars("abcd"), chars("abcd")];
        let inputs: Vec<_> = owned
            .iter()
            .map(|c| AlignInput {
                chars: c,
                role: W,
                original: None,
            })
            .collect();
        let al = align(&inputs, &AlignOptions::default());
        assert_eq!(al.consensus_text(&inputs), "abcd");
    }
}
