//! Name the kind of a difference between a consensus and a reading.
//!
//! ```text
//! ("缅", "东") → substitution    ("中俄", "俄中") → transposition   ("中", "") → deletion
//! ("2400", "2300") → number       (",", ";") → punctuation          ("", "特色") → insertion
//! ("己", "已") → confusable        ("rn", "m") → confusable          ("co-op", "coop") → hyphenation
//! ("a'", "'a") → transposition    ("8%", "%8") → transposition      ("三", "四") → number
//! ```
//!
//! A category is judged on the whole reading, never on one character of
//! it: a rewritten sentence that holds a digit is a substitution, not a
//! number, and a swap of two adjacent characters is a transposition
//! whatever the characters are (letters, Han, digits, punctuation).
//!
//! Look-alike glyphs come from `data/confusables.tsv` (UTS #39 skeletons for
//! Latin, Greek and Cyrillic, classic OCR confusions, Han 形近字), built into
//! the binary; `scripts/build_confusables.py` rebuilds it from its sources.
use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Serialize;
use similar::DiffOp;

use crate::chars::is_punct;

/// The fixed vocabulary of variant categories (SPEC §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Only punctuation differs.
    Punctuation,
    /// Only numerals differ (see [`is_number_change`]).
    Number,
    /// Look-alike glyphs (`rn`/`m`, `己`/`已`).
    Confusable,
    /// Two adjacent characters swapped, or the same characters in another
    /// order.
    Transposition,
    /// The witness has text the consensus lacks.
    Insertion,
    /// The witness lacks text the consensus has.
    Deletion,
    /// Other replaced text.
    Substitution,
    /// The witness stops early or is garbled at the end.
    Truncation,
    /// A line-end hyphen left in or taken out.
    Hyphenation,
    /// A difference that vanishes under normalization.
    Formal,
}

impl Category {
    /// All categories, in report order.
    pub const ALL: [Category; 10] = [
        Category::Punctuation,
        Category::Number,
        Category::Confusable,
        Category::Transposition,
        Category::Insertion,
        Category::Deletion,
        Category::Substitution,
        Category::Truncation,
        Category::Hyphenation,
        Category::Formal,
    ];

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Punctuation => "punctuation",
            Category::Number => "number",
            Category::Confusable => "confusable",
            Category::Transposition => "transposition",
            Category::Insertion => "insertion",
            Category::Deletion => "deletion",
            Category::Substitution => "substitution",
            Category::Truncation => "truncation",
            Category::Hyphenation => "hyphenation",
            Category::Formal => "formal",
        }
    }

    /// The category named `name` (as [`Category::as_str`] writes it).
    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// The look-alike table, as shipped.
const CONFUSABLES: &str = include_str!("../data/confusables.tsv");

/// Pairs of look-alike strings, both orders, lowercased as comparison text is.
fn confusables() -> &'static HashSet<(String, String)> {
    static TABLE: OnceLock<HashSet<(String, String)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = HashSet::new();
        for line in CONFUSABLES.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut fields = line.split('\t');
            let (Some(a), Some(b)) = (fields.next(), fields.next()) else {
                continue;
            };
            let (a, b) = (a.to_lowercase(), b.to_lowercase());
            if a != b {
                table.insert((b.clone(), a.clone()));
                table.insert((a, b));
            }
        }
        table
    })
}

/// Whether `a` and `b` are look-alikes: a pair of the table, or texts of one
/// length that differ only by look-alike characters.
pub fn is_confusable(a: &[char], b: &[char]) -> bool {
    let table = confusables();
    let pair = |x: &[char], y: &[char]| {
        table.contains(&(x.iter().collect::<String>(), y.iter().collect::<String>()))
    };
    if a.is_empty() || b.is_empty() || a == b {
        return false;
    }
    if pair(a, b) {
        return true;
    }
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x == y || pair(std::slice::from_ref(x), std::slice::from_ref(y)))
}

