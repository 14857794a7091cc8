//! The apparatus: the collation of one cluster, in the witnesses' own words.
//! Every output (`variants.csv`, `clusters.csv`, `witnesses.csv`, the JSON
//! Lines, `audit`) is a projection of it.
//!
//! ```text
//! 001 …斡旋缅北达成停火协议，…      text  "…斡旋缅北达成停火协议，…"   (as 001 writes it)
//! 002 …斡旋缅北达成停火协议，…  →  site  chars 217..218  lemma "缅" (001, 002)
//! 004 …斡旋东北达成停火协议,…            reading "东" (004, line 15, column 218, substitution)
//! ```
//!
//! The consensus text is written as one witness, the *copy text*, writes it
//! (case, width, punctuation), wherever that witness reads the consensus;
//! the most common way of writing wins the choice of copy text, so
//! full-width punctuation shared by two witnesses stands against one that
//! writes half-width. Readings in alphabetic text are completed to whole
//! words (`Wang` → `Qin Gang`, not `W` → `Qin G`); the characters that
//! actually differ are kept beside them ([`Reading::exact`]).
use std::borrow::Cow;
use std::ops::Range;

use super::{AlignInput, AlignOptions, Alignment, Original, align};
use crate::candidates::hash_key;
use crate::classify::Category;
use crate::cluster::{KeySpan, MemberRole};
use crate::ingest::Document;
use crate::model::{ClusterId, DocId, ParaId, SourceId};
use crate::normalize::{LayerCounts, NormalizeConfig, Normalized, key_byte_span, normalize};
use crate::segment::{Paragraph, preview};

/// Characters of consensus text kept on each side of a reading
/// ([`Reading::context_before`], [`Reading::context_after`]).
pub const CONTEXT_CHARS: usize = 10;

/// Members of a cluster whose way of writing is compared when the copy text
/// is chosen: enough for any real set of versions, and a bound on the work
/// for a boilerplate cluster with hundreds of members.
const COPY_TEXT_PEERS: usize = 8;

/// The collation of one cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct Apparatus {
    /// The cluster's number in the report.
    pub id: ClusterId,
    /// Every member, duplicates included, in paragraph order.
    pub members: Vec<Member>,
    /// A `--reference` member is the ground truth here.
    pub reference: bool,
    /// The member whose writing the consensus text follows (index into
    /// `members`).
    pub copy_text: usize,
    /// The consensus text as written: publishable text, the agreed
    /// stretches and each site's lemma in order.
    pub text: String,
    /// The variation sites, in text order.
    pub sites: Vec<Site>,
    /// The cluster's text also stands in another work (see
    /// [`crate::cluster::works`]): these are one work's versions of a
    /// shared paragraph. Set by the pipeline.
    pub reuse: bool,
}

impl Apparatus {
    /// Whether all members come from one source (a paragraph and its
    /// repeats): nothing to compare.
    pub fn single_source(&self) -> bool {
        self.members.windows(2).all(|w| w[0].source == w[1].source)
    }

    /// The text as agreed stretches and sites, in order. Sites that overlap
    /// an earlier one (formal differences kept with `--keep-formal` may
    /// fall inside another site) follow it without a stretch between.
    pub fn segments(&self) -> Vec<Segment<'_>> {
        let mut out = Vec::with_capacity(2 * self.sites.len() + 1);
        let mut at = 0;
        for site in &self.sites {
            if site.bytes.start > at {
                out.push(Segment::Agreed(&self.text[at..site.bytes.start]));
            }
            out.push(Segment::Site(site));
            at = at.max(site.bytes.end);
        }
        if at < self.text.len() {
            out.push(Segment::Agreed(&self.text[at..]));
        }
        out
    }
}

/// A stretch of the consensus text: agreed by every member that covers it,
/// or a variation site.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Segment<'a> {
    /// Text every covering member reads (normalized).
    Agreed(&'a str),
    /// A place where some member reads otherwise.
    Site(&'a Site),
}

/// One paragraph of a cluster.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// The paragraph.
    pub para: ParaId,
    /// Its source.
    pub source: SourceId,
    /// Its document.
    pub doc: DocId,
    /// First line, 1-based.
    pub line_start: u32,
    /// Last line, 1-based, inclusive.
    pub line_end: u32,
    /// Witness, duplicate or fragment.
    pub role: MemberRole,
    /// Share of characters matched with the alignment's pivot for an
    /// aligned member; the clustering score for a duplicate.
    pub similarity: f64,
    /// Normalized characters.
    pub chars: usize,
    /// The start of its text (see [`preview`]).
    pub preview: String,
    /// The part of the paragraph in this cluster, when it is split across
    /// clusters; `None`: all of it.
    pub part: Option<KeySpan>,
    /// How it compares; `None` for a duplicate, which is listed but neither
    /// aligned nor voting.
    pub collation: Option<Collated>,
}

