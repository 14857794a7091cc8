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
use std::ops::Range;

use serde::Serialize;
use unicode_normalization::char::{canonical_combining_class, is_combining_mark};
use unicode_normalization::{IsNormalized, UnicodeNormalization};
use unicode_segmentation::UnicodeSegmentation;

use crate::chars::is_word_char;
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
    /// With `whitespace`: a whitespace run is one space wherever it stands
    /// between two characters, not only between two words. OCR evaluation
    /// counts a space put in or left out next to punctuation (`word ,`) or
    /// between Han characters as an error, as dinglehopper and ocreval do.
    pub spaces_everywhere: bool,
}

impl NormalizeConfig {
    /// The normalization OCR evaluation measures on (`diff`, and the file
    /// pairs of `report --reference`): NFKC (ligatures and widths), dashes
    /// and quotes folded, whitespace runs as one space wherever they
    /// stand, and case kept: a letter in the wrong case is an error of the
    /// engine, as the ICDAR measures, dinglehopper and ocreval count it.
    pub fn evaluation() -> NormalizeConfig {
        NormalizeConfig {
            case: false,
            spaces_everywhere: true,
            ..NormalizeConfig::default()
        }
    }
}

impl Default for NormalizeConfig {
    fn default() -> NormalizeConfig {
        NormalizeConfig {
            nfkc: true,
            dashes: true,
            quotes: true,
            whitespace: true,
            case: true,
            spaces_everywhere: false,
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

/// A normalization layer, to say which one hid a formal difference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layer {
    /// Full- and half-width forms and other compatibility characters.
    Nfkc,
    /// Dashes and hyphens.
    Dashes,
    /// Quotes.
    Quotes,
    /// Spaces.
    Whitespace,
    /// Upper and lower case.
    Case,
}

impl Layer {
    /// All layers, in report order.
    pub const ALL: [Layer; 5] = [
        Layer::Nfkc,
        Layer::Dashes,
        Layer::Quotes,
        Layer::Whitespace,
        Layer::Case,
    ];

    /// The one layer that makes `a` and `b` equal by itself, checked in the
    /// order of [`Layer::ALL`]; differences that need several layers at
    /// once are put down to NFKC, the broadest.
    pub fn between(a: &str, b: &str) -> Layer {
        let only = |layer: Layer| NormalizeConfig {
            nfkc: layer == Layer::Nfkc,
            dashes: layer == Layer::Dashes,
            quotes: layer == Layer::Quotes,
            whitespace: layer == Layer::Whitespace,
            case: layer == Layer::Case,
            spaces_everywhere: false,
        };
        let form = |text: &str, cfg: &NormalizeConfig| normalize(text, 0, cfg).chars;
        Layer::ALL
            .into_iter()
            .find(|&layer| {
                let cfg = only(layer);
                form(a, &cfg) == form(b, &cfg)
            })
            .unwrap_or(Layer::Nfkc)
    }

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::Nfkc => "nfkc",
            Layer::Dashes => "dashes",
            Layer::Quotes => "quotes",
            Layer::Whitespace => "whitespace",
            Layer::Case => "case",
        }
    }
}

/// Counts per normalization layer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LayerCounts(pub [usize; 5]);

impl LayerCounts {
    /// Adds `n` to `layer`'s count.
    pub fn add(&mut self, layer: Layer, n: usize) {
        self.0[layer as usize] += n;
    }

