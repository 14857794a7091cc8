//! The whole pipeline in-process: determinism and the consensus invariants.
mod common;

use common::{fixture, sample};
use recension::config::Config;
use recension::pipeline::run;
use recension::report::{cluster_rows, csv::write_rows, variant_rows, witness_rows};

/// All three CSV files of a run, as text.
fn csv_text(config: &Config) -> String {
    let analysis = run(config).expect("the run succeeds");
    let mut out = Vec::new();
    write_rows(&variant_rows(&analysis), &mut out).unwrap();
    write_rows(&cluster_rows(&analysis), &mut out).unwrap();
    write_rows(&witness_rows(&analysis), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn quiet(paths: Vec<std::path::PathBuf>) -> Config {
    let mut config = Config::new(paths);
    config.progress = false;
    config
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let mut one = quiet(vec![sample()]);
    one.threads = Some(1);
    let mut two = quiet(vec![sample()]);
    two.threads = Some(2);
    assert_eq!(csv_text(&one), csv_text(&two));
}

#[test]
fn output_does_not_depend_on_argument_order() {
    let dir = fixture("typo_fix");
    let forward = quiet(vec![
        dir.join("v1.txt"),
        dir.join("v2.txt"),
        dir.join("v3.txt"),
    ]);
    let backward = quiet(vec![
        dir.join("v3.txt"),
        dir.join("v1.txt"),
        dir.join("v2.txt"),
    ]);
    assert_eq!(csv_text(&forward), csv_text(&backward));
}

#[test]
fn identical_witnesses_give_no_variants() {
    let dir = fixture("typo_fix");
    let analysis = run(&quiet(vec![dir.join("v1.txt"), dir.join("v2.txt")])).unwrap();
    // The heading, the Chinese and the English paragraph.
    assert_eq!(analysis.clusters.len(), 3);
    assert!(variant_rows(&analysis).is_empty());
}

/// Applying a member's variant readings to the consensus gives back the
/// member's normalized text over the part it covers.
#[test]
fn variants_reconstruct_each_witness() {
    let analysis = run(&quiet(vec![sample()])).unwrap();
    assert!(!analysis.clusters.is_empty());
    for cluster in &analysis.clusters {
        let inputs = analysis.align_inputs(cluster);
        let al = &cluster.alignment;
        for (m, member) in al.members.iter().enumerate() {
            let places = member.coverage.clone();
            if places.is_empty() {
                continue;
            }
            let mut rebuilt: Vec<char> = Vec::new();
            let mut p = places.start;
            while p < places.end {
                let variant = al
                    .variants
                    .iter()
                    .find(|v| v.places.start == p && v.places.end <= places.end);
                let reading =
                    variant.and_then(|v| v.readings.iter().find(|r| r.member == m).map(|r| (v, r)));
                match reading {
                    Some((v, r)) => {
                        let consensus: Vec<char> = v.consensus.chars().collect();
                        rebuilt.extend(&consensus[..r.consensus.start]);
                        rebuilt.extend(r.text.chars());
                        rebuilt.extend(&consensus[r.consensus.end..]);
                        p = v.places.end;
                    }
                    None => {
                        rebuilt.extend(al.consensus_at(&inputs, p));
                        p += 1;
                    }
                }
            }
            let own = &member.readings;
            let expected = &inputs[m].chars[own[places.start].start..own[places.end - 1].end];
            assert_eq!(
                rebuilt.iter().collect::<String>(),
                expected.iter().collect::<String>(),
                "cluster {} member {m}",
                cluster.id.0
            );
        }
    }
}