/// What an aligned member reads against the consensus.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Collated {
    /// The consensus characters it covers (a fragment covers part).
    pub coverage: Range<usize>,
    /// Consensus characters (normalized) at the places it covers.
    pub compared: usize,
    /// Its variant readings.
    pub deviations: usize,
    /// ...where the consensus had a strict majority against it.
    pub minority: usize,
    /// ...at tied sites.
    pub ties: usize,
    /// Character edits (Levenshtein, normalized) from the consensus to its
    /// text over its coverage.
    pub edits: usize,
    /// Consensus characters where the vote decided (see
    /// [`super::AlignedMember::voted`]).
    pub voted: usize,
    /// Character edits at those places.
    pub voted_edits: usize,
    /// Aligned on the bounded path for long texts (see
    /// [`super::AlignedMember::coarse`]).
    pub coarse: bool,
    /// Places where it writes the consensus in another form, by
    /// normalization layer.
    pub formal: LayerCounts,
}

/// A variation site: a maximal stretch where some member differs from the
/// consensus.
#[derive(Clone, Debug, PartialEq)]
pub struct Site {
    /// Number of the site in the report (from 1, in output order); 0 until
    /// the pipeline numbers it.
    pub id: u64,
    /// Its bytes in [`Apparatus::text`].
    pub bytes: Range<usize>,
    /// Its characters in [`Apparatus::text`] (Unicode scalar values).
    pub chars: Range<usize>,
    /// The consensus over the whole site, as written (empty: the others
    /// insert text here).
    pub lemma: String,
    /// Members that read the consensus over the whole site.
    pub lemma_members: Vec<usize>,
    /// Members that cover the whole site.
    pub witnesses: usize,
    /// No reading had a strict majority at some place of it.
    pub tie: bool,
    /// The readings that differ from the consensus, one per member, in
    /// member order.
    pub readings: Vec<Reading>,
}

/// One member's reading at a site that differs from the consensus.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// The member (index into [`Apparatus::members`]).
    pub member: usize,
    /// Its text, as written, completed to whole words in alphabetic text
    /// (empty: an omission).
    pub text: String,
    /// The consensus it stands against, completed the same way, as written.
    pub consensus: String,
    /// The characters that differ, as written: `(consensus, reading)`.
    /// `text` is `exact.1` with the same letters added on both sides as
    /// `consensus` adds to `exact.0`.
    pub exact: (String, String),
    /// The characters of [`Apparatus::text`] that `exact.0` is: replacing
    /// them with `exact.1` gives the member's reading.
    pub at: Range<usize>,
    /// The bytes of the member's paragraph text (as segmentation reads
    /// it) that `exact.1` is; for an omission, the empty range where the
    /// missing text would go. Replacing them with `exact.0` gives the
    /// consensus reading there (what `clean --correct` does).
    pub bytes: Range<usize>,
    /// 1-based line of the differing characters in the member's file (for
    /// an omission, of the character after the gap).
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// What kind of difference it is.
    pub category: Category,
    /// Covering members that read the same over the whole site.
    pub support: usize,
    /// Up to [`CONTEXT_CHARS`] characters of consensus text before
    /// `consensus`, as written, whitespace runs shown as one space.
    pub context_before: String,
    /// The same after it.
    pub context_after: String,
}

/// One member of a cluster to collate.
#[derive(Clone, Copy, Debug)]
pub struct CollateMember<'a> {
    /// The paragraph's number.
    pub para: ParaId,
    /// The paragraph (its text may have been released: it is rebuilt from
    /// the document).
    pub paragraph: &'a Paragraph,
    /// Its document.
    pub document: &'a Document,
    /// Witness, duplicate or fragment.
    pub role: MemberRole,
    /// The clustering score that tied it to the cluster.
    pub score: f64,
    /// The part of the paragraph in this cluster, when the paragraph is
    /// split across clusters (see [`crate::cluster::Member::span`]).
    pub span: Option<KeySpan>,
}

