//! What each fuzz target checks, one function per target, taking the raw
//! fuzzer bytes. Shared by the targets in `fuzz_targets/` and by
//! `tests/fuzz_regressions.rs`, so a crashing input replays through exactly
//! the code the fuzzer ran, on stable, in `cargo test`.
//!
//! ```text
//! fuzz/artifacts/segment/crash-…  →  checks::segment(&bytes)  →  panics with the broken invariant
//! ```
// Each target uses one of these functions, the regression tests a few.
#![allow(dead_code)]

use std::io::Write;
use std::path::PathBuf;

use recension::align::{AlignInput, AlignOptions, align};
use recension::cluster::MemberRole;
use recension::compare::{CompareOptions, Side, compare};
use recension::ingest::{Document, read_text};
use recension::model::{DocId, SourceId};
use recension::normalize::{
    NormalizeConfig, Normalized, comparison_chars, comparison_key, normalize, normalize_paragraph,
};
use recension::report::diffview::write_comparison;
use recension::report::paint::Paint;
use recension::segment::segment as segment_document;

/// Separates the texts of a multi-text input: never part of valid UTF-8.
const SEPARATOR: u8 = 0xFF;

/// The longest valid UTF-8 prefix of `data`, as `arbitrary` reads a `&str`.
pub fn utf8_prefix(data: &[u8]) -> &str {
    match std::str::from_utf8(data) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&data[..e.valid_up_to()]).expect("valid up to here"),
    }
}

