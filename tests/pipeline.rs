//! The whole pipeline in-process: determinism and the consensus invariants.
mod common;

use common::{collate_all, fixture, quiet, sample};
use recension::config::Config;
use recension::normalize::{NormalizeConfig, key_byte_span, normalize};
use recension::report::{cluster_rows, csv::write_rows, variant_rows, witness_rows};

/// All three CSV files of a run, as text.
fn csv_text(config: &Config) -> String {
    let (analysis, all, corpus) = collate_all(config);
    let mut out = Vec::new();
    let variants: Vec<_> = all.iter().flat_map(|a| variant_rows(&corpus, a)).collect();
    write_rows(&variants, &mut out).unwrap();
    let clusters: Vec<_> = all.iter().flat_map(|a| cluster_rows(&corpus, a)).collect();
    write_rows(&clusters, &mut out).unwrap();
    write_rows(&witness_rows(&analysis), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let mut one = quiet(vec![sample()]);
    one.threads = Some(1);
    let mut two = quiet(vec![sample()]);
    two.threads = Some(2);
    let run = |c: &Config| recension::pipeline::in_pool(c.threads, || csv_text(c)).unwrap();
    assert_eq!(run(&one), run(&two));
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
    let (analysis, all, _) = collate_all(&quiet(vec![dir.join("v1.txt"), dir.join("v2.txt")]));
    // The heading, the Chinese and the English paragraph.
    assert_eq!(analysis.totals.clusters, 3);
    assert!(all.iter().all(|a| a.sites.is_empty()));
}

/// Applying a witness's exact readings to the consensus text gives back its
/// own text (compared normalized: the consensus is written as the copy
/// text writes it) wherever it covers the whole paragraph.
#[test]
fn readings_applied_to_the_consensus_give_each_witness_back() {
    let (_, all, corpus) = collate_all(&quiet(vec![sample()]));
    let (_, paragraphs) = recension::pipeline::read(&quiet(vec![sample()])).unwrap();
    assert!(!all.is_empty());
    let cfg = NormalizeConfig::default();
    let norm = |t: &str| -> String { normalize(t, 0, &cfg).chars.iter().collect() };
    let mut checked = 0;
    for ap in &all {
        let text: Vec<char> = ap.text.chars().collect();
        for (i, member) in ap.members.iter().enumerate() {
            let Some(c) = &member.collation else { continue };
            if c.coverage != (0..text.len()) {
                continue;
            }
            let mut rebuilt = String::new();
            let mut at = 0;
            for r in ap
                .sites
                .iter()
                .flat_map(|s| &s.readings)
                .filter(|r| r.member == i)
            {
                rebuilt.extend(&text[at..r.at.start]);
                rebuilt.push_str(&r.exact.1);
                at = r.at.end;
            }
            rebuilt.extend(&text[at..]);
            // A paragraph split across clusters gives back its part here.
            let whole = &paragraphs[member.para.index()].text;
            let own = match member.part {
                Some(p) => &whole[key_byte_span(whole, &cfg, p.start as usize, p.end as usize)],
                None => whole.as_str(),
            };
            assert_eq!(
                norm(&rebuilt),
                norm(own),
                "cluster {} member {i} ({})",
                ap.id.0,
                corpus.documents[member.doc.index()].path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked}");
}
