//! The `audit` view: the analysis of `report` for a person at a terminal.
//!
//! ```text
//! rank  witness               short  cer       reliability  deviations  minority  compared
//!    1  002_ed602138bd357a0a  002    0.005282  0.999700              9         …
//!
//! cluster 8  001:25 002:19 004:15
//!   …对话协商，斡旋{缅 001,002 | 东 004}北冲突…  substitution  data/sample/004_….txt:15:218
//! ```
//!
//! Each disputed place shows the consensus with the sources that read it,
//! then every other reading with its sources (`≟` instead of `|` where the
//! place is a tie, decided by the sources' reliability), between up to
//! [`CONTEXT_COLUMNS`] columns of consensus text on each side. Columns are
//! measured in terminal cells, so Chinese text lines up. Text, names and
//! paths are escaped ([`escape`]) before they are measured and painted.
use std::io::{self, Seek, Write};

use super::paint::{
    Paint, escape, escape_path, first_columns, inline, last_columns, middle, pad, pad_left,
    unpainted, width,
};
use super::{fixed, ranking_note, shown_source_names};
use crate::align::apparatus::{Apparatus, Site};
use crate::analysis::Analysis;
use crate::classify::Category;
use crate::cluster::MemberRole;
use crate::ingest::{Corpus, short_names};
use crate::model::SourceId;

/// Columns of consensus text shown on each side of a place.
pub const CONTEXT_COLUMNS: usize = 12;

/// Columns a reading may take before it is shortened in the middle.
pub const READING_COLUMNS: usize = 24;

/// The widest a place is padded to, so one long place does not push every
/// category far right.
const PLACE_COLUMNS: usize = 60;

/// Which places to show.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    /// Only places with a reading of one of these categories (all when
    /// empty).
    pub categories: Vec<Category>,
    /// Only places where one of these sources reads differently from the
    /// consensus (all when empty).
    pub sources: Vec<SourceId>,
    /// At most this many places.
    pub limit: Option<usize>,
}

/// What the view showed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AuditCounts {
    /// Disputed places in the analysis.
    pub places: usize,
    /// Places that pass the filter.
    pub matching: usize,
    /// Places printed.
    pub shown: usize,
}

/// The audit view being built as clusters pass: the ranking is known only
/// at the end, so the places shown are kept in a temporary file (not in
/// memory) and printed after it.
pub struct AuditView {
    filter: AuditFilter,
    paint: Paint,
    short: Vec<String>,
    places: io::BufWriter<std::fs::File>,
    counts: AuditCounts,
}

impl AuditView {
    /// A view of the sources of `corpus`.
    pub fn new(corpus: &Corpus, filter: AuditFilter, paint: Paint) -> io::Result<AuditView> {
        let names: Vec<&str> = corpus.sources.iter().map(|s| s.name.as_str()).collect();
        Ok(AuditView {
            filter,
            paint,
            short: short_names(&names)
                .iter()
                .map(|name| escape(name).into_owned())
                .collect(),
            places: io::BufWriter::new(tempfile::tempfile()?),
            counts: AuditCounts::default(),
        })
    }

    /// Adds the disputed places of one cluster.
    pub fn add(&mut self, corpus: &Corpus, ap: &Apparatus) -> io::Result<()> {
        let (filter, paint) = (&self.filter, self.paint);
        let source_of = |m: usize| ap.members[m].source;
        let short_of = |m: usize| self.short[source_of(m).index()].clone();
        let mut shown: Vec<(&Site, String)> = Vec::new();
        for site in &ap.sites {
            self.counts.places += 1;
            let matches = (filter.categories.is_empty()
                || site
                    .readings
                    .iter()
                    .any(|r| filter.categories.contains(&r.category)))
                && (filter.sources.is_empty()
                    || site
                        .readings
                        .iter()
                        .any(|r| filter.sources.contains(&source_of(r.member))));
            if !matches {
                continue;
            }
            self.counts.matching += 1;
            if filter
                .limit
                .is_some_and(|l| self.counts.shown + shown.len() >= l)
            {
                continue;
            }
            shown.push((site, place_text(site, &short_of, paint)));
        }
        if shown.is_empty() {
            return Ok(());
        }
        self.counts.shown += shown.len();
        let out = &mut self.places;
        writeln!(out)?;
        writeln!(
            out,
            "{}  {}",
            paint.bold(&format!("cluster {}", ap.id.0)),
            paint.dim(&cluster_members(ap, &short_of))
        )?;
        // The longest category name (`transposition`).
        let category_columns = Category::ALL
            .iter()
            .map(|c| c.as_str().len())
            .max()
            .unwrap_or(0);
        let place_width = shown
            .iter()
            .map(|(_, text)| width(&unpainted(text)))
            .max()
            .unwrap_or(0)
            .min(PLACE_COLUMNS);
        for (site, text) in &shown {
            let plain = unpainted(text);
            let padding = " ".repeat(place_width.saturating_sub(width(&plain)));
            let categories = categories_of(site);
            let category_text: Vec<String> = categories
                .iter()
                .map(|&c| paint.category(c, c.as_str()))
                .collect();
            let plain_categories: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
            // Padded to the longest category name, so one-category places
            // line up their locations.
            let category_padding =
                " ".repeat(category_columns.saturating_sub(width(&plain_categories.join("/"))));
            writeln!(
                out,
                "  {text}{padding}  {}{category_padding}  {}",
                category_text.join("/"),
                paint.dim(&locations(corpus, ap, site))
            )?;
        }
        Ok(())
    }

