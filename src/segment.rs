//! Split a document into paragraphs the way a reader sees them, and label
//! each with its script and role.
//!
//! ```text
//! "# Title\n\n王毅：百余场会\n\nHe made four im-\n\n- 12 -\n\n见、通话。\n\nportant visits.\n"
//!   → Heading Latin "Title"                       lines 1
//!     Body    Han   "王毅：百余场会见、通话。"      lines 3, 9   (joined across a page break)
//!     Body    Latin "He made four important visits." lines 5, 11 (dehyphenated)
//!     Junk    Other "- 12 -"                       lines 7      (page number)
//! ```
//!
//! Real transcripts come in three layouts, detected per document:
//! blank-line paragraphs, one paragraph per line, and hard-wrapped lines
//! (OCR output), which are unwrapped with end-of-line hyphenation removed.
//! Markdown markup (`#` headings, `**bold**`, `\$` escapes) is dropped from
//! the text; speaker labels stay as text. A paragraph that a page break cut
//! mid-sentence is joined with its continuation, the next paragraph of the
//! same script, across paragraphs of the other language, page numbers and
//! running headers; a page break right after a speaker label (`新华社记者：`)
//! or inside one is repaired where page furniture marks it. Every paragraph
//! keeps a map from its text back to the document's bytes, so every
//! character has its line and column.
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::Serialize;

use crate::chars::{is_alphabetic, is_alphanumeric, is_han, is_latin, is_wide};
use crate::ingest::Document;
use crate::model::{ByteSpan, DocId, SourceId};

/// The writing system that dominates a paragraph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    /// Chinese characters are the majority of the letters.
    Han,
    /// Latin letters are the majority.
    Latin,
    /// Neither (digits and punctuation only, or another script).
    Other,
}

/// What a paragraph is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Running text: clustered and aligned.
    Body,
    /// A Markdown heading (`# …`): clustered like body text.
    Heading,
    /// Page numbers, running headers, metadata (`日期:…`, `字号:`) and other
    /// page furniture: never clustered, but kept and shown by
    /// `recension paragraphs`.
    Junk,
}

/// A stretch of a paragraph's text copied from the document: text bytes
/// `text..text + len` are document bytes `doc..doc + len`; or, for a
/// `gap`, the one space put where two lines or pieces were joined, mapped
/// to the document byte where the first one ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run {
    /// First byte in the paragraph's text.
    pub text: u32,
    /// First byte in the document.
    pub doc: u32,
    /// Length in bytes.
    pub len: u32,
    /// A space segmentation put in (its document byte holds other text).
    pub gap: bool,
}

/// One paragraph of one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// The document it comes from.
    pub doc: DocId,
    /// The document's source.
    pub source: SourceId,
    /// The text as read: markup removed, wrapped lines joined, page-break
    /// pieces joined.
    pub text: String,
    /// Where each stretch of `text` comes from in the document, in order.
    /// A space inserted where two lines were joined maps to the line break.
    pub runs: Vec<Run>,
    /// Line ranges (1-based, inclusive) of the pieces it was joined from;
    /// one piece unless a page break was repaired.
    pub pieces: Vec<(u32, u32)>,
    /// Dominant script.
    pub script: Script,
    /// Body, heading or junk.
    pub role: Role,
}

impl Paragraph {
    /// Whether it is body text that stops without ending its sentence (in a
    /// word, after a comma): a piece of a paragraph cut by a page break that
    /// segmentation could not join, or a truncated one. A speaker label
    /// after its last sentence (`…。新华社记者：`) leaves it open too: the
    /// turn the label opens is missing.
    pub fn ends_open(&self) -> bool {
        self.role == Role::Body && matches!(end_of(&self.text), End::Open | End::Label)
    }

    /// Drops the text once nothing but its document needs it: the `report`
    /// pipeline keeps documents and runs, and [`Paragraph::rebuild_text`]
    /// gives the text back for the clusters being aligned, so memory holds
    /// the corpus once, not twice.
    pub fn release_text(&mut self) {
        self.text = String::new();
    }

    /// The text again from its document's text and the runs: each run's
    /// bytes, a space for each gap.
    pub fn rebuild_text(&self, doc_text: &str) -> String {
        let mut text = String::with_capacity(self.runs.iter().map(|r| r.len as usize).sum());
        for r in &self.runs {
            if r.gap {
                text.push(' ');
            } else {
                text.push_str(&doc_text[r.doc as usize..(r.doc + r.len) as usize]);
            }
        }
        text
    }

    /// First line, 1-based.
    pub fn line_start(&self) -> u32 {
        self.pieces.first().map_or(0, |p| p.0)
    }

    /// Last line, 1-based, inclusive.
    pub fn line_end(&self) -> u32 {
        self.pieces.last().map_or(0, |p| p.1)
    }

    /// The document byte of text byte `byte` (`text.len()` maps to the end
    /// of the last run).
    pub fn doc_offset(&self, byte: usize) -> u32 {
        let byte = byte as u32;
        let i = self.runs.partition_point(|r| r.text <= byte);
        match i.checked_sub(1).map(|i| self.runs[i]) {
            Some(r) if byte < r.text + r.len => r.doc + (byte - r.text),
            Some(r) => r.doc + r.len,
            None => self.runs.first().map_or(0, |r| r.doc),
        }
    }

    /// The document bytes behind text bytes `text` (non-empty, on character
    /// boundaries): from where its first byte maps to, to past its last. A
    /// stretch of nothing but a gap covers no bytes.
    pub fn doc_span(&self, text: Range<usize>) -> ByteSpan {
        let start = self.doc_offset(text.start);
        ByteSpan {
            start,
            end: self.doc_end(text.end).max(start),
        }
    }

    /// The document byte just past text bytes `..end` (`end > 0`, on a
    /// character boundary). A gap is a space segmentation put in: it ends
    /// where it begins, covering no document bytes (the byte it maps to may
    /// be the first of a multi-byte space, or of the next piece's text).
    pub fn doc_end(&self, end: usize) -> u32 {
        let last = end as u32 - 1;
        let i = self.runs.partition_point(|r| r.text <= last);
        match i.checked_sub(1).map(|i| self.runs[i]) {
            Some(r) if r.gap => r.doc,
            Some(r) => r.doc + (last - r.text).min(r.len - 1) + 1,
            None => self.runs.first().map_or(0, |r| r.doc),
        }
    }
}

/// Characters of a paragraph shown as its preview (`clusters.csv`).
pub const PREVIEW_CHARS: usize = 40;

/// The first [`PREVIEW_CHARS`] characters with whitespace runs collapsed
/// (reading no further than that).
pub fn preview(text: &str) -> String {
    let mut out = String::new();
    let mut n = 0;
    for word in text.split_whitespace() {
        if n > 0 {
            if n >= PREVIEW_CHARS {
                break;
            }
            out.push(' ');
            n += 1;
        }
        for c in word.chars() {
            if n >= PREVIEW_CHARS {
                return out;
            }
            out.push(c);
            n += 1;
        }
    }
    out
}