/// Whether `reading` is `consensus` with two adjacent, different
/// characters swapped (`ab` → `ba`, `a'` → `'a`, `8%` → `%8`) and nothing
/// else changed: their optimal-string-alignment distance is 1 where their
/// Levenshtein distance is 2. Computed directly, in linear time, as the
/// texts may be long (the unit tests check it against `strsim`).
pub fn is_adjacent_swap(consensus: &[char], reading: &[char]) -> bool {
    if consensus.len() != reading.len() || consensus.len() < 2 {
        return false;
    }
    let head = consensus
        .iter()
        .zip(reading)
        .take_while(|(a, b)| a == b)
        .count();
    let tail = consensus
        .iter()
        .rev()
        .zip(reading.iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    // Exactly two differing places, side by side, holding the same pair in
    // the other order.
    head + tail + 2 == consensus.len()
        && consensus[head] == reading[head + 1]
        && consensus[head + 1] == reading[head]
}

/// Han characters that write numbers: the ordinary numerals, the financial
/// forms used on cheques and in contracts (`壹贰叁`), their traditional
/// forms, and the contractions `廿` (20) and `卅` (30). `〇` and the
/// Arabic, full-width and other digits are numeric in Unicode already.
const HAN_NUMERALS: &str =
    "〇零一二三四五六七八九十百千万亿两兩萬億壹贰貳叁參肆伍陆陸柒捌玖拾佰仟廿卅";

/// A character that writes a number: a Unicode numeric character (digits of
/// any script, `〇`, `½`, `Ⅳ`) or a Han numeral (`三`, `万`, `叁`).
pub fn is_numeral(c: char) -> bool {
    c.is_numeric() || (crate::chars::is_han(c) && HAN_NUMERALS.contains(c))
}

/// Whether the difference between `consensus` and `reading` (both
/// non-empty) is a difference of numerals: every character that an optimal
/// character diff of the two does not match is a numeral, or a decimal or
/// grouping mark (`.` `,`) or a space written inside a number, and at least
/// one is a numeral. `2023` → `2024`, `二〇二三` → `二〇二四`, `28.8` →
/// `28.5` and `3年3` → `4年4` are; a rewritten sentence that holds a digit
/// somewhere, or `28.8%` → `28.8个百分点`, are not.
pub fn is_number_change(consensus: &[char], reading: &[char]) -> bool {
    // Most readings hold no numeral at all: answered without a diff.
    if !consensus.iter().chain(reading).any(|&c| is_numeral(c)) {
        return false;
    }
    let in_number = |c: char| is_numeral(c) || matches!(c, '.' | ',') || c.is_whitespace();
    let (mut numeral, mut other) = (false, false);
    let mut look = |chars: &[char]| {
        for &c in chars {
            numeral |= is_numeral(c);
            other |= !in_number(c);
        }
    };
    for op in crate::diff::diff_chars(consensus, reading) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => look(&consensus[old_index..old_index + old_len]),
            DiffOp::Insert {
                new_index, new_len, ..
            } => look(&reading[new_index..new_index + new_len]),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                look(&consensus[old_index..old_index + old_len]);
                look(&reading[new_index..new_index + new_len]);
            }
        }
    }
    numeral && !other
}

