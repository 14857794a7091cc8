//! The `diff` view: two documents, changed paragraphs only.
//!
//! ```text
//! --- data/sample/002_ed602138bd357a0a.txt
//! +++ data/sample/004_3c0b0e0b6bb004f2.txt
//! @@ 002…:13 ↔ 004…:11 @@ CER 0.004566 · substitution 1
//! 一年来，习近平主席出席三场多[-边-]{+场+}峰会，…
//! ```
//!
//! Plain output marks A's text `[-…-]` and B's `{+…+}` (wdiff's
//! convention); with colour, A's is red and B's green, without marks.
//! Text and file names are escaped ([`escape`](super::paint::escape))
//! before they are painted.
use std::io;

use super::fixed;
use super::paint::{Paint, escape_path, inline, one_line};
use crate::chars::is_word_char;
use crate::compare::{Comparison, Measures, ParagraphDiff, Side};

/// Totals over the compared pairs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DiffTotals {
    /// File pairs compared.
    pub pairs: usize,
    /// Pairs that differ.
    pub differing: usize,
    /// Paragraphs of A that B reads otherwise.
    pub paragraphs: usize,
    /// Paragraphs only B has.
    pub added: usize,
    /// Words of A and word edits, for the WER.
    pub words: usize,
    /// Word edits (Levenshtein over words) from A to B.
    pub word_edits: usize,
    /// Paragraphs of A.
    pub a_paragraphs: usize,
    /// Normalized characters of A.
    pub compared: usize,
    /// Character edits.
    pub edits: usize,
    /// Formal differences (not shown unless kept).
    pub formal: usize,
    /// Whether formal differences were shown as changes.
    pub formal_shown: bool,
    /// Stretches aligned piecewise between anchors (longer than
    /// [`crate::diff::LONG_TEXT`] characters).
    pub coarse: usize,
    /// Flexible character accuracy's edits over the pairs that have it.
    pub fca: crate::fca::Distance,
    /// Pairs over the flexible matching's budget (no flexible accuracy).
    pub fca_missing: usize,
}

impl DiffTotals {
    /// Adds one comparison, given its [`Comparison::measures`].
    pub fn add(&mut self, c: &Comparison, m: &Measures) {
        self.pairs += 1;
        self.differing += usize::from(c.differ());
        self.paragraphs += c
            .paragraphs
            .iter()
            .filter(|p| p.paragraph.is_some())
            .count();
        self.added += c
            .paragraphs
            .iter()
            .filter(|p| p.paragraph.is_none())
            .count();
        self.words += m.words;
        self.word_edits += m.word_edits;
        self.fca.add(m.fca);
        self.fca_missing += m.fca_missing;
        self.a_paragraphs += c.a.paragraphs.len();
        self.compared += c.compared;
        self.edits += c.edits;
        self.formal += c.formal.total();
        self.coarse += c.coarse;
    }

    /// `edits / compared`, if A had text.
    pub fn cer(&self) -> Option<f64> {
        (self.compared > 0).then(|| self.edits as f64 / self.compared as f64)
    }
}

/// Writes one comparison: the two file names, then each changed paragraph
/// with its header (lines on both sides, CER, categories) and its text with
/// the changes marked.
pub fn write_comparison<W: io::Write>(c: &Comparison, paint: Paint, mut out: W) -> io::Result<()> {
    if !c.differ() {
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        paint.bold(&format!("--- {}", escape_path(&c.a.doc.path)))
    )?;
    writeln!(
        out,
        "{}",
        paint.bold(&format!("+++ {}", escape_path(&c.b.doc.path)))
    )?;
    for p in &c.paragraphs {
        writeln!(out, "{}", paint.dim(&header(c, p)))?;
        writeln!(out, "{}", marked_text(c, p, paint))?;
    }
    Ok(())
}