/// Splits a document into paragraphs. Never fails; an empty document yields
/// no paragraphs.
pub fn segment(doc: &Document) -> Vec<Paragraph> {
    let lines = read_lines(doc);
    let wrapped = Wrapping::of(&lines);
    let mut paragraphs = Vec::new();
    let mut block: Vec<&Line> = Vec::new();
    for line in lines.iter().chain(std::iter::once(&Line::blank())) {
        if line.text.is_empty() {
            if !block.is_empty() {
                segment_block(&block, wrapped.of_block(&block), &mut paragraphs);
                block.clear();
            }
        } else {
            block.push(line);
        }
    }
    let mut paragraphs: Vec<Paragraph> = paragraphs
        .into_iter()
        .map(|p| p.finish(doc.id, doc.source))
        .collect();
    mark_running_headers(&mut paragraphs);
    repair_page_breaks(paragraphs, &doc.text)
}

/// One line with its markup removed.
#[derive(Clone, Debug, Default)]
struct Line {
    /// 1-based line number.
    no: u32,
    /// The line's text without markup and surrounding whitespace; empty for a
    /// blank line.
    text: String,
    /// Where `text` comes from.
    runs: Vec<Run>,
    /// Byte just past the line's content (its line break), for joins.
    end: u32,
    /// It was a Markdown heading.
    heading: bool,
    /// Width in columns (wide characters count two).
    width: usize,
    /// Most of its width is wide characters (Han, kana, Hangul, full-width
    /// forms): such lines wrap at a width of their own.
    wide: bool,
    /// Leading whitespace in columns: a paragraph's first line is often
    /// indented (two ideographic spaces in Chinese typesetting).
    indent: usize,
}

impl Line {
    fn blank() -> Line {
        Line::default()
    }
}

fn read_lines(doc: &Document) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut offset = 0usize;
    for (i, raw) in doc.text.split('\n').enumerate() {
        let start = offset;
        offset += raw.len() + 1;
        let (text, runs, heading) = strip_markup(raw, start as u32);
        let wide_columns: usize = text.chars().filter(|&c| is_wide(c)).count() * 2;
        let width = wide_columns + text.chars().filter(|&c| !is_wide(c)).count();
        let indent = raw
            .chars()
            .take_while(|c| c.is_whitespace())
            .map(|c| if is_wide(c) { 2 } else { 1 })
            .sum();
        lines.push(Line {
            no: i as u32 + 1,
            text,
            runs,
            end: (start + raw.len()) as u32,
            heading,
            width,
            wide: wide_columns * 2 > width,
            indent,
        });
    }
    lines
}

/// Removes Markdown markup from one line: a heading's `#` marks, emphasis
/// runs of two or more `*` or `_`, and the backslash of escapes such as
/// `\$`; then surrounding whitespace. Returns the text, its runs in the
/// document (the line starts at byte `base`), and whether it was a heading.
fn strip_markup(raw: &str, base: u32) -> (String, Vec<Run>, bool) {
    let bytes = raw.as_bytes();
    if !bytes
        .iter()
        .any(|&b| matches!(b, b'#' | b'*' | b'_' | b'\\'))
    {
        // No markup (most lines): the line without surrounding whitespace.
        let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\r');
        let mut text = String::new();
        let mut runs = Vec::new();
        if let (Some(first), Some(last)) = (
            bytes.iter().position(|b| !is_space(b)),
            bytes.iter().rposition(|b| !is_space(b)),
        ) {
            text.push_str(&raw[first..=last]);
            runs.push(Run {
                text: 0,
                doc: base + first as u32,
                len: (last + 1 - first) as u32,
                gap: false,
            });
        }
        trim_unicode_space(&mut text, &mut runs);
        return (text, runs, false);
    }
    let mut keep = vec![true; bytes.len()];
    let mut i = 0;
    while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
        i += 1;
    }
    let mut heading = false;
    let hashes = bytes[i..].iter().take_while(|&&b| b == b'#').count();
    if (1..=6).contains(&hashes)
        && bytes
            .get(i + hashes)
            .is_none_or(|&b| b == b' ' || b == b'\t')
    {
        heading = true;
        keep[i..i + hashes].fill(false);
        i += hashes;
    }
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'*' || b == b'_' {
            let run = bytes[i..].iter().take_while(|&&x| x == b).count();
            if run >= 2 {
                keep[i..i + run].fill(false);
            }
            i += run;
        } else if b == b'\\' && bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation) {
            keep[i] = false;
            i += 2;
        } else {
            i += 1;
        }
    }
    // Whitespace at either end (after markup removal) is not text.
    let kept: Vec<usize> = (0..bytes.len()).filter(|&j| keep[j]).collect();
    let is_space = |j: usize| bytes[j] == b' ' || bytes[j] == b'\t' || bytes[j] == b'\r';
    let first = kept.iter().position(|&j| !is_space(j));
    let last = kept.iter().rposition(|&j| !is_space(j));
    let mut runs = Vec::<Run>::new();
    if let (Some(first), Some(last)) = (first, last) {
        for (n, &j) in kept[first..=last].iter().enumerate() {
            match runs.last_mut() {
                Some(r) if (r.doc + r.len) as usize == base as usize + j => r.len += 1,
                _ => runs.push(Run {
                    text: n as u32,
                    doc: base + j as u32,
                    len: 1,
                    gap: false,
                }),
            }
        }
    }
    // Markup bytes are ASCII, so the kept ranges never split a character.
    let mut text: String = runs
        .iter()
        .map(|r| &raw[(r.doc - base) as usize..(r.doc - base + r.len) as usize])
        .collect();
    trim_unicode_space(&mut text, &mut runs);
    (text, runs, heading)
}

/// Trims whitespace that is not ASCII (such as the ideographic space) from
/// both ends.
fn trim_unicode_space(text: &mut String, runs: &mut Vec<Run>) {
    let end = text.trim_end().len();
    truncate(text, runs, end);
    let start = text.len() - text.trim_start().len();
    if start > 0 {
        *text = text[start..].to_string();
        let mut shifted = Vec::with_capacity(runs.len());
        for r in runs.iter() {
            let (s, e) = (r.text as usize, (r.text + r.len) as usize);
            if e <= start {
                continue;
            }
            let cut = start.saturating_sub(s) as u32;
            shifted.push(Run {
                text: (s + cut as usize - start) as u32,
                doc: r.doc + cut,
                len: r.len - cut,
                gap: r.gap,
            });
        }
        *runs = shifted;
    }
}

/// Cuts `text` to `len` bytes, and its runs with it.
fn truncate(text: &mut String, runs: &mut Vec<Run>, len: usize) {
    text.truncate(len);
    let len = len as u32;
    runs.retain(|r| r.text < len);
    if let Some(r) = runs.last_mut() {
        r.len = r.len.min(len - r.text);
    }
}

/// Whether a document's lines are hard-wrapped, told apart for lines of
/// wide characters (Chinese) and the others: a bilingual file often wraps
/// its Chinese at one width and its English at another (28 characters, 56
/// columns, against 75), or wraps one and leaves the other a paragraph per
/// line; measured together, neither width is common enough to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Wrapping {
    narrow: bool,
    wide: bool,
}

impl Wrapping {
    fn of(lines: &[Line]) -> Wrapping {
        // A kind with too few lines to show a width of its own is judged
        // with the others (a short bilingual page wraps both alike).
        let all = is_hard_wrapped(lines, None).unwrap_or(false);
        Wrapping {
            narrow: is_hard_wrapped(lines, Some(false)).unwrap_or(all),
            wide: is_hard_wrapped(lines, Some(true)).unwrap_or(all),
        }
    }

    /// Whether the lines of `block` are wrapped: by the kind most of them
    /// are.
    fn of_block(self, block: &[&Line]) -> bool {
        let wide = block.iter().filter(|l| l.wide).count();
        if wide * 2 > block.len() {
            self.wide
        } else {
            self.narrow
        }
    }
}

