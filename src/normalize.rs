//! The normalized form that matching and alignment run on, with a map from
//! every normalized character back to the original bytes it came from.
//!
//! ```text
//! "王毅： 斡旋“缅北”—— OK"  →  "王毅:斡旋\"缅北\"--ok"
//!   NFKC (：→:) · quotes and dashes folded · spaces kept only between words · lowercase
//! ```
//!
//! Each layer is on by default (SPEC §4). Differences that vanish here are
//! *formal*: they are never reported as variants. Reports show the original
//! text, found through [`Normalized::spans`].
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::chars::is_wide;
use crate::model::ByteSpan;
use crate::segment::Paragraph;

/// Which normalization layers are applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NormalizeConfig {
    /// Unicode NFKC: full- and half-width forms become one (`，` = `,`).
    pub nfkc: bool,
    /// All dashes and hyphens (`—` `–` `‐` `‑` `−` …) become `-`.
    pub dashes: bool,
    /// Curly and other quotes become `"` and `'`.
    pub quotes: bool,
    /// Whitespace runs become one space between two words (Latin letters or
    /// digits) and vanish elsewhere: between Han characters, next to
    /// punctuation.
    pub whitespace: bool,
    /// Latin (and other cased) letters are lowercased.
    pub case: bool,
}

impl Default for NormalizeConfig {
    fn default() -> NormalizeConfig {
        NormalizeConfig {
            nfkc: true,
            dashes: true,
            quotes: true,
            whitespace: true,
            case: true,
        }
    }
}

/// Normalized text of one paragraph.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Normalized {
    /// The normalized characters.
    pub chars: Vec<char>,
    /// For each character, the bytes of the document it came from. A
    /// grapheme that normalizes to several characters gives each of them the
    /// grapheme's whole span.
    pub spans: Vec<ByteSpan>,
}

impl Normalized {
    /// The normalized text as a string.
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// The original bytes behind normalized characters `from..to`; for an
    /// empty range, an empty span at the place where such text would stand.
    pub fn original_span(&self, from: usize, to: usize) -> ByteSpan {
        if from < to {
            ByteSpan {
                start: self.spans[from].start,
                end: self.spans[to - 1].end,
            }
        } else if let Some(next) = self.spans.get(from) {
            ByteSpan {
                start: next.start,
                end: next.start,
            }
        } else {
            let end = self.spans.last().map_or(0, |s| s.end);
            ByteSpan { start: end, end }
        }
    }
}

/// Normalizes a paragraph's text; spans are in its document's bytes.
pub fn normalize_paragraph(paragraph: &Paragraph, cfg: &NormalizeConfig) -> Normalized {
    normalize_with(&paragraph.text, |b| paragraph.doc_offset(b), cfg)
}

/// The comparison key of normalized text: letters and digits only. Spaces
/// and punctuation differ between versions for formal reasons and would
/// only add noise to shingles and similarities.
///
/// ```
/// use recension::normalize::comparison_chars;
/// let key: String = comparison_chars(&"斡旋, 缅北。a b".chars().collect::<Vec<_>>()).into_iter().collect();
/// assert_eq!(key, "斡旋缅北ab");
/// ```
pub fn comparison_chars(chars: &[char]) -> Vec<char> {
    chars
        .iter()
        .copied()
        .filter(|&c| !c.is_whitespace() && !crate::chars::is_punct(c))
        .collect()
}

/// Normalizes `text`, which starts at byte `base` of its document.
pub fn normalize(text: &str, base: u32, cfg: &NormalizeConfig) -> Normalized {
    normalize_with(text, |b| base + b as u32, cfg)
}

