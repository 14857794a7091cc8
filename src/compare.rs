//! Two documents compared paragraph by paragraph: the `diff` command.
//!
//! ```text
//! A, B → segment → normalize → one character stream per document
//!      → align (A is the reference) → changes grouped by A's paragraphs,
//!        each paragraph with its categories and CER
//! ```
//!
//! Each document's paragraphs are joined into one stream before the
//! alignment, so a paragraph that the other document splits or merges (a page
//! break, an OCR engine's block detection) still lines up with its text, and
//! a paragraph missing on one side is one deletion or insertion. Changes are
//! then grouped by the paragraph of A they fall in.
//!
//! A is the reference: CER = edits / normalized characters of A, as
//! OCR evaluation tools compute it with the ground truth first.
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::align::{AlignInput, AlignOptions, Original, align};
use crate::chars::is_word_char;
use crate::classify::Category;
use crate::cluster::MemberRole;
use crate::diff::{distance_within_similarity, exact_levenshtein_banded, is_long, levenshtein};
use crate::fca;
use crate::ingest::{Document, read_document};
use crate::model::{ByteSpan, DocId, SourceId};
use crate::normalize::{LayerCounts, NormalizeConfig, Normalized};
use crate::segment::{Paragraph, Role, segment};

/// One document read for comparison: its paragraphs and their normalized
/// characters joined into one stream.
#[derive(Clone, Debug)]
pub struct Side {
    /// The document (its text, path and line index).
    pub doc: Document,
    /// Its paragraphs, in text order, junk left out.
    pub paragraphs: Vec<Paragraph>,
    /// The normalized characters of all paragraphs, in order, with their
    /// bytes in the document text.
    pub text: Normalized,
    /// Where each paragraph's characters start in [`Side::text`], and the
    /// total length last.
    pub starts: Vec<usize>,
    /// The paragraphs' text as segmentation read them (markup removed,
    /// lines and page-break pieces joined), a line break after each: what
    /// [`Side::original`] cuts from, so that no stretch holds the page
    /// furniture or line breaks between the pieces of a paragraph.
    pub written: String,
    /// For each character of [`Side::text`], its bytes in
    /// [`Side::written`].
    pub written_spans: Vec<ByteSpan>,
}

impl Side {
    /// Reads, segments and normalizes one file.
    ///
    /// A file that `report` would skip cannot be compared, for the same
    /// reason (`binary file (contains NUL bytes)`, `malformed UTF-8 …`).
    pub fn read(path: &Path, normalize: &NormalizeConfig) -> anyhow::Result<Side> {
        let doc = read_document(DocId(0), SourceId(0), path.to_path_buf())
            .map_err(|skipped| anyhow::anyhow!(skipped.reason))
            .with_context(|| format!("cannot compare {}", path.display()))?;
        Ok(Side::new(doc, normalize))
    }

    /// Segments and normalizes a decoded document.
    pub fn new(doc: Document, normalize: &NormalizeConfig) -> Side {
        // Junk (page numbers, running headers, metadata lines) is not text
        // of the transcript; `report` leaves it out too.
        let paragraphs: Vec<Paragraph> = segment(&doc)
            .into_iter()
            .filter(|p| p.role != Role::Junk)
            .collect();
        let mut side = Side {
            doc,
            paragraphs: Vec::new(),
            text: Normalized::default(),
            starts: Vec::new(),
            written: String::new(),
            written_spans: Vec::new(),
        };
        for p in &paragraphs {
            // Normalized once, in the written text; the document's bytes
            // (for lines and columns) follow from the paragraph's runs.
            let base = side.written.len();
            let n = crate::normalize::normalize(&p.text, base as u32, normalize);
            let doc_spans: Vec<ByteSpan> = n
                .spans
                .iter()
                .map(|s| p.doc_span(s.start as usize - base..s.end as usize - base))
                .collect();
            // Words of two paragraphs must not run together: a space between
            // them, where the text has one, keeps `end` `Next` apart. It
            // stands for the bytes between the paragraphs, and reads as the
            // line break after the first. OCR evaluation (spaces counted
            // wherever they stand) puts one between any two paragraphs, so
            // an engine that runs them together with a space makes no edit.
            if let (Some(&last), Some(&first)) = (side.text.chars.last(), n.chars.first())
                && (normalize.spaces_everywhere || (is_word_char(last) && is_word_char(first)))
            {
                let start = side.text.spans.last().map_or(0, |s| s.end);
                let end = doc_spans.first().map_or(start, |s| s.start).max(start);
                side.text.chars.push(' ');
                side.text.spans.push(ByteSpan { start, end });
                side.written_spans.push(ByteSpan {
                    start: base as u32 - 1,
                    end: base as u32,
                });
            }
            side.starts.push(side.text.chars.len());
            side.text.chars.extend_from_slice(&n.chars);
            side.text.spans.extend(doc_spans);
            side.written_spans.extend_from_slice(&n.spans);
            side.written.push_str(&p.text);
            side.written.push('\n');
        }
        side.starts.push(side.text.chars.len());
        side.paragraphs = paragraphs;
        side
    }

    /// The normalized characters by the document's lines, spaces at either
    /// end of a line left out, empty lines skipped: the lines flexible
    /// character accuracy matches ([`crate::fca`]). A text that writes a
    /// paragraph (or a page) on one line is matched by those lines: its
    /// paragraphs may come in any order, not its printed lines, which the
    /// file does not record.
    pub fn lines(&self) -> Vec<Vec<char>> {
        let mut out: Vec<Vec<char>> = Vec::new();
        let mut current: Option<u32> = None;
        for (&c, span) in self.text.chars.iter().zip(&self.text.spans) {
            let line = self.doc.line(span.start as usize);
            if current != Some(line) {
                current = Some(line);
                out.push(Vec::new());
            }
            out.last_mut().expect("a line was opened").push(c);
        }
        for line in &mut out {
            let end = line
                .iter()
                .rposition(|c| !c.is_whitespace())
                .map_or(0, |e| e + 1);
            line.truncate(end);
            let start = line.iter().position(|c| !c.is_whitespace()).unwrap_or(0);
            line.drain(..start);
        }
        out.retain(|l| !l.is_empty());
        out
    }

    /// The original text behind characters `chars` (empty for an empty
    /// range), as segmentation read it: markup left out, a space where it
    /// joined two lines, and the pieces of a paragraph joined across a page
    /// break with nothing of what stands between them in the file (page
    /// numbers, running headers, paragraphs of the other language). A
    /// stretch over two paragraphs has a line break between them.
    pub fn original(&self, chars: Range<usize>) -> &str {
        if chars.is_empty() {
            return "";
        }
        let (start, end) = (
            self.written_spans[chars.start].start,
            self.written_spans[chars.end - 1].end,
        );
        &self.written[start as usize..end as usize]
    }