/// Writes the closing summary line.
pub fn write_totals<W: io::Write>(t: &DiffTotals, mut out: W) -> io::Result<()> {
    let cer = t.cer().map_or("-".to_string(), |c| fixed(c, 6));
    let files = if t.pairs > 1 {
        format!("{} of {} file pairs differ, ", t.differing, t.pairs)
    } else {
        String::new()
    };
    let added = match t.added {
        0 => String::new(),
        1 => ", 1 paragraph only in the second".to_string(),
        n => format!(", {n} paragraphs only in the second"),
    };
    let wer = if t.words > 0 {
        fixed(t.word_edits as f64 / t.words as f64, 6)
    } else {
        "-".to_string()
    };
    let mut line = format!(
        "{files}{} of {} paragraphs differ{added}; CER {cer} ({} edits / {} characters); WER {wer} ({} / {} words)",
        t.paragraphs, t.a_paragraphs, t.edits, t.compared, t.word_edits, t.words
    );
    match (t.fca_missing, t.fca.chars()) {
        (0, 0) => {}
        (0, _) => line.push_str(&format!(
            "; flexible character accuracy {}",
            fixed(t.fca.accuracy(), 6)
        )),
        (n, _) => line.push_str(&format!(
            "; no flexible character accuracy: {n} of {} file pairs over its budget",
            t.pairs
        )),
    }
    if t.formal > 0 && !t.formal_shown {
        line.push_str(&format!(
            "; {} formal differences not shown (--keep-formal)",
            t.formal
        ));
    }
    if t.coarse > 0 {
        line.push_str(&format!(
            "; {} stretches over {} characters aligned piecewise between anchors",
            t.coarse,
            crate::diff::LONG_TEXT
        ));
    }
    writeln!(out, "{line}")
}

/// `@@ a.txt:13-14 ↔ b.txt:11 @@ CER 0.004566 · substitution 1, deletion 2`
fn header(c: &Comparison, p: &ParagraphDiff) -> String {
    let lines = |side: &Side, chars: &std::ops::Range<usize>| -> String {
        let (first, _) = side.doc.line_col(side.span(chars.clone()).start as usize);
        let last = if chars.is_empty() {
            first
        } else {
            side.doc
                .line_col(side.text.spans[chars.end - 1].start as usize)
                .0
        };
        let name = file_name(side);
        if last <= first {
            format!("{name}:{first}")
        } else {
            format!("{name}:{first}-{last}")
        }
    };
    if p.paragraph.is_none() {
        return format!("@@ {} @@ only in {}", lines(&c.b, &p.b), file_name(&c.b));
    }
    let cer = p.cer().map_or("-".to_string(), |x| fixed(x, 6));
    let categories: Vec<String> = p
        .categories()
        .iter()
        .map(|(cat, n)| format!("{} {n}", cat.as_str()))
        .collect();
    format!(
        "@@ {} ↔ {} @@ CER {cer} · {}",
        lines(&c.a, &p.a),
        lines(&c.b, &p.b),
        categories.join(", ")
    )
}

/// The file name of a side, without its directory, escaped.
fn file_name(side: &Side) -> String {
    let path = &side.doc.path;
    let name = path
        .file_name()
        .map_or(path.as_path(), std::path::Path::new);
    escape_path(name).into_owned()
}

/// The paragraph's text as A writes it, with A's changed text and B's
/// text in its place marked. Each piece is escaped before it is marked,
/// and the whole joined on one line.
fn marked_text(c: &Comparison, p: &ParagraphDiff, paint: Paint) -> String {
    let mark = |a: &str, b: &str| -> String {
        let (a, b) = (inline(a), inline(b));
        let (a, b) = (a.trim(), b.trim());
        let mut out = String::new();
        if !a.is_empty() {
            out.push_str(&if paint.colors() {
                paint.removed(a)
            } else {
                format!("[-{a}-]")
            });
        }
        if !b.is_empty() {
            out.push_str(&if paint.colors() {
                paint.added(b)
            } else {
                format!("{{+{b}+}}")
            });
        }
        out
    };
    let mut out = String::new();
    let mut at = p.a.start;
    for change in &p.changes {
        let start = change.a.start.max(at);
        out.push_str(&inline(&shown(&c.a, at..start)));
        if at < start {
            out.push_str(&inline(&gap(&c.a, start)));
        }
        out.push_str(&mark(
            &shown(&c.a, start..change.a.end.max(start)),
            &shown(&c.b, change.b.clone()),
        ));
        if change.a.end > start {
            out.push_str(&inline(&gap(&c.a, change.a.end)));
        }
        at = change.a.end.max(start);
    }
    out.push_str(&inline(&shown(&c.a, at..p.a.end)));
    one_line(&out)
}