/// How to collate.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CollateOptions {
    /// Normalization layers.
    pub normalize: NormalizeConfig,
    /// The source taken as ground truth (`--reference`).
    pub reference: Option<SourceId>,
    /// Report formal differences as variants.
    pub keep_formal: bool,
    /// Per source (by [`SourceId`] index), the weight of its reading where
    /// readings tie: the log-odds of its reliability
    /// ([`crate::stats::Reliability::weights`]). Empty: none known.
    pub weights: Vec<f64>,
}

/// Aligns the members of a cluster and writes the result as an apparatus.
/// `members` must hold at least one non-duplicate.
pub fn collate(
    id: ClusterId,
    members: &[CollateMember<'_>],
    options: &CollateOptions,
) -> Apparatus {
    let mut listed: Vec<&CollateMember<'_>> = members.iter().collect();
    listed.sort_by_key(|m| m.para);
    let texts: Vec<Cow<'_, str>> = listed
        .iter()
        .map(|m| {
            if m.paragraph.text.is_empty() {
                Cow::Owned(m.paragraph.rebuild_text(&m.document.text))
            } else {
                Cow::Borrowed(m.paragraph.text.as_str())
            }
        })
        .collect();
    // Spans in the paragraph's own text: readings are shown as segmentation
    // read them (markup removed, wrapped lines joined), and a reading over
    // a page-break join holds the two pieces as the paragraph joins them,
    // never the page number or other paragraphs between them in the file.
    // A paragraph split across clusters is compared on its part here: its
    // bytes, found from its key characters.
    let parts: Vec<Range<usize>> = listed
        .iter()
        .zip(&texts)
        .map(|(m, t)| match m.span {
            Some(s) => key_byte_span(t, &options.normalize, s.start as usize, s.end as usize),
            None => 0..t.len(),
        })
        .collect();
    let normalized: Vec<Normalized> = texts
        .iter()
        .zip(&parts)
        .map(|(t, part)| normalize(&t[part.clone()], part.start as u32, &options.normalize))
        .collect();
    let aligned: Vec<usize> = (0..listed.len())
        .filter(|&i| listed[i].role != MemberRole::Duplicate)
        .collect();
    let inputs: Vec<AlignInput<'_>> = aligned
        .iter()
        .map(|&i| AlignInput {
            chars: &normalized[i].chars,
            role: listed[i].role,
            original: Some(Original {
                text: &texts[i],
                spans: &normalized[i].spans,
            }),
        })
        .collect();
    let align_options = AlignOptions {
        reference: aligned
            .iter()
            .enumerate()
            .filter(|&(_, &i)| Some(listed[i].paragraph.source) == options.reference)
            .map(|(a, _)| a)
            .collect(),
        keep_formal: options.keep_formal,
        weights: aligned
            .iter()
            .map(|&i| {
                let source = listed[i].paragraph.source.index();
                options.weights.get(source).copied().unwrap_or(0.0)
            })
            .collect(),
        pieces: pieces_of_one_text(&aligned, &listed),
    };
    let al = align(&inputs, &align_options);
    let written = Written::new(&inputs, &al);

    let mut out_members: Vec<Member> = listed
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (line_start, line_end) = match m.span {
                None => (m.paragraph.line_start(), m.paragraph.line_end()),
                Some(_) if parts[i].is_empty() => {
                    (m.paragraph.line_start(), m.paragraph.line_start())
                }
                Some(_) => {
                    let bytes = m.paragraph.doc_span(parts[i].clone());
                    (
                        m.document.line(bytes.start as usize),
                        m.document.line(
                            (bytes.end as usize)
                                .saturating_sub(1)
                                .max(bytes.start as usize),
                        ),
                    )
                }
            };
            Member {
                para: m.para,
                source: m.paragraph.source,
                doc: m.paragraph.doc,
                line_start,
                line_end,
                role: m.role,
                similarity: m.score,
                chars: normalized[i].chars.len(),
                preview: preview(&texts[i][parts[i].clone()]),
                part: m.span,
                collation: None,
            }
        })
        .collect();
    for (a, &i) in aligned.iter().enumerate() {
        let am = &al.members[a];
        out_members[i].similarity = am.similarity;
        out_members[i].collation = Some(Collated {
            coverage: written.char_at(written.place_chars[am.coverage.start])
                ..written.char_at(written.place_chars[am.coverage.end]),
            compared: am.compared,
            deviations: am.deviations,
            minority: am.minority,
            ties: am.ties,
            edits: am.edits,
            voted: am.voted,
            voted_edits: am.voted_edits,
            coarse: am.coarse,
            formal: am.formal,
        });
    }

    let position = |a: usize, chars: &Range<usize>| {
        let i = aligned[a];
        let byte = normalized[i].original_span(chars.start, chars.end).start;
        let doc_byte = listed[i].paragraph.doc_offset(byte as usize);
        listed[i].document.line_col(doc_byte as usize)
    };
    let sites = al
        .variants
        .iter()
        .map(|v| {
            let (s, e) = (
                written.place_chars[v.places.start],
                written.place_chars[v.places.end],
            );
            let covering = al.covering(&v.places);
            let lemma_members = covering
                .iter()
                .filter(|&&a| !v.readings.iter().any(|r| r.member == a))
                .map(|&a| aligned[a])
                .collect();
            let readings = v
                .readings
                .iter()
                .map(|r| {
                    // The reading in whole words (`x..y` of the consensus,
                    // `whole` of the member), and inside it the characters
                    // that differ (`dx..dy`, `detail`): the exact columns
                    // and the row's position.
                    let (x, y) = (s + r.consensus.start, s + r.consensus.end);
                    let (dx, dy) = (s + r.detail.consensus.start, s + r.detail.consensus.end);
                    let own = inputs[r.member].chars;
                    let formal = r.category == Category::Formal;
                    // A space at an edge of the reading that the consensus
                    // writes there too is no part of the difference:
                    // normalization dropped it from the consensus next to
                    // punctuation, so `8% in` → `%8 in` compares `8%` with
                    // `%8 `. (`this` → `th si` keeps its space: the
                    // consensus has none there.)
                    let trim = |mut chars: Range<usize>, x: usize, y: usize| {
                        if !formal && x < y {
                            let spaced_after =
                                written.consensus(x, y).ends_with(char::is_whitespace);
                            let spaced_before =
                                written.text[..written.offsets[x]].ends_with(char::is_whitespace);
                            while spaced_after
                                && chars.end > chars.start
                                && own[chars.end - 1].is_whitespace()
                            {
                                chars.end -= 1;
                            }
                            while spaced_before
                                && chars.end > chars.start
                                && own[chars.start].is_whitespace()
                            {
                                chars.start += 1;
                            }
                        }
                        chars
                    };
                    // Both ending in a space (`Wang Yi ` for `Qin Gang `):
                    // the space is common, not part of the reading.
                    let (mut x, mut y) = (x, y);
                    let mut whole = r.chars.clone();
                    while !formal
                        && y > x
                        && written.chars[y - 1].is_whitespace()
                        && whole.end > whole.start
                        && own[whole.end - 1].is_whitespace()
                    {
                        (y, whole.end) = (y - 1, whole.end - 1);
                    }
                    while !formal
                        && y > x
                        && written.chars[x].is_whitespace()
                        && whole.end > whole.start
                        && own[whole.start].is_whitespace()
                    {
                        (x, whole.start) = (x + 1, whole.start + 1);
                    }
                    let whole = trim(whole, x, y);
                    let detail = trim(r.detail.chars.clone(), dx, dy);
                    let exact_consensus = if formal {
                        // The form the member was compared with: the voting
                        // member's, which the copy text may not share.
                        let voter = al.places[v.places.start].member;
                        written.member_text(voter, &al.member_chars(voter, &v.places))
                    } else {
                        written.consensus_to_last(dx, dy)
                    };
                    let consensus = if formal {
                        exact_consensus
                    } else {
                        written.consensus_to_last(x, y)
                    };
                    let at = written.char_at(dx)..if formal {
                        written.char_at(dy)
                    } else {
                        written.char_at(dx) + exact_consensus.chars().count()
                    };
                    let (line, column) = position(r.member, &detail);
                    let own_bytes =
                        normalized[aligned[r.member]].original_span(detail.start, detail.end);
                    Reading {
                        bytes: own_bytes.start as usize..own_bytes.end as usize,
                        member: aligned[r.member],
                        text: written.member_text(r.member, &whole).to_string(),
                        consensus: consensus.to_string(),
                        exact: (
                            exact_consensus.to_string(),
                            written.member_text(r.member, &detail).to_string(),
                        ),
                        at,
                        line,
                        column,
                        category: r.category,
                        support: r.support,
                        context_before: last_chars(written.consensus(0, x), CONTEXT_CHARS),
                        context_after: first_chars(
                            written.consensus(y, written.chars.len()),
                            CONTEXT_CHARS,
                        ),
                    }
                })
                .collect();
            Site {
                id: 0,
                bytes: written.offsets[s]..written.offsets[e],
                chars: written.char_at(s)..written.char_at(e),
                lemma: written.consensus(s, e).to_string(),
                lemma_members,
                witnesses: v.covered,
                tie: v.tie,
                readings,
            }
        })
        .collect();
    Apparatus {
        id,
        members: out_members,
        reference: al.reference,
        copy_text: aligned[written.copy_text],
        text: written.text,
        sites,
        reuse: false,
    }
}