/// Whether the lines of one kind (`wide` or not; `None`: all) are
/// hard-wrapped: most of them that do not end a block are about as wide as
/// the widest ones, and those are not long. Lines of a paragraph-per-line
/// file vary wildly in width, and blank-line files have only block-final
/// lines. `None` when there are too few lines to tell.
fn is_hard_wrapped(lines: &[Line], wide: Option<bool>) -> Option<bool> {
    let mut widths: Vec<usize> = lines
        .windows(2)
        .filter(|w| !w[0].text.is_empty() && !w[1].text.is_empty())
        .filter(|w| wide.is_none_or(|wide| w[0].wide == wide))
        .map(|w| w[0].width)
        .collect();
    // Four non-final lines are the least that shows a common width.
    if widths.len() < 4 {
        return None;
    }
    widths.sort_unstable();
    let p90 = widths[(widths.len() * 9) / 10 - usize::from(widths.len() >= 10)];
    let near = widths.iter().filter(|&&w| w * 4 >= p90 * 3).count();
    // Typeset lines are 40 to about 160 columns wide (20 to 80 wide
    // characters); shorter ones are lists of labels, longer ones paragraphs.
    Some((MIN_WRAP_WIDTH..=MAX_WRAP_WIDTH).contains(&p90) && near * 10 >= widths.len() * 6)
}

/// Narrowest typical line of a hard-wrapped document (columns).
const MIN_WRAP_WIDTH: usize = 40;

/// Widest line that still counts as a wrapped line (columns).
const MAX_WRAP_WIDTH: usize = 160;

/// A paragraph while it is being assembled.
struct Draft {
    text: String,
    runs: Vec<Run>,
    pieces: Vec<(u32, u32)>,
    /// Byte after the last line's content, where a join's space maps to.
    end: u32,
    heading: bool,
    /// Lines of its block, and whether all were short, for the front-matter
    /// rule in [`role_of`].
    block_lines: usize,
    short_block: bool,
    metadata_block: bool,
}

impl Draft {
    fn new(line: &Line) -> Draft {
        Draft {
            text: line.text.clone(),
            runs: line.runs.clone(),
            pieces: vec![(line.no, line.no)],
            end: line.end,
            heading: line.heading,
            block_lines: 1,
            short_block: false,
            metadata_block: false,
        }
    }

    /// Appends a wrapped line: without the end-of-line hyphen when the word
    /// continues, without a space between wide characters.
    fn push_line(&mut self, line: &Line) {
        join(
            &mut self.text,
            &mut self.runs,
            self.end,
            &line.text,
            &line.runs,
        );
        self.pieces.last_mut().expect("a draft has a piece").1 = line.no;
        self.end = line.end;
    }

    fn finish(self, doc: DocId, source: SourceId) -> Paragraph {
        let script = script_of(&self.text);
        let role = if self.heading {
            Role::Heading
        } else if is_junk(&self.text)
            || (self.metadata_block && self.short_block && self.block_lines > 1)
        {
            Role::Junk
        } else {
            Role::Body
        };
        Paragraph {
            doc,
            source,
            text: self.text,
            runs: self.runs,
            pieces: self.pieces,
            script,
            role,
        }
    }
}

/// End-of-line hyphens: ASCII, Unicode hyphen, non-breaking hyphen, the
/// soft hyphen, and `¬` (common in OCR of older print).
const HYPHENS: [char; 5] = ['-', '\u{2010}', '\u{2011}', '\u{00AD}', '¬'];

/// Appends `next` (with its runs) to `text`. A word split by a line-end
/// hyphen is rejoined when the next part starts in lowercase; wide text is
/// joined without a space; otherwise one space, mapped to document byte
/// `gap` (the line break), separates them.
fn join(text: &mut String, runs: &mut Vec<Run>, gap: u32, next: &str, next_runs: &[Run]) {
    let mut tail = text.chars().rev();
    let (last, before) = (tail.next(), tail.next());
    let first = next.chars().next();
    let hyphenated = last.is_some_and(|c| HYPHENS.contains(&c))
        && before.is_some_and(|c| c.is_alphabetic() && !is_wide(c))
        && first.is_some_and(char::is_lowercase);
    if hyphenated {
        let cut = text.len() - last.expect("checked above").len_utf8();
        truncate(text, runs, cut);
    } else if !(last.is_some_and(is_wide) || first.is_some_and(is_wide) || text.is_empty()) {
        runs.push(Run {
            text: text.len() as u32,
            doc: gap,
            len: 1,
            gap: true,
        });
        text.push(' ');
    }
    let shift = text.len() as u32;
    runs.extend(next_runs.iter().map(|r| Run {
        text: r.text + shift,
        ..*r
    }));
    text.push_str(next);
}

/// Turns one block (lines between blank lines) into drafts. In a
/// hard-wrapped document the lines of a block are unwrapped, breaking at a
/// short line that ends a sentence, before an indented line, at headings and
/// page furniture, and where the script changes; otherwise every line is a
/// paragraph.
fn segment_block(block: &[&Line], wrapped: bool, out: &mut Vec<Draft>) {
    let short_block = block.iter().all(|l| l.text.chars().count() <= SHORT_LINE);
    let metadata_block = block.iter().any(|l| is_metadata(&l.text));
    let first = out.len();
    if wrapped {
        let width = block.iter().map(|l| l.width).max().unwrap_or(0);
        let mut draft: Option<Draft> = None;
        let mut prev: Option<&Line> = None;
        for &line in block {
            let continues =
                draft.is_some() && prev.is_some_and(|p| !breaks_between(p, line, width));
            if continues {
                draft
                    .as_mut()
                    .expect("continues needs a draft")
                    .push_line(line);
            } else {
                out.extend(draft.take());
                draft = Some(Draft::new(line));
            }
            prev = Some(line);
        }
        out.extend(draft);
    } else {
        out.extend(block.iter().map(|l| Draft::new(l)));
    }
    for d in &mut out[first..] {
        d.block_lines = block.len();
        d.short_block = short_block;
        d.metadata_block = metadata_block;
    }
}

/// Whether a paragraph ends between two consecutive lines of a wrapped
/// block whose widest line is `width` columns.
fn breaks_between(prev: &Line, line: &Line, width: usize) -> bool {
    prev.heading
        || line.heading
        || line.indent > prev.indent
        || (prev.width * 4 < width * 3
            && (ends_sentence(&prev.text)
                || (ends_like_a_sentence(&prev.text) && !starts_lowercase(&line.text))))
        || scripts_differ(&prev.text, &line.text)
        || is_junk(&prev.text)
        || (is_junk(&line.text) && !is_trailing_punctuation(&line.text))
}

/// OCR'd line ends that are sentence ends read badly: a full stop
/// followed by a few characters of noise (`fprak. wt Pee`, specks at the
/// margin read as letters), or the final mark itself misread (`.` as `,`,
/// `:` as `-`, `”` as `“` or `„`). Taken for a paragraph end only on a
/// short line whose next line does not go on in lower case.
fn ends_like_a_sentence(text: &str) -> bool {
    let t = text.trim_end();
    if t.ends_with([',', '-', '“', '„', '«', '»']) {
        return true;
    }
    // A terminal among the last characters, followed by nothing but
    // tokens of at most three characters.
    let tail: Vec<char> = t.chars().rev().take(10).collect();
    match tail.iter().position(|c| TERMINALS.contains(c)) {
        Some(0) | None => false,
        Some(k) => {
            let after: String = tail[..k].iter().rev().collect();
            after.split_whitespace().all(|w| w.chars().count() <= 3)
        }
    }
}

