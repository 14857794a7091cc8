//! The alignment table of one cluster, CollateX's shape: one row per
//! collated member, one column per aligned segment (a stretch every
//! covering member reads alike, or a variation site), each cell what the
//! member reads there.
//!
//! ```text
//!            | …伊朗历史性和解，斡旋 | 缅 | 北达成停火协议，… |
//! 001 (15)   | …伊朗历史性和解，斡旋 | 缅 | 北达成停火协议，… |
//! 004 (15)   | …伊朗历史性和解，斡旋 | 东 | 北达成停火协议,…  |
//! ```
//!
//! A cell is `None` where the member does not cover the column (a fragment,
//! a truncated copy), and empty where it omits the text. A member whose
//! coverage ends inside a variation site has no cell there: the apparatus
//! records readings only of the members that cover a site whole. The HTML report,
//! the TEI and `alignment.csv` are drawn from it.
use std::ops::Range;

use serde::Serialize;

use crate::align::apparatus::Apparatus;

/// One column: characters of the consensus text, and the sites in them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Its characters in [`Apparatus::text`] (empty for an insertion some
    /// members make).
    pub chars: Range<usize>,
    /// The sites it holds (indices into [`Apparatus::sites`]); empty for
    /// an agreed stretch. Overlapping sites share one column.
    pub sites: Vec<usize>,
}

/// One row: a collated member and its cells.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The member (index into [`Apparatus::members`]).
    pub member: usize,
    /// Its text per column, as written where it differs and as the
    /// consensus text writes it elsewhere; `None` where it does not cover
    /// the column.
    pub cells: Vec<Option<String>>,
}

/// The alignment table of one cluster.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AlignmentTable {
    /// The columns, in text order.
    pub columns: Vec<Column>,
    /// One row per collated member, in member order (duplicates, which are
    /// not collated, have none).
    pub rows: Vec<Row>,
}

impl AlignmentTable {
    /// The table of `apparatus`.
    pub fn new(apparatus: &Apparatus) -> AlignmentTable {
        let chars: Vec<char> = apparatus.text.chars().collect();
        // Overlapping sites (formal differences kept inside another site)
        // make one column.
        let mut groups: Vec<(Range<usize>, Vec<usize>)> = Vec::new();
        for (k, site) in apparatus.sites.iter().enumerate() {
            match groups.last_mut() {
                Some((r, sites))
                    if site.chars.start < r.end
                        || (site.chars.start == site.chars.end
                            && r.start == r.end
                            && site.chars.start == r.start) =>
                {
                    r.end = r.end.max(site.chars.end);
                    sites.push(k);
                }
                _ => groups.push((site.chars.clone(), vec![k])),
            }
        }
        // Agreed stretches are cut where some member's coverage begins or
        // ends, so a cell is covered whole or not at all.
        let mut cuts: Vec<usize> = vec![0, chars.len()];
        for m in &apparatus.members {
            if let Some(c) = &m.collation {
                cuts.extend([
                    c.coverage.start.min(chars.len()),
                    c.coverage.end.min(chars.len()),
                ]);
            }
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut columns: Vec<Column> = Vec::new();
        let agreed = |from: usize, to: usize, columns: &mut Vec<Column>| {
            let mut at = from;
            for &cut in cuts.iter().filter(|&&c| c > from && c < to).chain([&to]) {
                if cut > at {
                    columns.push(Column {
                        chars: at..cut,
                        sites: Vec::new(),
                    });
                    at = cut;
                }
            }
        };
        let mut at = 0;
        for (range, sites) in groups {
            agreed(at, range.start.max(at), &mut columns);
            columns.push(Column {
                chars: range.clone(),
                sites,
            });
            at = at.max(range.end);
        }
        agreed(at, chars.len(), &mut columns);

        let rows = apparatus
            .members
            .iter()
            .enumerate()
            .filter_map(|(k, m)| {
                let coverage = m.collation.as_ref()?.coverage.clone();
                let cells = columns
                    .iter()
                    .map(|col| {
                        let covered =
                            coverage.start <= col.chars.start && col.chars.end <= coverage.end;
                        covered.then(|| cell(apparatus, &chars, col, k))
                    })
                    .collect();
                Some(Row { member: k, cells })
            })
            .collect();
        AlignmentTable { columns, rows }
    }
}

/// What member `m` reads in column `col`: the consensus characters with its
/// readings in the column put in their places.
fn cell(apparatus: &Apparatus, chars: &[char], col: &Column, m: usize) -> String {
    let mut readings: Vec<(Range<usize>, &str)> = col
        .sites
        .iter()
        .flat_map(|&s| apparatus.sites[s].readings.iter())
        .filter(|r| r.member == m)
        .map(|r| (r.at.clone(), r.exact.1.as_str()))
        .collect();
    readings.sort_by_key(|(at, _)| (at.start, at.end));
    let mut out = String::new();
    let mut at = col.chars.start;
    for (range, text) in readings {
        // Readings of one member do not overlap; one that would (a formal
        // difference inside another) is left to the first.
        if range.start < at {
            continue;
        }
        out.extend(&chars[at..range.start]);
        out.push_str(text);
        at = range.end;
    }
    out.extend(&chars[at..col.chars.end.max(at)]);
    out
}
