//! The apparatus and its projections: every output shows the same sites, in
//! the witnesses' own writing.
mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{collate_all, fixture, quiet, read_csv, recension, sample};
use serde_json::Value;

/// Runs `report` into a temporary directory and returns it.
fn report(paths: &[&Path], extra: &[&str]) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    recension()
        .arg("report")
        .args(paths)
        .args(extra)
        .arg("-o")
        .arg(out.path())
        .arg("-q")
        .assert()
        .success();
    out
}

fn jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

/// A reading's witness, file, line, column and category.
type Located = (String, String, u64, u64, String);

/// Every row of `variants.csv` is a reading of a site in `apparatus.jsonl`
/// (same site, member file, line, column and category) and a place in
/// `audit` (its location on a line with its category).
fn assert_projections_agree(paths: &[&Path], extra: &[&str]) {
    let out = report(paths, extra);
    let rows = read_csv(&out.path().join("variants.csv")).rows;
    assert!(!rows.is_empty());
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("report.json")).unwrap())
            .unwrap();
    let documents = summary["documents"].as_array().unwrap();
    let mut sites: BTreeMap<u64, Vec<Located>> = BTreeMap::new();
    for cluster in jsonl(&out.path().join("apparatus.jsonl")) {
        assert_eq!(cluster["version"], 1);
        let members = cluster["members"].as_array().unwrap();
        for site in cluster["sites"].as_array().unwrap() {
            for r in site["readings"].as_array().unwrap() {
                let member = &members[r["member"].as_u64().unwrap() as usize];
                let doc = &documents[member["doc"].as_u64().unwrap() as usize];
                sites
                    .entry(site["id"].as_u64().unwrap())
                    .or_default()
                    .push((
                        doc["witness"].as_str().unwrap().to_string(),
                        doc["file"].as_str().unwrap().to_string(),
                        r["pos"][0].as_u64().unwrap(),
                        r["pos"][1].as_u64().unwrap(),
                        r["category"].as_str().unwrap().to_string(),
                    ));
            }
        }
    }
    let readings: usize = sites.values().map(Vec::len).sum();
    assert_eq!(readings, rows.len(), "one JSON reading per CSV row");
    assert_eq!(
        summary["counts"]["readings"].as_u64().unwrap() as usize,
        rows.len()
    );

    let audit = recension()
        .arg("audit")
        .args(paths)
        .args(extra)
        .args(["--color", "never"])
        .output()
        .unwrap();
    let audit = String::from_utf8(audit.stdout).unwrap();
    for row in &rows {
        let id: u64 = row["variant_id"].parse().unwrap();
        let key = (
            row["witness"].clone(),
            row["file"].clone(),
            row["line"].parse().unwrap(),
            row["column"].parse().unwrap(),
            row["category"].clone(),
        );
        assert!(
            sites.get(&id).is_some_and(|r| r.contains(&key)),
            "row {row:?} is not site {id} of the JSON lines"
        );
        let at = format!("{}:{}:{}", row["file"], row["line"], row["column"]);
        assert!(
            audit
                .lines()
                .any(|l| l.contains(&at) && l.contains(row["category"].as_str())),
            "row {row:?} is not in audit:\n{audit}"
        );
    }
}

#[test]
fn csv_json_and_audit_show_the_same_readings_on_the_sample() {
    assert_projections_agree(&[&sample()], &[]);
}

#[test]
fn csv_json_and_audit_show_the_same_formal_readings_when_kept() {
    assert_projections_agree(&[&sample()], &["--keep-formal"]);
}

#[test]
fn csv_json_and_audit_show_the_same_readings_on_english_and_chinese() {
    let dir = fixture("small");
    assert_projections_agree(
        &[&dir.join("a.txt"), &dir.join("b.txt"), &dir.join("c.txt")],
        &[],
    );
}

/// See: issue 15 — contexts came from the lowercased comparison text and
/// readings were cut inside words (`W` vs `Qin G`).
#[test]
fn readings_and_contexts_are_as_the_witnesses_write_them() {
    let out = report(&[&fixture("written_forms")], &[]);
    let rows = read_csv(&out.path().join("variants.csv")).rows;
    let row = |consensus: &str| {
        rows.iter()
            .find(|r| r["consensus"] == consensus)
            .unwrap_or_else(|| panic!("no row with consensus {consensus:?}: {rows:?}"))
    };
    // A rewritten name is one reading of whole words (issue 22: it was
    // `Wang` → `Qin Gang` and `Yi` → nothing); the differing letters are
    // the exact columns, at the row's line and column.
    let wang = row("Wang Yi");
    assert_eq!(wang["reading"], "Qin Gang");
    assert_eq!(
        (
            wang["exact_consensus"].as_str(),
            wang["exact_reading"].as_str()
        ),
        ("Wang Yi", "Qin Gang")
    );
    assert_eq!(
        (wang["line"].as_str(), wang["column"].as_str()),
        ("1", "18")
    );
    // Contexts keep case and full-width punctuation.
    let march = row("March");
    assert_eq!(march["reading"], "April");
    assert_eq!(march["context_before"], "Resume In ");
    assert_eq!(march["context_after"], "．");
    assert_eq!(wang["context_before"], " Minister ");

    let clusters = jsonl(&out.path().join("apparatus.jsonl"));
    assert_eq!(
        clusters[0]["text"],
        "Foreign Minister Wang Yi Meets The Press：China Will Keep Its Promises，And The Talks Will Resume In March．"
    );
}

