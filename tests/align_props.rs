//! Properties of the multi-witness alignment that must hold for any input:
//!
//! * applying a witness's variant readings to the consensus gives back the
//!   witness's (normalized) text, up to spaces (a difference in spaces only
//!   is formal, not a variant);
//! * identical witnesses give no variants;
//! * the result does not depend on the order of the witnesses (up to the
//!   member numbering);
//! * two adjacent characters swapped in one of three witnesses, whatever
//!   the characters, are one reading, a transposition.
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use recension::align::{AlignInput, AlignOptions, Alignment, align};
use recension::cluster::MemberRole;

/// Characters to build texts from: Han, Latin, digits, punctuation and the
/// frequent single characters that must not anchor unrelated text.
const ALPHABET: &[char] = &[
    '的', '中', '国', '俄', '合', '作', '缅', '东', '北', '边', '场', '己', '已', '，', '。', 'a',
    'e', 'h', 't', 'n', 'r', 'm', ' ', '1', '2', '-', ',',
];

fn text(min: usize, max: usize) -> impl Strategy<Value = Vec<char>> {
    prop::collection::vec(prop::sample::select(ALPHABET), min..max)
}

/// One edit: (position fraction, kind, character).
fn edits() -> impl Strategy<Value = Vec<(f64, u8, char)>> {
    prop::collection::vec((0.0..1.0f64, 0u8..4, prop::sample::select(ALPHABET)), 0..6)
}

fn apply(base: &[char], edits: &[(f64, u8, char)]) -> Vec<char> {
    let mut out = base.to_vec();
    for &(at, kind, c) in edits {
        if out.is_empty() {
            out.push(c);
            continue;
        }
        let i = ((at * out.len() as f64) as usize).min(out.len() - 1);
        match kind {
            0 => out[i] = c,
            1 => out.insert(i, c),
            2 => {
                out.remove(i);
            }
            _ if i + 1 < out.len() => out.swap(i, i + 1),
            _ => out.push(c),
        }
    }
    out
}

fn inputs(texts: &[Vec<char>]) -> Vec<AlignInput<'_>> {
    texts
        .iter()
        .map(|t| AlignInput {
            chars: t,
            role: MemberRole::Witness,
            original: None,
        })
        .collect()
}

fn run(texts: &[Vec<char>]) -> Alignment {
    align(&inputs(texts), &AlignOptions::default())
}