    /// Adds every count of `other`.
    pub fn add_all(&mut self, other: &LayerCounts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    /// `layer`'s count.
    pub fn get(&self, layer: Layer) -> usize {
        self.0[layer as usize]
    }

    /// All counts together.
    pub fn total(&self) -> usize {
        self.0.iter().sum()
    }
}

/// Normalizes a paragraph's text; spans are in its document's bytes.
pub fn normalize_paragraph(paragraph: &Paragraph, cfg: &NormalizeConfig) -> Normalized {
    let mut n = normalize(&paragraph.text, 0, cfg);
    for span in &mut n.spans {
        *span = paragraph.doc_span(span.range());
    }
    n
}

/// A combining mark that reorders or composes with what stands before it
/// (a non-zero combining class): at the start of a grapheme it belongs to
/// no letter and is left out. Marks of class 0 (Thai `ํ` from NFKC of
/// `ำ`) stay, as a second pass keeps them too.
fn is_orphan_mark(c: char) -> bool {
    is_combining_mark(c) && canonical_combining_class(c) != 0
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
    let mut out = Normalized::default();
    Normalizer::new(cfg, |c, from, to| {
        out.chars.push(c);
        out.spans.push(ByteSpan {
            start: base + from as u32,
            end: base + to as u32,
        });
    })
    .run(text);
    debug_assert_eq!(out.chars.len(), out.spans.len());
    out
}

/// The comparison key of `text` and the length of its normalized form:
/// the same as [`comparison_chars`] of [`normalize`]'s characters, without
/// building the offset map. Clustering needs only this.
pub fn comparison_key(text: &str, cfg: &NormalizeConfig) -> (String, usize) {
    if cfg.nfkc
        && cfg.whitespace
        && !cfg.spaces_everywhere
        && let Some(simple) = simple_comparison_key(text, cfg.case)
    {
        return simple;
    }
    let mut key = String::with_capacity(text.len());
    let mut len = 0;
    Normalizer::new(cfg, |c, _, _| {
        len += 1;
        if !c.is_whitespace() && !crate::chars::is_punct(c) {
            key.push(c);
        }
    })
    .run(text);
    (key, len)
}

/// The bytes of `text` behind characters `start..end` of its
/// [`comparison_key`]: from the first byte of key character `start` (the
/// text's start when `start` is 0) to the first byte of key character `end`
/// (the text's end when `end` is past the key). The whitespace and
/// punctuation between two key characters go with the text before them,
/// so the parts of a paragraph cut at key characters are, together, its
/// text.
pub fn key_byte_span(text: &str, cfg: &NormalizeConfig, start: usize, end: usize) -> Range<usize> {
    let (mut from, mut to) = (None, None);
    let mut k = 0;
    Normalizer::new(cfg, |c, at, _| {
        if !c.is_whitespace() && !crate::chars::is_punct(c) {
            if k == start && start > 0 {
                from.get_or_insert(at);
            }
            if k == end {
                to.get_or_insert(at);
            }
            k += 1;
        }
    })
    .run(text);
    from.unwrap_or(0)..to.unwrap_or(text.len())
}

/// [`comparison_key`] of a text made only of the characters that fill most
/// transcripts (ASCII, full-width forms, CJK ideographs, common CJK and
/// general punctuation), with NFKC and whitespace folding on; `None` at the
/// first other character. Each of these characters is a grapheme of its
/// own next to the others and normalizes without a table, so a character
/// loop gives what the general state machine would, several times faster.
fn simple_comparison_key(text: &str, case: bool) -> Option<(String, usize)> {
    let mut key = String::with_capacity(text.len());
    let mut len = 0;
    // A whitespace run not yet emitted, and whether the last character
    // emitted was a word character: the run becomes one space between two.
    let mut pending = false;
    let mut last_word = false;
    for c in text.chars() {
        // NFKC turns a full-width ASCII form into the ASCII character.
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0)?,
            _ => c,
        };
        match c {
            '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | ' ' | '\u{A0}' | '\u{3000}' => {
                pending = true;
            }
            'a'..='z' | 'A'..='Z' | '0'..='9' => {
                if pending && last_word {
                    len += 1;
                }
                key.push(if case { c.to_ascii_lowercase() } else { c });
                len += 1;
                (pending, last_word) = (false, true);
            }
            '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' => {
                key.push(c);
                len += 1;
                (pending, last_word) = (false, false);
            }
            // Punctuation, symbols and controls: counted, not kept.
            '\0'..='\u{7F}'
            | '\u{B7}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{2022}'
            | '\u{3001}'..='\u{3004}'
            | '\u{3008}'..='\u{3020}' => {
                len += 1;
                (pending, last_word) = (false, false);
            }
            // NFKC: `…` is three full stops.
            '\u{2026}' => {
                len += 3;
                (pending, last_word) = (false, false);
            }
            _ => return None,
        }
    }
    Some((key, len))
}

