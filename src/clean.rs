//! Cleaning a corpus: a cleaned copy of every document, a deduplicated
//! corpus, and a log of every change, all from the apparatus.
//!
//! ```text
//! apparatus per cluster ─→ Collector: corrections (outvoted readings),
//!                                     repeats to drop, corpus records
//! each document, segmented ─→ clean_document: paragraphs as read (page
//!     breaks joined, hyphens and markup removed), junk and repeats dropped,
//!     corrections applied ─→ its cleaned text + its changes
//! ```
//!
//! A correction replaces a source's reading with the consensus only where
//! the consensus outvotes it: not at a tie, with at least two other
//! sources reading the consensus, and more members reading it than read
//! the source's reading. Editorial choices are left alone by default: a
//! whole word replaced by another (see [`is_word_substitution`]).
use std::collections::BTreeMap;
use std::ops::Range;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::align::apparatus::{Apparatus, Reading, Site};
use crate::classify::Category;
use crate::cluster::MemberRole;
use crate::ingest::{Corpus, Document};
use crate::model::{DocId, ParaId, SourceId};
use crate::segment::{Paragraph, Role};

/// Which member of a cluster stands for it in `corpus.jsonl`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Keep {
    /// The first source's (in source order).
    First,
    /// The longest.
    Longest,
    /// The most reliable source's (by the run's reliability estimate).
    #[default]
    MostReliable,
}

/// What `clean` does.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CleanOptions {
    /// Replace readings the consensus outvotes (`--correct`).
    pub correct: bool,
    /// Only these categories are corrected; empty: every category but
    /// formal differences, with whole-word substitutions left out.
    pub categories: Vec<Category>,
    /// `corpus.jsonl` keeps only passages attested by this many sources.
    pub min_witnesses: usize,
    /// The representative of each cluster.
    pub keep: Keep,
}

/// What one change did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    /// Two pieces of a paragraph cut by a page break joined (what lay
    /// between them, a page number or running header, removed).
    Join,
    /// A line-end hyphen removed where a word was broken.
    Dehyphenate,
    /// A line that is not text (page furniture, a speech-recognition
    /// timestamp) dropped.
    DropJunk,
    /// Markup removed.
    StripMarkup,
    /// A repeat of a paragraph in the same document (a pull quote) dropped.
    DropDuplicate,
    /// A reading replaced by the consensus.
    Correct,
}

impl ChangeKind {
    /// The name in `changes.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Join => "join",
            ChangeKind::Dehyphenate => "dehyphenate",
            ChangeKind::DropJunk => "drop-junk",
            ChangeKind::StripMarkup => "strip-markup",
            ChangeKind::DropDuplicate => "drop-duplicate",
            ChangeKind::Correct => "correct",
        }
    }
}

/// One change to one input file.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// The document.
    pub doc: DocId,
    /// The paragraph it changed (for a join, a dehyphenation or markup,
    /// the paragraph segmentation made).
    pub para: ParaId,
    /// For a correction, where it is in the paragraph's text as read:
    /// `before` stood at these bytes, `after` stands there now, shifted by
    /// the corrections before it. For a join, a dehyphenation or markup,
    /// the byte of the text as read where the removed text stood.
    pub at: Option<usize>,
    /// 1-based line and column (in characters) in the input file.
    pub line: u32,
    /// See `line`.
    pub column: u32,
    /// 1-based line and column (in characters) in the cleaned copy: where
    /// `after` begins, or, for a dropped paragraph, the line of the kept
    /// paragraph it stood before (one past the last line at the end).
    pub cleaned_line: u32,
    /// See `cleaned_line`.
    pub cleaned_column: u32,
    /// What was done.
    pub kind: ChangeKind,
    /// The text before, as the file has it (or, for a correction, as the
    /// paragraph reads it).
    pub before: String,
    /// The text after.
    pub after: String,
    /// For a correction, its category.
    pub category: Option<Category>,
    /// For a correction, the sources that read the consensus.
    pub supporting: Vec<SourceId>,
    /// For a dropped repeat, the paragraph kept: its document and line.
    pub kept: Option<(DocId, u32)>,
}