/// The member's text over its coverage, rebuilt from the consensus and its
/// variant readings.
fn rebuild(al: &Alignment, texts: &[Vec<char>], m: usize) -> (Vec<char>, Vec<char>) {
    let inputs = inputs(texts);
    let member = &al.members[m];
    let mut out = Vec::new();
    let mut p = member.coverage.start;
    while p < member.coverage.end {
        let variant = al
            .variants
            .iter()
            .find(|v| v.places.start == p && v.places.end <= member.coverage.end);
        match variant {
            Some(v) => {
                let consensus: Vec<char> = v.consensus.chars().collect();
                // A member may have several readings in one site, a word
                // apart: each replaces its own part of the consensus.
                let mut at = 0;
                for r in v.readings.iter().filter(|r| r.member == m) {
                    out.extend_from_slice(&consensus[at..r.consensus.start]);
                    out.extend(r.text.chars());
                    at = r.consensus.end;
                }
                out.extend_from_slice(&consensus[at..]);
                p = v.places.end;
            }
            None => {
                out.extend_from_slice(al.consensus_at(&inputs, p));
                p += 1;
            }
        }
    }
    let r = &member.readings;
    let own = texts[m][r[member.coverage.start].start..r[member.coverage.end - 1].end].to_vec();
    (out, own)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn variants_applied_to_the_consensus_give_each_witness_back(
        base in text(30, 80),
        e1 in edits(),
        e2 in edits(),
        e3 in edits(),
    ) {
        let texts = vec![apply(&base, &e1), base.clone(), apply(&base, &e2), apply(&base, &e3)];
        prop_assume!(texts.iter().all(|t| !t.is_empty()));
        let al = run(&texts);
        for m in 0..texts.len() {
            let (rebuilt, own) = rebuild(&al, &texts, m);
            let solid = |t: &[char]| t.iter().filter(|c| !c.is_whitespace()).collect::<String>();
            prop_assert_eq!(solid(&rebuilt), solid(&own), "member {}", m);
        }
    }

    /// The consensus at every variation site is what some covering witness
    /// reads there, never a reading assembled place by place; a space or a
    /// mark all read alike divides a site into parts decided apart.
    #[test]
    fn every_consensus_reading_is_some_witness_reading(
        base in text(20, 60),
        e1 in edits(),
        e2 in edits(),
        e3 in edits(),
    ) {
        let texts = vec![apply(&base, &e1), apply(&base, &e2), apply(&base, &e3)];
        prop_assume!(texts.iter().all(|t| !t.is_empty()));
        let al = run(&texts);
        let inputs = inputs(&texts);
        for v in &al.variants {
            // A space or a mark every covering member reads alike divides
            // the site into parts, each decided by itself.
            let covering = al.covering(&v.places);
            let reading = |m: usize, p: usize| &texts[m][al.reading(m, p)];
            let agreed = |p: usize| {
                let first = reading(covering[0], p);
                !first.is_empty()
                    && !first.iter().any(|c| c.is_alphanumeric())
                    && covering.iter().all(|&m| reading(m, p) == first)
            };
            let mut parts = Vec::new();
            let mut start = v.places.start;
            for p in v.places.clone() {
                if agreed(p) {
                    parts.push(start..p);
                    start = p + 1;
                }
            }
            parts.push(start..v.places.end);
            for part in parts.into_iter().filter(|r| !r.is_empty()) {
                let consensus: Vec<char> = part
                    .clone()
                    .flat_map(|p| al.consensus_at(&inputs, p).iter().copied())
                    .collect();
                let read = covering
                    .iter()
                    .any(|&m| texts[m][al.member_chars(m, &part)] == consensus[..]);
                prop_assert!(read, "site {:?}, part {:?}: {:?} is nobody's reading", v.places, part, consensus);
            }
        }
    }

    #[test]
    fn identical_witnesses_give_no_variants(base in text(1, 80), n in 2usize..5) {
        let texts = vec![base; n];
        let al = run(&texts);
        prop_assert!(al.variants.is_empty());
        prop_assert!(al.members.iter().all(|m| m.deviations == 0 && m.edits == 0));
    }

    #[test]
    fn edits_are_zero_only_for_a_witness_that_reads_the_consensus(
        base in text(30, 80),
        e1 in edits(),
    ) {
        let texts = vec![base.clone(), base.clone(), apply(&base, &e1)];
        let al = run(&texts);
        // Two identical witnesses outvote the third everywhere.
        prop_assert_eq!(al.members[0].edits, 0);
        prop_assert_eq!(al.members[1].edits, 0);
        prop_assert_eq!(al.members[2].edits > 0, texts[2] != base);
    }

    #[test]
    fn the_common_characters_are_those_an_optimal_diff_matches(
        base in text(0, 120),
        e1 in edits(),
    ) {
        let other = apply(&base, &e1);
        prop_assert_eq!(
            recension::diff::common_chars(&base, &other),
            recension::diff::matched(&recension::diff::diff_chars(&base, &other))
        );
    }
}

/// Characters of every kind a swap may involve: Han, Latin (both cases),
/// digits, Chinese and Western punctuation, symbols. A space is left out:
/// moving one is a change of spacing (formal), not a transposition.
const SWAPPABLE: &[char] = &[
    '的', '中', '国', '红', '灯', '己', '已', 'a', 'c', 'e', 'r', 'n', 'C', 'M', '0', '2', '8',
    '，', '、', '。', '“', ',', '.', '\'', '-', '%', '$', '+', '°',
];

