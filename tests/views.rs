//! What users read: the CSV contract read back with types, report.json and
//! the audit view as snapshots, and the `diff` command.
mod common;

use std::path::Path;

use common::{CLUSTERS_HEADER, VARIANTS_HEADER, WITNESSES_HEADER, fixture, recension, sample};
use predicates::prelude::*;
use serde::Deserialize;

/// Runs `recension` in `tests/fixtures`, so the paths it reports are the
/// same on every machine.
fn in_fixtures() -> assert_cmd::Command {
    let mut cmd = recension();
    cmd.current_dir(fixture(""));
    cmd
}

fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.output().expect("runs").stdout).expect("UTF-8 output")
}

#[test]
fn report_json_of_the_small_fixture() {
    let out = tempfile::tempdir().unwrap();
    in_fixtures()
        .args(["report", "-q", "small", "-o"])
        .arg(out.path())
        .assert()
        .success();
    let json = std::fs::read_to_string(out.path().join("report.json")).unwrap();
    insta::assert_snapshot!("report_json_small", json);
    let lines = std::fs::read_to_string(out.path().join("apparatus.jsonl")).unwrap();
    insta::assert_snapshot!("apparatus_jsonl_small", lines);
}

#[test]
fn audit_view_of_the_small_fixture_in_plain_mode() {
    let text = stdout_of(in_fixtures().args(["audit", "small"]));
    insta::assert_snapshot!("audit_small", text);
}

#[test]
fn audit_of_the_sample_ranks_004_last_and_shows_the_disputed_place() {
    let text = stdout_of(recension().arg("audit").arg(sample()));
    let rank_of = |source: &str| -> usize {
        text.lines()
            .find(|l| {
                l.split_whitespace()
                    .nth(1)
                    .is_some_and(|w| w.starts_with(source))
            })
            .and_then(|l| l.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("{source} not ranked:\n{text}"))
    };
    assert!(rank_of("002_") < rank_of("004_"), "{text}");
    assert!(rank_of("001_") < rank_of("004_"), "{text}");
    assert!(text.contains("斡旋{缅 001,002 | 东 004}北"), "{text}");
    assert!(text.contains("多{边 001,002 | 场 004}峰"), "{text}");
    // Plain into a pipe: no colour codes.
    assert!(!text.contains('\x1b'), "{text}");
}

#[test]
fn audit_filters_by_source_and_category_and_limits() {
    let text = stdout_of(recension().arg("audit").arg(sample()).args([
        "--source",
        "004",
        "--category",
        "transposition",
    ]));
    let places: Vec<&str> = text.lines().filter(|l| l.contains('{')).collect();
    assert_eq!(places.len(), 1, "{text}");
    assert!(places[0].contains("{俄中 001,002 | 中俄 004}"), "{text}");

    let text = stdout_of(
        recension()
            .arg("audit")
            .arg(sample())
            .args(["--limit", "2"]),
    );
    assert_eq!(
        text.lines().filter(|l| l.contains('{')).count(),
        2,
        "{text}"
    );
    assert!(text.contains("2 of "), "{text}");
    assert!(text.contains("raise --limit"), "{text}");

    let text = stdout_of(
        recension()
            .arg("audit")
            .arg(sample())
            .args(["--color", "always", "--limit", "1"]),
    );
    assert!(text.contains("\x1b["), "--color always paints");
}