/// Text as ingest hands it on: line endings folded to `\n`
/// ([`Document::new`] expects that).
fn folded(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

fn document(text: &str) -> Document {
    Document::new(DocId(0), SourceId(0), PathBuf::from("fuzz"), folded(text))
}

/// Up to `max` texts: `data` split at [`SEPARATOR`] bytes, each cut to its
/// valid UTF-8 prefix.
fn texts(data: &[u8], max: usize) -> Vec<&str> {
    data.split(|&b| b == SEPARATOR)
        .take(max)
        .map(utf8_prefix)
        .collect()
}

/// Reads the bytes as a file through `ingest::read_text`. Decoding must
/// not panic; decoded text has its line endings folded, valid UTF-8
/// (without NUL) is read as itself, and every byte offset of the text has a
/// line and column.
pub fn ingest_decode(data: &[u8]) {
    let mut file = tempfile::NamedTempFile::new().expect("temporary file");
    file.write_all(data).expect("write temporary file");
    file.flush().expect("flush temporary file");
    let read = read_text(file.path());
    let body = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    if let Ok(text) = std::str::from_utf8(body)
        && !body.contains(&0)
    {
        let (decoded, encoding) = read.as_ref().expect("valid UTF-8 is read");
        assert_eq!(*encoding, "UTF-8");
        assert_eq!(*decoded, folded(text), "valid UTF-8 is read as itself");
    }
    if let Ok((text, _)) = read {
        assert!(!text.contains('\r'), "line endings are folded");
        let doc = Document::new(DocId(0), SourceId(0), file.path().to_path_buf(), text);
        for byte in 0..=doc.text.len() {
            let (line, column) = doc.line_col(byte);
            assert!(line >= 1 && column >= 1);
        }
    }
}

/// Segments the text (its valid UTF-8 prefix). Every paragraph's runs
/// rebuild its text; every character boundary of its text maps to a
/// character boundary of the document; its normalized characters map to
/// whole characters of the document.
pub fn segment(data: &[u8]) {
    let doc = document(utf8_prefix(data));
    let lines = doc.text.split('\n').count() as u32;
    for p in segment_document(&doc) {
        assert_eq!(p.rebuild_text(&doc.text), p.text, "runs rebuild the text");
        for r in p.runs.iter().filter(|r| r.gap) {
            let at = r.doc as usize;
            assert!(
                doc.text.get(at..at + 1).is_some(),
                "joining space of {:?} maps to document byte {at}, not a one-byte character of {:?}",
                p.text,
                doc.text
            );
        }
        assert!(1 <= p.line_start() && p.line_start() <= p.line_end() && p.line_end() <= lines);
        for byte in (0..=p.text.len()).filter(|&b| p.text.is_char_boundary(b)) {
            let at = p.doc_offset(byte) as usize;
            assert!(
                doc.text.is_char_boundary(at),
                "text byte {byte} of {:?} maps to document byte {at}, not a character boundary of {:?}",
                p.text,
                doc.text
            );
        }
        let n = normalize_paragraph(&p, &NormalizeConfig::default());
        for (&c, span) in n.chars.iter().zip(&n.spans) {
            // A space segmentation put in covers no document bytes.
            assert!(
                span.start < span.end || c == ' ',
                "empty span {span:?} of {c:?}"
            );
            assert!(
                doc.text.get(span.range()).is_some(),
                "span {span:?} of {:?} is not whole characters of {:?}",
                p.text,
                doc.text
            );
        }
    }
}

/// Normalizes the text (its valid UTF-8 prefix). Spans are non-empty,
/// whole characters of the text, in order; normalizing again changes
/// nothing; the comparison key is that of the normalized characters.
pub fn normalize_text(text: &str) {
    let cfg = NormalizeConfig::default();
    let n = normalize(text, 0, &cfg);
    check_spans(text, &n);
    // Hangul written as separate jamo composes on a second pass: a known
    // limit (README), not checked.
    let jamo = |c: char| matches!(c, '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}' | '\u{a960}'..='\u{a97f}' | '\u{d7b0}'..='\u{d7ff}' | '\u{ffa0}'..='\u{ffdc}');
    if !text.chars().any(jamo) {
        let again = normalize(&n.text(), 0, &cfg);
        assert_eq!(
            again.text(),
            n.text(),
            "normalization is idempotent on {text:?}"
        );
    }
    let key: String = comparison_chars(&n.chars).into_iter().collect();
    assert_eq!(
        comparison_key(text, &cfg),
        (key, n.chars.len()),
        "comparison key of {text:?}"
    );
}

/// [`normalize_text`] of the valid UTF-8 prefix.
pub fn normalize_bytes(data: &[u8]) {
    normalize_text(utf8_prefix(data));
}

fn check_spans(text: &str, n: &Normalized) {
    assert_eq!(n.chars.len(), n.spans.len());
    for span in &n.spans {
        assert!(span.start < span.end, "empty span {span:?} in {text:?}");
        assert!(
            text.get(span.range()).is_some(),
            "span {span:?} is not whole characters of {text:?}"
        );
    }
    for pair in n.spans.windows(2) {
        assert!(
            pair[0].start <= pair[1].start && pair[0].end <= pair[1].end,
            "spans out of order in {text:?}: {pair:?}"
        );
    }
}

/// Aligns 2–4 texts (the input split at 0xFF bytes) as witnesses. Must not
/// panic; every member has a reading at every place, within its text and in
/// order; variants lie within the places.
pub fn align_texts(data: &[u8]) {
    let texts: Vec<Vec<char>> = texts(data, 4)
        .into_iter()
        .map(|t| t.chars().collect())
        .collect();
    if texts.len() < 2 {
        return;
    }
    let inputs: Vec<AlignInput<'_>> = texts
        .iter()
        .map(|chars| AlignInput {
            chars,
            role: MemberRole::Witness,
            original: None,
        })
        .collect();
    let al = align(&inputs, &AlignOptions::default());
    let places = 2 * inputs[al.pivot].chars.len() + 1;
    assert_eq!(al.places.len(), places);
    assert_eq!(al.members.len(), inputs.len());
    for (m, member) in al.members.iter().enumerate() {
        let len = inputs[m].chars.len();
        assert_eq!(member.readings.len(), places, "member {m}");
        assert!(member.coverage.start <= member.coverage.end && member.coverage.end <= places);
        for r in &member.readings {
            assert!(
                r.start <= r.end && r.end <= len,
                "member {m} reads {r:?} of {len}"
            );
        }
        for pair in member.readings.windows(2) {
            assert!(
                pair[0].end <= pair[1].start,
                "member {m} readings out of order: {pair:?}"
            );
        }
    }
    for v in &al.variants {
        assert!(v.places.start < v.places.end && v.places.end <= places);
    }
    al.consensus_text(&inputs);
}

/// Compares two texts (the input split at the first 0xFF byte) as the
/// `diff` command does, and renders the comparison. Must not panic; every
/// change lies within its side's text.
pub fn compare_texts(data: &[u8]) {
    let texts = texts(data, 2);
    let (a, b) = match texts[..] {
        [a, b] => (a, b),
        [a] => (a, ""),
        _ => unreachable!("split yields at least one piece"),
    };
    let options = CompareOptions::default();
    let c = compare(
        Side::new(document(a), &options.normalize),
        Side::new(document(b), &options.normalize),
        &options,
    );
    for p in &c.paragraphs {
        assert!(p.a.end <= c.a.text.chars.len() && p.b.end <= c.b.text.chars.len());
        for change in &p.changes {
            c.a.original(change.a.clone());
            c.b.original(change.b.clone());
        }
    }
    let mut out = Vec::new();
    write_comparison(&c, Paint::new(false), &mut out).expect("write to memory");
    // The page's measures, flexible character accuracy included: every
    // character of either side's lines counted once.
    let m = c.measures();
    if m.fca_missing == 0 {
        let total = |s: &Side| s.lines().iter().map(Vec::len).sum::<usize>();
        assert_eq!(m.fca.chars(), total(&c.a));
        assert_eq!(m.fca.matches + m.fca.replaced + m.fca.inserted, total(&c.b));
    }
}