/// One reading to replace in a paragraph's text.
#[derive(Clone, Debug, PartialEq)]
struct Correction {
    bytes: Range<usize>,
    before: String,
    after: String,
    category: Category,
    line: u32,
    column: u32,
    supporting: Vec<SourceId>,
}

/// A member of a `corpus.jsonl` record.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordMember {
    /// Its source.
    pub source: SourceId,
    /// Its document.
    pub doc: DocId,
    /// Its first and last line.
    pub lines: (u32, u32),
    /// Its role in the cluster (`witness` for an unclustered paragraph).
    pub role: MemberRole,
    /// Its length in normalized characters.
    pub chars: usize,
}

/// One record of `corpus.jsonl`: a cluster, or an unclustered paragraph.
#[derive(Clone, Debug, PartialEq)]
pub struct CorpusRecord {
    /// The cluster's number; `None` for a paragraph in no cluster.
    pub cluster: Option<u32>,
    /// The consensus text, as written (the paragraph's, cleaned, when it
    /// is alone).
    pub text: String,
    /// Its members, in source and file order.
    pub members: Vec<RecordMember>,
}

impl CorpusRecord {
    /// How many sources attest it.
    pub fn sources(&self) -> usize {
        let mut s: Vec<SourceId> = self.members.iter().map(|m| m.source).collect();
        s.sort_unstable();
        s.dedup();
        s.len()
    }

    /// The member that stands for it, chosen by `keep`; `reliability[s]`
    /// is source `s`'s reliability (higher is better), where known.
    pub fn kept(&self, keep: Keep, reliability: &[Option<f64>]) -> usize {
        let candidates =
            || (0..self.members.len()).filter(|&i| self.members[i].role != MemberRole::Duplicate);
        let first = candidates().next().unwrap_or(0);
        match keep {
            Keep::First => first,
            Keep::Longest => candidates()
                .max_by_key(|&i| (self.members[i].chars, std::cmp::Reverse(i)))
                .unwrap_or(first),
            Keep::MostReliable => candidates()
                .max_by(|&a, &b| {
                    let r = |i: usize| {
                        reliability
                            .get(self.members[i].source.index())
                            .copied()
                            .flatten()
                            .unwrap_or(f64::NEG_INFINITY)
                    };
                    r(a).total_cmp(&r(b)).then(b.cmp(&a))
                })
                .unwrap_or(first),
        }
    }
}

/// What the apparatus of every cluster tells the cleaning: gathered as the
/// clusters pass, read when the documents are written.
#[derive(Debug, Default)]
pub struct Collector {
    options: CleanOptions,
    corrections: FxHashMap<ParaId, Vec<Correction>>,
    /// Repeats within a document, and the paragraph kept for each.
    repeats: FxHashMap<ParaId, (DocId, u32)>,
    clustered: FxHashSet<ParaId>,
    records: Vec<CorpusRecord>,
}

impl Collector {
    /// A collector for `options`.
    pub fn new(options: CleanOptions) -> Collector {
        Collector {
            options,
            ..Collector::default()
        }
    }

    /// Takes one cluster's apparatus.
    pub fn add(&mut self, ap: &Apparatus) {
        for m in &ap.members {
            self.clustered.insert(m.para);
        }
        self.records.push(CorpusRecord {
            cluster: Some(ap.id.0),
            text: ap.text.clone(),
            members: ap
                .members
                .iter()
                .map(|m| RecordMember {
                    source: m.source,
                    doc: m.doc,
                    lines: (m.line_start, m.line_end),
                    role: m.role,
                    chars: m.chars,
                })
                .collect(),
        });
        // A repeat in the document of its source's witness is dropped from
        // the cleaned copy; one in another document (a site that published
        // the transcript twice) stays there, and corpus.jsonl holds it once.
        for d in ap
            .members
            .iter()
            .filter(|m| m.role == MemberRole::Duplicate)
        {
            let kept = ap.members.iter().find(|m| {
                m.role != MemberRole::Duplicate && m.source == d.source && m.doc == d.doc
            });
            if let Some(k) = kept {
                self.repeats.insert(d.para, (k.doc, k.line_start));
            }
        }
        if self.options.correct && !ap.reference {
            for site in &ap.sites {
                for r in &site.readings {
                    if let Some(c) = self.correction(ap, site, r) {
                        self.corrections
                            .entry(ap.members[r.member].para)
                            .or_default()
                            .push(c);
                    }
                }
            }
        }
    }

