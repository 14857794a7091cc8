//! The `audit` view: the analysis of `report` for a person at a terminal.
//!
//! ```text
//! rank  witness               short  cer       deviations  minority  compared
//!    1  002_ed602138bd357a0a  002    0.005282          9         …
//!
//! cluster 8  001:25 002:19 004:15
//!   …对话协商，斡旋{缅 001,002 | 东 004}北冲突…  substitution  data/sample/004_….txt:15:218
//! ```
//!
//! Each disputed place shows the consensus with the sources that read it,
//! then every other reading with its sources, between up to
//! [`CONTEXT_COLUMNS`] columns of consensus text on each side. Columns are
//! measured in terminal cells, so Chinese text lines up.
use std::collections::BTreeSet;
use std::io;

use super::paint::{Paint, first_columns, last_columns, middle, one_line, pad, pad_left, width};
use super::{VariantRow, consensus_readers, fixed};
use crate::chars::is_word_char;
use crate::classify::Category;
use crate::ingest::short_names;
use crate::model::SourceId;
use crate::pipeline::Analysis;

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

/// Writes the audit view.
pub fn write_audit<W: io::Write>(
    analysis: &Analysis,
    variants: &[VariantRow],
    filter: &AuditFilter,
    paint: Paint,
    mut out: W,
) -> io::Result<AuditCounts> {
    let names: Vec<&str> = analysis
        .corpus
        .sources
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    let short = short_names(&names);
    let short_of = |name: &str| -> String {
        names
            .iter()
            .position(|n| *n == name)
            .map_or_else(|| name.to_string(), |i| short[i].clone())
    };
    let places: Vec<&[VariantRow]> = variants
        .chunk_by(|a, b| a.variant_id == b.variant_id)
        .collect();

    writeln!(
        out,
        "{} sources, {} paragraphs, {} clusters, {} disputed places ({} variant readings)",
        analysis.corpus.sources.len(),
        analysis.paragraphs.len(),
        analysis.clusters.len(),
        places.len(),
        variants.len()
    )?;
    writeln!(out)?;
    write_ranking(analysis, &short, paint, &mut out)?;

    let wanted_sources: BTreeSet<&str> = filter.sources.iter().map(|s| names[s.index()]).collect();
    let matches = |rows: &[VariantRow]| {
        (filter.categories.is_empty()
            || rows
                .iter()
                .any(|r| filter.categories.iter().any(|c| c.as_str() == r.category)))
            && (wanted_sources.is_empty()
                || rows
                    .iter()
                    .any(|r| wanted_sources.contains(r.witness.as_str())))
    };
    let readers = consensus_readers(analysis);
    // The longest category name (`transposition`).
    let category_columns = Category::ALL
        .iter()
        .map(|c| c.as_str().len())
        .max()
        .unwrap_or(0);
    let mut counts = AuditCounts {
        places: places.len(),
        ..AuditCounts::default()
    };
    let mut shown: Vec<(&[VariantRow], String)> = Vec::new();
    for rows in places {
        if !matches(rows) {
            continue;
        }
        counts.matching += 1;
        if filter.limit.is_some_and(|l| shown.len() >= l) {
            continue;
        }
        let readers = &readers[rows[0].variant_id as usize - 1];
        shown.push((rows, place_text(rows, readers, &short_of, paint)));
    }
    counts.shown = shown.len();

    if counts.places == 0 {
        writeln!(out)?;
        writeln!(
            out,
            "no disputed places: the sources agree wherever they overlap"
        )?;
        return Ok(counts);
    }
    for cluster_rows in shown.chunk_by(|a, b| a.0[0].cluster_id == b.0[0].cluster_id) {
        writeln!(out)?;
        let id = cluster_rows[0].0[0].cluster_id;
        writeln!(
            out,
            "{}  {}",
            paint.bold(&format!("cluster {id}")),
            paint.dim(&cluster_members(analysis, id, &short_of))
        )?;
        let place_width = cluster_rows
            .iter()
            .map(|(_, text)| width(&strip_color(text)))
            .max()
            .unwrap_or(0)
            .min(PLACE_COLUMNS);
        for (rows, text) in cluster_rows {
            let plain = strip_color(text);
            let padding = " ".repeat(place_width.saturating_sub(width(&plain)));
            let categories = categories_of(rows);
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
                paint.dim(&locations(rows))
            )?;
        }
    }
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

