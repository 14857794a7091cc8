//! `report.html`: the report to look at. One self-contained file (inline
//! CSS, SVG and a little JavaScript; no fonts, images or scripts fetched),
//! readable without JavaScript, in light and dark mode and in print.
//!
//! ```text
//! overview   sources ranked · CER bars · deviations by category · totals · settings · skipped
//! clusters   disputed first: witnesses aligned row by row, readings coloured by category,
//!            minority readings and ties marked, an anchor per variant (report.html#v7)
//! ```
//!
//! Every text from the inputs goes through maud's escaping. Large corpora
//! stay usable: at most [`PAGE_CLUSTERS`] clusters a page and
//! [`MAX_PAGES`] pages (`report.html`, `report-2.html`, …); the clusters
//! left out are counted on the first page, and `variants.csv` holds them.
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use maud::{DOCTYPE, Markup, PreEscaped, html};
use unicode_width::UnicodeWidthStr;

use super::table::AlignmentTable;
use crate::align::apparatus::Apparatus;
use crate::analysis::Analysis;
use crate::classify::Category;
use crate::cluster::MemberRole;
use crate::escape::{escape, escape_path};
use crate::ingest::Corpus;

/// Clusters on one page.
pub const PAGE_CLUSTERS: usize = 50;
/// Pages at most: the clusters past `PAGE_CLUSTERS × MAX_PAGES` are
/// counted, not shown.
pub const MAX_PAGES: usize = 10;
/// Display columns of one band of an aligned cluster.
const BAND_COLUMNS: usize = 64;
/// An agreed stretch longer than this many characters is shown by its ends.
const AGREED_SHOWN: usize = 80;
/// Characters kept at each end of a long agreed stretch.
const AGREED_ENDS: usize = 30;
/// Members shown per cluster; the rest are counted.
const MEMBERS_SHOWN: usize = 16;
/// Bands and sites shown per cluster: a cluster of long paragraphs with
/// thousands of sites shows its first ones, and counts the rest.
const BANDS_SHOWN: usize = 40;
/// See [`BANDS_SHOWN`].
const SITES_SHOWN: usize = 100;

/// A cluster's place in the order of the pages: the most disputed first
/// (ties, then readings outvoted by a bare majority, then sites), then by
/// number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Priority {
    ties: usize,
    sites: usize,
    cluster: Reverse<u32>,
}

/// One cluster kept for the pages: rendered only at the end, so that the
/// many that a more disputed one pushes out later cost a copy, not a page.
#[derive(Debug)]
struct Kept {
    priority: Priority,
    apparatus: Box<Apparatus>,
}

impl PartialEq for Kept {
    fn eq(&self, other: &Kept) -> bool {
        self.priority == other.priority
    }
}

impl Eq for Kept {}

impl PartialOrd for Kept {
    fn partial_cmp(&self, other: &Kept) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Kept {
    fn cmp(&self, other: &Kept) -> std::cmp::Ordering {
        self.priority.cmp(&other.priority)
    }
}

/// The HTML report being gathered: the clusters worth showing are rendered
/// as they pass and kept in a bounded heap; the pages are written at the
/// end, when the ranking is known.
#[derive(Debug)]
pub struct HtmlReport {
    short: Vec<String>,
    kept: BinaryHeap<Reverse<Kept>>,
    disputed: usize,
    capacity: usize,
}

/// A page written: its file name and its size in bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// `report.html`, `report-2.html`, …
    pub name: String,
    /// Its HTML.
    pub html: String,
}

impl HtmlReport {
    /// A report for the sources of `corpus`.
    pub fn new(corpus: &Corpus) -> HtmlReport {
        let names: Vec<&str> = corpus.sources.iter().map(|s| s.name.as_str()).collect();
        HtmlReport {
            short: crate::ingest::short_names(&names)
                .iter()
                .map(|n| escape(n).into_owned())
                .collect(),
            kept: BinaryHeap::new(),
            disputed: 0,
            capacity: PAGE_CLUSTERS * MAX_PAGES,
        }
    }

    /// Takes one cluster: kept if it is among the most disputed so far.
    pub fn add(&mut self, ap: &Apparatus) {
        if ap.sites.is_empty() {
            return;
        }
        self.disputed += 1;
        let priority = Priority {
            ties: ap.sites.iter().filter(|s| s.tie).count(),
            sites: ap.sites.len(),
            cluster: Reverse(ap.id.0),
        };
        if self.kept.len() >= self.capacity
            && self
                .kept
                .peek()
                .is_some_and(|Reverse(least)| least.priority >= priority)
        {
            return;
        }
        self.kept.push(Reverse(Kept {
            priority,
            apparatus: Box::new(ap.clone()),
        }));
        if self.kept.len() > self.capacity {
            self.kept.pop();
        }
    }