    /// The bytes behind characters `chars`; for an empty range, an empty
    /// span where such text would stand.
    pub fn span(&self, chars: Range<usize>) -> ByteSpan {
        self.text.original_span(chars.start, chars.end)
    }

    /// The paragraph whose characters include `at` (the last one for the
    /// end of the text); `None` when there are no paragraphs.
    fn paragraph_at(&self, at: usize) -> Option<usize> {
        let n = self.paragraphs.len();
        if n == 0 {
            return None;
        }
        Some((self.starts[..n].partition_point(|&s| s <= at)).clamp(1, n) - 1)
    }
}

/// One changed stretch: A's text and B's text there, and the category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// A's characters (empty: B inserts text here).
    pub a: Range<usize>,
    /// B's characters (empty: B omits A's text).
    pub b: Range<usize>,
    /// What kind of difference it is.
    pub category: Category,
}

/// A paragraph of A that B does not read identically, after normalization.
#[derive(Clone, Debug, PartialEq)]
pub struct ParagraphDiff {
    /// Index into A's paragraphs; `None` for paragraphs only B has.
    pub paragraph: Option<usize>,
    /// A's characters of this paragraph.
    pub a: Range<usize>,
    /// B's characters aligned with it.
    pub b: Range<usize>,
    /// Character edits (Levenshtein) from A's text to B's.
    pub edits: usize,
    /// The changes, in text order.
    pub changes: Vec<Change>,
}

impl ParagraphDiff {
    /// Edits per character of A; `None` for text only B has.
    pub fn cer(&self) -> Option<f64> {
        (!self.a.is_empty()).then(|| self.edits as f64 / self.a.len() as f64)
    }

    /// How many changes of each category, in [`Category::ALL`] order.
    pub fn categories(&self) -> Vec<(Category, usize)> {
        Category::ALL
            .iter()
            .map(|&c| (c, self.changes.iter().filter(|x| x.category == c).count()))
            .filter(|&(_, n)| n > 0)
            .collect()
    }
}

/// The comparison of two documents.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// The reference document.
    pub a: Side,
    /// The document compared with it.
    pub b: Side,
    /// A's paragraphs where B differs, in text order.
    pub paragraphs: Vec<ParagraphDiff>,
    /// Normalized characters of A.
    pub compared: usize,
    /// Character edits from A to B, summed over paragraphs.
    pub edits: usize,
    /// Places where B writes A's text in another form, by normalization
    /// layer (not changes unless kept).
    pub formal: LayerCounts,
    /// Stretches aligned on the bounded path for long texts (over
    /// [`crate::diff::LONG_TEXT`] characters), piecewise between anchors.
    pub coarse: usize,
}

impl Comparison {
    /// `edits / compared`; `None` when A has no text.
    pub fn cer(&self) -> Option<f64> {
        (self.compared > 0).then(|| self.edits as f64 / self.compared as f64)
    }

    /// Whether the two documents differ (after normalization).
    pub fn differ(&self) -> bool {
        self.edits > 0 || !self.paragraphs.is_empty()
    }
}

/// A comparison's figures, as OCR evaluation reports them: A is the
/// reference (the ground truth), B the text measured against it.
///
/// Characters are the normalized characters (see [`crate::normalize`]:
/// Unicode NFC, spaces collapsed, formal differences such as width and
/// quotes set aside unless kept), one space between paragraphs. Words are
/// maximal runs of letters and digits, and every Han (wide) letter on its
/// own, as each is a word in the word segmentation of Chinese text by
/// Unicode's rules (UAX #29); punctuation is no word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measures {
    /// Characters of A: the denominator of the CER.
    pub chars: usize,
    /// Character edits (Levenshtein) from A to B.
    pub edits: usize,
    /// Of the edits, characters of A read as others.
    pub substitutions: usize,
    /// Of the edits, characters B has and A lacks.
    pub insertions: usize,
    /// Of the edits, characters of A that B lacks.
    pub deletions: usize,
    /// Words of A: the denominator of the WER.
    pub words: usize,
    /// Word edits (Levenshtein over words) from A to B.
    pub word_edits: usize,
    /// Characters of B.
    pub chars_b: usize,
    /// The longer of the two texts' characters, summed over pages: the
    /// denominator of [`Measures::cer_longer`].
    pub longer: usize,
    /// Flexible character accuracy's edits and characters of A ([`fca`]),
    /// summed over the pages that have it.
    pub fca: fca::Distance,
    /// Pages without a flexible accuracy (not asked for, or their matching
    /// was over [`fca::BUDGET`]): neither has a total that holds them.
    pub fca_missing: usize,
}

impl Measures {
    /// `edits / chars`; `None` when A has no text (CER is undefined
    /// there, and the insertions are still counted).
    pub fn cer(&self) -> Option<f64> {
        (self.chars > 0).then(|| self.edits as f64 / self.chars as f64)
    }

    /// `edits / max(chars, chars_b)`: bounded by 1, the denominator
    /// rapidfuzz's normalized distance takes (dinglehopper issue #45).
    pub fn cer_longer(&self) -> Option<f64> {
        (self.longer > 0).then(|| self.edits as f64 / self.longer as f64)
    }

    /// `edits / alignment length`, the alignment being the traced one
    /// (matches, substitutions, insertions and deletions: `chars +
    /// insertions`): bounded by 1, as ocrevalUAtion's users proposed
    /// (dinglehopper issue #45).
    pub fn cer_alignment(&self) -> Option<f64> {
        let path = self.chars + self.insertions;
        (path > 0).then(|| self.edits as f64 / path as f64)
    }

    /// `word_edits / words`; `None` when A has no word.
    pub fn wer(&self) -> Option<f64> {
        (self.words > 0).then(|| self.word_edits as f64 / self.words as f64)
    }

    /// Flexible character accuracy, `1 - edits / characters` of A over
    /// lines matched whatever their order; `None` when A has no text or a
    /// page was not matched.
    pub fn fca(&self) -> Option<f64> {
        (self.fca_missing == 0 && self.fca.chars() > 0).then(|| self.fca.accuracy())
    }

    /// Adds another comparison's figures (a total over pages).
    pub fn add(&mut self, o: &Measures) {
        self.chars += o.chars;
        self.edits += o.edits;
        self.substitutions += o.substitutions;
        self.insertions += o.insertions;
        self.deletions += o.deletions;
        self.words += o.words;
        self.word_edits += o.word_edits;
        self.chars_b += o.chars_b;
        self.longer += o.longer;
        self.fca.add(o.fca);
        self.fca_missing += o.fca_missing;
    }
}