/// Whether a line begins with a lowercase letter: it goes on a sentence.
fn starts_lowercase(text: &str) -> bool {
    text.trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// A line of nothing but sentence-final punctuation (`。`, `”。`): in a
/// wrapped block it is the end of the previous line's sentence, pushed over
/// by a wrap that ignores line-breaking rules, not a separator.
fn is_trailing_punctuation(text: &str) -> bool {
    text.chars()
        .all(|c| TERMINALS.contains(&c) || c == ',' || c == '，' || c == '、')
}

/// A line of front matter is at most this many characters: a block of such
/// lines that contains a metadata line (`日期:…`) is page furniture as a
/// whole (site banners, speech-recognition prompts, the metadata itself).
const SHORT_LINE: usize = 40;

/// Two lines are in different scripts when both have a clear one and they
/// differ: a bilingual block alternates Chinese and English line by line.
fn scripts_differ(a: &str, b: &str) -> bool {
    let (sa, sb) = (script_of(a), script_of(b));
    sa != sb && sa != Script::Other && sb != Script::Other
}

/// The script with the most letters; Han characters count once each, as do
/// Latin letters (an English paragraph with a Chinese name stays Latin, a
/// Chinese paragraph quoting `COVID` stays Han).
pub fn script_of(text: &str) -> Script {
    let (mut han, mut latin, mut other) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        if c.is_ascii() {
            latin += usize::from(c.is_ascii_alphabetic());
        } else if is_han(c) {
            han += 1;
        } else if is_latin(c) {
            latin += 1;
        } else if !is_common_punctuation(c) && is_alphabetic(c) {
            other += 1;
        }
    }
    if han == 0 && latin == 0 && other == 0 {
        Script::Other
    } else if han >= latin && han >= other {
        Script::Han
    } else if latin >= other {
        Script::Latin
    } else {
        Script::Other
    }
}

/// ASCII, general punctuation, CJK punctuation and full-width punctuation
/// and digits: no letters among them, so [`script_of`] skips the Unicode
/// table lookup for the commonest non-letters.
fn is_common_punctuation(c: char) -> bool {
    matches!(c,
        '\0'..='\u{7F}'
        | '\u{2000}'..='\u{206F}'
        | '\u{3000}'..='\u{3004}'
        | '\u{3008}'..='\u{3020}'
        | '\u{FF01}'..='\u{FF20}')
}

/// Labels of metadata lines on news and government sites (`日期:2023-12-31`,
/// `来源:…`, `字号:`, `Source: …`), lowercase. A line `label: value` with one
/// of these labels and a short value is metadata, not text.
const METADATA_LABELS: &[&str] = &[
    "日期",
    "时间",
    "发布时间",
    "发布日期",
    "发表时间",
    "更新时间",
    "来源",
    "稿源",
    "作者",
    "编辑",
    "责任编辑",
    "责编",
    "字号",
    "字体",
    "浏览",
    "浏览次数",
    "阅读",
    "阅读量",
    "点击",
    "点击数",
    "分享",
    "分享到",
    "打印",
    "关闭",
    "date",
    "time",
    "source",
    "author",
    "editor",
    "posted",
    "published",
    "updated",
    "font size",
    "print",
    "share",
    "views",
];

/// Whether a line is a metadata line: a known label with a short value, or
/// any short label whose value is a date.
/// Bytes of the longest metadata label with its brackets and spaces around
/// it (six Han characters take 18 bytes).
const METADATA_LABEL_BYTES: usize = 40;

fn is_metadata(text: &str) -> bool {
    // No label is longer than this, so only the head of a line is searched
    // for its colon (most lines are long sentences without one).
    let Some((at, colon)) = text
        .char_indices()
        .take_while(|&(i, _)| i <= METADATA_LABEL_BYTES)
        .find(|&(_, c)| c == ':' || c == '：')
    else {
        return false;
    };
    let (label, value) = (&text[..at], &text[at + colon.len_utf8()..]);
    let label = label
        .trim()
        .trim_start_matches(['【', '[', '(', '（'])
        .to_lowercase();
    let value = value.trim();
    if value.chars().nth(40).is_some() {
        return false;
    }
    METADATA_LABELS.contains(&label.as_str()) || (label.chars().count() <= 6 && is_date(value))
}

/// `2023-12-31`, `2023/12/31`, `2023年12月31日`, optionally followed by a
/// time.
fn is_date(value: &str) -> bool {
    let digits: Vec<&str> = value
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let separators_ok = value
        .chars()
        .all(|c| c.is_ascii_digit() || "-/.年月日 :：".contains(c));
    separators_ok && digits.len() >= 3 && digits[0].len() == 4
}

/// Lines that carry no text: no letter at all (page numbers, rules,
/// `- 12 -`), `Page 3`, `第3页`, `3 of 10`, and metadata lines.
fn is_junk(text: &str) -> bool {
    if !text.chars().any(is_alphabetic) || is_metadata(text) {
        return true;
    }
    // A page number: digits with at most a few letters (`Page 3 of 9`,
    // `第3页`). Longer text stops at its seventh letter.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let mut letters = String::new();
    for (n, c) in text.chars().filter(|&c| is_alphabetic(c)).enumerate() {
        if n >= PAGE_LETTERS {
            return false;
        }
        letters.extend(c.to_lowercase());
    }
    [
        "page",
        "p",
        "pp",
        "pageof",
        "of",
        "第页",
        "页",
        "第页共页",
        "共页",
    ]
    .contains(&letters.as_str())
}

/// The most letters around the numbers of a page-number line (`pageof`).
const PAGE_LETTERS: usize = 6;

/// A short line that recurs at least this often in one document is a
/// running header or footer.
const RUNNING_HEADER_REPEATS: usize = 3;

/// Marks running headers and footers as junk: short lines repeated in one
/// document. Speaker labels (`王毅：`) and headings recur too, and are kept.
fn mark_running_headers(paragraphs: &mut [Paragraph]) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for p in paragraphs.iter() {
        if is_header_candidate(p) {
            *counts.entry(p.text.as_str()).or_default() += 1;
        }
    }
    let repeated: Vec<String> = counts
        .into_iter()
        .filter(|&(_, n)| n >= RUNNING_HEADER_REPEATS)
        .map(|(t, _)| t.to_string())
        .collect();
    for p in paragraphs.iter_mut() {
        if is_header_candidate(p) && repeated.contains(&p.text) {
            p.role = Role::Junk;
        }
    }
}

fn is_header_candidate(p: &Paragraph) -> bool {
    p.role == Role::Body && p.text.chars().count() <= SHORT_LINE && !p.text.ends_with([':', '：'])
}

/// Characters that may end a sentence or a self-contained line. A paragraph
/// that ends otherwise (in a word, after a comma) was cut.
const TERMINALS: &[char] = &[
    '.', '!', '?', ';', ':', '"', '\'', ')', ']', '…', '。', '！', '？', '；', '：', '”', '’',
    '」', '』', '）', '】', '》', '〕',
];

fn ends_sentence(text: &str) -> bool {
    text.trim_end().ends_with(TERMINALS)
}

