//! Page-by-page OCR evaluation records: one per pair of files (a reference
//! and a text measured against it) and a total, as `diff --format csv|json`
//! prints them and `report --reference` writes them to `pages.csv`.
//!
//! ```text
//! kind,file_a,file_b,chars,edits,cer,substitutions,insertions,deletions,words,word_edits,wer,categories,chars_b,cer_longer,cer_alignment,fca
//! pair,19.txt,19.txt,1633,662,0.405389,512,61,89,262,198,0.755725,confusable:40 substitution:120 …
//! total,,,,19842,…
//! ```
//!
//! `cer` and `wer` are empty where they are undefined (a reference without
//! text or without words); the insertions are counted all the same.
//! `cer_longer` and `cer_alignment` divide the same edits by the longer
//! text's characters and by the alignment's length, both bounded by 1: the
//! denominators dinglehopper's users asked for (its issue #45). `fca` is
//! the flexible character accuracy (an accuracy, not an error rate: 1 is
//! perfect, and it falls below 0 when the errors outnumber the reference's
//! characters): the lines matched whatever their order ([`crate::fca`]);
//! empty where a page's matching is over its budget, and in a total that
//! holds such a page. In the JSON the rates are numbers (`null` where
//! undefined).
use std::io;

use serde::Serialize;

use super::fixed;
use crate::classify::Category;
use crate::compare::PageRecord;

/// A record as one line of the CSV (one object of the JSON).
fn row<'a>(r: &'a PageRecord, kind: &'static str) -> PageRow<'a> {
    let m = &r.measures;
    PageRow {
        kind,
        file_a: &r.file_a,
        file_b: &r.file_b,
        chars: m.chars,
        edits: m.edits,
        cer: m.cer(),
        substitutions: m.substitutions,
        insertions: m.insertions,
        deletions: m.deletions,
        words: m.words,
        word_edits: m.word_edits,
        wer: m.wer(),
        categories: Category::ALL
            .iter()
            .zip(r.categories)
            .filter(|&(_, n)| n > 0)
            .map(|(c, n)| format!("{}:{n}", c.as_str()))
            .collect::<Vec<_>>()
            .join(" "),
        chars_b: m.chars_b,
        cer_longer: m.cer_longer(),
        cer_alignment: m.cer_alignment(),
        fca: m.fca(),
    }
}

/// One line of the CSV (and one object of the JSON): the wire format.
#[derive(Serialize)]
struct PageRow<'a> {
    /// `pair` or `total`.
    kind: &'static str,
    file_a: &'a str,
    file_b: &'a str,
    chars: usize,
    edits: usize,
    cer: Option<f64>,
    substitutions: usize,
    insertions: usize,
    deletions: usize,
    words: usize,
    word_edits: usize,
    wer: Option<f64>,
    /// `category:count` separated by spaces.
    categories: String,
    /// The other text's characters.
    chars_b: usize,
    /// CER over the longer text's characters.
    cer_longer: Option<f64>,
    /// CER over the alignment's length.
    cer_alignment: Option<f64>,
    /// Flexible character accuracy.
    fca: Option<f64>,
}

/// Writes the records and their total as CSV.
pub fn write_csv<W: io::Write>(records: &[PageRecord], out: W) -> anyhow::Result<()> {
    write_groups(&[(None, records)], out)
}

/// Writes `report --reference`'s `pages.csv`: for each source measured
/// file by file, its records and its total, each line led by the source's
/// name (column `witness`); otherwise the columns of [`write_csv`].
pub fn write_csv_by_witness<W: io::Write>(
    groups: &[(&str, &[PageRecord])],
    out: W,
) -> anyhow::Result<()> {
    let led: Vec<(Option<&str>, &[PageRecord])> =
        groups.iter().map(|&(w, r)| (Some(w), r)).collect();
    write_groups(&led, out)
}

/// Each group's records and its total, led by a `witness` column when the
/// groups are named.
fn write_groups<W: io::Write>(
    groups: &[(Option<&str>, &[PageRecord])],
    out: W,
) -> anyhow::Result<()> {
    let named = groups.iter().any(|(w, _)| w.is_some());
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(out);
    let lead: &[&str] = if named { &["witness"] } else { &[] };
    w.write_record(lead.iter().chain(HEADER))?;
    for (witness, records) in groups {
        let total = PageRecord::total(records.iter());
        for row in records
            .iter()
            .map(|r| row(r, "pair"))
            .chain([row(&total, "total")])
        {
            let lead = witness.map(str::to_string);
            w.write_record(lead.into_iter().chain(fields(&row)))?;
        }
    }
    w.flush()?;
    Ok(())
}

/// The CSV columns of a record, in order.
const HEADER: &[&str] = &[
    "kind",
    "file_a",
    "file_b",
    "chars",
    "edits",
    "cer",
    "substitutions",
    "insertions",
    "deletions",
    "words",
    "word_edits",
    "wer",
    "categories",
    "chars_b",
    "cer_longer",
    "cer_alignment",
    "fca",
];