// See: issue 17 — a reading over the join of a paragraph repaired across a
// page break must hold the paragraph's own text on each side, never the
// page number, running header or blank lines between its pieces.
#[test]
fn a_reading_over_a_page_break_holds_only_the_paragraph_text() {
    let dir = fixture("page_break_readings");
    let out = report(&[&dir], &[]);
    let rows = read_csv(&out.path().join("variants.csv")).rows;
    let found: Vec<[&str; 7]> = rows
        .iter()
        .map(|r| {
            [
                r["witness"].as_str(),
                r["line"].as_str(),
                r["column"].as_str(),
                r["consensus"].as_str(),
                r["reading"].as_str(),
                r["exact_consensus"].as_str(),
                r["exact_reading"].as_str(),
            ]
        })
        .collect();
    // `东` ends the first piece and `南` starts the second, with `- 12 -`
    // and an English paragraph between; `th` and `si` are joined with the
    // space segmentation puts between two pieces of Latin text.
    assert_eq!(
        found,
        vec![
            ["v3", "1", "13", "缅北", "东南", "缅北", "东南"],
            ["v3", "9", "26", "this", "th si", "is", " si"],
        ]
    );
    let readings: Vec<String> = jsonl(&out.path().join("apparatus.jsonl"))
        .iter()
        .flat_map(|c| c["sites"].as_array().unwrap().clone())
        .flat_map(|s| s["readings"].as_array().unwrap().clone())
        .map(|r| r["text"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(readings, ["东南", " si"]);
    let audit = recension()
        .arg("audit")
        .arg(&dir)
        .args(["--color", "never"])
        .output()
        .unwrap();
    let audit = String::from_utf8(audit.stdout).unwrap();
    assert!(audit.contains("{this v1,v2 | th si v3}"), "{audit}");
    assert!(
        !audit.contains("Page 65") && !audit.contains("- 12 -"),
        "{audit}"
    );
    assert_projections_agree(&[&dir], &[]);
}

// See: issue 17 — a turn cut by a page break right after its label was two
// fragments of the other sources' paragraph; repaired, it is a witness and
// reads as they do.
#[test]
fn a_turn_cut_after_its_label_is_collated_whole() {
    for case in ["page_break_after_label", "page_break_inside_label"] {
        let out = report(&[&fixture(case)], &[]);
        assert!(read_csv(&out.path().join("variants.csv")).rows.is_empty());
        let clusters = read_csv(&out.path().join("clusters.csv")).rows;
        let v3: Vec<&str> = clusters
            .iter()
            .filter(|r| r["witness"] == "v3")
            .map(|r| r["role"].as_str())
            .collect();
        assert_eq!(v3, ["witness", "witness"], "{case}");
    }
}

/// The consensus text is publishable: the 缅北 paragraph reads as 001
/// writes it (full-width punctuation, which 002 shares and 004 does not).
#[test]
fn the_consensus_of_the_sample_paragraph_reads_as_001_writes_it() {
    let (_, all, corpus) = collate_all(&quiet(vec![sample()]));
    let (_, paragraphs) = recension::pipeline::read(&quiet(vec![sample()])).unwrap();
    let ap = all
        .iter()
        .find(|a| a.text.contains("斡旋缅北达成停火协议"))
        .expect("the 缅北 cluster");
    let of_001 = ap
        .members
        .iter()
        .find(|m| corpus.sources[m.source.index()].name.starts_with("001"))
        .expect("001 is a member");
    assert_eq!(ap.text, paragraphs[of_001.para.index()].text);
    assert!(ap.text.contains("和解，斡旋缅北"), "{}", ap.text);
    let site = ap
        .sites
        .iter()
        .find(|s| s.lemma == "缅")
        .expect("the 缅/东 site");
    assert_eq!(site.readings.len(), 1);
    assert_eq!(site.readings[0].text, "东");
}

/// A member's coverage and the sites' places are in the consensus text, and
/// the sites' places cut it into agreed stretches and lemmas.
#[test]
fn segments_tile_the_consensus_text() {
    let (_, all, _) = collate_all(&quiet(vec![sample()]));
    for ap in &all {
        let n = ap.text.chars().count();
        let mut rebuilt = String::new();
        for segment in ap.segments() {
            match segment {
                recension::align::apparatus::Segment::Agreed(t) => rebuilt.push_str(t),
                recension::align::apparatus::Segment::Site(s) => {
                    assert!(s.chars.end <= n);
                    assert_eq!(
                        ap.text
                            .chars()
                            .skip(s.chars.start)
                            .take(s.chars.len())
                            .collect::<String>(),
                        s.lemma
                    );
                    rebuilt.push_str(&s.lemma);
                }
            }
        }
        assert_eq!(rebuilt, ap.text, "cluster {}", ap.id.0);
        for m in &ap.members {
            if let Some(c) = &m.collation {
                assert!(c.coverage.end <= n);
            }
        }
    }
}

/// A formal row shows the two ways of writing the same text, as written.
#[test]
fn formal_rows_show_two_forms_of_the_same_text() {
    let out = report(&[&sample()], &["--keep-formal"]);
    let rows = read_csv(&out.path().join("variants.csv")).rows;
    let cfg = recension::normalize::NormalizeConfig::default();
    let norm = |t: &str| -> String {
        recension::normalize::normalize(t, 0, &cfg)
            .chars
            .iter()
            .filter(|c| !c.is_whitespace())
            .collect()
    };
    let formal: Vec<_> = rows.iter().filter(|r| r["category"] == "formal").collect();
    assert!(formal.len() > 100, "{}", formal.len());
    for r in formal {
        assert_ne!(r["consensus"], r["reading"], "{r:?}");
        assert_eq!(norm(&r["consensus"]), norm(&r["reading"]), "{r:?}");
    }
}