impl Comparison {
    /// The comparison's [`Measures`] (its `edits` are [`measure`]'s).
    pub fn measures(&self) -> Measures {
        measures_with(&self.a, &self.b, self.edits, true)
    }
}

/// The [`Measures`] of B against A without aligning them paragraph by
/// paragraph: the distance between the whole texts, which is what
/// [`compare`] reports as its edits, traced into kinds, and the words.
/// `report --reference` measures its file pairs so, at the cost of a
/// distance, not of an alignment. With `flexible`, the flexible character
/// accuracy too.
pub fn measure(a: &Side, b: &Side, flexible: bool) -> Measures {
    measures_with(a, b, page_distance(&a.text.chars, &b.text.chars), flexible)
}

/// The [`Measures`] of `b` against `a`, given their distance.
fn measures_with(sa: &Side, sb: &Side, edits: usize, flexible: bool) -> Measures {
    let (a, b) = (&sa.text.chars, &sb.text.chars);
    let flexible = flexible
        .then(|| fca::flexible_character_accuracy(&sa.lines(), &sb.lines()))
        .flatten();
    let mut m = Measures {
        chars: a.len(),
        edits,
        chars_b: b.len(),
        longer: a.len().max(b.len()),
        fca: flexible.unwrap_or_default(),
        fca_missing: usize::from(flexible.is_none()),
        ..Measures::default()
    };
    (m.substitutions, m.insertions, m.deletions) = edit_kinds(a, b, edits);
    let (wa, wb) = (words(a), words(b));
    m.words = wa.len();
    m.word_edits = word_distance(&wa, &wb);
    m
}

/// One file pair's figures, or the total over all of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRecord {
    /// The reference file, relative to its directory (or as given).
    pub file_a: String,
    /// The file measured against it.
    pub file_b: String,
    /// The figures.
    pub measures: Measures,
    /// Changes by category, in [`Category::ALL`] order.
    pub categories: [usize; Category::ALL.len()],
}

impl PageRecord {
    /// The record of one comparison, given its [`Comparison::measures`]
    /// (measured where the comparisons run in parallel: the flexible
    /// accuracy can take a second).
    pub fn of(file_a: String, file_b: String, c: &Comparison, measures: Measures) -> PageRecord {
        let mut categories = [0; Category::ALL.len()];
        for p in &c.paragraphs {
            for (cat, n) in p.categories() {
                categories[category_index(cat)] += n;
            }
        }
        PageRecord {
            file_a,
            file_b,
            measures,
            categories,
        }
    }

    /// The record of a pair measured without its alignment (see
    /// [`measure`]): no categories.
    pub fn measured(file_a: String, file_b: String, measures: Measures) -> PageRecord {
        PageRecord {
            file_a,
            file_b,
            measures,
            categories: [0; Category::ALL.len()],
        }
    }

    /// The total of several records.
    pub fn total<'a>(records: impl IntoIterator<Item = &'a PageRecord>) -> PageRecord {
        let mut t = PageRecord {
            file_a: String::new(),
            file_b: String::new(),
            measures: Measures::default(),
            categories: [0; Category::ALL.len()],
        };
        for r in records {
            t.measures.add(&r.measures);
            for (x, y) in t.categories.iter_mut().zip(r.categories) {
                *x += y;
            }
        }
        t
    }
}

fn category_index(c: Category) -> usize {
    Category::ALL
        .iter()
        .position(|&x| x == c)
        .expect("every category is in ALL")
}

/// Most cells (characters of one text times the other's) a page's
/// distance is computed exactly on: rapidfuzz's bit-parallel Levenshtein
/// takes about a word operation per 64 of them, a fraction of a second at
/// this size (two texts of 200,000 characters). Longer pairs are measured
/// between anchors ([`levenshtein`]), an upper bound.
const EXACT_CELLS: u128 = 40_000_000_000;

/// The Levenshtein distance between two pages' texts: exact up to
/// [`EXACT_CELLS`], whatever their length in characters.
fn page_distance(a: &[char], b: &[char]) -> usize {
    if a.len() as u128 * b.len() as u128 <= EXACT_CELLS {
        exact_levenshtein_banded(a, b)
    } else {
        levenshtein(a, b)
    }
}

/// Most cells (reference characters times the band's width) the edit
/// kinds are traced on; beyond, they are estimated (see [`edit_kinds`]).
const TRACE_CELLS: usize = 1 << 24;