/// How a body paragraph ends, as page-break repair reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    /// With a sentence, or a line that stands alone (a list intro ending in
    /// a colon): a paragraph end.
    Closed,
    /// Mid-sentence (in a word, after a comma): cut, or truncated.
    Open,
    /// With a speaker label after its last sentence (`…发挥作用。新华社记者：`):
    /// the turn the label opens is not there, so a page break cut it off.
    Label,
    /// It is nothing but a label (`王毅：`): a layout that puts labels on
    /// lines of their own, or a turn cut right after its label.
    LabelOnly,
}

/// Characters after which a label may start inside a paragraph: the ends of
/// sentences and clauses that can close a turn. An ASCII full stop counts
/// only before a space (`today. Reporter:`, not `5.2%`).
const SENTENCE_ENDS: &[char] = &['.', '!', '?', ';', '…', '。', '！', '？', '；'];

/// Closing quotes and brackets: after a sentence end they still belong to
/// that sentence (`。”新华社记者：`).
const CLOSERS: &[char] = &[
    '"', '\'', ')', ']', '”', '’', '」', '』', '）', '】', '》', '〕',
];

fn end_of(text: &str) -> End {
    if !ends_sentence(text) {
        return End::Open;
    }
    let Some(body) = text.trim_end().strip_suffix([':', '：']) else {
        return End::Closed;
    };
    let start = body
        .char_indices()
        .rev()
        .find(|&(i, c)| {
            SENTENCE_ENDS.contains(&c)
                && (c != '.' || body[i + 1..].starts_with(char::is_whitespace))
        })
        .map(|(i, c)| i + c.len_utf8());
    let label = body[start.unwrap_or(0)..]
        .trim_start()
        .trim_start_matches(CLOSERS)
        .trim();
    match (is_label(label), start) {
        (false, _) => End::Closed,
        (true, Some(_)) => End::Label,
        (true, None) => End::LabelOnly,
    }
}

/// The most characters a speaker label holds, counting a word of an
/// alphabetic script as one: `中央广播电视总台央视记者` and
/// `今日俄罗斯国际通讯社记者`, the longest labels of the seeds, have 12.
const LABEL_UNITS: usize = 12;

/// The most words of an alphabetic script in a label: `China Central
/// Television reporter`. A longer colon clause (`I think it is reflected in
/// five aspects:`) introduces what follows; it does not name a speaker.
const LABEL_WORDS: usize = 4;

/// Whether `text` reads as a speaker label (`王毅`, `《人民日报》记者`, `Q`,
/// `Wang Yi`): short, and without the punctuation that separates clauses
/// (`这里，我还想请大家注意几个新的趋势` introduces a list).
fn is_label(text: &str) -> bool {
    let (mut units, mut words, mut in_word) = (0, 0, false);
    for c in text.chars() {
        if matches!(
            c,
            ',' | '，' | '、' | ';' | '；' | ':' | '：' | '!' | '?' | '！' | '？' | '。' | '…'
        ) {
            return false;
        }
        let word = is_alphanumeric(c) && !is_han(c);
        if is_han(c) || (word && !in_word) {
            units += 1;
            words += usize::from(word);
            if units > LABEL_UNITS || words > LABEL_WORDS {
                return false;
            }
        }
        in_word = word;
    }
    units > 0
}

/// Bytes searched for the colon of a label at the start of a paragraph:
/// [`LABEL_UNITS`] Han characters take 36, four words about as many.
const LABEL_BYTES: usize = 64;

/// The speaker label a paragraph starts with, before its colon: `王毅` of
/// `王毅：…`, `Q` of `Q:…`, `Wang Yi` of `Wang Yi: …`.
fn label_of(text: &str) -> Option<&str> {
    text.char_indices()
        .take_while(|&(i, _)| i <= LABEL_BYTES)
        .find(|&(_, c)| c == ':' || c == '：')
        .map(|(at, _)| text[..at].trim())
        .filter(|label| is_label(label))
}

/// Whether `text` starts a list item or a quotation (`一是…`, `首先，…`,
/// `（一）`, `1.`, `First,`, `•`, `“…`): what a line ending in a colon
/// introduces as a block of its own (`主要有三点：`).
fn starts_block(text: &str) -> bool {
    const MARKERS: &[char] = &[
        '"', '\'', '“', '‘', '「', '『', '•', '·', '●', '○', '■', '□', '◆', '◇', '▪', '-', '–',
        '—', '*',
    ];
    const ORDINALS: &[&str] = &[
        "首先", "其次", "再次", "最后", "其一", "其二", "其三", "first", "second", "third",
        "fourth", "fifth", "firstly", "secondly", "thirdly", "finally", "lastly",
    ];
    let is_numeral = |c: char| {
        c.is_ascii_digit() || ('０'..='９').contains(&c) || "一二三四五六七八九十".contains(c)
    };
    let text = text.trim_start_matches(['(', '（', '[', '【']);
    if text.starts_with(MARKERS) {
        return true;
    }
    // `第二是`, `第一，`: the ordinal prefix of a Chinese count.
    let rest = text.strip_prefix('第').unwrap_or(text);
    let numeral = rest.trim_start_matches(is_numeral);
    if numeral.len() < rest.len() {
        return numeral.starts_with(['.', '．', '、', ')', '）', ']', '】', '是', ',', '，']);
    }
    let word_end = text
        .char_indices()
        .find(|&(_, c)| !is_alphanumeric(c))
        .map_or(text.len(), |(i, _)| i);
    let (word, after) = text.split_at(word_end);
    after.starts_with([',', '，']) && ORDINALS.contains(&word.to_lowercase().as_str())
}

/// Whether a paragraph reads as running text rather than a title: it has a
/// mark that ends or separates clauses.
fn reads_as_sentence(text: &str) -> bool {
    text.contains(['，', ',', '、', '；', ';', '。', '！', '？', '!', '?']) || text.contains(". ")
}

/// What page-break repair knows of a document: the speaker labels that
/// start two or more of its paragraphs (`问`, `答`, `王毅`), which open
/// turns wherever they stand.
struct Turns {
    recurring: HashSet<String>,
    /// Its labels stand on lines of their own: more than one paragraph is
    /// nothing but a label.
    labels_alone: bool,
}

impl Turns {
    fn new(paragraphs: &[Paragraph]) -> Turns {
        let mut seen = HashSet::new();
        let mut recurring = HashSet::new();
        let mut alone = 0;
        for p in paragraphs.iter().filter(|p| p.role == Role::Body) {
            if let Some(label) = label_of(&p.text)
                && !seen.insert(label)
            {
                recurring.insert(label.to_string());
            }
            alone += usize::from(end_of(&p.text) == End::LabelOnly);
        }
        Turns {
            recurring,
            labels_alone: alone > 1,
        }
    }