    /// The correction of reading `r`, if the consensus outvotes it and its
    /// category is corrected.
    fn correction(&self, ap: &Apparatus, site: &Site, r: &Reading) -> Option<Correction> {
        let own = &ap.members[r.member];
        if site.tie || own.role == MemberRole::Duplicate || r.category == Category::Formal {
            return None;
        }
        let wanted = if self.options.categories.is_empty() {
            !is_word_substitution(r)
        } else {
            self.options.categories.contains(&r.category)
        };
        if !wanted {
            return None;
        }
        // A site groups neighbouring deviations of several members: at this
        // reading's characters, the consensus is read by the members that
        // read the lemma, and by those whose own deviation lies elsewhere
        // in the site.
        let overlap = |a: &Range<usize>, b: &Range<usize>| {
            if a.is_empty() || b.is_empty() {
                a.start <= b.end && b.start <= a.end
            } else {
                a.start < b.end && b.start < a.end
            }
        };
        let mut readers: Vec<usize> = site.lemma_members.clone();
        readers.extend(
            site.readings
                .iter()
                .filter(|o| o.member != r.member && !overlap(&o.at, &r.at))
                .map(|o| o.member),
        );
        readers.sort_unstable();
        readers.dedup();
        let same = site
            .readings
            .iter()
            .filter(|o| o.at == r.at && o.exact.1 == r.exact.1)
            .count();
        let mut supporting: Vec<SourceId> = readers
            .iter()
            .map(|&m| ap.members[m].source)
            .filter(|&s| s != own.source)
            .collect();
        supporting.sort_unstable();
        supporting.dedup();
        if supporting.len() < 2 || readers.len() <= same {
            return None;
        }
        Some(Correction {
            bytes: r.bytes.clone(),
            before: r.exact.1.clone(),
            after: r.exact.0.clone(),
            category: r.category,
            line: r.line,
            column: r.column,
            supporting,
        })
    }

    /// The records of the clusters, in cluster order.
    pub fn records(&self) -> &[CorpusRecord] {
        &self.records
    }

    /// Whether paragraph `para` is in a cluster.
    pub fn is_clustered(&self, para: ParaId) -> bool {
        self.clustered.contains(&para)
    }
}