/// Normalizes `text`; `to_doc` maps a byte of `text` to its document byte.
fn normalize_with(text: &str, to_doc: impl Fn(usize) -> u32, cfg: &NormalizeConfig) -> Normalized {
    let mut out = Normalized::default();
    let mut pending_space: Option<ByteSpan> = None;
    let mut buf = String::new();
    for (offset, grapheme) in text.grapheme_indices(true) {
        // A grapheme is never split between two runs of a paragraph, so its
        // last byte maps next to its first.
        let last = offset + grapheme.len() - 1;
        let span = ByteSpan {
            start: to_doc(offset),
            end: to_doc(last) + 1,
        };
        if cfg.whitespace && grapheme.chars().all(char::is_whitespace) {
            pending_space.get_or_insert(span).end = span.end;
            continue;
        }
        buf.clear();
        if cfg.nfkc {
            buf.extend(grapheme.nfkc());
        } else {
            buf.push_str(grapheme);
        }
        let mut first = true;
        for c in buf.chars() {
            let c = fold(c, cfg);
            if first {
                if let Some(space) = pending_space.take()
                    && out.chars.last().is_some_and(|&p| is_word(p))
                    && is_word(c)
                {
                    out.chars.push(' ');
                    out.spans.push(space);
                }
                first = false;
            }
            if cfg.case && c.is_uppercase() {
                for lower in c.to_lowercase() {
                    out.chars.push(lower);
                    out.spans.push(span);
                }
            } else {
                out.chars.push(c);
                out.spans.push(span);
            }
        }
    }
    debug_assert_eq!(out.chars.len(), out.spans.len());
    out
}

/// Whether a space next to `c` can separate words. Only a space between
/// two such characters is kept: between Han characters it is a line wrap or
/// an editor's habit, and next to punctuation (`王毅: 2023`, `word ,`) it is
/// typography, not text.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() && !is_wide(c)
}

/// Dash and quote folding for one character.
fn fold(c: char, cfg: &NormalizeConfig) -> char {
    match c {
        '\u{2010}'..='\u{2015}'
        | '\u{2212}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{FF0D}'
        | '\u{2E3A}'
        | '\u{2E3B}'
            if cfg.dashes =>
        {
            '-'
        }
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{FF07}'
            if cfg.quotes =>
        {
            '\''
        }
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{FF02}'
        | '\u{00AB}' | '\u{00BB}'
            if cfg.quotes =>
        {
            '"'
        }
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(s: &str) -> String {
        normalize(s, 0, &NormalizeConfig::default()).text()
    }

    #[test]
    fn nfkc_folds_width() {
        assert_eq!(norm("中国，美国！ＡＢＣ"), "中国,美国!abc");
    }

    #[test]
    fn dashes_and_quotes_fold() {
        assert_eq!(
            norm("中国—非洲 “一带一路” it’s"),
            "中国-非洲\"一带一路\"it's"
        );
    }

    #[test]
    fn whitespace_collapses_in_latin_and_vanishes_between_han() {
        assert_eq!(norm("  Good   morning\n  friends "), "good morning friends");
        assert_eq!(norm("Friends , good morning"), "friends,good morning");
        assert_eq!(norm("王毅: 2023年"), "王毅:2023年");
        assert_eq!(
            norm("外交部长王毅 回答\n中外记者"),
            "外交部长王毅回答中外记者"
        );
    }

    #[test]
    fn spans_point_at_original_bytes() {
        let text = "王毅： 斡旋";
        let n = normalize(text, 10, &NormalizeConfig::default());
        assert_eq!(n.text(), "王毅:斡旋");
        let colon = n.spans[2];
        assert_eq!(
            &text[(colon.start - 10) as usize..(colon.end - 10) as usize],
            "："
        );
        let whole = n.original_span(0, n.chars.len());
        assert_eq!(
            &text[(whole.start - 10) as usize..(whole.end - 10) as usize],
            text
        );
    }

    #[test]
    fn normalization_is_idempotent() {
        for s in [
            "中国，美国！ＡＢＣ",
            "  Good   morning,\n friends",
            "“一带一路”—— x",
            "Ⅻ ㎏ ﬁ",
        ] {
            let once = norm(s);
            assert_eq!(norm(&once), once, "{s:?}");
        }
    }
}