    /// Whether `next` continues `head`, a paragraph that ends as `end`;
    /// `furniture` says that page furniture (a page number, a running
    /// header) stands between them, which shows a page break there.
    ///
    /// Both must be body text of one script. A paragraph cut mid-sentence
    /// continues, in Latin text, with a piece that starts in lowercase, or,
    /// when it stops on a lowercase word and page furniture follows, with
    /// one that starts with a capital (a name); in
    /// Han text, when it reads as a sentence (it has punctuation inside: a
    /// title without any is not cut text) and the piece does not start with
    /// a speaker label. A piece that starts with a label is a new turn after
    /// a paragraph that lost its end, unless page furniture shows the page
    /// break that cut the paragraph and the label is no turn of the
    /// document's: a page break inside a label (`…会见，新华` `- 12 -`
    /// `社记者：…`) leaves a piece of it that starts no other paragraph,
    /// while `问`, `答`, `Q`, `王毅` open turn after turn.
    ///
    /// A paragraph that ends with a label and its colon has not ended: a
    /// turn's speech follows its label. It continues across page furniture
    /// with a piece that is neither a new turn nor a list item or
    /// quotation, which a colon at the end of a real paragraph introduces
    /// (`主要有三点：` `一是…`). Without furniture the two are told apart by no
    /// other mark, and are left apart. A paragraph that is only a label
    /// continues the same way, unless the document puts its labels on lines
    /// of their own.
    fn continues(&self, head: &Paragraph, end: End, furniture: bool, next: &Paragraph) -> bool {
        if next.role != Role::Body || head.script != next.script || head.script == Script::Other {
            return false;
        }
        let label = label_of(&next.text);
        match end {
            End::Closed => false,
            End::Open => {
                let cut_label = || {
                    furniture
                        && reads_as_sentence(&head.text)
                        && label.is_some_and(|l| !self.recurring.contains(l))
                };
                // A Latin paragraph that stops on a lowercase word, with a
                // page number or running header after it, was cut there:
                // its continuation may start with a name (`…of the` `- 101 -`
                // `Central Committee…`), which no lowercase test admits.
                let cut_before_a_name = || {
                    furniture
                        && reads_as_sentence(&head.text)
                        && head.text.chars().last().is_some_and(char::is_lowercase)
                        && next.text.chars().next().is_some_and(char::is_uppercase)
                        && label.is_none()
                };
                match head.script {
                    Script::Latin => {
                        next.text.chars().next().is_some_and(char::is_lowercase)
                            || cut_label()
                            || cut_before_a_name()
                    }
                    _ => {
                        head.text.chars().any(crate::chars::is_punct)
                            && (label.is_none() || cut_label())
                    }
                }
            }
            End::LabelOnly if self.labels_alone => false,
            End::Label | End::LabelOnly => {
                furniture && label.is_none() && !starts_block(&next.text)
            }
        }
    }
}

/// A paragraph waiting for the rest that a page break cut off.
#[derive(Clone, Copy, Debug)]
struct Waiting {
    /// Its index in the output.
    at: usize,
    /// How it ends.
    end: End,
    /// Page furniture came after it.
    furniture: bool,
}

