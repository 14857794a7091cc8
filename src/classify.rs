//! Name the kind of a difference between a consensus and a reading.
//!
//! ```text
//! ("缅", "东") → substitution    ("中俄", "俄中") → transposition   ("中", "") → deletion
//! ("2400", "2300") → number       (",", ";") → punctuation          ("", "特色") → insertion
//! ```
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
}

/// Classifies the reading `reading` of a place whose consensus is
/// `consensus` (both normalized).
pub fn classify(consensus: &[char], reading: &[char]) -> Category {
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
    }
}
