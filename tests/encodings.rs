//! Files in other encodings read as the same text: seed 001 in UTF-8,
//! GB18030 and UTF-16LE gives the same paragraphs (issue 5). The fixtures
//! are written by `scripts/make_encoding_fixtures.py`.
mod common;

use std::path::Path;

use common::{fixture, recension, sample};
use serde_json::Value;

/// The output of `recension paragraphs FILE`, one JSON object per
/// paragraph, without the fields that name the file.
fn paragraphs(file: &Path) -> Vec<Value> {
    let out = recension().arg("paragraphs").arg(file).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).expect("UTF-8 output");
    stdout
        .lines()
        .map(|line| {
            let mut value: Value = serde_json::from_str(line).expect("one JSON object a line");
            let object = value.as_object_mut().expect("a JSON object");
            for name in ["source", "file"] {
                assert!(object.remove(name).is_some(), "no {name:?} in {line}");
            }
            value
        })
        .collect()
}

#[test]
fn seed_reads_the_same_in_gb18030_and_utf16() {
    let utf8 = paragraphs(&sample().join("001_df2ad415fbb60e3c.txt"));
    assert!(utf8.len() > 10, "seed 001 has many paragraphs");
    for name in ["seed001.gb18030.txt", "seed001.utf16.txt"] {
        let other = paragraphs(&fixture("encodings").join(name));
        assert_eq!(other.len(), utf8.len(), "{name}: paragraph count");
        for (i, (a, b)) in utf8.iter().zip(&other).enumerate() {
            assert_eq!(a, b, "{name}: paragraph {i} differs from the UTF-8 seed");
        }
    }
}

#[test]
fn western_legacy_text_is_read_not_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("latin1.txt");
    // "Le café est très bon." in windows-1252 (and ISO-8859-1).
    std::fs::write(&file, b"Le caf\xe9 est tr\xe8s bon.\r\n").unwrap();
    let texts: Vec<Value> = paragraphs(&file)
        .into_iter()
        .map(|p| p["text"].clone())
        .collect();
    assert_eq!(texts, ["Le café est très bon."]);
}