/// Joins paragraphs that a page break cut with their continuation.
/// Paragraphs of the other script and junk in between are passed over; a
/// heading or another paragraph of the same script ends the search.
fn repair_page_breaks(paragraphs: Vec<Paragraph>, doc_text: &str) -> Vec<Paragraph> {
    let mut out: Vec<Paragraph> = Vec::with_capacity(paragraphs.len());
    // Per script, the paragraph waiting for its rest.
    let mut open: HashMap<Script, Waiting> = HashMap::new();
    let turns = Turns::new(&paragraphs);
    for p in paragraphs {
        match p.role {
            Role::Junk => {
                for w in open.values_mut() {
                    w.furniture = true;
                }
                out.push(p);
            }
            Role::Heading => {
                open.remove(&p.script);
                out.push(p);
            }
            Role::Body => {
                let target = open
                    .remove(&p.script)
                    .filter(|w| turns.continues(&out[w.at], w.end, w.furniture, &p))
                    .map(|w| w.at);
                let at = match target {
                    Some(i) => {
                        let head = &mut out[i];
                        // The joining space maps to the line break after
                        // the head's text, as in a wrapped paragraph: its
                        // text may end before trimmed whitespace such as a
                        // no-break space, whose bytes a one-byte gap would
                        // split.
                        let end = head.doc_offset(head.text.len()) as usize;
                        let gap = doc_text[end..].find('\n').map_or(end, |i| end + i) as u32;
                        join(&mut head.text, &mut head.runs, gap, &p.text, &p.runs);
                        head.pieces.extend(p.pieces);
                        i
                    }
                    None => {
                        out.push(p);
                        out.len() - 1
                    }
                };
                let end = end_of(&out[at].text);
                if end != End::Closed && out[at].script != Script::Other {
                    open.insert(
                        out[at].script,
                        Waiting {
                            at,
                            end,
                            furniture: false,
                        },
                    );
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, SourceId};

    fn doc(text: &str) -> Document {
        Document::new(DocId(0), SourceId(0), "t.txt".into(), text.into())
    }

    fn texts(text: &str) -> Vec<String> {
        segment(&doc(text)).into_iter().map(|p| p.text).collect()
    }

    /// Every text byte maps to the document byte with the same character.
    fn assert_runs_map_back(d: &Document, p: &Paragraph) {
        assert_eq!(p.rebuild_text(&d.text), p.text, "the runs rebuild the text");
        for (i, c) in p.text.char_indices() {
            let at = p.doc_offset(i) as usize;
            let original = d.text[at..].chars().next().unwrap();
            assert!(
                original == c || (c == ' ' && original == '\n'),
                "{c:?} at {i} maps to {original:?} in {:?}",
                p.text
            );
        }
    }

    #[test]
    fn blank_line_paragraphs_with_line_ranges() {
        let d = doc("\n\nfirst line.\n  \nthird\n");
        let p = segment(&d);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].pieces, vec![(3, 3)]);
        assert_eq!(p[0].text, "first line.");
        assert_eq!(p[1].pieces, vec![(5, 5)]);
    }

    #[test]
    fn empty_document_has_no_paragraphs() {
        assert!(segment(&doc("")).is_empty());
        assert!(segment(&doc("\n \n")).is_empty());
    }

    #[test]
    fn markup_is_removed_and_labels_kept() {
        let d = doc("## 标题\n\n**王毅:**各位记者朋友。\n\n**Wang Yi:** It costs US\\$240.\n");
        let p = segment(&d);
        assert_eq!(p[0].text, "标题");
        assert_eq!(p[0].role, Role::Heading);
        assert_eq!(p[1].text, "王毅:各位记者朋友。");
        assert_eq!(p[2].text, "Wang Yi: It costs US$240.");
        for para in &p {
            assert_runs_map_back(&d, para);
        }
    }

    #[test]
    fn labels_script_and_role() {
        let p = segment(&doc(
            "# Title\n\n王毅：斡旋缅北达成停火协议。\n\nHe met Wang Yi (王毅).\n\n- 12 -\n",
        ));
        let labels: Vec<_> = p.iter().map(|p| (p.script, p.role)).collect();
        assert_eq!(
            labels,
            vec![
                (Script::Latin, Role::Heading),
                (Script::Han, Role::Body),
                (Script::Latin, Role::Body),
                (Script::Other, Role::Junk),
            ]
        );
    }

    #[test]
    fn page_break_is_repaired_across_the_other_language() {
        let text = "一年来，举行百余场会\n\nIn the past year, he made four im-\n\n12\n\n\
                    见、通话，元首外交日益发挥作用。\n\nportant overseas visits.\n";
        let d = doc(text);
        let p = segment(&d);
        let body: Vec<_> = p.iter().filter(|p| p.role == Role::Body).collect();
        assert_eq!(body.len(), 2, "{p:?}");
        assert_eq!(
            body[0].text,
            "一年来，举行百余场会见、通话，元首外交日益发挥作用。"
        );
        assert_eq!(body[0].pieces, vec![(1, 1), (7, 7)]);
        assert_eq!(
            body[1].text,
            "In the past year, he made four important overseas visits."
        );
        assert_eq!(body[1].pieces, vec![(3, 3), (9, 9)]);
        for para in &body {
            assert_runs_map_back(&d, para);
        }
    }

    /// The body paragraphs' texts and pieces.
    fn bodies(text: &str) -> Vec<(String, Vec<(u32, u32)>)> {
        let d = doc(text);
        let p = segment(&d);
        for para in &p {
            assert_runs_map_back(&d, para);
        }
        p.into_iter()
            .filter(|p| p.role == Role::Body)
            .map(|p| (p.text, p.pieces))
            .collect()
    }

    #[test]
    fn label_and_colon_at_a_page_break_continue_on_the_next_page() {
        for colon in ["：", ":"] {
            let text = format!(
                "王毅：我们在斡旋中发挥了建设性作用。新华社记者{colon}\n\n- 12 -\n\n\
                 国际上很多领导人都认为，当今国际秩序未能反映现实。\n"
            );
            assert_eq!(
                bodies(&text),
                vec![(
                    format!(
                        "王毅：我们在斡旋中发挥了建设性作用。新华社记者{colon}\
                         国际上很多领导人都认为，当今国际秩序未能反映现实。"
                    ),
                    vec![(1, 1), (5, 5)]
                )]
            );
        }
        let latin = "Wang Yi: We played a constructive role. Xinhua reporter:\n\nPage 65\n\n\
                     Many leaders believe the order does not reflect reality.\n";
        assert_eq!(
            bodies(latin),
            vec![(
                "Wang Yi: We played a constructive role. Xinhua reporter: \
                 Many leaders believe the order does not reflect reality."
                    .to_string(),
                vec![(1, 1), (5, 5)]
            )]
        );
    }

    #[test]
    fn label_and_colon_without_page_furniture_end_the_paragraph() {
        let got = bodies(
            "我们发挥了建设性作用。新华社记者：\n\n国际上很多领导人都认为，国际秩序未能反映现实。\n",
        );
        assert_eq!(got.len(), 2, "{got:?}");
    }

    #[test]
    fn colon_that_introduces_a_list_ends_the_paragraph() {
        for text in [
            // A long colon clause: no label.
            "这里，我还想请大家注意几个新的趋势：\n\n- 12 -\n\n首先，中国的发展不仅有量的合理增长。\n",
            "As I see it, Chinese modernization has five features:\n\nPage 65\n\nfirst, independence.\n",
            // A short one, followed by list items.
            "我们取得了积极成果。主要有三点：\n\n- 12 -\n\n一是坚持不干涉内政。\n",
            "我们取得了积极成果。主要有三点：\n\n- 12 -\n\n（一）坚持不干涉内政。\n",
            "We made progress. Three points:\n\nPage 65\n\nFirst, non-interference.\n",
            // Or a quotation.
            "会议取得成功。他说：\n\n- 12 -\n\n“我们将继续努力。”\n",
        ] {
            assert_eq!(bodies(text).len(), 2, "{text:?}");
        }
    }

    #[test]
    fn piece_that_starts_inside_a_label_is_joined_across_page_furniture() {
        let text = "我们在斡旋中发挥了建设性作用，各方高度评价。新华\n\n12\n\n\
                    社记者：国际上很多领导人都认为。\n";
        assert_eq!(
            bodies(text),
            vec![(
                "我们在斡旋中发挥了建设性作用，各方高度评价。新华社记者：国际上很多领导人都认为。"
                    .to_string(),
                vec![(1, 1), (5, 5)]
            )]
        );
        // Without furniture, the piece may as well be a new turn after a
        // paragraph that lost its end.
        let text = "我们在斡旋中发挥了建设性作用，各方高度评价。新华\n\n社记者：国际上很多领导人都认为。\n";
        assert_eq!(bodies(text).len(), 2);
    }

    #[test]
    fn speaker_turn_is_not_joined_to_a_paragraph_that_lost_its_end() {
        for text in [
            "答：我们在斡旋缅北冲突中发挥了建设性作用\n\n问：国际上很多领导人都认为。\n",
            // `问` and `答` open turns all through the document, so page
            // furniture between does not make `问：` a continuation.
            "答：我们发挥了建设性作用，我们将继续\n\n- 3 -\n\n问：国际上很多人都认为。\n\n\
             答：是的。\n\n问：好的。\n",
            "Q: What is your view?\n\nA: We played a constructive role, and the\n\nPage 65\n\n\
             Q: What is your view?\n\nA: Yes.\n",
            // A title is not cut text.
            "Transcript of the Press Conference\n\nPage 1\n\nQ: What is your view?\n",
        ] {
            let got = bodies(text);
            assert!(
                got.iter().all(|(_, pieces)| pieces.len() == 1),
                "{text:?} → {got:?}"
            );
        }
    }

    #[test]
    fn label_alone_joins_its_speech_only_where_labels_are_inline() {
        let inline =
            "新华社记者：\n\n- 3 -\n\n国际上很多领导人都认为。\n\n王毅：我们认为，是的。\n";
        assert_eq!(
            bodies(inline)[0],
            (
                "新华社记者：国际上很多领导人都认为。".to_string(),
                vec![(1, 1), (5, 5)]
            )
        );
        let alone = "王毅：\n\n第一段。\n\n王毅：\n\n- 3 -\n\n第二段。\n";
        assert_eq!(bodies(alone).len(), 4);
    }

    #[test]
    fn labels_are_short_and_have_no_clause_punctuation() {
        for label in [
            "王毅",
            "《人民日报》记者",
            "中央广播电视总台央视记者",
            "Q",
            "Wang Yi",
            "China Central Television reporter",
        ] {
            assert!(is_label(label), "{label:?}");
        }
        for text in [
            "",
            "这里，我还想请大家注意",
            "今日俄罗斯国际通讯社驻京记者",
            "I think it is reflected in five aspects",
        ] {
            assert!(!is_label(text), "{text:?}");
        }
        assert_eq!(label_of("王毅：各位记者朋友。"), Some("王毅"));
        assert_eq!(label_of("Wang Yi: It costs"), Some("Wang Yi"));
        assert_eq!(label_of("发展，合作：共赢"), None);
    }

    #[test]
    fn how_a_paragraph_ends() {
        assert_eq!(end_of("我们举行百余场会"), End::Open);
        assert_eq!(end_of("我们举行了会见。"), End::Closed);
        assert_eq!(end_of("我们举行了会见。新华社记者："), End::Label);
        assert_eq!(end_of("我们举行了会见。”新华社记者："), End::Label);
        assert_eq!(end_of("It grew 5.2% last year. Reporter:"), End::Label);
        assert_eq!(end_of("王毅："), End::LabelOnly);
        assert_eq!(end_of("这里，我还想请大家注意几个新的趋势："), End::Closed);
        assert_eq!(end_of("我们举行了会见。："), End::Closed);
    }

    #[test]
    fn list_items_and_quotations_start_blocks() {
        for text in [
            "一是坚持",
            "第二是坚持",
            "首先，中国",
            "（一）坚持",
            "1. First",
            "３、坚持",
            "First, independence",
            "“我们",
            "• item",
        ] {
            assert!(starts_block(text), "{text:?}");
        }
        for text in [
            "一年来，中国",
            "首先请您介绍一下",
            "十四届全国人大",
            "Firstly we",
            "Many leaders",
        ] {
            assert!(!starts_block(text), "{text:?}");
        }
    }

    #[test]
    fn latin_continuation_must_start_in_lowercase() {
        let got =
            texts("Foreign Minister Meets the Press\n\nOn March 7, a press conference was held.\n");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn latin_cut_before_a_name_joins_across_a_page_number() {
        // Cut on `the`, a page number and a Chinese paragraph between, the
        // rest starting with a name.
        let got = texts(
            "We will deepen reform, and work with the\n\n— 101 —\n\n中国特色社会主义进入新时代。\n\nCentral Committee on the new plan.\n",
        );
        assert_eq!(
            got,
            vec![
                "We will deepen reform, and work with the Central Committee on the new plan.",
                "— 101 —",
                "中国特色社会主义进入新时代。"
            ]
        );
        // Without the page number nothing shows a page break.
        let got =
            texts("We will deepen reform, and work with the\n\nCentral Committee on the plan.\n");
        assert_eq!(got.len(), 2);
        // A paragraph that ends on a capitalized word is not taken as cut.
        let got = texts(
            "Minister Wang Yi met with Blinken, of the US\n\n— 3 —\n\nThe talks went well.\n",
        );
        assert_eq!(got[0], "Minister Wang Yi met with Blinken, of the US");
    }

    #[test]
    fn han_title_without_punctuation_is_not_joined() {
        let got =
            texts("开创中国特色大国外交更有作为新局面\n\n中国外交深入贯彻落实党的二十大精神。\n");
        assert_eq!(got.len(), 2);
    }

    #[test]
    fn hard_wrapped_text_is_unwrapped_and_dehyphenated() {
        let wrapped = "The world landscape today is undergoing a pro-\n\
                       found transformation, and human society is\n\
                       confronted with multiple challenges in this\n\
                       changing environment.\n\
                       China will remain a staunch force for peace,\n\
                       stability and progress of the world in the\n\
                       years to come, as it has always been before.\n";
        let per_line = "The world landscape today is undergoing a profound transformation, and human society is confronted with multiple challenges in this changing environment.\n\
                        China will remain a staunch force for peace, stability and progress of the world in the years to come, as it has always been before.\n";
        let d = doc(wrapped);
        let p = segment(&d);
        assert_eq!(
            p.iter().map(|p| &p.text).collect::<Vec<_>>(),
            texts(per_line).iter().collect::<Vec<_>>()
        );
        assert_eq!(p[0].pieces, vec![(1, 4)]);
        for para in &p {
            assert_runs_map_back(&d, para);
        }
    }

    #[test]
    fn a_sentence_end_read_badly_still_ends_a_wrapped_paragraph() {
        // Short last lines: noise after the stop, a stop read as a comma,
        // a colon read as a dash. A short line that goes on in lower case
        // stays in its paragraph.
        let wrapped = "Ale z ta moneta co teraz w Koronie iest co rzeczemy gdy\n\
                       Minyca wazniejsza nastapi i ta odmienic cene musi fprak\n\
                       ten sposob. wt Pee\n\
                        Nowy rozdzial zaczyna sie tutaj i trwa przez wiele\n\
                       linijek tekstu ktore sa zawiniete twardo na koncu,\n\
                       bez zmian,\n\
                       Trzeci akapit zaczyna sie od wielkiej litery i ma\n\
                       dalszy ciag ktory konczy sie tak krotko-\n\
                       Czwarty akapit ma tylko jedna linijke tekstu tutaj\n\
                       ostatnia,\n\
                       a ta linijka ciagnie zdanie dalej malymi literami.\n";
        let d = doc(wrapped);
        let starts: Vec<String> = segment(&d)
            .iter()
            .map(|p| p.text.split_whitespace().next().unwrap_or("").to_string())
            .collect();
        assert_eq!(
            starts,
            ["Ale", "Nowy", "Trzeci", "Czwarty"],
            "{:?}",
            segment(&d)
        );
    }

    #[test]
    fn indented_line_starts_a_paragraph_in_wrapped_text() {
        let indent = "\u{3000}\u{3000}";
        let text = format!(
            "{indent}中国将坚定站在历史正确一边，站在人类文明进步一边，高举和平、\n\
             发展、合作、共赢旗帜，在坚定维护世界和平与发展中谋求自身发展，\n\
             又以自身发展更好维护世界和平与发展，这就是我们的使命和担当。\n\
             {indent}二十大报告强调，中国共产党既为中国人民谋幸福、为中华民族谋复\n\
             兴，也为人类谋进步、为世界谋大同，这是我们的追求和目标。\n"
        );
        let got = texts(&text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[1].starts_with("二十大报告强调"));
        assert!(got[1].contains("谋复兴"));
    }

    #[test]
    fn punctuation_pushed_to_its_own_line_stays_with_the_sentence() {
        let text = "成为当今世界最我们倡导平等我们希望中欧关系能国关系新中方也将化是人\n\
                    类推动中美条有中国特色的政治解决进程就会付出巨推动世界达成了共识\n\
                    情本身的是非曲作的人间正放型世界经济路繁荣之平机制对话协商解决\n\
                    加以妥这个问题问得治化国际化营商当今世界正合作的人间正道为营造\n\
                    。\n\
                    \n\
                    中巴经济走廊问题尽快降温中方一直保持高度始终坚持维所有炎黄子孙。\n";
        let got = texts(text);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].ends_with("为营造。"));
    }

    #[test]
    fn wrapped_block_is_split_where_the_script_changes() {
        let text = "外交部长王毅就中国外交政策和对外关系回答中外\n\
                    记者提问，十四届全国人大二次会议在梅地亚中心\n\
                    Foreign Minister Wang Yi answered questions\n\
                    from Chinese and foreign media about China's\n\
                    foreign policy and external relations today.\n";
        let p = segment(&doc(text));
        let scripts: Vec<_> = p.iter().map(|p| p.script).collect();
        assert_eq!(scripts, vec![Script::Han, Script::Latin]);
    }

    #[test]
    fn front_matter_and_metadata_are_junk() {
        let p = segment(&doc(
            "我在听,请说话(10s)\n抱歉,没听清,请再说一遍吧\n日期:2023-12-31\n来源:外交部发言人办公室\n字号:\n\nQ:本次会议为中国外交奠定了基调。\n",
        ));
        let roles: Vec<_> = p.iter().map(|p| p.role).collect();
        assert_eq!(
            roles,
            vec![
                Role::Junk,
                Role::Junk,
                Role::Junk,
                Role::Junk,
                Role::Junk,
                Role::Body
            ]
        );
    }

    #[test]
    fn page_numbers_and_running_headers_are_junk() {
        assert!(is_junk("- 12 -"));
        assert!(is_junk("Page 3 of 10"));
        assert!(is_junk("第 3 页"));
        assert!(!is_junk("3 things to know"));
        let text = "Annual Report\n\nFirst paragraph of text here.\n\nAnnual Report\n\nSecond one.\n\nAnnual Report\n\nThird one.\n";
        let p = segment(&doc(text));
        let junk: Vec<_> = p
            .iter()
            .filter(|p| p.role == Role::Junk)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(junk, vec!["Annual Report"; 3]);
    }

    #[test]
    fn speaker_labels_are_not_running_headers() {
        let text = "王毅：\n\n第一段。\n\n王毅：\n\n第二段。\n\n王毅：\n\n第三段。\n";
        assert!(segment(&doc(text)).iter().all(|p| p.role == Role::Body));
    }
}