    /// The pages, the first with the overview.
    pub fn finish(self, analysis: &Analysis) -> Vec<Page> {
        let mut kept: Vec<Kept> = self.kept.into_iter().map(|Reverse(k)| k).collect();
        kept.sort_by_key(|k| Reverse(k.priority));
        let clusters: Vec<String> = kept
            .iter()
            .map(|k| cluster(&analysis.corpus, &self.short, &k.apparatus).into_string())
            .collect();
        let shown = clusters.len();
        let chunks: Vec<&[String]> = if clusters.is_empty() {
            vec![&[]]
        } else {
            clusters.chunks(PAGE_CLUSTERS).collect()
        };
        let names: Vec<String> = (0..chunks.len()).map(page_name).collect();
        // Where each cluster shown is, by number: a cluster_id of the CSV
        // files leads to its page.
        let mut index: Vec<(u32, usize)> = kept
            .iter()
            .enumerate()
            .map(|(i, k)| (k.apparatus.id.0, i / PAGE_CLUSTERS))
            .collect();
        index.sort_unstable();
        chunks
            .iter()
            .enumerate()
            .map(|(k, chunk)| Page {
                name: names[k].clone(),
                html: page(
                    analysis,
                    &self.short,
                    k,
                    &names,
                    chunk,
                    Shown {
                        shown,
                        disputed: self.disputed,
                    },
                    &index,
                )
                .into_string(),
            })
            .collect()
    }
}

/// Whether `name` is a further page of the report (`report-2.html`): an
/// earlier run's pages past this run's are removed with the set.
pub fn is_page(name: &str) -> bool {
    name.strip_prefix("report-")
        .and_then(|n| n.strip_suffix(".html"))
        .and_then(|n| n.parse::<usize>().ok())
        .is_some_and(|k| k >= 2 && page_name(k - 1) == name)
}

/// The file name of page `k` (from 0).
pub fn page_name(k: usize) -> String {
    if k == 0 {
        "report.html".to_string()
    } else {
        format!("report-{}.html", k + 1)
    }
}

#[derive(Clone, Copy)]
struct Shown {
    shown: usize,
    disputed: usize,
}

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/filter.js");

fn page(
    analysis: &Analysis,
    short: &[String],
    k: usize,
    names: &[String],
    clusters: &[String],
    shown: Shown,
    index: &[(u32, usize)],
) -> Markup {
    let corpus = &analysis.corpus;
    let first = k * PAGE_CLUSTERS + 1;
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                // Nothing is fetched: no style, script, font or image from
                // anywhere but this file.
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";
                meta name="color-scheme" content="light dark";
                title { "recension report: " (corpus.sources.len()) " sources" @if k > 0 { " (page " (k + 1) ")" } }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header {
                    h1 { "recension report" }
                    p.summary {
                        (corpus.sources.len()) " sources, " (analysis.paragraphs()) " paragraphs, "
                        (analysis.totals.clusters) " clusters, " (analysis.totals.sites) " variation sites, "
                        (analysis.totals.readings) " variant readings"
                    }
                    (pages_nav(k, names))
                }
                main {
                    @if k == 0 { (overview(analysis, short)) }
                    section #clusters {
                        h2 { "Clusters with variants" }
                        p.note {
                            @if shown.disputed == 0 {
                                "No cluster has a variant."
                            } @else {
                                "The most disputed first (ties, then the number of variation sites). "
                                "This page: " (first) "–" (first + clusters.len().saturating_sub(1))
                                " of " (shown.shown) " shown"
                                @if shown.disputed > shown.shown {
                                    "; " (shown.disputed - shown.shown) " more clusters with variants are not shown (variants.csv lists every reading)"
                                }
                                "."
                            }
                        }
                        @if k == 0 && names.len() > 1 {
                            details.index {
                                summary { "Where each cluster shown is, by number" }
                                p {
                                    @for (id, on) in index {
                                        a href=(format!("{}#c{id}", names[*on])) { (id) } " "
                                    }
                                }
                            }
                        }
                        div #filters {}
                        @for c in clusters { (PreEscaped(c)) }
                    }
                }
                footer { (pages_nav(k, names)) p { "recension " (env!("CARGO_PKG_VERSION")) } }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
}