/// Whether a reading replaces a whole word with another: in alphabetic
/// text, whole words (`hardly` → `rarely`); in Han text, where words are
/// not marked, two characters or more on either side (`中国-加勒比` →
/// `中国的`). An editor's choice more often than an error, and not
/// corrected unless asked for. One Han character replaced by another
/// (`缅` → `东`) is a slip, as are letters replaced inside a word.
pub fn is_word_substitution(r: &Reading) -> bool {
    if r.category != Category::Substitution {
        return false;
    }
    let han = |s: &str| s.chars().filter(|&c| is_han(c)).count();
    let alphabetic = |s: &str| s.chars().any(|c| c.is_alphabetic() && !is_han(c));
    let (a, b) = (&r.exact.0, &r.exact.1);
    if han(a) >= 2 || han(b) >= 2 {
        return true;
    }
    alphabetic(a) && alphabetic(b) && r.text == *b && r.consensus == *a
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Punctuation written in its full-width form in Chinese text and in its
/// ASCII form in Latin text.
const WIDTHS: [(char, char); 8] = [
    (',', '，'),
    ('.', '。'),
    (':', '：'),
    (';', '；'),
    ('!', '！'),
    ('?', '？'),
    ('(', '（'),
    (')', '）'),
];

/// `text` with its punctuation in the width `own` mostly writes: a
/// correction taken from another source's copy keeps the corrected
/// source's conventions.
fn in_own_width(text: &str, own: &str) -> String {
    let (mut ascii, mut full) = (0usize, 0usize);
    for c in own.chars() {
        if WIDTHS.iter().any(|&(a, _)| a == c) {
            ascii += 1;
        } else if WIDTHS.iter().any(|&(_, f)| f == c) {
            full += 1;
        }
    }
    text.chars()
        .map(|c| {
            let pair = WIDTHS.iter().find(|&&(a, f)| a == c || f == c);
            match pair {
                Some(&(a, f)) if full > ascii && c == a => f,
                Some(&(a, f)) if ascii > full && c == f => a,
                _ => c,
            }
        })
        .collect()
}

/// A document cleaned: its text, its changes (in file order) and the
/// records of its paragraphs that are in no cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct CleanedDocument {
    /// The paragraphs kept, one blank line between them.
    pub text: String,
    /// Every change made, in file order.
    pub changes: Vec<Change>,
    /// The paragraphs in no cluster, as `corpus.jsonl` records.
    pub alone: Vec<CorpusRecord>,
}

/// Cleans one document from its `paragraphs` (as segmentation reads them;
/// the first is paragraph number `first` of the run).
pub fn clean_document(
    doc: &Document,
    paragraphs: &[Paragraph],
    first: usize,
    collector: &Collector,
) -> CleanedDocument {
    let mut kept: Vec<String> = Vec::new();
    let mut changes: Vec<Change> = Vec::new();
    let mut alone = Vec::new();
    // The line of the cleaned copy the next kept paragraph starts on.
    let mut next_line = 1u32;
    for (k, p) in paragraphs.iter().enumerate() {
        let para = ParaId((first + k) as u32);
        let text = if p.text.is_empty() {
            p.rebuild_text(&doc.text)
        } else {
            p.text.clone()
        };
        let (line, column) = doc.line_col(p.doc_offset(0) as usize);
        let dropped = |kind, kept_at, cleaned_line| Change {
            doc: doc.id,
            para,
            at: None,
            line,
            column,
            cleaned_line,
            cleaned_column: 1,
            kind,
            before: text.clone(),
            after: String::new(),
            category: None,
            supporting: Vec::new(),
            kept: kept_at,
        };
        if p.role == Role::Junk {
            changes.push(dropped(ChangeKind::DropJunk, None, next_line));
            continue;
        }
        if let Some(&at) = collector.repeats.get(&para) {
            changes.push(dropped(ChangeKind::DropDuplicate, Some(at), next_line));
            continue;
        }
        let mut own_changes = structural_changes(doc, p, para);
        // (where in the text as read, bytes replaced, bytes put in)
        let mut shifts: Vec<(usize, usize, usize)> = Vec::new();
        let mut text = text;
        if let Some(corrections) = collector.corrections.get(&para) {
            let mut sorted: Vec<&Correction> = corrections.iter().collect();
            sorted.sort_by_key(|c| (c.bytes.start, c.bytes.end));
            // Later first, so earlier byte ranges stay where they are; one
            // that overlaps another is left out.
            let mut applied: Vec<&Correction> = Vec::new();
            for c in sorted {
                if applied.last().is_none_or(|l| l.bytes.end <= c.bytes.start)
                    && c.bytes.end <= text.len()
                    && text.is_char_boundary(c.bytes.start)
                    && text.is_char_boundary(c.bytes.end)
                {
                    applied.push(c);
                }
            }
            let own = text.clone();
            for c in applied.iter().rev() {
                let after = if c.category == Category::Punctuation {
                    c.after.clone()
                } else {
                    in_own_width(&c.after, &own)
                };
                // A space the reading puts where the text already has one
                // (at either side) is not doubled.
                let mut after = after;
                if after.starts_with(' ') && text[..c.bytes.start].ends_with(char::is_whitespace) {
                    after.remove(0);
                }
                if after.ends_with(' ') && text[c.bytes.end..].starts_with(char::is_whitespace) {
                    after.pop();
                }
                text.replace_range(c.bytes.clone(), &after);
                shifts.push((c.bytes.start, c.bytes.len(), after.len()));
                own_changes.push(Change {
                    doc: doc.id,
                    para,
                    at: Some(c.bytes.start),
                    line: c.line,
                    column: c.column,
                    cleaned_line: 0,
                    cleaned_column: 0,
                    kind: ChangeKind::Correct,
                    before: c.before.clone(),
                    after,
                    category: Some(c.category),
                    supporting: c.supporting.clone(),
                    kept: None,
                });
            }
        }
        if !collector.is_clustered(para) {
            alone.push(CorpusRecord {
                cluster: None,
                text: text.clone(),
                members: vec![RecordMember {
                    source: doc.source,
                    doc: doc.id,
                    lines: (p.line_start(), p.line_end()),
                    role: MemberRole::Witness,
                    chars: text.chars().count(),
                }],
            });
        }
        let marker = heading_marker(doc, p).unwrap_or("");
        text.insert_str(0, marker);
        // Each change placed in the paragraph as written: shifted by the
        // corrections before it and by the heading's marker.
        for c in &mut own_changes {
            let read = c.at.unwrap_or(0);
            let at = marker.len()
                + shifts
                    .iter()
                    .filter(|&&(start, ..)| start < read)
                    .fold(read, |at, &(start, from, to)| {
                        (at + to).saturating_sub(from).max(start)
                    });
            let before = &text[..at.min(text.len())];
            let newlines = before.matches('\n').count() as u32;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            c.cleaned_line = next_line + newlines;
            c.cleaned_column = before[line_start..].chars().count() as u32 + 1;
        }
        changes.extend(own_changes);
        next_line += text.matches('\n').count() as u32 + 2;
        kept.push(text);
    }
    changes.sort_by_key(|c| (c.line, c.column, c.kind));
    let mut text = kept.join("\n\n");
    if !text.is_empty() {
        text.push('\n');
    }
    CleanedDocument {
        text,
        changes,
        alone,
    }
}