    /// Writes the whole view: the summary line, the ranking, then the places.
    pub fn finish<W: io::Write>(self, analysis: &Analysis, mut out: W) -> io::Result<AuditCounts> {
        let AuditView {
            paint,
            short,
            places,
            counts,
            ..
        } = self;
        writeln!(
            out,
            "{} sources, {} paragraphs, {} clusters, {} disputed places ({} variant readings)",
            analysis.corpus.sources.len(),
            analysis.paragraphs(),
            analysis.totals.clusters,
            counts.places,
            analysis.totals.readings
        )?;
        writeln!(out)?;
        write_ranking(analysis, &short, paint, &mut out)?;
        if counts.places == 0 {
            writeln!(out)?;
            writeln!(
                out,
                "no disputed places: the sources agree wherever they overlap"
            )?;
            return Ok(counts);
        }
        let mut file = places.into_inner().map_err(|e| e.into_error())?;
        file.rewind()?;
        io::copy(&mut file, &mut out)?;
        if counts.shown < counts.places {
            writeln!(out)?;
            let mut note = format!("{} of {} places shown", counts.shown, counts.places);
            if counts.matching > counts.shown {
                note.push_str(&format!(
                    "; {} more match (raise --limit)",
                    counts.matching - counts.shown
                ));
            }
            if counts.matching < counts.places {
                note.push_str(&format!(
                    "; {} filtered out by --category/--source",
                    counts.places - counts.matching
                ));
            }
            writeln!(out, "{note}")?;
        }
        Ok(counts)
    }
}

/// The ranking table: every source, ranked ones first.
fn write_ranking<W: io::Write>(
    analysis: &Analysis,
    short: &[String],
    paint: Paint,
    out: &mut W,
) -> io::Result<()> {
    let (names, name_width) = shown_source_names(&analysis.corpus);
    let show_short = names.iter().zip(short).any(|(name, sh)| name != sh);
    let short_width = short.iter().map(|s| width(s)).max().unwrap_or(0).max(5);
    let mut ranked: Vec<_> = analysis.witnesses.iter().collect();
    ranked.sort_by_key(|w| (w.rank.is_none(), w.rank, w.source));
    let mut header = format!("rank  {}  ", pad("witness", name_width));
    if show_short {
        header.push_str(&format!("{}  ", pad("short", short_width)));
    }
    header.push_str("cer       reliability  deviations  minority  compared  formal");
    writeln!(out, "{}", paint.bold(&header))?;
    for w in ranked {
        let i = w.source.index();
        let rank = w.rank.map_or("-".to_string(), |r| r.to_string());
        let cer = w.cer.map_or("-".to_string(), |c| fixed(c, 6));
        let reliability = w.reliability.map_or("-".to_string(), |r| fixed(r, 6));
        let mut line = format!("{}  {}  ", pad_left(&rank, 4), pad(&names[i], name_width));
        if show_short {
            line.push_str(&format!("{}  ", pad(&short[i], short_width)));
        }
        line.push_str(&format!(
            "{}  {}  {}  {}  {}  {}",
            pad(&cer, 8),
            pad(&reliability, 11),
            pad_left(&w.deviations.to_string(), 10),
            pad_left(&w.minority.to_string(), 8),
            pad_left(&w.compared_chars.to_string(), 8),
            pad_left(&w.formal.total().to_string(), 6),
        ));
        writeln!(out, "{}", line.trim_end())?;
    }
    if let Some(reference) = &analysis.config.reference {
        writeln!(
            out,
            "(rates against the reference {}, which is not ranked)",
            escape(reference)
        )?;
    }
    if let Some(note) = ranking_note(analysis) {
        writeln!(out, "{note}")?;
    }
    Ok(())
}