/// The normalization state machine: feeds every grapheme of a text through
/// the layers and hands each output character, with the bytes of the text
/// it came from, to `emit`.
struct Normalizer<'c, F> {
    cfg: &'c NormalizeConfig,
    emit: F,
    pending_space: Option<(usize, usize)>,
    last: Option<char>,
    buf: String,
}

impl<'c, F: FnMut(char, usize, usize)> Normalizer<'c, F> {
    fn new(cfg: &'c NormalizeConfig, emit: F) -> Self {
        Normalizer {
            cfg,
            emit,
            pending_space: None,
            last: None,
            buf: String::new(),
        }
    }

    /// Runs over `text` grapheme by grapheme. Most characters of transcripts
    /// (ASCII, CJK ideographs and punctuation) form a grapheme of their own
    /// whatever their neighbour is; those skip the segmentation algorithm,
    /// which runs only on the stretches around other characters.
    fn run(mut self, text: &str) {
        let bytes = text.len();
        let mut chars = text.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            let next = chars.peek().map(|&(_, n)| n);
            if is_lone_grapheme(c) && next.is_none_or(is_lone_grapheme) {
                self.one(c, start, start + c.len_utf8());
                continue;
            }
            // A stretch that ends before a lone character followed by another
            // (or the end): grapheme boundaries surround such characters, so
            // segmenting the stretch alone gives the same graphemes.
            let mut end = bytes;
            let mut previous = c;
            while let Some((at, d)) = chars.next() {
                let after = chars.peek().map(|&(_, n)| n);
                if is_lone_grapheme(d)
                    && after.is_none_or(is_lone_grapheme)
                    && !is_prepend(previous)
                {
                    end = at;
                    self.graphemes(&text[start..end], start);
                    self.one(d, at, at + d.len_utf8());
                    break;
                }
                previous = d;
            }
            if end == bytes {
                self.graphemes(&text[start..], start);
            }
        }
    }

    fn graphemes(&mut self, stretch: &str, base: usize) {
        for (offset, g) in stretch.grapheme_indices(true) {
            let mut cs = g.chars();
            match (cs.next(), cs.next()) {
                (Some(c), None) => self.one(c, base + offset, base + offset + g.len()),
                _ => self.many(g, base + offset),
            }
        }
    }

    /// A grapheme of one character.
    fn one(&mut self, c: char, start: usize, end: usize) {
        if is_orphan_mark(c) {
            // An orphan mark (see `many`).
            return;
        }
        if self.cfg.whitespace && c.is_whitespace() {
            self.pending_space.get_or_insert((start, end)).1 = end;
            return;
        }
        if !self.cfg.nfkc || c.is_ascii() || is_stable_ideograph(c) || is_nfkc_alone(c) {
            self.push_first(c, start, end);
            return;
        }
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        buf.extend(std::iter::once(c).nfkc());
        self.push_all(&buf, start, end);
        self.buf = buf;
    }

    /// A grapheme of several characters.
    fn many(&mut self, g: &str, start: usize) {
        let end = start + g.len();
        // Combining marks that begin a grapheme (after a line break, at the
        // start of a text) belong to no letter: they are left out. Kept, they
        // would join the letter before them once the break between is
        // folded away (`g`, line break, `◌́` gives `g◌́`, which a second pass
        // composes to `ǵ`), and normalized text would not normalize to
        // itself.
        if g.starts_with(is_orphan_mark) {
            return;
        }
        if self.cfg.whitespace && g.chars().all(char::is_whitespace) {
            self.pending_space.get_or_insert((start, end)).1 = end;
            return;
        }
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        if self.cfg.nfkc {
            buf.extend(g.nfkc());
        } else {
            buf.push_str(g);
        }
        self.push_all(&buf, start, end);
        self.buf = buf;
    }

    fn push_all(&mut self, normalized: &str, start: usize, end: usize) {
        // NFKC can turn a spacing character into a combining mark
        // (half-width `ﾞ` into `◌゙`): at the start of a grapheme it is an
        // orphan like any other.
        let mut cs = normalized.trim_start_matches(is_orphan_mark).chars();
        if let Some(c) = cs.next() {
            self.push_first(c, start, end);
        }
        for c in cs {
            self.push(fold(c, self.cfg), start, end);
        }
    }

    /// The first character of a grapheme: a pending space goes out before
    /// it when it separates two words.
    fn push_first(&mut self, c: char, start: usize, end: usize) {
        let c = fold(c, self.cfg);
        // Only a space between two word characters is kept: between Han
        // characters it is a line wrap or an editor's habit, and next to
        // punctuation (`王毅: 2023`, `word ,`) it is typography, not text.
        if let Some((s, e)) = self.pending_space.take()
            && self.last.is_some_and(|last| {
                self.cfg.spaces_everywhere || (is_word_char(last) && is_word_char(c))
            })
        {
            self.emit_char(' ', s, e);
        }
        self.push(c, start, end);
    }

    fn push(&mut self, c: char, start: usize, end: usize) {
        if self.cfg.case && c.is_uppercase() {
            for lower in c.to_lowercase() {
                self.emit_char(lower, start, end);
            }
        } else {
            self.emit_char(c, start, end);
        }
    }

    fn emit_char(&mut self, c: char, start: usize, end: usize) {
        self.last = Some(c);
        (self.emit)(c, start, end);
    }
}

