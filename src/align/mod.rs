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
//!
//! The stages of [`align`], one file each: `place` (the pivot and each
//! member's places on it), `vote` (the consensus), `variants` (the spans
//! where members deviate) and `formal` (differences normalization hides).
pub mod apparatus;
mod formal;
mod multiple;
mod place;
mod variants;
mod vote;

use std::ops::Range;

use crate::classify::Category;
use crate::cluster::MemberRole;
use crate::diff::{is_long, levenshtein};
use crate::model::ByteSpan;
use crate::normalize::{Layer, LayerCounts};
use formal::{formal_differences, formal_variants};
use place::{choose_pivot, place_members};
use variants::{find_variants, variant_spans};
use vote::{decide_span, read_by, vote};

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
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AlignOptions {
    /// The members that are the ground truth (`--reference`: a witness, or
    /// the pieces of one): their reading is the consensus wherever they
    /// cover a place, and a witness among them is the pivot.
    pub reference: Vec<usize>,
    /// Report formal differences (those normalization hides) as variants;
    /// they are counted per member either way.
    pub keep_formal: bool,
    /// Per member, the weight of its word where readings tie: the
    /// log-odds of its source's reliability (see
    /// [`crate::stats::Reliability`]). Empty or missing: 0 for all, and
    /// the pivot's reading stands in.
    pub weights: Vec<f64>,
    /// Groups of members that are pieces of one text, each in text order:
    /// the fragments of a paragraph one source splits in two. They are
    /// placed one after another on the pivot and never overlap.
    pub pieces: Vec<Vec<usize>>,
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
    /// Consensus characters at the places it covers where the vote
    /// decided: three members or more cover the place, and it is not in a
    /// tied span. The evidence of its reliability.
    pub voted: usize,
    /// Character edits of its readings at those places.
    pub voted_edits: usize,
    /// Places where it reads the consensus in another form (`，` for `,`,
    /// `—` for `-`), by normalization layer; not variants unless kept.
    pub formal: LayerCounts,
    /// Placed or measured on the bounded path for long texts (longer than
    /// [`crate::diff::LONG_TEXT`]): piecewise between anchors, so its edit
    /// script and edits may differ a little from an exact alignment's.
    pub coarse: bool,
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
            voted: 0,
            voted_edits: 0,
            formal: LayerCounts::default(),
            coarse: false,
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

/// One member's reading at a variant site: the stretch of the site where
/// it reads otherwise, in whole words in alphabetic text.
///
/// A site is maximal over all members; one member may agree with the
/// consensus over part of it, so its reading covers only where it differs:
/// `中国-拉美的命运` against `中国-拉美-加勒比命运` reads `的` → `-加勒比`,
/// `glass` against `glasses` reads `glass` → `glasses` (the word, with
/// [`Detail`] saying that `es` was added), and a member that only lacks
/// `中` reads `中` → ``. A member that differs at two places of a site, a
/// word apart, has two readings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantReading {
    /// The member (index into the cluster's members).
    pub member: usize,
    /// Its reading's characters (empty: an omission at that position).
    pub chars: Range<usize>,
    /// The normalized text of those characters.
    pub text: String,
    /// The part of the variant's consensus it replaces, as character
    /// offsets into [`Variant::consensus`].
    pub consensus: Range<usize>,
    /// How many covering members read the same there.
    pub support: usize,
    /// How many covering members read the consensus there.
    pub consensus_support: usize,
    /// The characters that differ, inside the reading: which letters an
    /// OCR engine confused.
    pub detail: Detail,
    /// What kind of difference it is, judged on [`Detail`].
    pub category: Category,
}

/// The characters a reading changes, inside its words: the reading and the
/// consensus with their common start and end taken off (`glass` →
/// `glasses`: `` → `es`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Detail {
    /// The member's differing characters.
    pub chars: Range<usize>,
    /// The consensus characters they replace, as offsets into
    /// [`Variant::consensus`].
    pub consensus: Range<usize>,
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
        let member = self.places[place].member;
        &inputs[member].chars[self.reading(member, place)]
    }

    /// Member `m`'s characters read at one place: what it reads there,
    /// possibly nothing, positioned in its text.
    pub fn reading(&self, m: usize, place: usize) -> Range<usize> {
        self.members[m].readings[place].clone()
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

/// Whether two readings are the same characters. Nearly every reading is
/// one character or none: those are compared directly, not by `memcmp`,
/// which the comparisons at every place of every cluster would spend a
/// twentieth of a run in.
#[inline]
pub(crate) fn same(a: &[char], b: &[char]) -> bool {
    match (a, b) {
        ([], []) => true,
        ([x], [y]) => x == y,
        _ => a == b,
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
    let n_places = 2 * inputs[pivot].chars.len() + 1;
    let members = place_members(inputs, pivot, &options.pieces);

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
            decide_span(inputs, &mut alignment, span.clone(), &options.weights);
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
            } else if r.support < r.consensus_support {
                m.minority += 1;
            }
        }
    }
    count_voted(inputs, &mut alignment);
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
        let ours = &inputs[m].chars[alignment.member_chars(m, &coverage)];
        alignment.members[m].edits = levenshtein(&consensus, ours);
        alignment.members[m].coarse |= is_long(&consensus, ours);
    }
    alignment
}