proptest! {
    // A fixed seed: the same cases on every run and machine.
    #![proptest_config(ProptestConfig {
        cases: 400,
        rng_seed: RngSeed::Fixed(17),
        ..ProptestConfig::default()
    })]

    #[test]
    fn an_adjacent_swap_is_one_transposition(
        base in prop::collection::vec(prop::sample::select(SWAPPABLE), 2..60),
        at in 0.0..1.0f64,
    ) {
        let i = ((at * (base.len() - 1) as f64) as usize).min(base.len() - 2);
        prop_assume!(base[i] != base[i + 1]);
        let mut swapped = base.clone();
        swapped.swap(i, i + 1);
        let al = run(&[base.clone(), base.clone(), swapped.clone()]);
        let readings: Vec<_> = al.variants.iter().flat_map(|v| &v.readings).collect();
        prop_assert_eq!(readings.len(), 1, "{:?}", al.variants);
        let r = readings[0];
        prop_assert_eq!(r.member, 2);
        prop_assert_eq!(r.category, recension::classify::Category::Transposition);
        prop_assert_eq!(r.support, 1);
        // The characters that differ are the two, swapped; the reading
        // holds them (in alphabetic text, with the rest of their word).
        let pair: String = [base[i + 1], base[i]].iter().collect();
        let detail: String = swapped[r.detail.chars.clone()].iter().collect();
        prop_assert_eq!(&detail, &pair);
        prop_assert_eq!(r.detail.chars.clone(), i..i + 2);
        prop_assert!(r.chars.start <= i && i + 2 <= r.chars.end);
    }
}

/// The seed transcripts' sentences in a fixed shuffled order, `n`
/// characters long: a text much longer than any paragraph, which repeats
/// sentences as long transcripts do.
fn long_text(n: usize) -> Vec<char> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("data/sample is there")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    files.sort();
    let mut sentences: Vec<String> = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).expect("the sample is UTF-8");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            sentences.extend(
                line.split_inclusive(['。', '.'])
                    .map(str::trim)
                    .filter(|s| s.chars().count() >= 8)
                    .map(String::from),
            );
        }
    }
    let mut state: u64 = 7;
    let mut out: Vec<char> = Vec::with_capacity(n + 200);
    while out.len() < n {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        out.extend(sentences[(state >> 33) as usize % sentences.len()].chars());
        out.push(' ');
    }
    out.truncate(n);
    out
}

/// `base` with one edit every `every` characters or so, in turn a
/// substitution, an insertion and a deletion; and how many.
fn sprinkle(base: &[char], every: usize, offset: usize) -> (Vec<char>, usize) {
    let mut out = Vec::with_capacity(base.len() + base.len() / every);
    let mut edits = 0;
    for (i, &c) in base.iter().enumerate() {
        if i % every != offset || c.is_whitespace() {
            out.push(c);
            continue;
        }
        edits += 1;
        match (i / every) % 3 {
            0 => out.push(if c == '〇' { '□' } else { '〇' }),
            1 => out.extend(['〇', c]),
            _ => {}
        }
    }
    (out, edits)
}

#[test]
fn a_long_text_aligned_between_anchors_gives_each_witness_back() {
    // 100,000 characters: well past diff::LONG_TEXT, so the alignment is
    // piecewise between anchors.
    let base = long_text(100_000);
    assert!(base.len() > 4 * recension::diff::LONG_TEXT);
    // Never at the same place: two alike edits would outvote the base.
    let (first, first_edits) = sprinkle(&base, 150, 17);
    let (third, third_edits) = sprinkle(&base, 150, 92);
    let texts = vec![first, base.clone(), third];
    let al = run(&texts);
    let inputs = inputs(&texts);
    assert_eq!(al.consensus_text(&inputs), base.iter().collect::<String>());
    for m in 0..texts.len() {
        assert!(al.members[m].coarse, "member {m}");
        let (rebuilt, own) = rebuild(&al, &texts, m);
        assert_eq!(rebuilt, own, "member {m}");
        assert_eq!(own, texts[m], "member {m} covers all of its text");
    }
    // Edits far apart: the distance is the number made.
    assert_eq!(al.members[0].edits, first_edits);
    assert_eq!(al.members[1].edits, 0);
    assert_eq!(al.members[2].edits, third_edits);
}