/// How `edits` (the Levenshtein distance of `a` and `b`) divide into
/// substitutions, insertions and deletions: traced back through the
/// distance matrix, in the band of width `edits` around its diagonal that
/// holds every optimal path. Of equally short paths, substitutions are
/// preferred, then deletions. A pair too long to trace takes the fewest
/// insertions and deletions its lengths allow, the rest substitutions.
pub fn edit_kinds(a: &[char], b: &[char], edits: usize) -> (usize, usize, usize) {
    let (n, m) = (a.len(), b.len());
    let (del, ins) = (n.saturating_sub(m), m.saturating_sub(n));
    let k = edits;
    let width = 2 * k + 1;
    if edits == 0 || (n + 1).saturating_mul(width) > TRACE_CELLS {
        return (edits.saturating_sub(del + ins), ins, del);
    }
    // Row i holds columns i−k ..= i+k; cost of a cell outside the band is
    // infinite. `step` keeps how each cell was reached.
    const FAR: u32 = u32::MAX / 2;
    let col = |i: usize, j: usize| j + k - i; // j in the band of row i
    let mut prev = vec![FAR; width];
    let mut cur = vec![FAR; width];
    let mut step = vec![0u8; (n + 1) * width];
    for j in 0..=m.min(k) {
        prev[col(0, j)] = j as u32;
        step[col(0, j)] = 2; // insertions
    }
    for i in 1..=n {
        cur.fill(FAR);
        let lo = i.saturating_sub(k);
        let hi = (i + k).min(m);
        for j in lo..=hi {
            let c = col(i, j);
            let mut best = FAR;
            let mut how = 0u8;
            if j > 0 && j - 1 + k >= i - 1 && j - 1 <= i - 1 + k {
                let d = prev[col(i - 1, j - 1)] + u32::from(a[i - 1] != b[j - 1]);
                if d < best {
                    best = d;
                    how = 0;
                }
            }
            if j + k > i - 1 && j <= i - 1 + k {
                let d = prev[col(i - 1, j)] + 1;
                if d < best {
                    best = d;
                    how = 1;
                }
            }
            if j > lo {
                let d = cur[col(i, j - 1)] + 1;
                if d < best {
                    best = d;
                    how = 2;
                }
            }
            if j == 0 {
                best = i as u32;
                how = 1;
            }
            cur[c] = best;
            step[i * width + c] = how;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let (mut i, mut j) = (n, m);
    let (mut s, mut ins_n, mut del_n) = (0, 0, 0);
    while i > 0 || j > 0 {
        match step[i * width + col(i, j)] {
            0 => {
                s += usize::from(a[i - 1] != b[j - 1]);
                i -= 1;
                j -= 1;
            }
            1 => {
                del_n += 1;
                i -= 1;
            }
            _ => {
                ins_n += 1;
                j -= 1;
            }
        }
    }
    (s, ins_n, del_n)
}

/// The words of a text (see [`Measures`]).
pub fn words(text: &[char]) -> Vec<&[char]> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, &c) in text.iter().enumerate() {
        // An apostrophe between letters is inside the word (`it's`), as
        // in Unicode's word segmentation.
        let inner = matches!(c, '\'' | '’')
            && start.is_some()
            && text.get(i + 1).is_some_and(|&n| is_word_char(n));
        if is_word_char(c) || inner {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(&text[s..i]);
        }
        if c.is_alphanumeric() {
            // A wide letter (Han) is a word of its own.
            out.push(&text[i..i + 1]);
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// Levenshtein distance over words.
fn word_distance<'t>(a: &[&'t [char]], b: &[&'t [char]]) -> usize {
    let mut ids: std::collections::HashMap<&'t [char], u32> = std::collections::HashMap::new();
    let mut intern = |ws: &[&'t [char]]| -> Vec<u32> {
        ws.iter()
            .map(|&w| {
                let next = ids.len() as u32;
                *ids.entry(w).or_insert(next)
            })
            .collect()
    };
    let (ia, ib) = (intern(a), intern(b));
    rapidfuzz::distance::levenshtein::distance(ia.iter().copied(), ib.iter().copied())
}

/// How to compare.
#[derive(Clone, Debug, Default)]
pub struct CompareOptions {
    /// Normalization layers.
    pub normalize: NormalizeConfig,
    /// Report formal differences (width, dashes, quotes, spaces, case) as
    /// changes.
    pub keep_formal: bool,
}

/// Compares two files; A is the reference.
pub fn compare_files(a: &Path, b: &Path, options: &CompareOptions) -> anyhow::Result<Comparison> {
    let (a, b) = rayon::join(
        || Side::read(a, &options.normalize),
        || Side::read(b, &options.normalize),
    );
    Ok(compare(a?, b?, options))
}

/// Compares two read documents; A is the reference.
///
/// Paragraphs that read the same on both sides (after normalization) anchor
/// the comparison, as lines do for diff(1); only the stretches between them
/// are aligned character by character. Without the anchors, a paragraph
/// that one side drops lets the character alignment match its words with
/// whatever comes next.
pub fn compare(a: Side, b: Side, options: &CompareOptions) -> Comparison {
    let mut formal = LayerCounts::default();
    let mut coarse = 0;
    let mut changes: Vec<Change> = Vec::new();
    // For every place of A (the gap before each character, the character,
    // and the final gap: 2·len + 1, as in the alignment), where B's aligned
    // characters start.
    let mut b_at: Vec<usize> = vec![b.text.chars.len(); 2 * a.text.chars.len() + 1];
    // Paragraphs only B has (B's characters), and where in A they stand.
    let mut blocks: Vec<Range<usize>> = Vec::new();
    let mut block_at: Vec<usize> = Vec::new();
    for stretch in stretches(&a, &b) {
        let (ar, br) = (stretch.a, stretch.b);
        // Equal paragraphs written differently (width, quotes, case) are
        // aligned too, so their formal differences are counted.
        if stretch.equal && written_alike(&a, &ar, &b, &br) {
            for k in 0..ar.len() {
                b_at[2 * (ar.start + k)] = br.start + k;
                b_at[2 * (ar.start + k) + 1] = br.start + k;
            }
            continue;
        }
        if ar.is_empty() || br.is_empty() {
            b_at[2 * ar.start..=2 * ar.end].fill(br.start);
            if ar.is_empty() {
                // Paragraphs only B has: listed on their own, not as part of
                // the paragraph of A before them.
                if !br.is_empty() {
                    blocks.push(ar.start..br.end);
                    blocks.last_mut().expect("pushed").start = br.start;
                    block_at.push(ar.start);
                }
            } else {
                // Paragraphs only A has: each one deleted.
                let (first, last) = (
                    a.paragraph_at(ar.start).unwrap_or(0),
                    a.paragraph_at(ar.end - 1).unwrap_or(0),
                );
                for i in first..=last {
                    let r = a.starts[i].max(ar.start)..a.starts[i + 1].min(ar.end);
                    if !r.is_empty() {
                        changes.push(Change {
                            a: r,
                            b: br.start..br.start,
                            category: Category::Deletion,
                        });
                    }
                }
            }
            continue;
        }
        let inputs = [(&a, &ar), (&b, &br)].map(|(side, r)| AlignInput {
            chars: &side.text.chars[r.clone()],
            role: MemberRole::Witness,
            original: Some(Original {
                text: &side.written,
                spans: &side.written_spans[r.clone()],
            }),
        });
        let al = align(
            &inputs,
            &AlignOptions {
                reference: vec![0],
                keep_formal: options.keep_formal,
                weights: Vec::new(),
                pieces: Vec::new(),
            },
        );
        formal.add_all(&al.members[1].formal);
        coarse += usize::from(al.members[1].coarse);
        for v in &al.variants {
            // Where A's text of the span starts; the readings' consensus
            // offsets count from there.
            let at = ar.start + al.member_chars(0, &v.places).start;
            for r in v.readings.iter().filter(|r| r.member == 1) {
                changes.push(Change {
                    a: at + r.consensus.start..at + r.consensus.end,
                    b: br.start + r.chars.start..br.start + r.chars.end,
                    category: r.category,
                });
            }
        }
        for p in 0..al.places.len() {
            b_at[2 * ar.start + p] = br.start + al.reading(1, p).start;
        }
    }
    changes.sort_by_key(|c| (c.a.start, c.a.end, c.b.start));
    widen_to_words(&a, &b, &mut changes);

    // Group the changes by A's paragraph: a change belongs to the paragraph
    // its A text starts in; an insertion at a paragraph's start belongs to
    // the paragraph before, where the reader has just been.
    let mut paragraphs: Vec<ParagraphDiff> = Vec::new();
    let n = a.paragraphs.len();
    let mut grouped: Vec<Vec<Change>> = vec![Vec::new(); n];
    for change in changes {
        let at = if change.a.is_empty() && change.a.start > 0 {
            change.a.start - 1
        } else {
            change.a.start
        };
        if let Some(i) = a.paragraph_at(at) {
            grouped[i].push(change);
        }
    }
    for (i, changes) in grouped.into_iter().enumerate() {
        if changes.is_empty() {
            continue;
        }
        let (a_range, b_range) = {
            // The paragraph's places: its characters and the gap after each
            // (where B inserts text just read); the first paragraph also
            // takes the gap before the text.
            let (s, e) = (a.starts[i], a.starts[i + 1]);
            let first = if i == 0 { 0 } else { 2 * s + 1 };
            let b_start = b_at.get(first).copied().unwrap_or(b.text.chars.len());
            let b_end = if i + 1 == n {
                b.text.chars.len()
            } else {
                b_at.get(2 * e + 1).copied().unwrap_or(b.text.chars.len())
            };
            let mut b_range = b_start..b_end.max(b_start);
            // B's paragraphs that only B has are not this paragraph's text.
            for block in &blocks {
                if block.start <= b_range.start && b_range.start < block.end {
                    b_range.start = block.end.min(b_range.end);
                }
                if b_range.start < block.start && block.start < b_range.end {
                    b_range.end = block.start;
                }
            }
            (s..e, b_range)
        };
        let d = levenshtein(
            &a.text.chars[a_range.clone()],
            &b.text.chars[b_range.clone()],
        );
        // Formal changes kept with --keep-formal make no edits: the
        // paragraph is listed for them all the same.
        paragraphs.push(ParagraphDiff {
            paragraph: Some(i),
            a: a_range,
            b: b_range,
            edits: d,
            changes,
        });
    }
    for (block, at) in blocks.into_iter().zip(block_at) {
        paragraphs.push(ParagraphDiff {
            paragraph: None,
            a: at..at,
            b: block.clone(),
            edits: block.len(),
            changes: vec![Change {
                a: at..at,
                b: block,
                category: Category::Insertion,
            }],
        });
    }
    // In A's order; text only B has comes after the paragraph it follows.
    paragraphs.sort_by_key(|p| (p.a.end, p.a.start, p.b.start));
    let compared = a.text.chars.len();
    // The document's edits are the distance between the whole texts, as
    // OCR evaluation measures a page: the paragraphs' distances add up to
    // at least as much, and more where the alignment placed a boundary
    // between two paragraphs otherwise than the best alignment would
    // (heavy noise across paragraphs an engine ran together).
    // A change the view does not list (spaces alone) is an edit all the
    // same: the measure is of the texts, not of the listing.
    let edits = page_distance(&a.text.chars, &b.text.chars);
    Comparison {
        a,
        b,
        paragraphs,
        compared,
        edits,
        formal,
        coarse,
    }
}

/// Widens each change over the rest of the words it cuts (`w[-ould-]{+ill+}`
/// becomes `[-would-]{+will+}`): letters both sides share next to a change
/// inside a Latin word. Han text has no words to complete.
fn widen_to_words(a: &Side, b: &Side, changes: &mut [Change]) {
    for i in 0..changes.len() {
        let floor = if i == 0 { 0 } else { changes[i - 1].a.end };
        let ceiling = changes.get(i + 1).map_or(a.text.chars.len(), |c| c.a.start);
        let (b_floor, b_ceiling) = (
            if i == 0 { 0 } else { changes[i - 1].b.end },
            changes.get(i + 1).map_or(b.text.chars.len(), |c| c.b.start),
        );
        let c = &mut changes[i];
        let touches = |x: &[char], r: &Range<usize>| {
            r.start > 0 && is_word_char(x[r.start - 1]) || r.end < x.len() && is_word_char(x[r.end])
        };
        if !(touches(&a.text.chars, &c.a) || touches(&b.text.chars, &c.b)) {
            continue;
        }
        while c.a.start > floor
            && c.b.start > b_floor
            && is_word_char(a.text.chars[c.a.start - 1])
            && a.text.chars[c.a.start - 1] == b.text.chars[c.b.start - 1]
            && (c.a.is_empty() || is_word_char(a.text.chars[c.a.start]))
        {
            c.a.start -= 1;
            c.b.start -= 1;
        }
        while c.a.end < ceiling
            && c.b.end < b_ceiling
            && is_word_char(a.text.chars[c.a.end])
            && a.text.chars[c.a.end] == b.text.chars[c.b.end]
            && (c.a.is_empty() || is_word_char(a.text.chars[c.a.end - 1]))
        {
            c.a.end += 1;
            c.b.end += 1;
        }
    }
}

/// Whether two stretches are the same characters of the original text.
fn written_alike(a: &Side, ar: &Range<usize>, b: &Side, br: &Range<usize>) -> bool {
    ar.len() == br.len()
        && ar
            .clone()
            .zip(br.clone())
            .all(|(i, j)| a.original(i..i + 1) == b.original(j..j + 1))
}

/// A stretch of both texts: equal paragraphs, or the text between them.
struct Stretch {
    a: Range<usize>,
    b: Range<usize>,
    equal: bool,
}

/// Splits both texts into stretches of paragraphs that read the same and
/// the text between them, in order (a paragraph-level diff of the
/// normalized paragraphs). A paragraph's range takes the separating space
/// after it, so the stretches cover both texts without gaps.
fn stretches(a: &Side, b: &Side) -> Vec<Stretch> {
    let (pa, pb) = (paragraph_chars(a), paragraph_chars(b));
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &pa, &pb);
    // Stretches in paragraph indices first.
    let mut by_paragraph: Vec<(Range<usize>, Range<usize>, bool)> = Vec::new();
    for op in ops {
        let (old, new) = (op.old_range(), op.new_range());
        let equal = matches!(op, similar::DiffOp::Equal { .. });
        match by_paragraph.last_mut() {
            // Unequal neighbours (a deletion next to an insertion) are one
            // stretch.
            Some(last) if !last.2 && !equal => {
                last.0.end = old.end;
                last.1.end = new.end;
            }
            _ => by_paragraph.push((old, new, equal)),
        }
    }
    // Within an unequal stretch, pair paragraphs that are versions of each
    // other, so a paragraph only one side has does not get aligned with
    // its neighbours' text.
    let mut refined = Vec::new();
    for (ra, rb, equal) in by_paragraph {
        if equal || ra.is_empty() || rb.is_empty() {
            refined.push((ra, rb, equal));
            continue;
        }
        let pairs = pair_paragraphs(&pa[ra.clone()], &pb[rb.clone()]);
        if pairs.is_empty() {
            refined.push((ra, rb, false));
            continue;
        }
        // Paragraphs left between pairs have no version on the other side:
        // each side's are deleted or inserted, not aligned with each other.
        // Unless, taken together, those of one side are a version of those
        // of the other: paragraphed otherwise in a way the pairing's shapes
        // miss (two run together, then split elsewhere, as an OCR engine's
        // blocks fall), they are aligned as one stretch.
        let gap = |refined: &mut Vec<_>, a: Range<usize>, b: Range<usize>| {
            let (a_end, b_start) = (a.end, b.start);
            if !a.is_empty()
                && !b.is_empty()
                && versions(&pa[a.clone()].concat(), &pb[b.clone()].concat())
            {
                refined.push((a, b, false));
                return;
            }
            if !a.is_empty() {
                refined.push((a, b_start..b_start, false));
            }
            if !b.is_empty() {
                refined.push((a_end..a_end, b, false));
            }
        };
        let (mut i, mut j) = (ra.start, rb.start);
        for (pi, pj) in pairs {
            let (pi, pj) = (
                ra.start + pi.start..ra.start + pi.end,
                rb.start + pj.start..rb.start + pj.end,
            );
            gap(&mut refined, i..pi.start, j..pj.start);
            (i, j) = (pi.end, pj.end);
            refined.push((pi, pj, false));
        }
        gap(&mut refined, i..ra.end, j..rb.end);
    }
    // Character offsets of paragraph boundaries (the end of the text after
    // the last paragraph).
    let at = |side: &Side, i: usize| side.starts[i.min(side.starts.len() - 1)];
    let mut out: Vec<Stretch> = refined
        .into_iter()
        .map(|(ra, rb, equal)| Stretch {
            a: at(a, ra.start)..at(a, ra.end),
            b: at(b, rb.start)..at(b, rb.end),
            equal,
        })
        .collect();
    if out.is_empty() {
        out.push(Stretch {
            a: 0..a.text.chars.len(),
            b: 0..b.text.chars.len(),
            equal: a.text.chars.is_empty() && b.text.chars.is_empty(),
        });
    }
    out
}

/// Paragraphs at least this similar (1 − Levenshtein distance / longer
/// length, as clustering measures it: [`crate::diff::similarity_within`])
/// are taken for versions of each other when pairing.
pub const PAIR_SIMILARITY: f64 = 0.5;

/// How far from the diagonal, in paragraphs beyond the difference of the
/// two counts, pairing looks (see [`pair_paragraphs`]).
const PAIRING_BAND: usize = 12;

/// Above this many paragraph pairs in one stretch, pairing is skipped and
/// the stretch is aligned as a whole (the table is quadratic).
const PAIRING_CELLS: usize = 250_000;

/// Whether two texts are versions of each other, as pairing takes them.
fn versions(a: &[char], b: &[char]) -> bool {
    !is_long(a, b) && distance_within_similarity(a, b, PAIR_SIMILARITY).is_some()
}

/// The best order-keeping pairing of two runs of paragraphs: groups of one
/// paragraph of one side with one to four consecutive paragraphs of the
/// other (a paragraph the other side splits), or two with two, at least
/// [`PAIR_SIMILARITY`] similar, that maximize the summed similarity
/// weighted by length. Empty when there are none, which leaves the stretch
/// to the character alignment (heavy OCR noise).
fn pair_paragraphs(a: &[&[char]], b: &[&[char]]) -> Vec<(Range<usize>, Range<usize>)> {
    let (n, m) = (a.len(), b.len());
    if n * m > PAIRING_CELLS {
        return Vec::new();
    }
    // Matched characters (similarity × length, counted exactly: the table
    // compares sums) of `x` against `y`, when they are similar enough.
    let score = |x: &[&[char]], y: &[&[char]]| -> f64 {
        let x: Vec<char> = x.concat();
        let y: Vec<char> = y.concat();
        let longer = x.len().max(y.len());
        distance_within_similarity(&x, &y, PAIR_SIMILARITY).map_or(0.0, |d| (longer - d) as f64)
    };
    // The group shapes: one paragraph to up to four of the other side (an
    // engine's blocks cut a paragraph where a line ends short, at a
    // column break, at a page break), and two to two (two run together,
    // then cut elsewhere).
    const SHAPES: [(usize, usize); 8] = [
        (1, 1),
        (1, 2),
        (2, 1),
        (2, 2),
        (1, 3),
        (3, 1),
        (1, 4),
        (4, 1),
    ];
    // best[i][j]: the best score pairing a[i..] with b[j..]; choice: the
    // shape taken there (or none).
    let idx = |i: usize, j: usize| i * (m + 1) + j;
    let mut best = vec![0.0f64; (n + 1) * (m + 1)];
    let mut choice: Vec<Option<(usize, usize)>> = vec![None; (n + 1) * (m + 1)];
    // Pairs are looked for near the diagonal only: a paragraph stands
    // about as far into its run as its version does into the other, give
    // or take what one side has and the other lacks (the difference of the
    // counts) and a margin. Off the band no distance is computed, which
    // keeps long runs of paragraphs that all differ (OCR pages, noisy
    // transcripts) from costing every pair.
    let band = n.abs_diff(m) + PAIRING_BAND;
    let near = |i: usize, j: usize| (i * m).abs_diff(j * n) <= band * n.max(m);
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let mut value = best[idx(i + 1, j)].max(best[idx(i, j + 1)]);
            let mut chosen = None;
            if !near(i, j) {
                best[idx(i, j)] = value;
                continue;
            }
            for (da, db) in SHAPES {
                if i + da > n || j + db > m {
                    continue;
                }
                let s = score(&a[i..i + da], &b[j..j + db]);
                if s > 0.0 && s + best[idx(i + da, j + db)] > value {
                    value = s + best[idx(i + da, j + db)];
                    chosen = Some((da, db));
                }
            }
            best[idx(i, j)] = value;
            choice[idx(i, j)] = chosen;
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if let Some((da, db)) = choice[idx(i, j)] {
            pairs.push((i..i + da, j..j + db));
            (i, j) = (i + da, j + db);
        } else if best[idx(i, j)] == best[idx(i + 1, j)] {
            i += 1;
        } else {
            j += 1;
        }
    }
    absorb_leftovers(a, b, &mut pairs, score);
    pairs
}