#[test]
fn audit_rejects_unknown_sources_and_categories() {
    recension()
        .arg("audit")
        .arg(sample())
        .args(["--source", "999"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--source 999: no such source"));
    recension()
        .arg("audit")
        .arg(sample())
        .args(["--category", "typo"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("substitution"));
}

#[test]
fn diff_of_002_and_004_exits_1_and_shows_the_changed_span() {
    let a = sample().join("002_ed602138bd357a0a.txt");
    let b = sample().join("004_3c0b0e0b6bb004f2.txt");
    let output = recension().arg("diff").arg(&a).arg(&b).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("出席三场多[-边-]{+场+}峰会"), "{text}");
    let header = text
        .lines()
        .take_while(|l| !l.contains("多[-边-]"))
        .last()
        .unwrap();
    assert!(
        header
            .starts_with("@@ 002_ed602138bd357a0a.txt:19 ↔ 004_3c0b0e0b6bb004f2.txt:15 @@ CER 0.0"),
        "{header}"
    );
    assert!(header.contains("substitution"), "{header}");
    assert!(text.contains("[-俄中-]{+中俄+}"), "{text}");
    let last = text.lines().last().unwrap();
    assert!(
        last.starts_with("27 of 44 paragraphs differ, 2 paragraphs only in the second; CER "),
        "{last}"
    );
    assert!(last.contains("; WER "), "{last}");
}

#[test]
fn diff_of_a_file_with_itself_exits_0() {
    let a = sample().join("001_df2ad415fbb60e3c.txt");
    let output = recension().arg("diff").arg(&a).arg(&a).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("0 of "), "{text}");
    assert!(text.contains("CER 0.000000 (0 edits"), "{text}");
    recension()
        .args(["diff", "-q"])
        .arg(&a)
        .arg(&a)
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn diff_pairs_directories_by_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("gt"), dir.path().join("ocr"));
    for d in [&a, &b] {
        std::fs::create_dir(d).unwrap();
    }
    std::fs::write(
        a.join("p1.txt"),
        "The quick brown fox jumps over the lazy dog.\n",
    )
    .unwrap();
    std::fs::write(
        b.join("p1.txt"),
        "The quick brovvn fox jumps over the lazy dog.\n",
    )
    .unwrap();
    std::fs::write(a.join("p2.txt"), "Nothing changes here at all.\n").unwrap();
    std::fs::write(b.join("p2.txt"), "Nothing changes here at all.\n").unwrap();
    std::fs::write(a.join("only.txt"), "Only the first has this.\n").unwrap();
    let output = recension().arg("diff").arg(&a).arg(&b).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("[-brown-]{+brovvn+}"), "{text}");
    assert!(text.contains("confusable"), "{text}");
    assert!(text.contains("only.txt"), "{text}");
    assert!(text.contains("1 of 2 file pairs differ"), "{text}");
    // w → vv is two edits (a substitution and an insertion) over the 72
    // normalized characters of the two paired files of A; the file only A
    // has is listed, not counted.
    assert!(
        text.contains("CER 0.027778 (2 edits / 72 characters)"),
        "{text}"
    );
}

#[test]
fn diff_gives_the_reason_report_gives_for_a_file_it_cannot_use() {
    let dir = tempfile::tempdir().unwrap();
    let (bad, good) = (dir.path().join("scan.txt"), dir.path().join("page.txt"));
    std::fs::write(&bad, b"PK\x03\x04\0\0binary").unwrap();
    std::fs::write(&good, "Some text.\n").unwrap();
    let reason = "binary file (contains NUL bytes)";
    recension()
        .args(["report", "-q", "-o"])
        .arg(dir.path().join("out"))
        .arg(&bad)
        .arg(&good)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("scan.txt: {reason}")));
    recension()
        .arg("diff")
        .arg(&bad)
        .arg(&good)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("scan.txt: {reason}")));
}

