//! Name the kind of a difference between a consensus and a reading.
//!
//! ```text
//! ("缅", "东") → substitution    ("中俄", "俄中") → transposition   ("中", "") → deletion
//! ("2400", "2300") → number       (",", ";") → punctuation          ("", "特色") → insertion
//! ("己", "已") → confusable        ("rn", "m") → confusable          ("co-op", "coop") → hyphenation
//! ```
//!
//! Look-alike glyphs come from `data/confusables.tsv` (UTS #39 skeletons for
//! Latin, Greek and Cyrillic, classic OCR confusions, Han 形近字), built into
//! the binary; `scripts/build_confusables.py` rebuilds it from its sources.
use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Serialize;

use crate::chars::is_punct;

/// The fixed vocabulary of variant categories (SPEC §6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Only punctuation differs.
    Punctuation,
    /// Digits differ.
    Number,
    /// Look-alike glyphs (`rn`/`m`, `己`/`已`).
    Confusable,
    /// The same characters in another order.
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

/// Classifies the reading `reading` of a place whose consensus is
/// `consensus` (both normalized). Truncation depends on where the reading
/// stands, so the alignment decides it (see [`crate::align`]).
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
    let has_digit = |s: &[char]| s.iter().any(|c| c.is_numeric());
    if is_confusable(consensus, reading) {
        return Category::Confusable;
    }
    if has_digit(consensus) || has_digit(reading) {
        return Category::Number;
    }
    if consensus.len() >= 2 && consensus != reading {
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
    fn the_table_is_symmetric_and_well_formed() {
        let table = confusables();
        assert!(table.len() > 1_000, "{} pairs", table.len());
        for (a, b) in table {
            assert_ne!(a, b);
            assert!(table.contains(&(b.clone(), a.clone())));
        }
    }
}