/// The original text behind characters `chars` of a side, on one line:
/// what lies between two characters (markup, a line break, the junk
/// between the pieces of a repaired paragraph) is shown as one space where
/// the text has one, else left out.
fn shown(side: &Side, chars: std::ops::Range<usize>) -> String {
    let mut out = String::new();
    for k in chars.clone() {
        if k > chars.start {
            out.push_str(&gap(side, k));
        }
        // Characters of one grapheme share its span: write it once.
        if k > chars.start && side.text.spans[k] == side.text.spans[k - 1] {
            continue;
        }
        out.push_str(side.original(k..k + 1));
    }
    out
}

/// What stands between character `k - 1` and `k` of a side.
fn gap(side: &Side, k: usize) -> String {
    if k == 0 || k >= side.text.spans.len() {
        return String::new();
    }
    let (end, start) = (side.text.spans[k - 1].end, side.text.spans[k].start);
    if start <= end {
        return String::new();
    }
    let between = &side.doc.text[end as usize..start as usize];
    if between.contains('\n') {
        if is_word_char(side.text.chars[k - 1]) && is_word_char(side.text.chars[k]) {
            " ".to_string()
        } else {
            String::new()
        }
    } else {
        between.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::{CompareOptions, compare};
    use crate::ingest::Document;
    use crate::model::{DocId, SourceId};
    use crate::normalize::NormalizeConfig;

    fn cmp(a: &str, b: &str) -> Comparison {
        let side = |name: &str, text: &str| {
            let doc = Document::new(DocId(0), SourceId(0), name.into(), text.to_string());
            Side::new(doc, &NormalizeConfig::default())
        };
        compare(
            side("a.txt", a),
            side("b.txt", b),
            &CompareOptions::default(),
        )
    }

    #[test]
    fn plain_marks_show_both_readings_in_place() {
        let c = cmp(
            "第一段没有变化。\n\n出席三场多边峰会，发表重要讲话。\n",
            "第一段没有变化。\n\n出席三场多场峰会，发表讲话。\n",
        );
        let mut out = Vec::new();
        write_comparison(&c, Paint::new(false), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "--- a.txt\n+++ b.txt\n\
             @@ a.txt:3 ↔ b.txt:3 @@ CER 0.187500 · deletion 1, substitution 1\n\
             出席三场多[-边-]{+场+}峰会，发表[-重要-]讲话。\n"
        );
    }

    #[test]
    fn words_keep_their_spaces_across_line_breaks() {
        let c = cmp(
            "The talks would\ncontinue next week in Geneva.\n",
            "The talks will\ncontinue next week in Geneva.\n",
        );
        let mut out = Vec::new();
        write_comparison(&c, Paint::new(false), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.ends_with("The talks [-would-]{+will+} continue next week in Geneva.\n"),
            "{text}"
        );
    }

    fn add(t: &mut DiffTotals, c: &Comparison) {
        t.add(c, &c.measures());
    }

    #[test]
    fn totals_sum_the_pairs() {
        let mut t = DiffTotals::default();
        add(&mut t, &cmp("abcde fghij.\n", "abcde fghij.\n"));
        add(&mut t, &cmp("abcde fghij.\n", "abcde fghik.\n"));
        assert_eq!((t.pairs, t.differing, t.edits), (2, 1, 1));
        let mut out = Vec::new();
        write_totals(&t, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "1 of 2 file pairs differ, 1 of 2 paragraphs differ; CER 0.041667 (1 edits / 24 characters); WER 0.250000 (1 / 4 words); flexible character accuracy 0.958333\n"
        );
    }

    #[test]
    fn paragraphs_only_the_second_has_are_not_counted_among_the_firsts() {
        let mut t = DiffTotals::default();
        add(
            &mut t,
            &cmp(
                "abcde fghij.
",
                "abcde fghij.

A new paragraph.
",
            ),
        );
        assert_eq!((t.paragraphs, t.added, t.a_paragraphs), (0, 1, 1));
        let mut out = Vec::new();
        write_totals(&t, &mut out).unwrap();
        let line = String::from_utf8(out).unwrap();
        assert!(
            line.starts_with("0 of 1 paragraphs differ, 1 paragraph only in the second;"),
            "{line}"
        );
    }
}