fn pages_nav(k: usize, names: &[String]) -> Markup {
    html! {
        @if names.len() > 1 {
            nav.pages aria-label="pages" {
                "Pages: "
                @for (i, name) in names.iter().enumerate() {
                    @if i == k { strong { (i + 1) } } @else { a href=(name) { (i + 1) } }
                    " "
                }
            }
        }
    }
}

fn overview(analysis: &Analysis, short: &[String]) -> Markup {
    let corpus = &analysis.corpus;
    let mut ranked: Vec<&crate::stats::WitnessStats> = analysis.witnesses.iter().collect();
    ranked.sort_by_key(|w| (w.rank.is_none(), w.rank, w.source));
    let max_cer = ranked
        .iter()
        .filter_map(|w| w.cer)
        .fold(0.0f64, f64::max)
        .max(1e-9);
    let reference = analysis.reference;
    html! {
        section #overview {
            h2 { "Sources" }
            @if let Some(r) = reference {
                p.note { "Measured against the reference " code { (escape(&corpus.sources[r.index()].name)) } "." }
            }
            @if let Some(note) = super::ranking_note(analysis) { p.note { (note) } }
            table.rank {
                thead { tr {
                    th { "rank" } th { "source" } th.num { "CER" } th { "" } th.num { "reliability" }
                    th.num { "deviations" } th.num { "minority" } th.num { "ties" } th.num { "compared" }
                    @if reference.is_some() { th.num { "coverage" } }
                } }
                tbody {
                    @for w in &ranked {
                        tr data-source=(w.source.index()) {
                            td { @if let Some(r) = w.rank { (r) } @else { "–" } }
                            td { span.src { (short[w.source.index()]) } " " small { (escape(&corpus.sources[w.source.index()].name)) } }
                            td.num { @if let Some(c) = w.cer { (format!("{c:.6}")) } @else { "–" } }
                            td { (cer_bar(w.cer, max_cer)) }
                            td.num { @if let Some(r) = w.reliability { (format!("{r:.6}")) } @else { "–" } }
                            td.num { (w.deviations) } td.num { (w.minority) } td.num { (w.ties) }
                            td.num { (w.compared_chars) }
                            @if reference.is_some() {
                                td.num { @if let Some(c) = w.coverage { (format!("{c:.4}")) } @else { "–" } }
                            }
                        }
                    }
                }
            }
            h2 { "Deviations by category" }
            (category_chart(short, &ranked))
            h2 { "Totals" }
            dl.totals {
                dt { "paragraphs" } dd { (analysis.paragraphs()) }
                dt { "clusters" } dd { (analysis.totals.clusters) }
                dt { "variation sites" } dd { (analysis.totals.sites) }
                dt { "variant readings" } dd { (analysis.totals.readings) }
                @for (name, n) in super::category_counts(analysis) {
                    dt { span class=(format!("sw k-{name}")) {} (name) } dd { (n) }
                }
            }
            details {
                summary { "Settings" }
                dl.settings {
                    @for (key, value) in flat_settings(&super::json::settings_value(&analysis.config)) {
                        dt { (key) } dd { (escape(&value)) }
                    }
                }
            }
            @if !corpus.skipped.is_empty() {
                details open {
                    summary { "Skipped inputs (" (corpus.skipped.len()) ")" }
                    ul.skipped {
                        @for s in &corpus.skipped {
                            li { code { (escape_path(&s.path)) } ": " (escape(&s.reason)) }
                        }
                    }
                }
            }
        }
    }
}

/// `settings` as `key = value` pairs, nested objects as dotted keys.
fn flat_settings(value: &serde_json::Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    fn walk(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let key = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&key, v, out);
                }
            }
            serde_json::Value::String(s) => out.push((prefix.to_string(), s.clone())),
            other => out.push((prefix.to_string(), other.to_string())),
        }
    }
    walk("", value, &mut out);
    out
}

/// A horizontal bar for a CER, scaled to the largest.
fn cer_bar(cer: Option<f64>, max: f64) -> Markup {
    let width = cer.map_or(0.0, |c| 120.0 * c / max);
    html! {
        svg.bar width="120" height="10" viewBox="0 0 120 10" role="img" aria-label=(cer.map_or("no CER".to_string(), |c| format!("CER {c:.6}"))) {
            rect.track x="0" y="1" width="120" height="8" {}
            rect.cer x="0" y="1" width=(format!("{width:.2}")) height="8" {}
        }
    }
}

