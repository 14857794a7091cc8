//! Near-duplicate clustering (the `cluster` command) on the seeds and on
//! adversarial input: versions together, pull quotes as duplicates, scripts
//! apart, determinism, and boilerplate that must not cost quadratic work.
mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use common::{recension, sample};
use recension::cluster::MemberRole;
use recension::config::Config;
use recension::pipeline::{Clustering, cluster_only};
use recension::report::clustering_rows;
use recension::report::csv::write_rows;

fn quiet(paths: Vec<PathBuf>) -> Config {
    let mut config = Config::new(paths);
    config.progress = false;
    config
}

fn run(paths: Vec<PathBuf>) -> Clustering {
    cluster_only(&quiet(paths)).expect("clustering succeeds")
}

/// The first three characters of a member's file name: the seed number.
fn seed_of(c: &Clustering, item: usize) -> String {
    let doc = &c.corpus.documents[c.paragraphs[item].doc.index()];
    doc.path.file_name().unwrap().to_string_lossy()[..3].to_string()
}

/// The cluster holding the paragraph of seed `seed` that starts at `line`.
fn cluster_at(c: &Clustering, seed: &str, line: u32) -> usize {
    c.clusters
        .iter()
        .position(|cl| {
            cl.members
                .iter()
                .any(|m| seed_of(c, m.item) == seed && c.paragraphs[m.item].line_start == line)
        })
        .unwrap_or_else(|| panic!("{seed} line {line} is in no cluster"))
}

fn seeds_in(c: &Clustering, cluster: usize) -> BTreeSet<String> {
    c.clusters[cluster]
        .members
        .iter()
        .map(|m| seed_of(c, m.item))
        .collect()
}

#[test]
fn the_three_wang_yi_versions_share_clusters() {
    let c = run(vec![sample()]);
    // 001's paragraph joined across a page break (lines 25 and 41) holds
    // 斡旋缅北; 002 has it at line 19, 004 reads 斡旋东北.
    let joined = cluster_at(&c, "001", 25);
    assert_eq!(joined, cluster_at(&c, "002", 19));
    assert!(
        seeds_in(&c, joined).contains("004"),
        "{:?}",
        seeds_in(&c, joined)
    );
    // Across the transcript, most clusters with 001 hold all three versions
    // (002 is abridged, so not all).
    let with_001 = (0..c.clusters.len())
        .filter(|&k| seeds_in(&c, k).contains("001"))
        .count();
    let all_three = (0..c.clusters.len())
        .filter(|&k| {
            let s = seeds_in(&c, k);
            ["001", "002", "004"].iter().all(|x| s.contains(*x))
        })
        .count();
    assert!(all_three >= 8, "{all_three} of {with_001}");
}

#[test]
fn pull_quotes_of_002_are_duplicates_in_their_paragraph_cluster() {
    let c = run(vec![sample()]);
    // The quoted lines under 002's section headings repeat body text.
    for line in [35, 49, 69, 87] {
        let k = cluster_at(&c, "002", line);
        let members = &c.clusters[k].members;
        let quote = members
            .iter()
            .find(|m| seed_of(&c, m.item) == "002" && c.paragraphs[m.item].line_start == line)
            .unwrap();
        assert_eq!(quote.role, MemberRole::Duplicate, "002 line {line}");
        // The body text it repeats is there as 002's witness, or as the
        // pieces of it (002 breaks in two a paragraph that 004 keeps whole).
        assert!(
            members
                .iter()
                .any(|m| seed_of(&c, m.item) == "002" && m.role != MemberRole::Duplicate),
            "002 line {line}: the body paragraph it repeats is in the cluster"
        );
    }
}

#[test]
fn no_cluster_mixes_scripts_or_holds_two_witnesses_of_a_source() {
    let c = run(vec![sample()]);
    for cluster in &c.clusters {
        let scripts: BTreeSet<_> = cluster
            .members
            .iter()
            .map(|m| format!("{:?}", c.paragraphs[m.item].script))
            .collect();
        assert_eq!(scripts.len(), 1, "{scripts:?}");
        let witnesses: Vec<_> = cluster
            .members
            .iter()
            .filter(|m| m.role == MemberRole::Witness)
            .map(|m| c.paragraphs[m.item].source)
            .collect();
        let distinct: BTreeSet<_> = witnesses.iter().collect();
        assert_eq!(distinct.len(), witnesses.len(), "{witnesses:?}");
    }
}

fn csv_of(config: &Config) -> String {
    let c = cluster_only(config).unwrap();
    let mut out = Vec::new();
    write_rows(&clustering_rows(&c), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn output_does_not_depend_on_threads_or_argument_order() {
    let mut one = quiet(vec![sample()]);
    one.threads = Some(1);
    let mut two = quiet(vec![sample()]);
    two.threads = Some(2);
    let reference = csv_of(&one);
    assert_eq!(reference, csv_of(&two));

    let mut files: Vec<PathBuf> = std::fs::read_dir(sample())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let forward = csv_of(&quiet(files.clone()));
    files.reverse();
    assert_eq!(forward, csv_of(&quiet(files)));
}

#[test]
fn boilerplate_repeated_ten_thousand_times_costs_linear_work() {
    let dir = tempfile::tempdir().unwrap();
    let line = "This transcript is provided for reference only and may be revised without notice by the editors.";
    for (name, copies) in [("a.txt", 10_000), ("b.txt", 10_000)] {
        let mut text = String::new();
        for i in 0..copies {
            // Every tenth copy carries a small change of its own: 1,000
            // distinct near-duplicates that share most band buckets.
            if i % 10 == 0 {
                text.push_str(&line.replace("editors", &format!("editors {i}")));
            } else {
                text.push_str(line);
            }
            text.push_str("\n\n");
        }
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let c = run(vec![dir.path().join("a.txt"), dir.path().join("b.txt")]);
    assert_eq!(c.paragraphs.len(), 20_000);
    // Candidate pairs grow with the number of paragraphs, not its square.
    assert!(
        c.stats.pairs.pairs <= 4 * c.stats.items,
        "{} pairs for {} paragraphs",
        c.stats.pairs.pairs,
        c.stats.items
    );
    // The exact copies form one cluster: one witness per source, the rest
    // duplicates.
    let biggest = c.clusters.iter().max_by_key(|cl| cl.members.len()).unwrap();
    assert!(biggest.members.len() >= 18_000, "{}", biggest.members.len());
    let witnesses = biggest
        .members
        .iter()
        .filter(|m| m.role == MemberRole::Witness)
        .count();
    assert_eq!(witnesses, 2);
}

#[test]
fn cluster_command_writes_clusters_csv_only() {
    let out = tempfile::tempdir().unwrap();
    recension()
        .args(["cluster", "-q", "-o"])
        .arg(out.path())
        .arg(sample())
        .assert()
        .success();
    let names: BTreeSet<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, BTreeSet::from(["clusters.csv".to_string()]));
    let table = common::read_csv(&out.path().join("clusters.csv"));
    assert_eq!(table.header, common::CLUSTERS_HEADER);
    let roles: BTreeSet<&str> = table.rows.iter().map(|r| r["role"].as_str()).collect();
    assert_eq!(roles, BTreeSet::from(["duplicate", "fragment", "witness"]));
}