/// Classifies the reading `reading` of a place whose consensus is
/// `consensus` (both normalized, trimmed to where they differ). Truncation
/// depends on where the reading stands, so the alignment decides it (see
/// [`crate::align`]).
///
/// The first rule that holds, each judged on the whole reading:
///
/// 1. hyphenation: a hyphen put in or taken out, the rest equal;
/// 2. formal: only spaces differ;
/// 3. transposition: two adjacent characters swapped
///    ([`is_adjacent_swap`], spaces aside), whatever they are; before the punctuation
///    rules, so `China's` → `Chin'as` and `红灯、` → `红、灯` are swaps, not
///    punctuation;
/// 4. punctuation: both sides are punctuation (or nothing);
/// 5. insertion, deletion: one side is empty;
/// 6. punctuation: the letters and digits are the same, in the same order;
/// 7. confusable: look-alikes ([`is_confusable`]);
/// 8. number: only numerals differ ([`is_number_change`]);
/// 9. transposition: the same characters in another order (`俄中` →
///    `中俄`, two words exchanged);
/// 10. substitution.
pub fn classify(consensus: &[char], reading: &[char]) -> Category {
    // A hyphen (with the space of a line end) put in or taken out inside
    // text that is otherwise the same.
    // The characters that are not in `skip`.
    let without = |s: &[char], skip: &[char]| -> Vec<char> {
        s.iter()
            .copied()
            .filter(|c| !c.is_whitespace() && !skip.contains(c))
            .collect()
    };
    let unhyphenated = without(consensus, &['-']);
    if consensus.contains(&'-') != reading.contains(&'-')
        && !unhyphenated.is_empty()
        && unhyphenated == without(reading, &['-'])
    {
        return Category::Hyphenation;
    }
    let solid = |s: &[char]| without(s, &[]);
    if solid(consensus) == solid(reading) {
        // Only spaces differ, which normalization keeps between words: a
        // formal difference, not a variant.
        return Category::Formal;
    }
    // Spaces aside: normalization drops a space next to punctuation, so
    // `8% in` → `%8 in` compares as `8%` → `%8 `.
    if is_adjacent_swap(&solid(consensus), &solid(reading)) {
        return Category::Transposition;
    }
    let all_punct = |s: &[char]| s.iter().all(|&c| is_punct(c) || c.is_whitespace());
    if all_punct(consensus) && all_punct(reading) {
        return Category::Punctuation;
    }
    if consensus.is_empty() {
        return Category::Insertion;
    }
    if reading.is_empty() {
        return Category::Deletion;
    }
    let letters = |s: &[char]| -> Vec<char> {
        s.iter()
            .copied()
            .filter(|&c| !is_punct(c) && !c.is_whitespace())
            .collect()
    };
    if letters(consensus) == letters(reading) {
        return Category::Punctuation;
    }
    if is_confusable(consensus, reading) {
        return Category::Confusable;
    }
    if is_number_change(consensus, reading) {
        return Category::Number;
    }
    if consensus.len() >= 2 {
        let (mut a, mut b) = (consensus.to_vec(), reading.to_vec());
        a.sort_unstable();
        b.sort_unstable();
        if a == b {
            return Category::Transposition;
        }
    }
    Category::Substitution
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(a: &str, b: &str) -> Category {
        classify(
            &a.chars().collect::<Vec<_>>(),
            &b.chars().collect::<Vec<_>>(),
        )
    }

    #[test]
    fn categories() {
        assert_eq!(c("缅", "东"), Category::Substitution);
        assert_eq!(c("中俄", "俄中"), Category::Transposition);
        assert_eq!(c("中", ""), Category::Deletion);
        assert_eq!(c("", "特色"), Category::Insertion);
        assert_eq!(c("2400", "2300"), Category::Number);
        assert_eq!(c(",", ";"), Category::Punctuation);
        assert_eq!(c("", ","), Category::Punctuation);
        assert_eq!(c("a,b", "a;b"), Category::Punctuation);
        assert_eq!(c("己", "已"), Category::Confusable);
        assert_eq!(c("土", "士"), Category::Confusable);
        assert_eq!(c("m", "rn"), Category::Confusable);
        assert_eq!(c("l", "1"), Category::Confusable);
        assert_eq!(c("0", "o"), Category::Confusable);
        assert_eq!(c("modern", "rnodern"), Category::Substitution);
        assert_eq!(c("已经", "己经"), Category::Confusable);
        assert_eq!(c("cooperation", "co-operation"), Category::Hyphenation);
        assert_eq!(c("", "-"), Category::Punctuation);
        assert_eq!(c("", " "), Category::Formal);
        assert_eq!(c("ab", "a b"), Category::Formal);
        assert_eq!(c("2400", "24o0"), Category::Confusable);
        assert_eq!(c("2400", "2500"), Category::Number);
    }

    #[test]
    fn a_swap_of_two_adjacent_characters_is_a_transposition_whatever_they_are() {
        // Letters and punctuation, Han and punctuation, digits and symbols,
        // letters and a hyphen, look-alike letters, punctuation alone.
        for (a, b) in [
            ("a'", "'a"),
            ("China's", "Chin'as"),
            ("灯、", "、灯"),
            ("8%", "%8"),
            ("28.8%", "28.%8"),
            ("-c", "c-"),
            ("ce", "ec"),
            ("、，", "，、"),
            ("2023", "2032"),
        ] {
            assert_eq!(c(a, b), Category::Transposition, "{a:?} → {b:?}");
        }
        // Moving a space is a change of spacing, which stays formal; a
        // space that comes or goes with a swap does not hide it.
        assert_eq!(c("e ", " e"), Category::Formal);
        assert_eq!(c("8%", "%8 "), Category::Transposition);
    }

    #[test]
    fn a_mark_moved_further_than_one_place_is_punctuation() {
        assert_eq!(c(",我们", "我们,"), Category::Punctuation);
        assert_eq!(c("a, bc", "a bc,"), Category::Punctuation);
    }

    #[test]
    fn a_reading_is_a_number_when_only_numerals_differ() {
        assert_eq!(c("2023", "2024"), Category::Number);
        assert_eq!(c("二〇二三", "二〇二四"), Category::Number);
        assert_eq!(c("三", "四"), Category::Number);
        assert_eq!(c("28.8", "28.5"), Category::Number);
        assert_eq!(c(".8", "5"), Category::Number);
        assert_eq!(c("3年3", "4年4"), Category::Number);
        assert_eq!(c("2023", "二〇二三"), Category::Number);
        assert_eq!(c("百", "千"), Category::Number);
    }

    #[test]
    fn a_rewritten_block_holding_a_digit_is_not_a_number() {
        assert_eq!(
            c(
                "推动两国关系不断迈上新台阶",
                "共同办好第3届双边论坛和友好年系列活动"
            ),
            Category::Substitution
        );
        assert_eq!(c("the 14", "18"), Category::Substitution);
        assert_eq!(c("%", "个百分点"), Category::Substitution);
        assert_eq!(c("国", "一"), Category::Substitution);
        let long: String = "我们将继续深化各领域务实合作".repeat(12) + "2024";
        assert!(long.chars().count() > 170);
        assert_eq!(c(&long, "双方同意"), Category::Substitution);
    }

    #[test]
    fn number_changes_are_found_without_a_numeral_only_when_there_is_none() {
        let v = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(!is_number_change(&v("abc"), &v("abd")));
        assert!(is_number_change(&v("第3届"), &v("第4届")));
        assert!(!is_number_change(&v("第3届"), &v("第4次")));
        assert!(is_numeral('〇') && is_numeral('叁') && is_numeral('٣') && is_numeral('½'));
        assert!(!is_numeral('国') && !is_numeral('a'));
    }

    proptest::proptest! {
        /// The direct test agrees with its definition: optimal string
        /// alignment distance 1, Levenshtein distance 2.
        #[test]
        fn adjacent_swap_agrees_with_strsim(
            a in proptest::collection::vec(proptest::sample::select(vec!['a', 'b', '、', '8', '%']), 0..8),
            b in proptest::collection::vec(proptest::sample::select(vec!['a', 'b', '、', '8', '%']), 0..8),
            swap_at in 0usize..8,
        ) {
            let mut swapped = a.clone();
            if swap_at + 1 < swapped.len() {
                swapped.swap(swap_at, swap_at + 1);
            }
            for other in [&b, &swapped] {
                let (sa, so): (String, String) = (a.iter().collect(), other.iter().collect());
                let expected =
                    strsim::osa_distance(&sa, &so) == 1 && strsim::levenshtein(&sa, &so) == 2;
                proptest::prop_assert_eq!(is_adjacent_swap(&a, other), expected, "{:?} {:?}", sa, so);
            }
        }
    }

    #[test]
    fn the_table_is_symmetric_and_well_formed() {
        let table = confusables();
        assert!(table.len() > 1_000, "{} pairs", table.len());
        for (a, b) in table {
            assert_ne!(a, b);
            assert!(table.contains(&(b.clone(), a.clone())));
        }
    }
}
