//! The consensus users act on: ties decided by the sources' reliability
//! and flagged, a consensus some witness reads, and versions of one work
//! told apart from text two works share.
mod common;

use common::{fixture, read_csv, recension, sample};
use serde_json::Value;

/// Runs `report` on `paths` and returns `variants.csv`, `witnesses.csv`,
/// `clusters.csv`, `report.json` and stdout.
fn report(
    paths: &[std::path::PathBuf],
) -> (common::Table, common::Table, common::Table, Value, String) {
    let out = tempfile::tempdir().unwrap();
    let run = recension()
        .arg("report")
        .args(paths)
        .arg("-o")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(run.status.success(), "{run:?}");
    let json = std::fs::read_to_string(out.path().join("report.json")).unwrap();
    (
        read_csv(&out.path().join("variants.csv")),
        read_csv(&out.path().join("witnesses.csv")),
        read_csv(&out.path().join("clusters.csv")),
        serde_json::from_str(&json).unwrap(),
        String::from_utf8(run.stdout).unwrap(),
    )
}

/// `x`, `y` and `z` agree but for `x`'s typos; the last paragraph only `x`
/// and `y` have, and they differ there. The vote cannot decide it: the
/// reading of `y`, right wherever the vote decides, is the consensus, the
/// place is flagged a tie, and `x` is the one shown deviating.
#[test]
fn a_tie_goes_to_the_more_reliable_source_and_is_flagged() {
    let (variants, witnesses, _, _, _) = report(&[fixture("tie_by_reliability")]);
    let tie: Vec<_> = variants
        .rows
        .iter()
        .filter(|r| r["tie"] == "true")
        .collect();
    assert_eq!(tie.len(), 1, "{:?}", variants.rows);
    let row = tie[0];
    assert_eq!(row["witness"], "x");
    assert_eq!(
        (row["consensus"].as_str(), row["reading"].as_str()),
        ("", "the ")
    );
    assert_eq!(
        (row["support"].as_str(), row["witnesses"].as_str()),
        ("1", "2")
    );
    let rel = |name: &str| -> f64 {
        let w = witnesses
            .rows
            .iter()
            .find(|w| w["witness"] == name)
            .unwrap();
        w["reliability"].parse().unwrap()
    };
    assert_eq!(rel("y"), 1.0);
    assert!(rel("x") < 0.995, "x is outvoted four times");
    let rank = |name: &str| {
        witnesses
            .rows
            .iter()
            .find(|w| w["witness"] == name)
            .unwrap()["rank"]
            .clone()
    };
    assert_eq!(rank("x"), "3");
}

/// On the sample, `就` in `谁的拳头大谁就说了算` is read by 002 and not by
/// 004, the only two that have the paragraph: 002, the more reliable, is
/// not blamed.
#[test]
fn the_sample_tie_over_jiu_blames_the_less_reliable_source() {
    let (variants, witnesses, _, _, _) = report(&[sample()]);
    let row = variants
        .rows
        .iter()
        .find(|r| r["context_before"].ends_with("谁的拳头大谁"))
        .expect("the 就 place");
    assert!(row["witness"].starts_with("004_"), "{row:?}");
    assert_eq!(row["exact_consensus"], "就");
    assert_eq!(row["exact_reading"], "");
    assert_eq!(row["tie"], "true");
    let rank1 = witnesses.rows.iter().find(|w| w["rank"] == "1").unwrap();
    assert!(rank1["witness"].starts_with("002_"), "{:?}", witnesses.rows);
}

/// 000 reports the 2023 press conference, 001, 002 and 004 the 2024 one;
/// both open with the organisers' template. 000 is a work of its own: its
/// copy of the template is listed as reuse, gives no variant rows, and 000
/// gets no rank from it.
#[test]
fn a_shared_template_is_reuse_not_variants() {
    let (variants, witnesses, clusters, json, stdout) = report(&[sample()]);
    assert!(
        !variants
            .rows
            .iter()
            .any(|r| r["witness"].starts_with("000_")),
        "{:?}",
        variants.rows
    );
    let w000 = witnesses
        .rows
        .iter()
        .find(|w| w["witness"].starts_with("000_"))
        .unwrap();
    assert_eq!(w000["rank"], "");
    assert_eq!(w000["cer"], "");
    let work_of = |prefix: &str| -> std::collections::BTreeSet<String> {
        clusters
            .rows
            .iter()
            .filter(|r| r["witness"].starts_with(prefix))
            .map(|r| r["work"].clone())
            .collect()
    };
    assert_eq!(work_of("001_"), work_of("002_"));
    assert_eq!(work_of("001_"), work_of("004_"));
    assert_eq!(work_of("001_").len(), 1);
    assert!(work_of("000_").is_disjoint(&work_of("001_")));
    // The template paragraph of 000 is listed, marked as reuse.
    let template = clusters
        .rows
        .iter()
        .find(|r| r["witness"].starts_with("000_") && r["preview"].starts_with("On March 7, 2023"))
        .expect("000's template paragraph");
    assert_eq!(template["reuse"], "true");
    assert_eq!(json["counts"]["works"], 3);
    assert!(json["counts"]["reused_clusters"].as_u64().unwrap() >= 1);
    assert!(
        stdout.contains("3 works (000 · 001, 002, 004 · 003)"),
        "{stdout}"
    );
}

/// With two sources every difference is a tie: no source is ranked, and
/// the summary says why.
#[test]
fn two_sources_cannot_be_ranked_by_voting() {
    let dir = fixture("tie_by_reliability");
    let (variants, witnesses, _, _, stdout) = report(&[dir.join("x.txt"), dir.join("y.txt")]);
    assert!(variants.rows.iter().all(|r| r["tie"] == "true"));
    assert!(
        witnesses
            .rows
            .iter()
            .all(|w| w["rank"].is_empty() && w["reliability"].is_empty())
    );
    assert!(
        stdout.contains("no ranking: no place is covered by three sources"),
        "{stdout}"
    );
}