/// One stacked bar per source: its variant readings by category.
fn category_chart(short: &[String], ranked: &[&crate::stats::WitnessStats]) -> Markup {
    let max = ranked
        .iter()
        .map(|w| w.categories.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let used: Vec<usize> = (0..Category::ALL.len())
        .filter(|&c| ranked.iter().any(|w| w.categories[c] > 0))
        .collect();
    let row_h = 18;
    let label_w = 90.0;
    let bar_w = 360.0;
    let height = row_h * ranked.len() + 4;
    html! {
        svg.chart width=(label_w + bar_w + 60.0) height=(height) viewBox=(format!("0 0 {} {height}", label_w + bar_w + 60.0)) role="img" aria-label="variant readings by category, per source" {
            @for (i, w) in ranked.iter().enumerate() {
                @let y = i * row_h + 2;
                text x="0" y=(y + 12) { (short[w.source.index()]) }
                @let segments = stacked(&w.categories, &used, label_w, bar_w / max as f64);
                @for (x, width, c, n) in &segments {
                    rect class=(format!("k-{}", Category::ALL[*c].as_str())) x=(format!("{x:.2}")) y=(y) width=(format!("{width:.2}")) height="14" {
                        title { (short[w.source.index()]) ": " (n) " " (Category::ALL[*c].as_str()) }
                    }
                }
                @let x = segments.last().map_or(label_w, |(x, width, ..)| x + width);
                text x=(format!("{:.2}", x + 4.0)) y=(y + 12) { (w.categories.iter().sum::<usize>()) }
            }
        }
        @if used.is_empty() { p.note { "No variant readings." } }
        ul.legend {
            @for &c in &used {
                li { span class=(format!("sw k-{}", Category::ALL[c].as_str())) {} (Category::ALL[c].as_str()) }
            }
        }
    }
}

/// The segments of one stacked bar: (x, width, category, count) for each
/// category of `used` with a count, `scale` pixels a reading, from `x0`.
fn stacked(counts: &[usize], used: &[usize], x0: f64, scale: f64) -> Vec<(f64, f64, usize, usize)> {
    let mut x = x0;
    let mut out = Vec::new();
    for &c in used {
        if counts[c] > 0 {
            let width = scale * counts[c] as f64;
            out.push((x, width, c, counts[c]));
            x += width;
        }
    }
    out
}

/// One cluster: the witnesses aligned in bands, then its variation sites.
fn cluster(corpus: &Corpus, short: &[String], ap: &Apparatus) -> Markup {
    let table = AlignmentTable::new(ap);
    let mut categories: Vec<&str> = ap
        .sites
        .iter()
        .flat_map(|s| s.readings.iter().map(|r| r.category.as_str()))
        .collect();
    categories.sort_unstable();
    categories.dedup();
    let mut sources: Vec<usize> = ap
        .sites
        .iter()
        .flat_map(|s| {
            s.readings
                .iter()
                .map(|r| ap.members[r.member].source.index())
        })
        .collect();
    sources.sort_unstable();
    sources.dedup();
    let rows: Vec<&super::table::Row> = table.rows.iter().take(MEMBERS_SHOWN).collect();
    let hidden = table.rows.len() - rows.len();
    let label = |m: usize| {
        let member = &ap.members[m];
        let mut s = short[member.source.index()].clone();
        if member.role != MemberRole::Witness {
            s.push_str(&format!(" ({})", member.role.as_str()));
        }
        s
    };
    let place = |m: usize| {
        let member = &ap.members[m];
        let doc = &corpus.documents[member.doc.index()];
        if member.line_start == member.line_end {
            format!("{}:{}", escape_path(&doc.path), member.line_start)
        } else {
            format!(
                "{}:{}–{}",
                escape_path(&doc.path),
                member.line_start,
                member.line_end
            )
        }
    };
    let mut bands = bands(ap, &table, &rows);
    let bands_hidden = bands.len().saturating_sub(BANDS_SHOWN);
    bands.truncate(BANDS_SHOWN);
    let sites_hidden = ap.sites.len().saturating_sub(SITES_SHOWN);
    html! {
        article.cluster id=(format!("c{}", ap.id.0)) data-categories=(categories.join(" ")) data-sources=(sources.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(" ")) {
            h3 {
                a href=(format!("#c{}", ap.id.0)) { "Cluster " (ap.id.0) }
                small { " · " (ap.members.len()) " members · " (ap.sites.len()) " sites"
                    @if ap.sites.iter().any(|s| s.tie) { " · " span.tiemark { "tie" } } }
            }
            ul.members {
                @for m in 0..ap.members.len() {
                    li { span.src { (label(m)) } " " code { (place(m)) } }
                }
            }
            div.aligned {
                @for band in &bands {
                    table.band {
                        tr.consensus { th { "consensus" } @for cell in &band.consensus { (cell) } }
                        @for (r, row) in rows.iter().enumerate() {
                            tr data-source=(ap.members[row.member].source.index()) {
                                th { (label(row.member)) }
                                @for cell in &band.cells[r] { (cell) }
                            }
                        }
                    }
                }
                @if hidden > 0 { p.note { (hidden) " more members are not shown." } }
                @if bands_hidden > 0 { p.note { "The rest of the text (" (bands_hidden) " more rows of bands) is not shown." } }
            }
            ol.sites {
                @for site in ap.sites.iter().take(SITES_SHOWN) {
                    li id=(format!("v{}", site.id)) data-categories=(site_categories(site)) data-sources=(site.readings.iter().map(|r| ap.members[r.member].source.index().to_string()).collect::<Vec<_>>().join(" ")) {
                        a.anchor href=(format!("#v{}", site.id)) { "v" (site.id) }
                        " "
                        span.ctx { (escape(before(ap, site))) }
                        "{"
                        span.lem { @if site.lemma.is_empty() { "∅" } @else { (escape(&site.lemma)) } }
                        " " small { (site.lemma_members.iter().map(|&m| label(m)).collect::<Vec<_>>().join(", ")) }
                        @for (text, readers, category) in grouped(site) {
                            @if site.tie { " ≟ " } @else { " | " }
                            mark class=(format!("k-{category}")) { @if text.is_empty() { "∅" } @else { (escape(text)) } }
                            " " small { (readers.iter().map(|&m| label(m)).collect::<Vec<_>>().join(", ")) }
                        }
                        "}"
                        span.ctx { (escape(after(ap, site))) }
                        " "
                        span.cat { (site_categories(site)) }
                        @if site.tie { " " span.tiemark { "tie" } }
                        @for r in &site.readings {
                            " " code.pos { (escape_path(&corpus.documents[ap.members[r.member].doc.index()].path)) ":" (r.line) ":" (r.column) }
                        }
                    }
                }
            }
            @if sites_hidden > 0 { p.note { (sites_hidden) " more variation sites of this cluster are in variants.csv." } }
        }
    }
}

fn site_categories(site: &crate::align::apparatus::Site) -> String {
    let mut c: Vec<&str> = site.readings.iter().map(|r| r.category.as_str()).collect();
    c.sort_unstable();
    c.dedup();
    c.join(" ")
}

/// The site's readings grouped by text: (text, members, category).
fn grouped(site: &crate::align::apparatus::Site) -> Vec<(&str, Vec<usize>, &'static str)> {
    let mut out: Vec<(&str, Vec<usize>, &'static str)> = Vec::new();
    for r in &site.readings {
        match out.iter_mut().find(|(t, ..)| *t == r.text) {
            Some((_, members, _)) => {
                if !members.contains(&r.member) {
                    members.push(r.member);
                }
            }
            None => out.push((r.text.as_str(), vec![r.member], r.category.as_str())),
        }
    }
    out
}

/// Up to 12 characters of consensus text before the site.
fn before<'a>(ap: &'a Apparatus, site: &crate::align::apparatus::Site) -> &'a str {
    let text = &ap.text[..site.bytes.start];
    let start = text.char_indices().rev().nth(11).map_or(0, |(i, _)| i);
    &text[start..]
}