/// Characters that form a grapheme of their own next to any neighbour of
/// this kind (UAX #29: Grapheme_Cluster_Break Other or Control, not CR,
/// which joins a following LF, and not Extended_Pictographic, which a ZWJ
/// joins): ASCII, Latin-1 and Latin Extended-A letters, general and CJK
/// punctuation, CJK ideographs, full-width forms.
fn is_lone_grapheme(c: char) -> bool {
    matches!(c,
        '\0'..='\x0c' | '\x0e'..='\x7f'
        | '\u{a0}'..='\u{a8}' | '\u{aa}'..='\u{ac}' | '\u{af}'..='\u{17f}'
        | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{203b}' | '\u{203d}'..='\u{2048}'
        | '\u{204a}'..='\u{205e}'
        | '\u{3000}'..='\u{3029}' | '\u{3031}'..='\u{303c}' | '\u{303e}'..='\u{303f}'
        | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'
        | '\u{ff01}'..='\u{ff5e}')
}

/// Grapheme_Cluster_Break = Prepend (UAX #29): such a character joins the
/// character after it, whatever that is.
fn is_prepend(c: char) -> bool {
    matches!(c,
        '\u{600}'..='\u{605}' | '\u{6dd}' | '\u{70f}' | '\u{890}'..='\u{891}' | '\u{8e2}'
        | '\u{d4e}' | '\u{110bd}' | '\u{110cd}' | '\u{111c2}'..='\u{111c3}' | '\u{1193f}'
        | '\u{11941}' | '\u{11a3a}' | '\u{11a84}'..='\u{11a89}' | '\u{11d46}' | '\u{11f02}')
}

/// CJK unified ideographs: NFKC leaves them unchanged.
fn is_stable_ideograph(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}')
}

