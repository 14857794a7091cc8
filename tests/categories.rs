//! Readings and their categories on fixtures, one behaviour per case,
//! through the binary's `variants.csv`: a category is judged on the whole
//! reading.
mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{fixture, read_csv, recension};

/// The rows of `variants.csv` of `report` on `dir`.
fn variant_rows(dir: &Path) -> Vec<BTreeMap<String, String>> {
    let out = tempfile::tempdir().unwrap();
    recension()
        .arg("report")
        .arg(dir)
        .arg("-o")
        .arg(out.path())
        .arg("-q")
        .assert()
        .success();
    read_csv(&out.path().join("variants.csv")).rows
}

/// A row's witness, line, category, consensus and reading (completed to
/// whole words), exact consensus and exact reading, support and witnesses.
fn summary(row: &BTreeMap<String, String>) -> [&str; 9] {
    [
        "witness",
        "line",
        "category",
        "consensus",
        "reading",
        "exact_consensus",
        "exact_reading",
        "support",
        "witnesses",
    ]
    .map(|column| row[column].as_str())
}

#[test]
fn a_category_is_judged_on_the_whole_reading() {
    // See: issue 17, "a 177-character block is `number` because it
    // contains a digit": a rewritten clause holding `3` is a substitution;
    // a change of numerals only, Han or Arabic, is a number.
    let rows = variant_rows(&fixture("number_whole_reading"));
    let got: Vec<[&str; 9]> = rows.iter().map(summary).collect();
    assert_eq!(
        got,
        [
            ["c", "1", "number", "三", "四", "三", "四", "1", "3"],
            ["c", "3", "number", "8", "5", "8", "5", "1", "3"],
            [
                "c",
                "5",
                "substitution",
                "推动两国关系不断迈上新台阶",
                "共同办好第3届双边论坛和友好年系列活动",
                "推动两国关系不断迈上新台阶",
                "共同办好第3届双边论坛和友好年系列活动",
                "1",
                "3"
            ],
        ]
    );
}