/// A row's fields as text, in [`HEADER`] order.
fn fields(r: &PageRow<'_>) -> Vec<String> {
    vec![
        r.kind.to_string(),
        r.file_a.to_string(),
        r.file_b.to_string(),
        r.chars.to_string(),
        r.edits.to_string(),
        rate(r.cer),
        r.substitutions.to_string(),
        r.insertions.to_string(),
        r.deletions.to_string(),
        r.words.to_string(),
        r.word_edits.to_string(),
        rate(r.wer),
        r.categories.clone(),
        r.chars_b.to_string(),
        rate(r.cer_longer),
        rate(r.cer_alignment),
        rate(r.fca),
    ]
}

/// A rate in the CSV: six decimals, empty where undefined.
fn rate(x: Option<f64>) -> String {
    x.map(|x| fixed(x, 6)).unwrap_or_default()
}

/// Writes the records, their total and the unpaired files as one JSON
/// object: `{"pairs": […], "total": {…}, "only_a": […], "only_b": […]}`.
pub fn write_json<W: io::Write>(
    records: &[PageRecord],
    only_a: &[String],
    only_b: &[String],
    mut out: W,
) -> anyhow::Result<()> {
    #[derive(Serialize)]
    struct Doc<'a> {
        pairs: Vec<PageRow<'a>>,
        total: PageRow<'a>,
        only_a: &'a [String],
        only_b: &'a [String],
    }
    let total = PageRecord::total(records);
    let doc = Doc {
        pairs: records.iter().map(|r| row(r, "pair")).collect(),
        total: row(&total, "total"),
        only_a,
        only_b,
    };
    serde_json::to_writer_pretty(&mut out, &doc)?;
    writeln!(out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::{CompareOptions, Side, compare};
    use crate::ingest::Document;
    use crate::model::{DocId, SourceId};
    use crate::normalize::NormalizeConfig;

    fn record(a: &str, b: &str) -> PageRecord {
        let side = |t: &str| {
            Side::new(
                Document::new(DocId(0), SourceId(0), "p.txt".into(), t.to_string()),
                &NormalizeConfig::default(),
            )
        };
        let c = compare(side(a), side(b), &CompareOptions::default());
        PageRecord::of("a/p.txt".into(), "b/p.txt".into(), &c, c.measures())
    }

    #[test]
    fn a_record_counts_edits_by_kind_and_words() {
        let r = record("the quick brown fox\n", "the quick brwn fax jumps\n");
        let m = r.measures;
        assert_eq!(m.chars, 19);
        // brown → brwn (1 deletion), fox → fax (1 substitution), ` jumps`
        // put in (6 insertions).
        assert_eq!((m.substitutions, m.insertions, m.deletions), (1, 6, 1));
        assert_eq!(m.edits, 8);
        assert_eq!((m.words, m.word_edits), (4, 3));
    }

    #[test]
    fn csv_has_one_row_per_pair_and_a_total() {
        let records = vec![record("abc def\n", "abc dex\n"), record("", "new text\n")];
        let mut out = Vec::new();
        write_csv(&records, &mut out).expect("written");
        let text = String::from_utf8(out).expect("utf-8");
        let rows: Vec<Vec<String>> = csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("a row").iter().map(str::to_string).collect())
            .collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0][0], "pair");
        assert_eq!(rows[0][5], "0.142857", "1 edit / 7 characters");
        assert_eq!(rows[0][13], "7");
        assert_eq!(
            rows[0][15], "0.142857",
            "1 edit over 7 matched or substituted"
        );
        // The empty reference: no CER, the insertions counted.
        assert_eq!(rows[1][3], "0");
        assert_eq!(rows[1][5], "");
        assert_eq!(rows[1][7], "8");
        // Bounded denominators are defined where the reference is empty.
        assert_eq!(
            (rows[1][14].as_str(), rows[1][15].as_str()),
            ("1.000000", "1.000000")
        );
        assert_eq!(rows[2][0], "total");
        assert_eq!(rows[2][4], "9");
        assert_eq!(rows[2][5], "1.285714", "9 edits / 7 characters");
    }

    #[test]
    fn csv_columns_are_the_json_fields() {
        let r = record("abc\n", "abd\n");
        let json = serde_json::to_value(row(&r, "pair")).expect("json");
        let keys: Vec<&str> = json
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut header = HEADER.to_vec();
        header.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(header, keys);
    }

    #[test]
    fn json_holds_pairs_total_and_unpaired_files() {
        let records = vec![record("abc\n", "abd\n")];
        let mut out = Vec::new();
        write_json(&records, &["x.txt".into()], &[], &mut out).expect("written");
        let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(v["pairs"][0]["edits"], 1);
        // Rates are numbers in the JSON, at full precision.
        assert_eq!(v["pairs"][0]["cer"].as_f64(), Some(1.0 / 3.0));
        assert!(v["pairs"][0]["cer_longer"].is_number());
        assert_eq!(v["total"]["kind"], "total");
        assert_eq!(v["only_a"][0], "x.txt");
    }
}