/// The ranking table: every source, ranked ones first.
fn write_ranking<W: io::Write>(
    analysis: &Analysis,
    short: &[String],
    paint: Paint,
    out: &mut W,
) -> io::Result<()> {
    let sources = &analysis.corpus.sources;
    let show_short = sources.iter().zip(short).any(|(s, sh)| s.name != *sh);
    let name_width = sources
        .iter()
        .map(|s| width(&s.name))
        .max()
        .unwrap_or(0)
        .max(width("witness"));
    let short_width = short.iter().map(|s| width(s)).max().unwrap_or(0).max(5);
    let mut ranked: Vec<_> = analysis.witnesses.iter().collect();
    ranked.sort_by_key(|w| (w.rank.is_none(), w.rank, w.source));
    let mut header = format!("rank  {}  ", pad("witness", name_width));
    if show_short {
        header.push_str(&format!("{}  ", pad("short", short_width)));
    }
    header.push_str("cer       deviations  minority  compared  formal");
    writeln!(out, "{}", paint.bold(&header))?;
    for w in ranked {
        let i = w.source.index();
        let rank = w.rank.map_or("-".to_string(), |r| r.to_string());
        let cer = w.cer.map_or("-".to_string(), |c| fixed(c, 6));
        let mut line = format!(
            "{}  {}  ",
            pad_left(&rank, 4),
            pad(&sources[i].name, name_width)
        );
        if show_short {
            line.push_str(&format!("{}  ", pad(&short[i], short_width)));
        }
        line.push_str(&format!(
            "{}  {}  {}  {}  {}",
            pad(&cer, 8),
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
            "(rates against the reference {reference}, which is not ranked)"
        )?;
    }
    Ok(())
}

/// `…context{consensus readers | reading witnesses | …}context…` for one
/// place; readings are coloured by category.
fn place_text(
    rows: &[VariantRow],
    readers: &[String],
    short_of: &impl Fn(&str) -> String,
    paint: Paint,
) -> String {
    let first = &rows[0];
    // Readings in order of first appearance, each with its sources.
    let mut groups: Vec<(&str, Category, Vec<String>)> = Vec::new();
    for r in rows {
        let category = Category::from_name(r.category).expect("rows name categories");
        let name = short_of(&r.witness);
        match groups.iter_mut().find(|g| g.0 == r.reading) {
            Some(g) => g.2.push(name),
            None => groups.push((&r.reading, category, vec![name])),
        }
    }
    let readers: Vec<String> = readers.iter().map(|n| short_of(n)).collect();
    // A place inside a Latin word shows the whole word (`{would | will}`,
    // not `w{ould | ill}`): the letters around it move in from the context.
    let texts =
        std::iter::once(first.consensus.as_str()).chain(rows.iter().map(|r| r.reading.as_str()));
    let starts_word = texts
        .clone()
        .any(|t| t.chars().next().is_some_and(is_word_char));
    let ends_word = texts
        .clone()
        .any(|t| t.chars().last().is_some_and(is_word_char));
    let before: Vec<char> = first.context_before.chars().collect();
    let after: Vec<char> = first.context_after.chars().collect();
    let lead = if starts_word {
        before
            .iter()
            .rev()
            .take_while(|&&c| is_word_char(c))
            .count()
    } else {
        0
    };
    let trail = if ends_word {
        after.iter().take_while(|&&c| is_word_char(c)).count()
    } else {
        0
    };
    let prefix: String = before[before.len() - lead..].iter().collect();
    let suffix: String = after[..trail].iter().collect();
    let whole = |t: &str| format!("{prefix}{t}{suffix}");
    let mut parts = vec![with_names(
        &shown_reading(&whole(&first.consensus)),
        &readers,
    )];
    for (reading, category, names) in &groups {
        let text = paint.category(*category, &shown_reading(&whole(reading)));
        parts.push(with_names(&text, names));
    }
    let before: String = before[..before.len() - lead].iter().collect();
    let after: String = after[trail..].iter().collect();
    format!(
        "{}{{{}}}{}",
        last_columns(&before, CONTEXT_COLUMNS),
        parts.join(" | "),
        first_columns(&after, CONTEXT_COLUMNS)
    )
}

fn with_names(text: &str, names: &[String]) -> String {
    if names.is_empty() {
        text.to_string()
    } else {
        format!("{text} {}", names.join(","))
    }
}

/// A reading as shown: on one line, long ones shortened in the middle, an
/// omission as `∅`.
fn shown_reading(text: &str) -> String {
    let text = one_line(text);
    if text.is_empty() {
        "∅".to_string()
    } else {
        middle(&text, READING_COLUMNS)
    }
}

/// The categories of a place's readings, in [`Category::ALL`] order.
fn categories_of(rows: &[VariantRow]) -> Vec<Category> {
    Category::ALL
        .into_iter()
        .filter(|c| rows.iter().any(|r| r.category == c.as_str()))
        .collect()
}

/// `file:line:column` of each differing reading, each file once per line.
fn locations(rows: &[VariantRow]) -> String {
    let mut seen = Vec::new();
    for r in rows {
        let at = format!("{}:{}:{}", r.file, r.line, r.column);
        if !seen.contains(&at) {
            seen.push(at);
        }
    }
    seen.join(", ")
}

/// `001:25 002:19 004:15`: each member's source and first line.
fn cluster_members(analysis: &Analysis, id: u32, short_of: &impl Fn(&str) -> String) -> String {
    // Clusters are in id order.
    let Ok(at) = analysis.clusters.binary_search_by_key(&id, |c| c.id.0) else {
        return String::new();
    };
    let cluster = &analysis.clusters[at];
    cluster
        .listed_members()
        .into_iter()
        .map(|(m, _)| {
            let para = &analysis.paragraphs[m.para.index()];
            let name = &analysis.corpus.sources[para.source.index()].name;
            let role = match m.role {
                crate::cluster::MemberRole::Witness => "",
                crate::cluster::MemberRole::Fragment => " (fragment)",
                crate::cluster::MemberRole::Duplicate => " (duplicate)",
            };
            format!("{}:{}{role}", short_of(name), para.line_start())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text without colour codes, to measure it.
fn strip_color(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_codes_do_not_count_as_width() {
        let painted = Paint::new(true).category(Category::Deletion, "缅");
        assert_eq!(width(&strip_color(&painted)), 2);
    }

    #[test]
    fn a_place_lists_the_consensus_readers_then_each_reading() {
        let row = |witness: &str, reading: &str, category: &'static str| VariantRow {
            variant_id: 1,
            cluster_id: 8,
            witness: witness.into(),
            file: format!("{witness}.txt"),
            line: 15,
            column: 218,
            category,
            consensus: "缅".into(),
            reading: reading.into(),
            support: 1,
            witnesses: 4,
            context_before: "的对话协商斡旋".into(),
            context_after: "北冲突各方".into(),
            tie: false,
        };
        let rows = [row("004", "东", "substitution"), row("005", "", "deletion")];
        let readers = ["001".to_string(), "002".to_string()];
        let text = place_text(&rows, &readers, &|n: &str| n.to_string(), Paint::new(false));
        assert_eq!(text, "对话协商斡旋{缅 001,002 | 东 004 | ∅ 005}北冲突各方");
        assert_eq!(locations(&rows), "004.txt:15:218, 005.txt:15:218");
        assert_eq!(
            categories_of(&rows),
            [Category::Deletion, Category::Substitution]
        );
    }
}