/// The fragments of each source that has several (a paragraph it splits in
/// two at a page break), as indices into `aligned`, in paragraph order:
/// `listed` is in paragraph order, which is text order within a source.
fn pieces_of_one_text(aligned: &[usize], listed: &[&CollateMember<'_>]) -> Vec<Vec<usize>> {
    let mut groups: Vec<(SourceId, Vec<usize>)> = Vec::new();
    for (a, &i) in aligned.iter().enumerate() {
        if listed[i].role != MemberRole::Fragment {
            continue;
        }
        let source = listed[i].paragraph.source;
        match groups.iter_mut().find(|(s, _)| *s == source) {
            Some((_, group)) => group.push(a),
            None => groups.push((source, vec![a])),
        }
    }
    groups
        .into_iter()
        .map(|(_, group)| group)
        .filter(|group| group.len() > 1)
        .collect()
}

/// The consensus text as written, with where each normalized consensus
/// character stands in it.
struct Written<'a, 'b> {
    inputs: &'b [AlignInput<'a>],
    /// The aligned member whose writing the text follows.
    copy_text: usize,
    /// The normalized consensus characters.
    chars: Vec<char>,
    /// For each place (and the end), its first consensus character.
    place_chars: Vec<usize>,
    /// The text as written.
    text: String,
    /// For each consensus character (and the end), its first byte in
    /// `text`.
    offsets: Vec<usize>,
    /// The same as characters of `text`: what the outputs count (the
    /// written text can have more characters than the normalized one, a
    /// space between two Han characters, two spaces in a row).
    char_offsets: Vec<usize>,
}