/// Up to 12 characters of consensus text after the site.
fn after<'a>(ap: &'a Apparatus, site: &crate::align::apparatus::Site) -> &'a str {
    let text = &ap.text[site.bytes.end..];
    let end = text.char_indices().nth(12).map_or(text.len(), |(i, _)| i);
    &text[..end]
}

/// One band of an aligned cluster: its consensus cells and each shown
/// row's cells.
struct Band {
    consensus: Vec<Markup>,
    cells: Vec<Vec<Markup>>,
}

/// The columns of the table cut into bands of about [`BAND_COLUMNS`]
/// display columns; long agreed stretches shown by their ends.
fn bands(ap: &Apparatus, table: &AlignmentTable, rows: &[&super::table::Row]) -> Vec<Band> {
    let chars: Vec<char> = ap.text.chars().collect();
    let mut out: Vec<Band> = Vec::new();
    let mut band = Band {
        consensus: Vec::new(),
        cells: vec![Vec::new(); rows.len()],
    };
    let mut used = 0;
    let flush = |band: &mut Band, out: &mut Vec<Band>| {
        if !band.consensus.is_empty() {
            out.push(std::mem::replace(
                band,
                Band {
                    consensus: Vec::new(),
                    cells: vec![Vec::new(); rows.len()],
                },
            ));
        }
    };
    for (c, col) in table.columns.iter().enumerate() {
        let consensus: String = chars[col.chars.clone()].iter().collect();
        if col.sites.is_empty() {
            // An agreed stretch: the same text in every row that covers it.
            let shown: Vec<String> = if col.chars.len() > AGREED_SHOWN {
                let head: String = chars[col.chars.start..col.chars.start + AGREED_ENDS]
                    .iter()
                    .collect();
                let tail: String = chars[col.chars.end - AGREED_ENDS..col.chars.end]
                    .iter()
                    .collect();
                vec![
                    head,
                    format!("⋯ {} characters ⋯", col.chars.len() - 2 * AGREED_ENDS),
                    tail,
                ]
            } else {
                vec![consensus]
            };
            for (k, piece) in shown.iter().enumerate() {
                let elided = shown.len() == 3 && k == 1;
                // The mark of an elision is one piece, never cut.
                let chunks = if elided {
                    vec![piece.clone()]
                } else {
                    wrap(piece, BAND_COLUMNS, used)
                };
                for chunk in chunks {
                    let width = chunk.width();
                    if used > 0 && used + width > BAND_COLUMNS {
                        flush(&mut band, &mut out);
                        used = 0;
                    }
                    band.consensus.push(agreed_cell(&chunk, elided));
                    for (r, row) in rows.iter().enumerate() {
                        band.cells[r].push(if row.cells[c].is_some() {
                            agreed_cell(&chunk, elided)
                        } else {
                            html! { td.gap {} }
                        });
                    }
                    used += width;
                }
            }
        } else {
            let width = rows
                .iter()
                .filter_map(|row| row.cells[c].as_deref())
                .map(|t| t.width())
                .chain([consensus.width(), 1])
                .max()
                .unwrap_or(1);
            if used > 0 && used + width > BAND_COLUMNS {
                flush(&mut band, &mut out);
                used = 0;
            }
            let ids: Vec<u64> = col.sites.iter().map(|&s| ap.sites[s].id).collect();
            let tie = col.sites.iter().any(|&s| ap.sites[s].tie);
            band.consensus.push(html! {
                td.site.lem.tie[tie] { a href=(format!("#v{}", ids[0])) { @if consensus.is_empty() { "∅" } @else { (escape(&consensus)) } } }
            });
            for (r, row) in rows.iter().enumerate() {
                let cell = match row.cells[c].as_deref() {
                    None => html! { td.gap {} },
                    Some(text) => {
                        let reading = col
                            .sites
                            .iter()
                            .flat_map(|&s| ap.sites[s].readings.iter())
                            .find(|rd| rd.member == row.member);
                        match reading {
                            None => html! { td.site.agrees { (escape(text)) } },
                            Some(rd) => {
                                let minority =
                                    !tie && rd.support * 2 <= ap.sites[col.sites[0]].witnesses;
                                let mut class = format!("k-{}", rd.category.as_str());
                                if minority {
                                    class.push_str(" minority");
                                }
                                if tie {
                                    class.push_str(" tie");
                                }
                                html! {
                                    td.site {
                                        mark class=(class) title=(rd.category.as_str()) {
                                            @if text.is_empty() { "∅" } @else { (escape(text)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                };
                band.cells[r].push(cell);
            }
            used += width;
        }
    }
    flush(&mut band, &mut out);
    out
}

fn agreed_cell(text: &str, elided: bool) -> Markup {
    html! { td.agreed.elided[elided] { (escape(text)) } }
}

/// `text` cut into pieces that fit the band: the first in what is left of
/// the current one (`used` columns taken), the others whole bands.
fn wrap(text: &str, columns: usize, used: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut piece = String::new();
    let mut room = columns.saturating_sub(used);
    if room == 0 {
        room = columns;
    }
    let mut width = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if width + w > room && !piece.is_empty() {
            out.push(std::mem::take(&mut piece));
            width = 0;
            room = columns;
        }
        piece.push(c);
        width += w;
    }
    if !piece.is_empty() {
        out.push(piece);
    }
    out
}