/// Paragraphs of one side left unpaired next to a pair, while the other
/// side has none there, join the pair when it then matches more: the rest
/// of a paragraph the other side cut into more pieces than the pairing's
/// shapes take (an OCR block boundary inside a paragraph, another where a
/// wrapped line ended short). Each leftover run goes to the neighbour it
/// adds more matched characters to.
fn absorb_leftovers(
    a: &[&[char]],
    b: &[&[char]],
    pairs: &mut [(Range<usize>, Range<usize>)],
    score: impl Fn(&[&[char]], &[&[char]]) -> f64,
) {
    let gain = |pair: &(Range<usize>, Range<usize>), grown: &(Range<usize>, Range<usize>)| {
        score(&a[grown.0.clone()], &b[grown.1.clone()])
            - score(&a[pair.0.clone()], &b[pair.1.clone()])
    };
    for k in 0..=pairs.len() {
        let (a_from, b_from) = if k == 0 {
            (0, 0)
        } else {
            (pairs[k - 1].0.end, pairs[k - 1].1.end)
        };
        let (a_to, b_to) = pairs
            .get(k)
            .map_or((a.len(), b.len()), |p| (p.0.start, p.1.start));
        let (a_gap, b_gap) = (a_from..a_to, b_from..b_to);
        if a_gap.is_empty() == b_gap.is_empty() {
            continue;
        }
        let grow = |pair: &(Range<usize>, Range<usize>), before: bool| {
            let (mut ra, mut rb) = pair.clone();
            if before {
                ra.start = ra.start.min(a_gap.start);
                rb.start = rb.start.min(b_gap.start);
            } else {
                ra.end = ra.end.max(a_gap.end);
                rb.end = rb.end.max(b_gap.end);
            }
            (ra, rb)
        };
        let previous = (k > 0).then(|| {
            let g = grow(&pairs[k - 1], false);
            (gain(&pairs[k - 1], &g), g)
        });
        let next = pairs.get(k).map(|p| {
            let g = grow(p, true);
            (gain(p, &g), g)
        });
        match (previous, next) {
            (Some((gp, g)), next) if gp > 0.0 && next.as_ref().is_none_or(|(gn, _)| gp >= *gn) => {
                pairs[k - 1] = g;
            }
            (_, Some((gn, g))) if gn > 0.0 => pairs[k] = g,
            _ => {}
        }
    }
}

