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

/// Each cluster's members, as `f` reads a member's document path and first
/// line.
fn cluster_members<T>(c: &Clustering, f: impl Fn(&std::path::Path, u32) -> T) -> Vec<Vec<T>> {
    c.clusters
        .iter()
        .map(|cl| {
            cl.members
                .iter()
                .map(|m| {
                    let doc = &c.corpus.documents[c.paragraphs[m.item].doc.index()];
                    f(&doc.path, c.paragraphs[m.item].line_start)
                })
                .collect()
        })
        .collect()
}

/// The members of each cluster as `(file stem, first line)`.
fn members(c: &Clustering) -> Vec<BTreeSet<(String, u32)>> {
    cluster_members(c, |path, line| {
        (
            path.file_stem().unwrap().to_string_lossy().to_string(),
            line,
        )
    })
    .into_iter()
    .map(|m| m.into_iter().collect())
    .collect()
}

const EDITIONS: [&str; 6] = ["1859", "1860", "1861", "1866", "1869", "1872"];

#[test]
fn six_editions_of_a_rewritten_paragraph_form_one_cluster() {
    // Darwin, Origin of Species, ch. 1, "It has been disputed…" (line 1):
    // the 1869 and 1872 editions replace its opening third (similarity
    // 0.56–0.58 to the earlier four), so by similarity the six editions are
    // two clusters; both stand before "There are many laws…" (line 3),
    // which grows by 38 % but clusters.
    let c = run(vec![common::fixture("revised_editions")]);
    let got = members(&c);
    for line in [1, 3] {
        let all: BTreeSet<(String, u32)> = EDITIONS.iter().map(|e| (e.to_string(), line)).collect();
        assert!(got.contains(&all), "line {line}: {got:?}");
    }
    assert_eq!(got.len(), 2, "{got:?}");
}

#[test]
fn first_and_last_edition_alone_still_pair() {
    // Only 1859 and 1872, one document each: neither paragraph is 0.7
    // alike to its other version, so nothing clusters by similarity, and
    // each pairs by its rank in the document.
    let dir = common::fixture("revised_editions");
    let c = run(vec![dir.join("1859.txt"), dir.join("1872.txt")]);
    let got = members(&c);
    for line in [1, 3] {
        let pair: BTreeSet<(String, u32)> =
            [("1859".to_string(), line), ("1872".to_string(), line)]
                .into_iter()
                .collect();
        assert!(got.contains(&pair), "line {line}: {got:?}");
    }
}

#[test]
fn a_version_expanded_by_45_percent_joins_as_witness() {
    // Three sentences of Darwin's and three new ones between them: 559 →
    // 807 characters, similarity 0.69.
    let c = run(vec![common::fixture("expanded_version")]);
    assert_eq!(c.clusters.len(), 1, "{:?}", members(&c));
    assert!(
        c.clusters[0]
            .members
            .iter()
            .all(|m| m.role == MemberRole::Witness)
    );
    assert_eq!(c.clusters[0].members.len(), 2);
}

#[test]
fn different_answers_sharing_stock_phrases_stay_apart() {
    // Two answers of one press conference that share 中方愿同各方一道,
    // 我们将继续秉持和平共处五项原则 and "we will continue to work with all
    // parties" are not versions of each other, even at one place.
    let c = run(vec![common::fixture("shared_boilerplate")]);
    assert!(c.clusters.is_empty(), "{:?}", members(&c));
}

#[test]
fn pages_of_one_relative_path_pair_by_rank() {
    // Two sources of two pages each, as an OCR evaluation lays them out:
    // each page holds one paragraph that is under 0.7 alike to its other
    // version (Darwin's 1859 and 1872 editions), so only the page's path
    // pairs them. Pages of different paths do not.
    let dir = tempfile::tempdir().unwrap();
    let editions = common::fixture("revised_editions");
    let read = |e: &str| std::fs::read_to_string(editions.join(format!("{e}.txt"))).unwrap();
    let (old, new) = (read("1859"), read("1872"));
    let para = |text: &str, n: usize| text.split("\n\n").nth(n).unwrap().trim().to_string();
    for (source, text) in [("a", &old), ("b", &new)] {
        std::fs::create_dir_all(dir.path().join(source)).unwrap();
        std::fs::write(dir.path().join(source).join("p1.txt"), para(text, 0)).unwrap();
        std::fs::write(dir.path().join(source).join("p2.txt"), para(text, 1)).unwrap();
    }
    let c = run(vec![dir.path().join("a"), dir.path().join("b")]);
    // Each cluster: its members' paths, relative to the temporary directory.
    let paths: BTreeSet<Vec<String>> = cluster_members(&c, |path, _| {
        let rel = path.strip_prefix(dir.path()).unwrap();
        rel.to_string_lossy().replace('\\', "/")
    })
    .into_iter()
    .collect();
    let expected: BTreeSet<Vec<String>> = [
        vec!["a/p1.txt".to_string(), "b/p1.txt".to_string()],
        vec!["a/p2.txt".to_string(), "b/p2.txt".to_string()],
    ]
    .into_iter()
    .collect();
    assert_eq!(paths, expected);
    // The same pages under crossed names: no place pairs them.
    let crossed = tempfile::tempdir().unwrap();
    for (source, a, b) in [("a", 0, 1), ("b", 1, 0)] {
        std::fs::create_dir_all(crossed.path().join(source)).unwrap();
        let text = if source == "a" { &old } else { &new };
        std::fs::write(crossed.path().join(source).join("p1.txt"), para(text, a)).unwrap();
        std::fs::write(crossed.path().join(source).join("p2.txt"), para(text, b)).unwrap();
    }
    let c = run(vec![crossed.path().join("a"), crossed.path().join("b")]);
    assert!(c.clusters.is_empty(), "{:?}", members(&c));
}

#[test]
fn near_copies_in_one_source_cluster_as_duplicates() {
    // A site that published one transcript twice, with small edits: the
    // second copy's paragraphs are duplicates of the first's, with their
    // similarity, not only where they are identical.
    let paragraphs = [
        "The committee met on Tuesday morning to hear the reports of the three delegations.",
        "It adopted the budget for the coming year after a long debate about the new library.",
        "The chair thanked the members and closed the session shortly before noon that day.",
    ];
    let edited = [
        "The committee met on Tuesday morning to hear the report of the three delegations.",
        "It adopted the budget for the coming year after a long debate about the new libraries.",
        "The chair thanked the members and closed the session shortly before noon on that day.",
    ];
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("a.txt"), paragraphs.join("\n\n")).unwrap();
    std::fs::write(site.join("b.txt"), edited.join("\n\n")).unwrap();
    let c = run(vec![dir.path().to_path_buf()]);
    assert_eq!(c.clusters.len(), 3, "{:?}", c.clusters);
    for cluster in &c.clusters {
        let roles: Vec<MemberRole> = cluster.members.iter().map(|m| m.role).collect();
        assert_eq!(roles, [MemberRole::Witness, MemberRole::Duplicate]);
        let s = cluster.members[1].similarity;
        assert!((0.9..1.0).contains(&s), "{s}");
    }
}