/// Every variation site as what each witness (by its index in `order`'s
/// original numbering) reads over it, and the consensus: a description that
/// does not depend on the members' order.
fn sites(texts: &[Vec<char>], order: &[usize]) -> Vec<(String, Vec<(usize, String)>)> {
    let permuted: Vec<Vec<char>> = order.iter().map(|&i| texts[i].clone()).collect();
    let al = run(&permuted);
    let mut out: Vec<(String, Vec<(usize, String)>)> = al
        .variants
        .iter()
        .map(|v| {
            let mut readings: Vec<(usize, String)> = al
                .covering(&v.places)
                .into_iter()
                .map(|m| {
                    let text = permuted[m][al.member_chars(m, &v.places)].iter().collect();
                    (order[m], text)
                })
                .collect();
            readings.sort();
            (v.consensus.clone(), readings)
        })
        .collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 300,
        rng_seed: RngSeed::Fixed(22),
        ..ProptestConfig::default()
    })]

    /// CollateX's `testOrderIndependence`: the witnesses in another order
    /// give the same variation sites, with the same consensus and readings.
    #[test]
    fn permuting_the_witnesses_changes_no_variation_site(
        base in text(20, 60),
        e1 in edits(),
        e2 in edits(),
        e3 in edits(),
        shuffle in Just(vec![0usize, 1, 2, 3]).prop_shuffle(),
    ) {
        let texts = vec![apply(&base, &e1), base.clone(), apply(&base, &e2), apply(&base, &e3)];
        prop_assume!(texts.iter().all(|t| !t.is_empty()));
        prop_assert_eq!(sites(&texts, &[0, 1, 2, 3]), sites(&texts, &shuffle));
    }

    /// Where the vote cannot decide (two witnesses, or three all reading
    /// differently, of one length), the consensus does not go to whichever
    /// witness came first.
    #[test]
    fn ties_are_decided_whatever_the_witnesses_order(
        base in text(10, 40),
        at in prop::collection::vec((0.0..1.0f64, prop::sample::select(ALPHABET)), 3),
        three in any::<bool>(),
    ) {
        let substituted = |(f, c): (f64, char)| {
            let mut t = base.clone();
            let i = ((f * t.len() as f64) as usize).min(t.len() - 1);
            t[i] = c;
            t
        };
        let mut texts = vec![substituted(at[0]), substituted(at[1])];
        if three {
            texts.push(substituted(at[2]));
        }
        let order: Vec<usize> = (0..texts.len()).collect();
        let reversed: Vec<usize> = order.iter().rev().copied().collect();
        prop_assert_eq!(sites(&texts, &order), sites(&texts, &reversed));
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 500,
        rng_seed: RngSeed::Fixed(23),
        ..ProptestConfig::default()
    })]

    /// The word diff is an edit script: its operations cover both texts in
    /// order, without gaps, and what it matches is equal.
    #[test]
    fn the_word_diff_turns_one_text_into_the_other(
        base in text(0, 80),
        e in edits(),
    ) {
        let other = apply(&base, &e);
        let ops = recension::diff::diff_words(&base, &other);
        let (mut i, mut j) = (0usize, 0usize);
        for op in &ops {
            prop_assert_eq!(op.old_range().start, i, "{:?}", ops);
            prop_assert_eq!(op.new_range().start, j, "{:?}", ops);
            if let similar::DiffOp::Equal { old_index, new_index, len } = *op {
                prop_assert_eq!(&base[old_index..old_index + len], &other[new_index..new_index + len]);
            }
            i = op.old_range().end;
            j = op.new_range().end;
        }
        prop_assert_eq!((i, j), (base.len(), other.len()));
    }
}