impl<'a, 'b> Written<'a, 'b> {
    fn new(inputs: &'b [AlignInput<'a>], al: &Alignment) -> Self {
        let n = al.places.len();
        let mut chars = Vec::new();
        let mut place_chars = Vec::with_capacity(n + 1);
        for p in 0..n {
            place_chars.push(chars.len());
            chars.extend_from_slice(al.consensus_at(inputs, p));
        }
        place_chars.push(chars.len());
        let copy_text = copy_text(inputs, al);
        let mut w = Written {
            inputs,
            copy_text,
            chars,
            place_chars,
            text: String::new(),
            offsets: Vec::new(),
            char_offsets: Vec::new(),
        };
        // Runs of places one member writes, its characters contiguous.
        let mut run: Option<(usize, Range<usize>)> = None;
        for p in 0..n {
            let consensus = al.consensus_at(inputs, p);
            if consensus.is_empty() {
                continue;
            }
            let reads = |m: usize| {
                al.members[m].coverage.contains(&p)
                    && super::same(
                        &inputs[m].chars[al.members[m].readings[p].clone()],
                        consensus,
                    )
            };
            let writer = if reads(copy_text) {
                copy_text
            } else {
                al.places[p].member
            };
            let r = al.members[writer].readings[p].clone();
            match &mut run {
                Some((m, chars)) if *m == writer && chars.end == r.start => chars.end = r.end,
                _ => {
                    if let Some((m, chars)) = run.take() {
                        w.push(m, chars);
                    }
                    run = Some((writer, r));
                }
            }
        }
        if let Some((m, chars)) = run {
            w.push(m, chars);
        }
        w.offsets.push(w.text.len());
        debug_assert_eq!(w.offsets.len(), w.chars.len() + 1);
        let (mut bytes, mut chars) = (w.text.char_indices().peekable(), 0);
        for &offset in &w.offsets {
            while bytes.next_if(|&(b, _)| b < offset).is_some() {
                chars += 1;
            }
            w.char_offsets.push(chars);
        }
        w
    }

    /// Where consensus character `i` (normalized) stands in the text, in
    /// characters.
    fn char_at(&self, i: usize) -> usize {
        self.char_offsets[i]
    }

    /// Appends member `m`'s characters `chars` as written.
    fn push(&mut self, m: usize, chars: Range<usize>) {
        let original = self.inputs[m].original.expect("collated members have text");
        let from = original.spans[chars.start].start as usize;
        let base = self.text.len();
        for j in chars.clone() {
            self.offsets
                .push(base + (original.spans[j].start as usize).saturating_sub(from));
        }
        self.text.push_str(self.member_text(m, &chars));
    }

    /// Member `m`'s characters `chars` as written (empty for none).
    fn member_text(&self, m: usize, chars: &Range<usize>) -> &'a str {
        if chars.is_empty() {
            return "";
        }
        let original = self.inputs[m].original.expect("collated members have text");
        let (from, to) = (
            original.spans[chars.start].start as usize,
            original.spans[chars.end - 1].end as usize,
        );
        &original.text[from..to]
    }

    /// Consensus characters `from..to` as written, up to the end of the
    /// last: without the spaces written after it that normalization dropped
    /// (next to punctuation), so `8%` of `8% in` reads `8%`, not `8% `, as
    /// a member's reading ends with its last character.
    fn consensus_to_last(&self, from: usize, to: usize) -> &str {
        let written = self.consensus(from, to);
        if to > from && !self.chars[to - 1].is_whitespace() {
            written.trim_end()
        } else {
            written
        }
    }

    /// Consensus characters `from..to` as written.
    fn consensus(&self, from: usize, to: usize) -> &str {
        &self.text[self.offsets[from]..self.offsets[to].max(self.offsets[from])]
    }
}

