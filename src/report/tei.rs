//! `report.tei.xml` (with `--tei`): the collation as TEI P5 parallel
//! segmentation, the form CollateX and Juxta export and editions take in.
//!
//! ```text
//! <listWit><witness xml:id="w2" n="001_df2a…">…</witness>…</listWit>
//! <ab xml:id="c9" n="9">…斡旋<app xml:id="v7"><lem wit="#w2 #w3">缅</lem>
//!   <rdg wit="#w5" type="substitution">东</rdg></app>北达成停火协议…</ab>
//! ```
//!
//! One `<ab>` per cluster: its consensus text as written, an `<app>` at each
//! variation site (sites that overlap make one, as in the alignment table)
//! with the consensus as `<lem>` and each other reading as a `<rdg>` of the
//! sources that read it, typed by its categories (`substitution`, or
//! `deletion+substitution` for two in one reading). At a tie the `<lem>`
//! is marked `cert="low"`: the sources' reliability chose it, not a
//! majority. A source that does not cover a site (a fragment, a truncated
//! copy) is in none of its readings. Written as the clusters pass.
use std::borrow::Cow;
use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::table::AlignmentTable;
use crate::align::apparatus::{Apparatus, Site};
use crate::ingest::Corpus;

/// The TEI namespace.
const TEI_NS: &str = "http://www.tei-c.org/ns/1.0";

/// The TEI being written: the header first, one `<ab>` per cluster, the
/// end at [`TeiWriter::finish`].
pub struct TeiWriter<W: Write> {
    out: Writer<W>,
    clusters: usize,
}

