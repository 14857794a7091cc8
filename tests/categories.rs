//! Readings and their categories on fixtures, one behaviour per case,
//! through the binary's `variants.csv` and `audit`, and in-process through
//! the apparatus: a swap next to punctuation is one transposition, a
//! category is judged on the whole reading, and the pieces of a split
//! paragraph never overlap.
mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{collate_all, fixture, quiet, read_csv, recension};
use recension::cluster::MemberRole;

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

/// The 1-based column of the first character of `needle` in `line`.
fn column_of(line: &str, needle: &str) -> String {
    let byte = line.find(needle).expect("the fixture holds it");
    (line[..byte].chars().count() + 1).to_string()
}

#[test]
fn swaps_next_to_punctuation_are_one_transposition_each() {
    // See: issue 17, "transpositions next to punctuation split": `28.%8`
    // and `majorc-ountry` came out as a deletion and an insertion around
    // the mark, `Chin'as` and `红、灯` as punctuation.
    let dir = fixture("transposition_punctuation");
    let rows = variant_rows(&dir);
    let got: Vec<[&str; 9]> = rows.iter().map(summary).collect();
    assert_eq!(
        got,
        [
            [
                "c",
                "1",
                "transposition",
                "China's",
                "Chin'as",
                "a'",
                "'a",
                "1",
                "3"
            ],
            ["c", "1", "transposition", "8%", "%8", "8%", "%8", "1", "3"],
            [
                "c",
                "1",
                "transposition",
                "major-country",
                "majorc-ountry",
                "-c",
                "c-",
                "1",
                "3"
            ],
            [
                "c",
                "1",
                "transposition",
                "灯、",
                "、灯",
                "灯、",
                "、灯",
                "1",
                "3"
            ],
        ]
    );
    // Each reading is located at its first differing character, and its
    // contexts are the consensus as written, case and all.
    let line = std::fs::read_to_string(dir.join("c.txt")).unwrap();
    let columns: Vec<&str> = rows.iter().map(|r| r["column"].as_str()).collect();
    assert_eq!(
        columns,
        [
            column_of(&line, "'as"),
            column_of(&line, "%8"),
            column_of(&line, "c-ountry"),
            column_of(&line, "、灯"),
        ]
    );
    assert_eq!(rows[0]["context_before"], " Beijing, ");
    assert_eq!(rows[0]["context_after"], " economy s");

    // `audit` shows the same four transpositions.
    let audit = recension()
        .arg("audit")
        .arg(&dir)
        .args(["--color", "never"])
        .output()
        .unwrap();
    let audit = String::from_utf8(audit.stdout).unwrap();
    let placed = audit
        .lines()
        .filter(|l| l.contains("c.txt:1:") && l.contains("transposition"))
        .count();
    assert_eq!(placed, 4, "{audit}");
}

#[test]
fn a_space_is_left_out_of_a_swap_only_where_the_consensus_writes_it_too() {
    // `%8 in` keeps the space the consensus writes after `8%` (and
    // normalization drops next to `%`): the reading is the two characters.
    // `th si` splits a word the consensus writes whole: its space is part
    // of the reading, completed to `th si` against `this`.
    let dir = tempfile::tempdir().unwrap();
    let same = "Officials said this is a plan for growth of 28.8% in the coming year.\n";
    let other = "Officials said th si is a plan for growth of 28.%8 in the coming year.\n";
    for (name, text) in [("a.txt", same), ("b.txt", same), ("c.txt", other)] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let rows = variant_rows(dir.path());
    let got: Vec<[&str; 9]> = rows.iter().map(summary).collect();
    assert_eq!(
        got,
        [
            [
                "c",
                "1",
                "transposition",
                "this",
                "th si",
                "is",
                " si",
                "1",
                "3"
            ],
            ["c", "1", "transposition", "8%", "%8", "8%", "%8", "1", "3"],
        ]
    );
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

#[test]
fn the_pieces_of_a_split_paragraph_never_overlap() {
    // See: issue 17, a false 19-character deletion: the second piece of a
    // paragraph `split` breaks in two was anchored on `平等…多极化` in
    // `平等有序的世界多极化`, 19 characters before where it comes from,
    // over the end of the first piece.
    let dir = fixture("split_fragments");
    let rows = variant_rows(&dir);
    let got: Vec<[&str; 9]> = rows.iter().map(summary).collect();
    assert_eq!(
        got,
        [
            ["split", "1", "deletion", "两", "", "两", "", "1", "3"],
            ["split", "3", "insertion", "", "就", "", "就", "1", "3"],
        ]
    );

    let (_, all, _) = collate_all(&quiet(vec![dir]));
    assert_eq!(all.len(), 1, "one cluster");
    let pieces: Vec<_> = all[0]
        .members
        .iter()
        .filter(|m| m.role == MemberRole::Fragment)
        .map(|m| {
            let c = m.collation.as_ref().expect("a fragment is aligned");
            (m.line_start, c.coverage.clone(), c.compared)
        })
        .collect();
    assert_eq!(pieces.len(), 2);
    let ((first_line, first, _), (second_line, second, compared)) =
        (pieces[0].clone(), pieces[1].clone());
    assert!(first_line < second_line);
    // In text order, meeting where the consensus has `。平`, and the second
    // compares every one of its characters but the one it adds.
    assert_eq!(first.end, second.start);
    let text = &all[0].text;
    let at = text.find("。平等的多极化").unwrap() + "。".len();
    assert_eq!(second.start, text[..at].chars().count());
    let second_text = std::fs::read_to_string(fixture("split_fragments").join("split.txt"))
        .unwrap()
        .lines()
        .nth(2)
        .unwrap()
        .chars()
        .count();
    assert_eq!(compared, second_text - 1);
}