/// Fills in each member's [`AlignedMember::voted`] and
/// [`AlignedMember::voted_edits`]: what it reads where the vote decided,
/// the only places that tell a reliable member from another (where two
/// disagree, or three all differently, nothing does).
fn count_voted(inputs: &[AlignInput<'_>], al: &mut Alignment) {
    let mut decided: Vec<bool> = al.places.iter().map(|p| p.covered >= 3).collect();
    for v in al.variants.iter().filter(|v| v.tie) {
        decided[v.places.clone()].fill(false);
    }
    for m in 0..al.members.len() {
        let voted = al.members[m]
            .coverage
            .clone()
            .filter(|&p| decided[p])
            .map(|p| al.consensus_at(inputs, p).len())
            .sum();
        al.members[m].voted = voted;
    }
    for v in al
        .variants
        .iter()
        .filter(|v| !v.tie && decided[v.places.start])
    {
        let consensus: Vec<char> = v.consensus.chars().collect();
        for r in v.readings.iter().filter(|r| r.category != Category::Formal) {
            let ours: Vec<char> = r.text.chars().collect();
            al.members[r.member].voted_edits += levenshtein(&consensus[r.consensus.clone()], &ours);
        }
    }
}

/// Every text as a witness, without its original text: the inputs the
/// unit tests align.
#[cfg(test)]
pub(crate) fn witness_inputs(texts: &[Vec<char>]) -> Vec<AlignInput<'_>> {
    texts
        .iter()
        .map(|chars| AlignInput {
            chars,
            role: MemberRole::Witness,
            original: None,
        })
        .collect()
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

    /// Deviations of three members a space apart, grown into one site:
    /// each word is decided by itself, so the three that read `In` outvote
    /// the one that reads `ln`, though its reading of the whole site is
    /// nearest to the others'.
    #[test]
    fn a_space_all_read_alike_divides_the_vote() {
        let (al, owned) = run(&[
            ("it will not change ln particular now", W),
            ("it will enter change In particular now", W),
            ("it will not che In particular now", W),
            ("it will not change In particual now", W),
        ]);
        let inputs = witness_inputs(&owned);
        assert_eq!(
            al.consensus_text(&inputs),
            "it will not change In particular now"
        );
        assert!(al.variants.iter().all(|v| !v.tie));
        assert_eq!(al.members[0].deviations, 1);
    }

    /// `hpoe`, `hope`, `hoep`: each reading has one witness, but `hope` is
    /// a transposition away from both others; place by place the vote would
    /// assemble a reading nobody has.
    #[test]
    fn the_consensus_is_the_reading_closest_to_the_others() {
        let (al, owned) = run(&[("we hpoe so", W), ("we hope so", W), ("we hoep so", W)]);
        let inputs = witness_inputs(&owned);
        assert_eq!(al.consensus_text(&inputs), "we hope so");
        assert!(al.variants.iter().all(|v| !v.tie));
        assert_eq!(al.members[1].deviations, 0);
    }

    /// Two witnesses that differ tie; the weights (reliabilities) decide,
    /// whichever is the pivot, and the variant is flagged.
    #[test]
    fn a_tie_goes_to_the_heavier_reading_and_is_flagged() {
        let owned = [chars("他说了算，好的"), chars("他就说了算，好的")];
        let inputs = witness_inputs(&owned);
        for (weights, winner) in [
            (vec![1.0, 3.0], "他就说了算，好的"),
            (vec![3.0, 1.0], "他说了算，好的"),
        ] {
            let al = align(
                &inputs,
                &AlignOptions {
                    weights,
                    ..AlignOptions::default()
                },
            );
            assert_eq!(al.consensus_text(&inputs), winner);
            assert_eq!(al.variants.len(), 1);
            assert!(al.variants[0].tie);
            assert_eq!(
                al.members.iter().map(|m| m.voted).sum::<usize>(),
                0,
                "two members decide nothing"
            );
        }
    }

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
        // One word of alphabetic text: the reading is the word.
        assert_eq!(
            rows(&al),
            vec![(1, "abcdef".into(), "abcXdef".into(), 1, 3)]
        );
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

    /// See: issue 22 — a heading three of six editions have got no row for
    /// the three that lack it: a witness beginning later did not cover the
    /// start.
    #[test]
    fn a_witness_lacking_the_start_reads_nothing_there() {
        let full = "一年来习近平主席主持两大主场外交出席三场多边峰会开展四次重要出访举行百余场会见通话斡旋缅北达成停火";
        let (al, _) = run(&[
            (full, W),
            (full, W),
            (&full.replace("多边", "多场"), W),
            ("会见通话斡旋缅北达成停火", W),
        ]);
        let lead = &full[..full.find("会见").unwrap()];
        // The lead it lacks is one reading, and the substitution inside
        // the lead stays a reading of its own, decided by the three others.
        assert_eq!(
            rows(&al),
            vec![
                (3, lead.to_string(), "".into(), 1, 4),
                (2, "边".into(), "场".into(), 1, 4)
            ]
        );
        assert_eq!(al.members[3].coverage.start, 0);
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
        assert_eq!(rows(&al), vec![(1, "would".into(), "woud".into(), 1, 2)]);
    }

    #[test]
    fn a_reading_is_positioned_in_the_members_text() {
        // Pivot `abcd` (the longer); `abd` lacks `c`, at place 2·2+1.
        let (al, _) = run(&[("abcd", W), ("abd", W)]);
        assert_eq!(al.pivot, 0);
        assert_eq!(al.reading(1, 5), 2..2, "nothing, where `c` would stand");
        assert_eq!(al.reading(1, 7), 2..3);
        assert_eq!(al.member_chars(1, &(5..8)), 2..3);
        assert_eq!(al.member_chars(0, &(5..8)), 2..4);
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
