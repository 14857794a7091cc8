//! Character classes used by segmentation and normalization.
//!
//! ```text
//! is_han('缅') = true   is_wide('，') = true   is_punct('—') = true   is_han('A') = false
//! ```

/// A CJK unified ideograph (all blocks, compatibility ideographs included) or
/// one of the ideographic marks that behave like one (`々`, `〇`).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2EBEF}'
        | '\u{2F800}'..='\u{2FA1F}'
        | '\u{30000}'..='\u{3134F}'
        | '\u{3005}'
        | '\u{3007}')
}

/// A letter of the Latin script (ASCII or accented, e.g. `é`, `ſ`).
pub fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' if c.is_alphabetic())
}

/// Characters that East Asian text sets without spaces around them: Han,
/// kana, Hangul, CJK punctuation and full-width forms. Whitespace between two
/// of them carries no meaning (it is usually a line wrap or an editor's habit).
pub fn is_wide(c: char) -> bool {
    is_han(c)
        || matches!(c,
            '\u{3000}'..='\u{303F}'   // CJK symbols and punctuation
            | '\u{3040}'..='\u{30FF}' // kana
            | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
            | '\u{FF00}'..='\u{FFEF}' // half- and full-width forms
            | '\u{2014}' | '\u{2026}' // — and … are set full-width in Chinese
            | '\u{201C}' | '\u{201D}' | '\u{2018}' | '\u{2019}')
}

/// Punctuation or a symbol: anything that is neither a letter, a digit, a mark
/// nor whitespace.
pub fn is_punct(c: char) -> bool {
    !is_alphanumeric(c) && !c.is_whitespace() && !is_mark(c)
}

/// `char::is_alphanumeric` with the two classes that make up most of a
/// transcript answered without the Unicode table: ASCII and the main block
/// of CJK ideographs (every code point of it is an assigned letter).
pub fn is_alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        is_main_block_ideograph(c) || c.is_alphanumeric()
    }
}

/// `char::is_alphabetic`, answered without the Unicode table for ASCII and
/// the main block of CJK ideographs.
pub fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        is_main_block_ideograph(c) || c.is_alphabetic()
    }
}

/// A character of a word that spaces delimit: a letter or digit that is not
/// wide (`a`, `é`, `7`; not `缅`). A space between two of them separates
/// words; elsewhere it is typography.
pub fn is_word_char(c: char) -> bool {
    is_alphanumeric(c) && !is_wide(c)
}

/// CJK Unified Ideographs, U+4E00..U+9FFF: fully assigned, all letters.
fn is_main_block_ideograph(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}')
}

/// A combining mark (general category M), approximated by the combining
/// blocks; marks belong to the letter before them.
pub fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_classes_agree_with_the_standard_library() {
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
        }
    }

    #[test]
    fn han_covers_extension_blocks() {
        assert!(is_han('中'));
        assert!(is_han('\u{3400}'));
        assert!(is_han('\u{20000}'));
        assert!(!is_han('a'));
        assert!(!is_han('，'));
    }

    #[test]
    fn wide_includes_cjk_punctuation_but_not_ascii() {
        assert!(is_wide('，'));
        assert!(is_wide('。'));
        assert!(is_wide('缅'));
        assert!(!is_wide(','));
        assert!(!is_wide('a'));
    }

    #[test]
    fn punct_excludes_letters_digits_space() {
        assert!(is_punct('，'));
        assert!(is_punct('-'));
        assert!(is_punct('$'));
        assert!(!is_punct('9'));
        assert!(!is_punct('中'));
        assert!(!is_punct(' '));
    }
}