/// Each paragraph's normalized characters.
fn paragraph_chars(side: &Side) -> Vec<&[char]> {
    side.starts
        .windows(2)
        .map(|w| trim_separator(&side.text.chars[w[0]..w[1]]))
        .collect()
}

/// A paragraph's characters without the separating space [`Side::new`]
/// puts after it.
fn trim_separator(chars: &[char]) -> &[char] {
    chars.strip_suffix(&[' ']).unwrap_or(chars)
}

/// Two directories compared file by file: files with the same relative
/// path are paired; the others are only on one side.
#[derive(Clone, Debug, Default)]
pub struct TreeComparison {
    /// Pairs of files, by relative path.
    pub pairs: Vec<(PathBuf, PathBuf)>,
    /// Files only in A.
    pub only_a: Vec<PathBuf>,
    /// Files only in B.
    pub only_b: Vec<PathBuf>,
    /// What was passed over in either tree, and why.
    pub skipped: Vec<crate::ingest::Skipped>,
}

/// Pairs the text files under two directories by their path relative to
/// each, in path order; `selection` says which files are read.
pub fn pair_trees(
    a: &Path,
    b: &Path,
    selection: &crate::ingest::Selection,
) -> anyhow::Result<TreeComparison> {
    let mut out = TreeComparison::default();
    let mut list = |root: &Path| -> anyhow::Result<std::collections::BTreeMap<PathBuf, PathBuf>> {
        let mut files = Vec::new();
        crate::ingest::collect_files(root, selection, &mut files, &mut out.skipped)?;
        Ok(files
            .into_iter()
            .filter_map(|f| Some((f.strip_prefix(root).ok()?.to_path_buf(), f)))
            .collect())
    };
    let (la, mut lb) = (list(a)?, list(b)?);
    for (rel, fa) in la {
        match lb.remove(&rel) {
            Some(fb) => out.pairs.push((fa, fb)),
            None => out.only_a.push(fa),
        }
    }
    out.only_b = lb.into_values().collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn side(text: &str) -> Side {
        let doc = Document::new(DocId(0), SourceId(0), "t.txt".into(), text.to_string());
        Side::new(doc, &NormalizeConfig::default())
    }

    /// The categories of each changed paragraph's changes.
    fn categories(c: &Comparison) -> Vec<Vec<Category>> {
        c.paragraphs
            .iter()
            .map(|p| p.changes.iter().map(|x| x.category).collect())
            .collect()
    }

    fn cmp(a: &str, b: &str) -> Comparison {
        compare(side(a), side(b), &CompareOptions::default())
    }

    #[test]
    fn edits_divide_into_their_kinds() {
        let kinds = |a: &str, b: &str| {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            edit_kinds(&a, &b, levenshtein(&a, &b))
        };
        assert_eq!(kinds("kitten", "sitting"), (2, 1, 0));
        // Two substitutions would not do: one deletion, one insertion.
        assert_eq!(kinds("abc", "bcd"), (0, 1, 1));
        assert_eq!(kinds("", "abc"), (0, 3, 0));
        assert_eq!(kinds("abc", ""), (0, 0, 3));
        assert_eq!(kinds("same", "same"), (0, 0, 0));
        // The kinds always add up to the distance.
        for (a, b) in [
            ("wfzyftkie", "wszystkie"),
            ("Polſka", "Polska."),
            ("ab", "ba"),
        ] {
            let (s, i, d) = kinds(a, b);
            let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            assert_eq!(s + i + d, levenshtein(&ac, &bc), "{a} {b}");
            assert_eq!(ac.len() + i, bc.len() + d, "{a} {b}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// The traced kinds always add up to the distance and to the
        /// lengths, whatever the texts (a small alphabet makes many equal
        /// paths).
        #[test]
        fn edit_kinds_add_up(a in "[abc ]{0,40}", b in "[abc ]{0,40}") {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let d = levenshtein(&a, &b);
            let (s, i, del) = edit_kinds(&a, &b, d);
            proptest::prop_assert_eq!(s + i + del, d);
            proptest::prop_assert_eq!(a.len() + i, b.len() + del);
        }
    }

    #[test]
    fn words_are_letter_runs_and_han_letters() {
        let text: Vec<char> = "王毅 said: it's 2023年, OK.".chars().collect();
        let w: Vec<String> = words(&text).iter().map(|w| w.iter().collect()).collect();
        assert_eq!(w, ["王", "毅", "said", "it's", "2023", "年", "OK"]);
    }

    #[test]
    fn identical_texts_do_not_differ() {
        let c = cmp(
            "斡旋缅北冲突。\n\n第二段。\n",
            "斡旋缅北冲突。\n\n第二段。\n",
        );
        assert!(!c.differ());
        assert_eq!((c.edits, c.compared), (0, 11));
        assert_eq!(c.cer(), Some(0.0));
    }

    #[test]
    fn width_is_formal_not_a_change() {
        let c = cmp("我们，他们。\n", "我们,他们。\n");
        assert!(!c.differ());
        assert_eq!(c.formal.total(), 1);
        let kept = compare(
            side("我们，他们。\n"),
            side("我们,他们。\n"),
            &CompareOptions {
                keep_formal: true,
                ..CompareOptions::default()
            },
        );
        assert!(kept.differ());
        assert_eq!(kept.edits, 0);
    }

    #[test]
    fn a_substitution_is_grouped_under_its_paragraph() {
        let a = "第一段没有变化。\n\n我们在斡旋缅北冲突中发挥作用。\n\n第三段。\n";
        let b = "第一段没有变化。\n\n我们在斡旋东北冲突中发挥作用。\n\n第三段。\n";
        let c = cmp(a, b);
        assert_eq!(c.paragraphs.len(), 1);
        let p = &c.paragraphs[0];
        assert_eq!(p.paragraph, Some(1));
        assert_eq!(p.edits, 1);
        assert_eq!(p.changes.len(), 1);
        assert_eq!(c.a.original(p.changes[0].a.clone()), "缅");
        assert_eq!(c.b.original(p.changes[0].b.clone()), "东");
        assert_eq!(p.changes[0].category, Category::Substitution);
        assert_eq!(c.b.original(p.b.clone()), "我们在斡旋东北冲突中发挥作用。");
        assert_eq!(c.edits, 1);
    }

    #[test]
    fn a_paragraph_split_by_a_page_break_still_lines_up() {
        let a = "The minister said that the talks would continue next week in Geneva.\n\nNext paragraph here.\n";
        let b = "The minister said that the talks would\n\n12\n\ncontinue next week in Geneva.\n\nNext paragraph here.\n";
        let c = cmp(a, b);
        assert!(!c.differ(), "{:?}", c.paragraphs);
    }

    // See: issue 17 — a stretch over the join of a paragraph repaired
    // across a page break read the page number between its pieces.
    #[test]
    fn a_stretch_over_a_page_break_reads_only_the_paragraph_text() {
        let b = side("The minister said th\n\nPage 65\n\nsi is a good plan.\n");
        let all = 0..b.text.chars.len();
        assert_eq!(b.original(all), "The minister said th si is a good plan.");
        let b = side("一年来，举行百余场会\n\n- 12 -\n\nOne English line.\n\n见、通话。\n");
        assert_eq!(b.original(8..12), "场会见、");
        // Two paragraphs: the line break between them, not the file's
        // blank lines.
        assert_eq!(
            b.original(0..b.text.chars.len()),
            "一年来，举行百余场会见、通话。\nOne English line."
        );
        let c = cmp(
            "The minister said this is a good plan.\n",
            "The minister said th\n\nPage 65\n\nsi is a good plan.\n",
        );
        let change = &c.paragraphs[0].changes[0];
        assert_eq!(
            (
                c.a.original(change.a.clone()),
                c.b.original(change.b.clone())
            ),
            ("this", "th si")
        );
    }

    #[test]
    fn missing_and_extra_paragraphs_are_one_change_each() {
        let a = "First paragraph stays.\n\nSecond paragraph goes away entirely.\n\nThird stays.\n";
        let b = "First paragraph stays.\n\nThird stays.\n\nA new closing paragraph.\n";
        let c = cmp(a, b);
        assert_eq!(
            categories(&c),
            vec![vec![Category::Deletion], vec![Category::Insertion]]
        );
        assert_eq!(c.paragraphs[0].paragraph, Some(1));
        assert_eq!(c.paragraphs[1].paragraph, None);
        assert_eq!(
            c.b.original(c.paragraphs[1].changes[0].b.clone()).trim(),
            "A new closing paragraph."
        );
    }

    #[test]
    fn an_extra_paragraph_in_a_changed_stretch_is_an_insertion_of_its_own() {
        let a = "第一段没有变化。\n\n出席三场多边峰会，发表重要讲话。\n\n最后一段。\n";
        let b = "第一段没有变化。\n\n出席三场多场峰会，发表重要讲话。\n\n这是另外加上的一整段话，别处没有。\n\n最后一段。\n";
        let c = cmp(a, b);
        assert_eq!(
            categories(&c),
            vec![vec![Category::Substitution], vec![Category::Insertion]]
        );
        let p = &c.paragraphs[0];
        assert_eq!(c.a.original(p.changes[0].a.clone()), "边");
        // Its CER counts only its own text, not the paragraph after it.
        assert_eq!(p.edits, 1);
        let extra = &c.paragraphs[1];
        assert_eq!(extra.paragraph, None);
        assert_eq!(extra.cer(), None);
        assert_eq!(
            c.b.original(extra.changes[0].b.clone()),
            "这是另外加上的一整段话，别处没有。"
        );
        assert_eq!(c.edits, 1 + 17);
    }

    #[test]
    fn pairing_keeps_order_and_skips_unrelated_paragraphs() {
        let chars = |s: &str| s.chars().collect::<Vec<char>>();
        let (a1, a2) = (chars("abcdefghij"), chars("klmnopqrst"));
        let (b0, b1, b2) = (
            chars("zzzzzzzzzz"),
            chars("abcdefghiX"),
            chars("klmnopqrsX"),
        );
        let a = [a1.as_slice(), a2.as_slice()];
        let b = [b0.as_slice(), b1.as_slice(), b2.as_slice()];
        assert_eq!(pair_paragraphs(&a, &b), vec![(0..1, 1..2), (1..2, 2..3)]);
        assert_eq!(pair_paragraphs(&a, &b[..1]), vec![]);
        // A paragraph the other side splits in two.
        let whole = chars("abcdefghijklmnopqrst");
        let (h1, h2) = (chars("abcdefghij"), chars("klmnopqrsX"));
        assert_eq!(
            pair_paragraphs(&[whole.as_slice()], &[h1.as_slice(), h2.as_slice()]),
            vec![(0..1, 0..2)]
        );
    }

    #[test]
    fn an_empty_side_is_all_deletion_or_insertion() {
        let c = cmp("Some text.\n", "");
        assert!(c.differ());
        assert_eq!(c.cer(), Some(1.0));
        let c = cmp("", "Some text.\n");
        assert!(c.differ());
        assert_eq!(c.cer(), None);
        assert_eq!(c.paragraphs[0].changes[0].category, Category::Insertion);
    }
}