/// What segmentation took out of a paragraph's lines: between the runs of
/// its text, whatever is not a line break or spaces (a wrapped line joined
/// is no change). Between two pieces cut by a page break, a join; a `-`
/// before a line break, a dehyphenation; anything else (before, inside or
/// after the text of a line), markup.
fn structural_changes(doc: &Document, p: &Paragraph, para: ParaId) -> Vec<Change> {
    let text = &doc.text;
    let mut out = Vec::new();
    let runs: Vec<_> = p.runs.iter().filter(|r| !r.gap && r.len > 0).collect();
    let (Some(first), Some(last)) = (runs.first(), runs.last()) else {
        return out;
    };
    let line_start = text[..first.doc as usize].rfind('\n').map_or(0, |i| i + 1);
    let end = (last.doc + last.len) as usize;
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    // (removed bytes, a space put in their place, between two runs, where
    // in the text as read)
    let mut stretches: Vec<(Range<usize>, bool, bool, usize)> = Vec::new();
    // Before the text: markup, but a heading's marker stays.
    let after_marker = heading_marker(doc, p).map_or(line_start, |m| {
        let at = m.as_ptr() as usize - doc.text.as_ptr() as usize;
        at + m.len()
    });
    stretches.push((after_marker..first.doc as usize, false, false, 0));
    for w in runs.windows(2) {
        let (a, b) = (w[0], w[1]);
        let from = (a.doc + a.len) as usize;
        let to = b.doc as usize;
        // A gap run between them: a space was put where they joined.
        let spaced = p
            .runs
            .iter()
            .any(|r| r.gap && r.text >= a.text + a.len && r.text < b.text);
        if from < to {
            stretches.push((from..to, spaced, true, (a.text + a.len) as usize));
        }
    }
    stretches.push((
        end..line_end,
        false,
        false,
        p.text.len().max((last.text + last.len) as usize),
    ));
    let piece_of = |byte: usize| {
        let line = doc.line(byte);
        p.pieces.iter().position(|&(s, e)| s <= line && line <= e)
    };
    for (range, spaced, between, read) in stretches {
        let removed = &text[range.clone()];
        let joined = between && piece_of(range.start) != piece_of(range.end);
        if removed.trim().is_empty() && !joined {
            continue;
        }
        let (line, column) = doc.line_col(range.start);
        let change = |kind, before: &str, after: &str| Change {
            doc: doc.id,
            para,
            at: Some(read),
            line,
            column,
            cleaned_line: 0,
            cleaned_column: 0,
            kind,
            before: before.to_string(),
            after: after.to_string(),
            category: None,
            supporting: Vec::new(),
            kept: None,
        };
        let after = if spaced { " " } else { "" };
        // Two pieces of the paragraph joined across a page break: what lay
        // between (a page number, a header, other paragraphs) is not part
        // of it; the change is the paragraph break taken out, and a hyphen
        // that broke a word there.
        if joined {
            if let Some(hyphen) = ["-", "\u{AD}"].into_iter().find(|h| removed.starts_with(h)) {
                out.push(change(ChangeKind::Dehyphenate, hyphen, ""));
            }
            out.push(change(ChangeKind::Join, "\n\n", after));
            continue;
        }
        let hyphen = removed.trim_end() == "-" || removed.trim_end().ends_with('\u{AD}');
        let kind = if between && hyphen {
            ChangeKind::Dehyphenate
        } else {
            ChangeKind::StripMarkup
        };
        out.push(change(kind, removed, after));
    }
    out
}