/// The member whose writing the consensus text follows: the reference where
/// there is one; otherwise the witness whose written form (width, case,
/// punctuation) most other members share at the places where it reads the
/// consensus, the first such on a tie.
fn copy_text(inputs: &[AlignInput<'_>], al: &Alignment) -> usize {
    if al.reference {
        return al.pivot;
    }
    let candidates: Vec<usize> = (0..inputs.len())
        .filter(|&m| inputs[m].role == MemberRole::Witness)
        .collect();
    if candidates.len() <= 1 {
        return candidates.first().copied().unwrap_or(al.pivot);
    }
    let peers: Vec<usize> = (0..inputs.len()).take(COPY_TEXT_PEERS).collect();
    // What each member writes at each place where it reads the consensus,
    // hashed (0 where it does not): comparing two members' writing at a
    // place is then one integer comparison.
    let n = al.places.len();
    let forms = |m: usize| -> Vec<u64> {
        let member = &al.members[m];
        (0..n)
            .map(|p| {
                let r = member.readings[p].clone();
                let Some(o) = inputs[m].original else {
                    return 0;
                };
                if !member.coverage.contains(&p)
                    || r.is_empty()
                    || !super::same(&inputs[m].chars[r.clone()], al.consensus_at(inputs, p))
                {
                    return 0;
                }
                let written =
                    &o.text[o.spans[r.start].start as usize..o.spans[r.end - 1].end as usize];
                hash_key(written) | 1
            })
            .collect()
    };
    let mut hashed: Vec<Option<Vec<u64>>> = vec![None; inputs.len()];
    for &m in candidates.iter().chain(&peers) {
        if hashed[m].is_none() {
            hashed[m] = Some(forms(m));
        }
    }
    let form = |m: usize| hashed[m].as_deref().expect("hashed above");
    let mut best = (candidates[0], 0usize);
    for &m in &candidates {
        let ours = form(m);
        let score: usize = (0..n)
            .filter(|&p| ours[p] != 0)
            .map(|p| {
                1 + peers
                    .iter()
                    .filter(|&&o| o != m && form(o)[p] == ours[p])
                    .count()
            })
            .sum();
        if score > best.1 {
            best = (m, score);
        }
    }
    best.0
}

/// The last `n` characters of `text`, each whitespace run as one space.
fn last_chars(text: &str, n: usize) -> String {
    let mut out: Vec<char> = Vec::with_capacity(n);
    let mut space = false;
    for c in text.chars().rev() {
        if out.len() == n {
            break;
        }
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out.iter().rev().collect()
}

/// The first `n` characters of `text`, each whitespace run as one space.
fn first_chars(text: &str, n: usize) -> String {
    let mut out = String::new();
    let (mut count, mut space) = (0, false);
    for c in text.chars() {
        if count == n {
            break;
        }
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                count += 1;
            }
            space = true;
        } else {
            out.push(c);
            count += 1;
            space = false;
        }
    }
    out
}