/// `text` as XML 1.0 may hold it: the characters it forbids even escaped
/// (C0 controls but tab, line feed and carriage return; U+FFFE, U+FFFF)
/// replaced by U+FFFD. Markup characters are escaped by the writer.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    let forbidden = |c: char| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if text.contains(forbidden) {
        Cow::Owned(
            text.chars()
                .map(|c| if forbidden(c) { '\u{FFFD}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// The `xml:id` of source `s`: source names may start with a digit, which
/// an XML name may not.
fn wit_id(s: usize) -> String {
    format!("w{}", s + 1)
}

impl<W: Write> TeiWriter<W> {
    /// Writes the header, with a `<witness>` per source of `corpus`, and
    /// opens the body.
    pub fn start(out: W, corpus: &Corpus) -> io::Result<TeiWriter<W>> {
        let mut w = Writer::new(out);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.write_event(Event::Text(BytesText::from_escaped("\n")))?;
        let mut tei = BytesStart::new("TEI");
        tei.push_attribute(("xmlns", TEI_NS));
        w.write_event(Event::Start(tei))?;
        w.create_element("teiHeader").write_inner_content(|w| {
            w.create_element("fileDesc").write_inner_content(|w| {
                w.create_element("titleStmt").write_inner_content(|w| {
                    let title = format!("Collation of {} sources", corpus.sources.len());
                    w.create_element("title")
                        .write_text_content(BytesText::new(&title))?;
                    Ok(())
                })?;
                w.create_element("publicationStmt")
                    .write_inner_content(|w| {
                        let by = format!("Written by recension {}.", env!("CARGO_PKG_VERSION"));
                        w.create_element("p")
                            .write_text_content(BytesText::new(&by))?;
                        Ok(())
                    })?;
                w.create_element("sourceDesc").write_inner_content(|w| {
                    w.create_element("listWit").write_inner_content(|w| {
                        for (k, s) in corpus.sources.iter().enumerate() {
                            let name = xml_safe(&s.name);
                            let path = s.path.to_string_lossy();
                            let label = format!("{name} ({})", xml_safe(&path));
                            w.create_element("witness")
                                .with_attribute(("xml:id", wit_id(k).as_str()))
                                .with_attribute(("n", name.as_ref()))
                                .write_text_content(BytesText::new(&label))?;
                        }
                        Ok(())
                    })?;
                    Ok(())
                })?;
                Ok(())
            })?;
            w.create_element("encodingDesc").write_inner_content(|w| {
                w.create_element("variantEncoding")
                    .with_attribute(("method", "parallel-segmentation"))
                    .with_attribute(("location", "internal"))
                    .write_empty()?;
                Ok(())
            })?;
            Ok(())
        })?;
        w.write_event(Event::Start(BytesStart::new("text")))?;
        w.write_event(Event::Start(BytesStart::new("body")))?;
        Ok(TeiWriter {
            out: w,
            clusters: 0,
        })
    }

    /// Writes one cluster as an `<ab>`: its consensus text with an `<app>`
    /// at each column of its alignment table that holds variation sites
    /// (sites that overlap make one).
    pub fn add(&mut self, ap: &Apparatus) -> io::Result<()> {
        let w = &mut self.out;
        self.clusters += 1;
        let table = AlignmentTable::new(ap);
        let chars: Vec<char> = ap.text.chars().collect();
        let wits = |members: &[usize]| -> String {
            let mut sources: Vec<usize> = members
                .iter()
                .map(|&m| ap.members[m].source.index())
                .collect();
            sources.sort_unstable();
            sources.dedup();
            sources
                .iter()
                .map(|&s| format!("#{}", wit_id(s)))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut ab = BytesStart::new("ab");
        let id = format!("c{}", ap.id.0);
        let n = ap.id.0.to_string();
        ab.push_attribute(("xml:id", id.as_str()));
        ab.push_attribute(("n", n.as_str()));
        w.write_event(Event::Text(BytesText::from_escaped("\n")))?;
        w.write_event(Event::Start(ab))?;
        for (c, column) in table.columns.iter().enumerate() {
            let lemma: String = chars[column.chars.clone()].iter().collect();
            if column.sites.is_empty() {
                w.write_event(Event::Text(BytesText::new(&xml_safe(&lemma))))?;
                continue;
            }
            let sites: Vec<&Site> = column.sites.iter().map(|&k| &ap.sites[k]).collect();
            let mut app = BytesStart::new("app");
            let id = format!("v{}", sites[0].id);
            app.push_attribute(("xml:id", id.as_str()));
            if sites.len() > 1 {
                let ids: Vec<String> = sites.iter().map(|s| s.id.to_string()).collect();
                app.push_attribute(("n", ids.join(" ").as_str()));
            }
            w.write_event(Event::Start(app))?;
            // The members that cover the column, grouped by what they read
            // there; a duplicate repeats its witness and has no row.
            let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
            for row in &table.rows {
                let Some(text) = row.cells[c].as_deref() else {
                    continue;
                };
                match groups.iter_mut().find(|(t, _)| *t == text) {
                    Some((_, members)) => members.push(row.member),
                    None => groups.push((text, vec![row.member])),
                }
            }
            let readers: Vec<usize> = groups
                .iter()
                .filter(|(t, _)| *t == lemma)
                .flat_map(|(_, m)| m.iter().copied())
                .collect();
            let mut lem = BytesStart::new("lem");
            let lemma_wit = wits(&readers);
            if !lemma_wit.is_empty() {
                lem.push_attribute(("wit", lemma_wit.as_str()));
            }
            if sites.iter().any(|s| s.tie) {
                lem.push_attribute(("cert", "low"));
            }
            w.write_event(Event::Start(lem))?;
            w.write_event(Event::Text(BytesText::new(&xml_safe(&lemma))))?;
            w.write_event(Event::End(BytesEnd::new("lem")))?;
            for (text, members) in groups.iter().filter(|(t, _)| *t != lemma) {
                // Its categories: those of the members' readings here.
                let mut categories: Vec<&str> = sites
                    .iter()
                    .flat_map(|s| s.readings.iter())
                    .filter(|r| members.contains(&r.member))
                    .map(|r| r.category.as_str())
                    .collect();
                categories.sort_unstable();
                categories.dedup();
                let wit = wits(members);
                let kind = categories.join("+");
                let mut rdg = BytesStart::new("rdg");
                rdg.push_attribute(("wit", wit.as_str()));
                if !kind.is_empty() {
                    rdg.push_attribute(("type", kind.as_str()));
                }
                w.write_event(Event::Start(rdg))?;
                w.write_event(Event::Text(BytesText::new(&xml_safe(text))))?;
                w.write_event(Event::End(BytesEnd::new("rdg")))?;
            }
            w.write_event(Event::End(BytesEnd::new("app")))?;
        }
        w.write_event(Event::End(BytesEnd::new("ab")))?;
        Ok(())
    }

    /// Closes the document and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        let w = &mut self.out;
        // A body holds something: with no cluster, one empty block.
        if self.clusters == 0 {
            w.write_event(Event::Empty(BytesStart::new("ab")))?;
        }
        w.write_event(Event::Text(BytesText::from_escaped("\n")))?;
        w.write_event(Event::End(BytesEnd::new("body")))?;
        w.write_event(Event::End(BytesEnd::new("text")))?;
        w.write_event(Event::End(BytesEnd::new("TEI")))?;
        w.write_event(Event::Text(BytesText::from_escaped("\n")))?;
        Ok(self.out.into_inner())
    }
}