/// Whether NFKC leaves `c` unchanged on its own (the quick check's table:
/// most punctuation, kana, Hangul), a lookup instead of a decomposition.
fn is_nfkc_alone(c: char) -> bool {
    unicode_normalization::is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
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
    fn the_layer_that_hides_a_difference() {
        assert_eq!(Layer::between("，", ","), Layer::Nfkc);
        assert_eq!(Layer::between("—", "-"), Layer::Dashes);
        assert_eq!(Layer::between("“", "\""), Layer::Quotes);
        assert_eq!(Layer::between("Wang", "wang"), Layer::Case);
        assert_eq!(Layer::between("a  b", "a b"), Layer::Whitespace);
        assert_eq!(Layer::between("Ａ", "a"), Layer::Nfkc);
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

    /// The plain definition: every grapheme through the layers, no fast
    /// paths.
    fn reference(text: &str) -> Vec<(char, usize, usize)> {
        let cfg = NormalizeConfig::default();
        let mut out = Vec::new();
        let mut n = Normalizer::new(&cfg, |c, s, e| out.push((c, s, e)));
        for (offset, g) in text.grapheme_indices(true) {
            n.many(g, offset);
        }
        drop(n);
        out
    }

    fn fast(text: &str) -> Vec<(char, usize, usize)> {
        let cfg = NormalizeConfig::default();
        let mut out = Vec::new();
        Normalizer::new(&cfg, |c, s, e| out.push((c, s, e))).run(text);
        out
    }

    #[test]
    fn fast_paths_agree_with_plain_graphemes() {
        for text in [
            "e\u{301}te\u{301} café",
            "a\r\nb\rc\n",
            "©\u{200d}© x‼\u{fe0f}",
            "\u{600}1 \u{600}\u{661}",
            "한국어 텍스트 ＡＢＣ，中文",
            "👨\u{200d}👩\u{200d}👧 family",
            "ﬁ Ⅻ ㎏ 〰\u{fe0f}",
            "王毅：\u{3000}“斡旋”—— OK\u{ad}ay",
            "x\u{308}\u{308}y \u{1f1e8}\u{1f1f3}z",
        ] {
            assert_eq!(fast(text), reference(text), "{text:?}");
        }
        for entry in std::fs::read_dir("data/sample").unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            assert_eq!(fast(&text), reference(&text));
        }
    }

    #[test]
    fn comparison_key_is_the_key_of_the_normalized_text() {
        let text = "王毅： 斡旋“缅北”—— OK, Good  morning 2024";
        let full = normalize(text, 0, &NormalizeConfig::default());
        let (key, len) = comparison_key(text, &NormalizeConfig::default());
        assert_eq!(
            key,
            comparison_chars(&full.chars)
                .into_iter()
                .collect::<String>()
        );
        assert_eq!(len, full.chars.len());
    }

    /// Characters for texts that mix the fast path's alphabet (the first
    /// [`SIMPLE`]) with characters that need the general one (marks,
    /// ligatures, emoji and their joiners, kana, Hangul, ideographic marks
    /// that are letters).
    const SIMPLE: usize = 38;
    const MIXED: &[char] = &[
        'a', 'Z', '7', ' ', ' ', '\t', '\n', '\r', '\u{0B}', '\u{1F}', '\u{7F}', '-', ',', '.',
        '"', '\'', 'Ａ', 'ｚ', '９', '，', '！', '\u{3000}', '\u{A0}', '缅', '北', '㐀', '、',
        '。', '《', '〜', '〠', '—', '–', '‘', '”', '·', '•', '…', 'é', '\u{301}', '\u{AD}', 'ﬁ',
        'Ⅻ', '〰', '々', '〇', '\u{200D}', '👩', 'か', '한', '\u{1100}', '\u{1161}', '\u{2028}',
        '\u{85}',
    ];

    proptest::proptest! {
        #[test]
        fn comparison_key_agrees_with_normalize(
            picks in proptest::collection::vec(0..MIXED.len(), 0..40),
            simple_only: bool,
            layers in 0u8..64,
        ) {
            assert_eq!(MIXED[SIMPLE], 'é');
            let limit = if simple_only { SIMPLE } else { MIXED.len() };
            let text: String = picks.iter().map(|&i| MIXED[i % limit]).collect();
            let cfg = NormalizeConfig {
                nfkc: layers & 1 != 0,
                dashes: layers & 2 != 0,
                quotes: layers & 4 != 0,
                whitespace: layers & 8 != 0,
                case: layers & 16 != 0,
                spaces_everywhere: layers & 32 != 0,
            };
            let full = normalize(&text, 0, &cfg);
            let (key, len) = comparison_key(&text, &cfg);
            let expected: String = comparison_chars(&full.chars).into_iter().collect();
            proptest::prop_assert_eq!(key, expected, "{:?}", text);
            proptest::prop_assert_eq!(len, full.chars.len(), "{:?}", text);
        }
    }

    #[test]
    fn fast_comparison_key_covers_transcripts() {
        // The sample's paragraphs take the fast path: it is the common case.
        let text = "王毅：“斡旋缅北”——OK， Good  morning 2024…《人民日报》";
        assert!(simple_comparison_key(text, true).is_some());
        assert!(simple_comparison_key("café", true).is_none());
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
