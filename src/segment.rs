//! Split a document into paragraphs and label each with its script and role.
//!
//! ```text
//! "# Title\n\n王毅：斡旋缅北。\n\nHe said so.\n\n12\n"
//!   → [Heading Latin "# Title" 1–1, Body Han "王毅：…" 3–3, Body Latin "He said so." 5–5, Junk Other "12" 7–7]
//! ```
//!
//! This version splits at blank lines. A paragraph keeps its original text
//! (markup included): [`crate::normalize`] decides what is compared.
use serde::Serialize;

use crate::chars::{is_han, is_latin};
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
    /// Page numbers and other lines without any letter: never clustered, but
    /// kept and shown by `recension paragraphs`.
    Junk,
}

/// One paragraph of one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// The document it comes from.
    pub doc: DocId,
    /// The document's source.
    pub source: SourceId,
    /// Byte range in [`Document::text`].
    pub span: ByteSpan,
    /// First line, 1-based.
    pub line_start: u32,
    /// Last line, 1-based, inclusive.
    pub line_end: u32,
    /// Dominant script.
    pub script: Script,
    /// Body, heading or junk.
    pub role: Role,
}

impl Paragraph {
    /// The paragraph's original text.
    pub fn text<'d>(&self, doc: &'d Document) -> &'d str {
        &doc.text[self.span.range()]
    }
}

/// Splits a document at blank lines. Never fails; an empty document yields no
/// paragraphs.
pub fn segment(doc: &Document) -> Vec<Paragraph> {
    let mut paragraphs = Vec::new();
    // (first line number, byte start, byte end of last non-blank line)
    let mut open: Option<(u32, usize, usize, u32)> = None;
    let mut offset = 0usize;
    for (i, line) in doc.text.split('\n').enumerate() {
        let line_no = i as u32 + 1;
        let start = offset;
        let end = offset + line.len();
        offset = end + 1;
        if line.trim().is_empty() {
            if let Some(p) = open.take() {
                paragraphs.push(make_paragraph(doc, p));
            }
        } else {
            let first = open.map_or((line_no, start), |p| (p.0, p.1));
            open = Some((first.0, first.1, end, line_no));
        }
    }
    if let Some(p) = open.take() {
        paragraphs.push(make_paragraph(doc, p));
    }
    paragraphs
}

fn make_paragraph(
    doc: &Document,
    (line_start, start, end, line_end): (u32, usize, usize, u32),
) -> Paragraph {
    let text = &doc.text[start..end];
    Paragraph {
        doc: doc.id,
        source: doc.source,
        span: ByteSpan {
            start: start as u32,
            end: end as u32,
        },
        line_start,
        line_end,
        script: script_of(text),
        role: role_of(text),
    }
}

/// The script with the most letters; Han characters count once each, as do
/// Latin letters (an English paragraph with a Chinese name stays Latin, a
/// Chinese paragraph quoting `COVID` stays Han).
pub fn script_of(text: &str) -> Script {
    let (mut han, mut latin, mut other) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        if is_han(c) {
            han += 1;
        } else if is_latin(c) {
            latin += 1;
        } else if c.is_alphabetic() {
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

fn role_of(text: &str) -> Role {
    if !text.chars().any(char::is_alphabetic) {
        Role::Junk
    } else if text.trim_start().starts_with('#') {
        Role::Heading
    } else {
        Role::Body
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, SourceId};

    fn doc(text: &str) -> Document {
        Document::new(DocId(0), SourceId(0), "t.txt".into(), text.into())
    }

    #[test]
    fn splits_at_blank_lines_with_line_ranges() {
        let d = doc("\n\nfirst line\nsecond line\n  \nthird\n");
        let p = segment(&d);
        assert_eq!(p.len(), 2);
        assert_eq!((p[0].line_start, p[0].line_end), (3, 4));
        assert_eq!(p[0].text(&d), "first line\nsecond line");
        assert_eq!((p[1].line_start, p[1].line_end), (6, 6));
        assert_eq!(p[1].text(&d), "third");
    }

    #[test]
    fn empty_document_has_no_paragraphs() {
        assert!(segment(&doc("")).is_empty());
        assert!(segment(&doc("\n \n")).is_empty());
    }

    #[test]
    fn labels_script_and_role() {
        let d =
            doc("# Title\n\n王毅：斡旋缅北达成停火协议。\n\nHe met Wang Yi (王毅).\n\n- 12 -\n");
        let p = segment(&d);
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
}