#[test]
fn diff_needs_two_files_or_two_directories() {
    recension()
        .arg("diff")
        .arg(sample())
        .arg(sample().join("001_df2ad415fbb60e3c.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("two files or two directories"));
    recension()
        .args(["diff", "no/such/a.txt", "no/such/b.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/a.txt"));
}

// The CSV contract read back with types: every column parses as what the
// README says it is.

#[derive(Debug, Deserialize)]
struct VariantCsv {
    variant_id: u64,
    cluster_id: u32,
    witness: String,
    file: String,
    line: u32,
    column: u32,
    category: String,
    consensus: String,
    reading: String,
    support: usize,
    witnesses: usize,
    context_before: String,
    context_after: String,
    tie: bool,
}

#[derive(Debug, Deserialize)]
struct ClusterCsv {
    cluster_id: u32,
    witness: String,
    file: String,
    line_start: u32,
    line_end: u32,
    role: String,
    similarity: f64,
    chars: usize,
    preview: String,
}

#[derive(Debug, Deserialize)]
struct WitnessCsv {
    witness: String,
    files: usize,
    paragraphs: usize,
    clustered: usize,
    compared_chars: usize,
    deviations: usize,
    minority: usize,
    ties: usize,
    cer: Option<f64>,
    rank: Option<u32>,
    formal: usize,
}

fn read_typed<T: for<'de> Deserialize<'de>>(path: &Path, header: &[&str]) -> Vec<T> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let got: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(got, header, "{}", path.display());
    reader
        .deserialize()
        .map(|r| r.unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect()
}

#[test]
fn every_csv_reads_back_with_its_types_and_a_known_row() {
    let out = tempfile::tempdir().unwrap();
    recension()
        .args(["report", "-q"])
        .arg(sample())
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();

    let variants: Vec<VariantCsv> = read_typed(&out.path().join("variants.csv"), &VARIANTS_HEADER);
    let row = variants
        .iter()
        .find(|r| r.consensus == "缅" && r.reading == "东")
        .expect("the 缅/东 row");
    assert!(row.witness.starts_with("004_"));
    assert!(row.file.ends_with("004_3c0b0e0b6bb004f2.txt"));
    assert_eq!((row.line, row.column), (15, 218));
    assert_eq!(row.category, "substitution");
    assert_eq!((row.support, row.witnesses, row.tie), (1, 3, false));
    assert!(row.context_before.ends_with("斡旋"));
    assert!(row.context_after.starts_with('北'));
    assert!(row.variant_id >= 1 && row.cluster_id >= 1);
    let ids: Vec<u64> = variants.iter().map(|r| r.variant_id).collect();
    assert!(ids.windows(2).all(|w| w[0] <= w[1]), "variant ids in order");

    let clusters: Vec<ClusterCsv> = read_typed(&out.path().join("clusters.csv"), &CLUSTERS_HEADER);
    let member = clusters
        .iter()
        .find(|r| r.witness.starts_with("001_") && r.line_start == 25)
        .expect("001's paragraph joined across a page break");
    assert_eq!(member.line_end, 41);
    assert_eq!(member.role, "witness");
    assert!(member.file.ends_with("001_df2ad415fbb60e3c.txt"));
    assert!((0.0..=1.0).contains(&member.similarity));
    assert!(member.chars > 100);
    assert!(member.preview.starts_with("一年来"), "{}", member.preview);
    assert!(
        clusters
            .iter()
            .filter(|r| r.cluster_id == member.cluster_id)
            .any(|r| r.witness.starts_with("004_"))
    );

    let witnesses: Vec<WitnessCsv> =
        read_typed(&out.path().join("witnesses.csv"), &WITNESSES_HEADER);
    let best = witnesses.iter().find(|w| w.rank == Some(1)).unwrap();
    assert!(best.witness.starts_with("002_"));
    assert_eq!(best.files, 1);
    assert!(best.paragraphs >= best.clustered && best.clustered > 0);
    assert!(best.compared_chars > 1000 && best.deviations >= best.minority + best.ties);
    assert!(best.cer.unwrap() < 0.01);
    // 003 shares no paragraph with another source: no rate, no rank
    // (empty cells, not NaN).
    let unranked = witnesses
        .iter()
        .find(|w| w.witness.starts_with("003_"))
        .unwrap();
    assert_eq!((unranked.cer, unranked.rank), (None, None));
    assert_eq!(unranked.formal, 0);
}
