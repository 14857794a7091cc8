//! OCR evaluation against a reference: `report --reference` on files paired
//! by relative path, coverage, and `diff --format csv|json`, on real OCR
//! pages (`tests/fixtures/icdar2019_pl1`, CC BY) and on small made-up ones.
use std::path::Path;
use std::process::Command;

fn recension(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_recension"))
        .args(args)
        .output()
        .expect("recension runs");
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
        out.status.code().unwrap_or(-1),
    )
}

/// The rows of a CSV text, header first.
fn rows(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    r.records()
        .map(|x| x.expect("a row").iter().map(str::to_string).collect())
        .collect()
}

/// The value of `column` in the row where `key_column` is `key`.
fn cell(rows: &[Vec<String>], key_column: &str, key: &str, column: &str) -> String {
    let at = |name: &str| {
        rows[0]
            .iter()
            .position(|c| c == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let row = rows
        .iter()
        .find(|r| r[at(key_column)] == key)
        .unwrap_or_else(|| panic!("no row {key}"));
    row[at(column)].clone()
}

const REAL: &str = "tests/fixtures/icdar2019_pl1";

#[test]
fn report_with_a_reference_measures_every_page_as_diff_does() {
    let out = tempfile::tempdir().expect("a temporary directory");
    let o = out.path().to_str().expect("utf-8");
    let (gt, ocr) = (format!("{REAL}/gt"), format!("{REAL}/ocr"));
    let (summary, _, status) = recension(&["report", &gt, &ocr, "--reference", "gt", "-o", o]);
    assert_eq!(status, 0);
    assert!(
        summary
            .contains("ocr: measured on 100.0% of the reference's characters, by 12 files paired"),
        "{summary}"
    );
    let witnesses = rows(&std::fs::read_to_string(out.path().join("witnesses.csv")).expect("read"));
    let report_cer: f64 = cell(&witnesses, "witness", "ocr", "cer")
        .parse()
        .expect("a CER");
    assert_eq!(cell(&witnesses, "witness", "ocr", "coverage"), "1.000000");
    let pages = rows(&std::fs::read_to_string(out.path().join("pages.csv")).expect("read"));
    assert_eq!(pages.iter().filter(|r| r[1] == "pair").count(), 12);

    let (diff, _, status) = recension(&["diff", "--format", "csv", &gt, &ocr]);
    assert_eq!(status, 1, "the pages differ");
    let diff = rows(&diff);
    let diff_cer: f64 = cell(&diff, "kind", "total", "cer").parse().expect("a CER");
    assert!(
        (report_cer - diff_cer).abs() < 1e-6,
        "{report_cer} {diff_cer}"
    );
    // dinglehopper 0.11 gives 0.4168 over these pages (scripts/ocr_bench.py).
    assert!((diff_cer - 0.4168).abs() < 0.002, "{diff_cer}");
    // Every page's record: its CER is its edits over its characters.
    for r in diff.iter().skip(1).filter(|r| r[0] == "pair") {
        let (chars, edits): (f64, f64) = (r[3].parse().unwrap(), r[4].parse().unwrap());
        let cer: f64 = r[5].parse().unwrap();
        assert!((cer - edits / chars).abs() < 1e-6, "{r:?}");
        let kinds: usize = r[6..9].iter().map(|x| x.parse::<usize>().unwrap()).sum();
        assert_eq!(
            kinds,
            r[4].parse::<usize>().unwrap(),
            "the kinds add up: {r:?}"
        );
    }
}

/// A ground-truth folder and an engine's folder.
fn layout(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("created");
        std::fs::write(p, text).expect("written");
    }
}

#[test]
fn a_reference_page_the_engine_lacks_is_reported_as_not_measured() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    layout(
        dir.path(),
        &[
            ("gt/1.txt", "The first page of the book.\n"),
            (
                "gt/2.txt",
                "The second page, which the engine never read.\n",
            ),
            ("ocr/1.txt", "Tbe first page of the hook.\n"),
        ],
    );
    let out = dir.path().join("out");
    let (gt, ocr) = (dir.path().join("gt"), dir.path().join("ocr"));
    let (_, warnings, status) = recension(&[
        "report",
        "--quiet",
        gt.to_str().unwrap(),
        ocr.to_str().unwrap(),
        "--reference",
        "gt",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(status, 0);
    // On standard error, `--quiet` or not; too little measured to rank.
    assert!(
        warnings.contains(
            "recension: warning: ocr measured on 37.5% of the reference's characters, by 1 file paired"
        ),
        "{warnings}"
    );
    assert!(warnings.contains("not ranked"), "{warnings}");
    let witnesses = rows(&std::fs::read_to_string(out.join("witnesses.csv")).expect("read"));
    assert_eq!(
        cell(&witnesses, "witness", "ocr", "cer"),
        "0.074074",
        "2 edits / 27"
    );
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).expect("read"))
            .expect("json");
    let ocr_json = report["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .find(|s| s["witness"] == "ocr")
        .expect("ocr");
    let unmeasured = ocr_json["unmeasured"].as_array().expect("a list");
    assert_eq!(unmeasured.len(), 1);
    assert!(unmeasured[0].as_str().expect("a path").ends_with("2.txt"));
}

#[test]
fn a_block_spanning_two_reference_paragraphs_is_measured_against_both() {
    // The engine reads two paragraphs as one block with one error: the
    // CER is one edit over both paragraphs, not a paragraph counted as
    // inserted.
    let dir = tempfile::tempdir().expect("a temporary directory");
    layout(
        dir.path(),
        &[
            (
                "gt/p.txt",
                "The committee met on Tuesday morning.\n\nIt adopted the report without a vote.\n",
            ),
            (
                "ocr/p.txt",
                "The committee met on Tuesday morning. It adopted the repart without a vote.\n",
            ),
        ],
    );
    let (gt, ocr) = (dir.path().join("gt"), dir.path().join("ocr"));
    let (csv_text, _, _) = recension(&[
        "diff",
        "--format",
        "csv",
        gt.to_str().unwrap(),
        ocr.to_str().unwrap(),
    ]);
    let r = rows(&csv_text);
    assert_eq!(cell(&r, "kind", "pair", "edits"), "1");
    assert_eq!(cell(&r, "kind", "pair", "substitutions"), "1");
    let (json_text, _, _) = recension(&[
        "diff",
        "--format",
        "json",
        gt.to_str().unwrap(),
        ocr.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&json_text).expect("json");
    assert_eq!(v["pairs"][0]["file_a"], "p.txt");
    assert_eq!(v["total"]["edits"], 1);
}

/// Three ground-truth paragraphs; the engine breaks its blocks elsewhere:
/// its first block runs on into the second paragraph, its second holds the
/// rest of it and the third. Two letters are misread.
const GT_THREE: &str = "The committee met on Tuesday morning to hear the reports of the three delegations.\n\n\
    It adopted the budget for the coming year. The debate about the new library was long.\n\n\
    The chair thanked the members and closed the session shortly before noon that day.\n";
const OCR_TWO: &str = "The committee met on Tuesday morning to hear the reports of the three delegations. It adopted the budget for the coming year.\n\n\
    The debate about the new libary was long. The chair thanked the members and closed the sesion shortly before noon that day.\n";

#[test]
fn by_clusters_a_block_spanning_two_reference_paragraphs_is_split_across_them() {
    // Measured by clusters, each block is cut where the reference's
    // paragraph ends: the CER is the two misread letters, as `diff` counts
    // them over the whole page, not a run-on counted as inserted in one
    // cluster and missing from the next.
    let dir = tempfile::tempdir().expect("a temporary directory");
    layout(
        dir.path(),
        &[("gt/p.txt", GT_THREE), ("ocr/p.txt", OCR_TWO)],
    );
    let (gt, ocr) = (dir.path().join("gt"), dir.path().join("ocr"));
    let (json_text, _, _) = recension(&[
        "diff",
        "--format",
        "json",
        gt.to_str().unwrap(),
        ocr.to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_str(&json_text).expect("json");
    assert_eq!(v["total"]["edits"], 2);
    let paired: f64 = v["total"]["cer"].as_f64().expect("a CER");
    let out = dir.path().join("out");
    let (_, err, code) = recension(&[
        "report",
        gt.to_str().unwrap(),
        ocr.to_str().unwrap(),
        "--reference",
        "gt",
        "--measure-by",
        "clusters",
        "-q",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let witnesses = rows(&std::fs::read_to_string(out.join("witnesses.csv")).expect("read"));
    let cer: f64 = cell(&witnesses, "witness", "ocr", "cer")
        .parse()
        .expect("a CER");
    let coverage: f64 = cell(&witnesses, "witness", "ocr", "coverage")
        .parse()
        .expect("a share");
    assert!(
        (cer - paired).abs() < 0.002,
        "by clusters {cer}, by files {paired}"
    );
    assert_eq!(coverage, 1.0);
    // Either the block or the paragraph it spans is cut: here the
    // reference's second paragraph, whose two parts clusters.csv lists
    // with their own beginnings, each with the block that holds it.
    let clusters = rows(&std::fs::read_to_string(out.join("clusters.csv")).expect("read"));
    let at = |name: &str| clusters[0].iter().position(|c| c == name).expect(name);
    let second: Vec<(String, String)> = clusters[1..]
        .iter()
        .filter(|r| r[at("witness")] == "gt" && r[at("line_start")] == "3")
        .map(|r| (r[at("cluster_id")].clone(), r[at("preview")].clone()))
        .collect();
    assert_eq!(second.len(), 2, "{second:?}");
    assert_ne!(second[0].0, second[1].0);
    assert!(
        second[0].1.starts_with("It adopted the budget"),
        "{second:?}"
    );
    assert!(second[1].1.starts_with("The debate about"), "{second:?}");
}

#[test]
fn the_cluster_command_lists_the_parts_of_a_split_paragraph() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    layout(
        dir.path(),
        &[("gt/p.txt", GT_THREE), ("ocr/p.txt", OCR_TWO)],
    );
    let out = dir.path().join("out");
    let (_, err, code) = recension(&[
        "cluster",
        dir.path().join("gt").to_str().unwrap(),
        dir.path().join("ocr").to_str().unwrap(),
        "-q",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let table = rows(&std::fs::read_to_string(out.join("clusters.csv")).expect("read"));
    let at = |name: &str| table[0].iter().position(|c| c == name).expect(name);
    let mut by_cluster: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for r in &table[1..] {
        by_cluster
            .entry(r[at("cluster_id")].clone())
            .or_default()
            .push(format!(
                "{} {} {}",
                r[at("witness")],
                r[at("line_start")],
                r[at("preview")]
            ));
    }
    let clusters: Vec<Vec<String>> = by_cluster.into_values().collect();
    // The engine's two blocks, each with the reference's text for it: the
    // first paragraph and the start of the second, the rest of the second
    // and the third.
    assert_eq!(clusters.len(), 2, "{clusters:?}");
    assert!(
        clusters[0].contains(&"gt 3 It adopted the budget for the coming yea".to_string()),
        "{clusters:?}"
    );
    assert!(
        clusters[1].contains(&"gt 3 The debate about the new library was lon".to_string()),
        "{clusters:?}"
    );
    assert!(
        clusters[0].iter().any(|r| r.starts_with("ocr 1 ")),
        "{clusters:?}"
    );
    assert!(
        clusters[1].iter().any(|r| r.starts_with("ocr 3 ")),
        "{clusters:?}"
    );
}

/// Generates OCR pairs (`scripts/gen_ocr_pairs.py`) at `cer` with `seed`
/// and measures them with `report --reference gt` and `extra` options:
/// the injected rate, the measured one and the coverage.
fn measure_generated(cer: &str, seed: &str, extra: &[&str]) -> (f64, f64, f64) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let status = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen_ocr_pairs.py"))
        .args(["--cer", cer, "--seed", seed, "--out"])
        .arg(dir.path())
        .output()
        .expect("python3 runs");
    assert!(status.status.success(), "{status:?}");
    let truth: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("truth.json")).expect("read"),
    )
    .expect("json");
    let injected = truth["cer"].as_f64().expect("a rate");
    let out = dir.path().join("out");
    let (gt, ocr) = (dir.path().join("gt"), dir.path().join("ocr"));
    let mut args = vec![
        "report",
        gt.to_str().unwrap(),
        ocr.to_str().unwrap(),
        "--reference",
        "gt",
        "-q",
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (_, _, code) = recension(&args);
    assert_eq!(code, 0);
    let witnesses = rows(&std::fs::read_to_string(out.join("witnesses.csv")).expect("read"));
    let number = |column: &str| -> f64 {
        cell(&witnesses, "witness", "ocr", column)
            .parse()
            .expect("a number")
    };
    (injected, number("cer"), number("coverage"))
}

/// Generated OCR pairs measured by clusters, as when the engine's files
/// are named otherwise than the ground truth's: within 0.01 of the rate
/// injected up to a fifth of the characters misread.
#[test]
fn generated_ocr_pairs_measured_by_clusters_stay_near_the_injected_rate() {
    for (cer, seed) in [("0.05", "11"), ("0.1", "12"), ("0.2", "13")] {
        let (injected, measured, _) = measure_generated(cer, seed, &["--measure-by", "clusters"]);
        assert!(
            (measured - injected).abs() <= 0.01,
            "noise {cer}: measured {measured}, injected {injected}"
        );
    }
}

/// Generated OCR pairs (`scripts/gen_ocr_pairs.py`): noise at a known rate,
/// paragraphs run together, split and hard-wrapped otherwise than the
/// ground truth's. The reference-mode CER is within 0.005 of the rate
/// injected, and every character of the reference is measured.
#[test]
fn generated_ocr_pairs_measure_the_injected_rate() {
    for (cer, seed) in [("0.05", "11"), ("0.1", "12"), ("0.2", "13"), ("0.3", "14")] {
        let (injected, measured, coverage) = measure_generated(cer, seed, &[]);
        assert!(
            (measured - injected).abs() <= 0.005,
            "noise {cer}: measured {measured}, injected {injected}"
        );
        assert!(coverage >= 0.99, "noise {cer}: coverage {coverage}");
    }
}

#[test]
fn measuring_by_clusters_needs_a_reference() {
    let out = tempfile::tempdir().expect("a temporary directory");
    let (_, err, code) = recension(&[
        "report",
        "data/sample",
        "--measure-by",
        "clusters",
        "-o",
        out.path().join("r").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--reference"), "{err}");
}

#[test]
fn noisy_pages_cluster_with_the_ground_truth_of_their_own_path() {
    // Each ICDAR page is one paragraph, its OCR 0.1–1.4 off: under the 0.7
    // similarity that clusters versions, but a page's other version stands
    // in the file of the same name. Pages whose OCR is at least half alike
    // cluster with their own ground truth, and never with another page's.
    let out = tempfile::tempdir().expect("a temporary directory");
    let o = out.path().to_str().expect("utf-8");
    let (gt, ocr) = (format!("{REAL}/gt"), format!("{REAL}/ocr"));
    let (_, _, status) = recension(&["cluster", &gt, &ocr, "-o", o]);
    assert_eq!(status, 0);
    let table = rows(&std::fs::read_to_string(out.path().join("clusters.csv")).expect("read"));
    let at = |name: &str| table[0].iter().position(|c| c == name).expect(name);
    let mut clusters: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for r in &table[1..] {
        let file = Path::new(&r[at("file")])
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        clusters
            .entry(r[at("cluster_id")].clone())
            .or_default()
            .push(file);
    }
    for files in clusters.values() {
        assert_eq!(files.len(), 2, "{files:?}");
        assert_eq!(files[0], files[1], "two pages in one cluster");
    }
    // Pages 19, 20, 22, 31, 62, 81 and 85 (CER 0.12–0.42 by `diff`); the
    // OCR of 40, 84, 132, 133 and 134 is 0.56–1.42 off.
    assert!(clusters.len() >= 7, "{clusters:?}");
}

#[test]
fn flexible_accuracy_reads_regions_in_any_order() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let left = "The committee met on the morning of the fourth day\n\
                and heard the reports of the three delegations\n\
                before it turned to the question of the budget.\n";
    let right = "A second column prints the notices of the week:\n\
                 the library closes early on Friday afternoon,\n\
                 and the market moves to the northern square.\n";
    // The engine read the right-hand column first, and misread two letters
    // (`rn` for `m`, `l` for `i`).
    let engine = format!(
        "{}{}",
        right.replace("market", "rnarket"),
        left.replace("delegations", "delegatlons")
    );
    layout(
        dir.path(),
        &[
            ("gt/page.txt", &format!("{left}{right}")),
            ("ocr/page.txt", &engine),
        ],
    );
    let (gt, ocr) = (dir.path().join("gt"), dir.path().join("ocr"));
    let (gt, ocr) = (gt.to_str().unwrap(), ocr.to_str().unwrap());
    let (csv, _, status) = recension(&["diff", "--format", "csv", gt, ocr]);
    assert_eq!(status, 1);
    let diff = rows(&csv);
    let cer: f64 = cell(&diff, "kind", "total", "cer").parse().expect("a CER");
    let fca: f64 = cell(&diff, "kind", "total", "fca").parse().expect("an FCA");
    let chars: f64 = cell(&diff, "kind", "total", "chars")
        .parse()
        .expect("chars");
    // Read in order, the crossed columns are half the page's edits.
    assert!(cer > 0.3, "{cer}");
    // Line by line: `l` for `i` is one edit. `rn` for `m` makes the OCR
    // line a character longer; the paper matches a window of the shorter
    // line's length, so the shifted last character is deleted from it and
    // inserted as the line's rest: four.
    let edits = ((1.0 - fca) * chars).round();
    assert_eq!(edits, 5.0, "fca {fca}, {edits} edits of {chars}");

    // `report --reference --fca` gives the same figure; without `--fca`
    // the column is empty.
    let out = tempfile::tempdir().expect("a temporary directory");
    let o = out.path().to_str().unwrap();
    let (_, err, status) = recension(&["report", gt, ocr, "--reference", "gt", "--fca", "-o", o]);
    assert_eq!(status, 0, "{err}");
    let pages = rows(&std::fs::read_to_string(out.path().join("pages.csv")).expect("read"));
    assert_eq!(
        cell(&pages, "kind", "total", "fca"),
        cell(&diff, "kind", "total", "fca")
    );
    let (_, err, status) = recension(&["report", gt, ocr, "--reference", "gt", "-o", o]);
    assert_eq!(status, 0, "{err}");
    let pages = rows(&std::fs::read_to_string(out.path().join("pages.csv")).expect("read"));
    assert_eq!(cell(&pages, "kind", "total", "fca"), "");
}
