//! The normalized form that matching and alignment run on, with a map from
//! every normalized character back to the original bytes it came from.
//!
//! ```text
//! "**王毅：** 斡旋“缅北”—— OK"  →  "王毅:斡旋\"缅北\"--ok"
//!   markup dropped · NFKC (：→:) · quotes and dashes folded · spaces kept only between words · lowercase
//! ```
//!
//! Each layer is on by default (SPEC §4). Differences that vanish here are
//! *formal*: they are never reported as variants. Reports show the original
//! text, found through [`Normalized::spans`].
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use crate::chars::is_wide;
use crate::model::ByteSpan;

/// Which normalization layers are applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NormalizeConfig {
    /// Markdown emphasis (`**`, `__`), heading marks (`# `) and backslash
    /// escapes (`\$`) are dropped.
    pub markup: bool,
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
            markup: true,
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

/// Normalizes `text`, which starts at byte `base` of its document.
pub fn normalize(text: &str, base: u32, cfg: &NormalizeConfig) -> Normalized {
    let markup = if cfg.markup {
        markup_bytes(text)
    } else {
        Vec::new()
    };
    let mut out = Normalized::default();
    let mut pending_space: Option<ByteSpan> = None;
    let mut buf = String::new();
    for (offset, grapheme) in text.grapheme_indices(true) {
        if is_markup(&markup, offset) {
            continue;
        }
        let span = ByteSpan {
            start: base + offset as u32,
            end: base + (offset + grapheme.len()) as u32,
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

/// Sorted byte offsets (relative to `text`) of Markdown markup characters:
/// runs of two or more `*` or `_`, heading marks at the start of a line, and
/// the backslash of an escape such as `\$`.
fn markup_bytes(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut marks = Vec::new();
    let mut line_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if line_start && b == b'#' {
            let mut j = i;
            while j < bytes.len() && bytes[j] == b'#' {
                j += 1;
            }
            if j - i <= 6 && (j == bytes.len() || bytes[j] == b' ' || bytes[j] == b'\t') {
                marks.extend(i..j);
                i = j;
                continue;
            }
        }
        line_start = b == b'\n' || (line_start && (b == b' ' || b == b'\t'));
        if b == b'*' || b == b'_' {
            let mut j = i;
            while j < bytes.len() && bytes[j] == b {
                j += 1;
            }
            if j - i >= 2 {
                marks.extend(i..j);
            }
            i = j;
            continue;
        }
        if b == b'\\' && bytes.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) {
            marks.push(i);
            i += 2;
            continue;
        }
        i += 1;
    }
    marks
}

fn is_markup(marks: &[usize], offset: usize) -> bool {
    marks.binary_search(&offset).is_ok()
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
    fn markdown_markup_is_dropped() {
        assert_eq!(norm("**王毅:**各位"), "王毅:各位");
        assert_eq!(norm("## 标题"), "标题");
        assert_eq!(norm("US\\$240 billion"), "us$240 billion");
        assert_eq!(norm("2 * 3"), "2*3");
    }

    #[test]
    fn spans_point_at_original_bytes() {
        let text = "**王毅：**斡旋";
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
            "王毅：**斡旋"
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