/// The Markdown marker of a heading (`## `), which the cleaned copy keeps:
/// it is what makes the line a heading when the copy is read again, and a
/// heading is never taken for a repeat or a piece of body text.
fn heading_marker<'a>(doc: &'a Document, p: &Paragraph) -> Option<&'a str> {
    if p.role != Role::Heading {
        return None;
    }
    let first = p.runs.iter().find(|r| !r.gap && r.len > 0)?;
    let start = doc.text[..first.doc as usize]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    // The `#`s and the spaces after them; what follows (`**` of a heading
    // in bold) is markup like any other.
    let before = doc.text[start..first.doc as usize].trim_start();
    let hashes = before.len() - before.trim_start_matches('#').len();
    let spaces = before[hashes..].len() - before[hashes..].trim_start().len();
    (hashes > 0).then(|| &before[..hashes + spaces])
}

/// The number of the first paragraph of each document, from how many
/// each has.
pub fn first_paragraphs(doc_paragraphs: &[usize]) -> Vec<usize> {
    let mut at = 0;
    doc_paragraphs
        .iter()
        .map(|&n| {
            let first = at;
            at += n;
            first
        })
        .collect()
}

/// Counts of a cleaning run, for its summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CleanCounts {
    /// Changes by kind.
    pub by_kind: BTreeMap<&'static str, usize>,
    /// Records written to `corpus.jsonl`.
    pub records: usize,
}

impl CleanCounts {
    /// Counts `changes`.
    pub fn add(&mut self, changes: &[Change]) {
        for c in changes {
            *self.by_kind.entry(c.kind.as_str()).or_default() += 1;
        }
    }
}

/// The source and file a change names, for `changes.csv`.
pub fn change_place<'a>(corpus: &'a Corpus, c: &Change) -> (&'a str, std::borrow::Cow<'a, str>) {
    let doc = &corpus.documents[c.doc.index()];
    (
        corpus.sources[doc.source.index()].name.as_str(),
        doc.path.to_string_lossy(),
    )
}