/// `…context{consensus readers | reading witnesses | …}context…` for one
/// place, shown around its first reading's consensus; readings are
/// coloured by category. `short_of` names a member by its source's short
/// name.
fn place_text(site: &Site, short_of: &impl Fn(usize) -> String, paint: Paint) -> String {
    let first = &site.readings[0];
    // Readings in order of first appearance, each with its sources.
    let mut groups: Vec<(&str, Category, Vec<String>)> = Vec::new();
    for r in &site.readings {
        let name = short_of(r.member);
        match groups.iter_mut().find(|g| g.0 == r.text) {
            Some(g) => g.2.push(name),
            None => groups.push((&r.text, r.category, vec![name])),
        }
    }
    let mut readers: Vec<String> = site.lemma_members.iter().map(|&m| short_of(m)).collect();
    readers.sort();
    readers.dedup();
    let mut parts = vec![with_names(&shown_reading(&first.consensus), &readers)];
    for (reading, category, names) in &groups {
        let text = paint.category(*category, &shown_reading(reading));
        parts.push(with_names(&text, names));
    }
    // A tie, decided by the sources' reliability, shows as one: `≟`
    // between the readings instead of `|`.
    let separator = if site.tie { " ≟ " } else { " | " };
    format!(
        "{}{{{}}}{}",
        last_columns(&inline(&first.context_before), CONTEXT_COLUMNS),
        parts.join(separator),
        first_columns(&inline(&first.context_after), CONTEXT_COLUMNS)
    )
}

fn with_names(text: &str, names: &[String]) -> String {
    if names.is_empty() {
        text.to_string()
    } else {
        format!("{text} {}", names.join(","))
    }
}

/// A reading as shown: on one line and escaped, long ones shortened in
/// the middle, an omission as `∅`.
fn shown_reading(text: &str) -> String {
    let text = inline(text);
    let text = text.trim();
    if text.is_empty() {
        "∅".to_string()
    } else {
        middle(text, READING_COLUMNS)
    }
}

/// The categories of a place's readings, in [`Category::ALL`] order.
fn categories_of(site: &Site) -> Vec<Category> {
    Category::ALL
        .into_iter()
        .filter(|c| site.readings.iter().any(|r| r.category == *c))
        .collect()
}

/// `file:line:column` of each differing reading, each once.
fn locations(corpus: &Corpus, ap: &Apparatus, site: &Site) -> String {
    let mut seen = Vec::new();
    for r in &site.readings {
        let doc = &corpus.documents[ap.members[r.member].doc.index()];
        let at = format!("{}:{}:{}", escape_path(&doc.path), r.line, r.column);
        if !seen.contains(&at) {
            seen.push(at);
        }
    }
    seen.join(", ")
}

/// `001:25 002:19 004:15`: each member's source and first line.
fn cluster_members(ap: &Apparatus, short_of: &impl Fn(usize) -> String) -> String {
    ap.members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let role = match m.role {
                MemberRole::Witness => "",
                MemberRole::Fragment => " (fragment)",
                MemberRole::Duplicate => " (duplicate)",
            };
            format!("{}:{}{role}", short_of(i), m.line_start)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_codes_do_not_count_as_width() {
        let painted = Paint::new(true).category(Category::Deletion, "缅");
        assert_eq!(width(&unpainted(&painted)), 2);
    }

    #[test]
    fn a_place_lists_the_consensus_readers_then_each_reading() {
        let reading =
            |member: usize, text: &str, category: Category| crate::align::apparatus::Reading {
                member,
                text: text.into(),
                consensus: "缅".into(),
                exact: ("缅".into(), text.into()),
                at: 0..1,
                bytes: 0..3,
                line: 15,
                column: 218,
                category,
                support: 1,
                context_before: "的对话协商斡旋".into(),
                context_after: "北冲突各方".into(),
            };
        let site = Site {
            id: 1,
            bytes: 0..3,
            chars: 0..1,
            lemma: "缅".into(),
            lemma_members: vec![1, 0],
            witnesses: 4,
            tie: false,
            readings: vec![
                reading(2, "东", Category::Substitution),
                reading(3, "", Category::Deletion),
            ],
        };
        let names = ["001", "002", "004", "005"];
        let text = place_text(&site, &|m: usize| names[m].to_string(), Paint::new(false));
        assert_eq!(text, "对话协商斡旋{缅 001,002 | 东 004 | ∅ 005}北冲突各方");
        assert_eq!(
            categories_of(&site),
            [Category::Deletion, Category::Substitution]
        );
    }
}
