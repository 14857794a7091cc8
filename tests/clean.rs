//! `recension clean`: cleaned copies, corpus.jsonl and changes.csv on the
//! sample, inputs untouched, the output directory guarded, and a second
//! pass over the cleaned corpus.
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{read_csv, recension, sample};

const S001: &str = "001_df2ad415fbb60e3c";
const S002: &str = "002_ed602138bd357a0a";
const S003: &str = "003_822ef80fef630e90";
const S004: &str = "004_3c0b0e0b6bb004f2";

/// Runs `clean` on `inputs` into `out` with `extra` options.
fn clean(inputs: &[PathBuf], out: &Path, extra: &[&str]) {
    recension()
        .arg("clean")
        .args(inputs)
        .arg("-o")
        .arg(out)
        .args(extra)
        .arg("--quiet")
        .assert()
        .success();
}

/// Runs `clean` in `cwd` with `args`, expects it refused (status 2), and
/// returns its standard error.
fn refused(cwd: &Path, args: &[&std::ffi::OsStr]) -> String {
    let out = recension()
        .current_dir(cwd)
        .arg("clean")
        .args(args)
        .assert()
        .code(2);
    String::from_utf8(out.get_output().stderr.clone()).unwrap()
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("a directory") {
            let p = e.expect("an entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).expect("readable");
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    out
}

fn copy(source: &str, out: &Path) -> String {
    std::fs::read_to_string(out.join(source).join(format!("{source}.txt"))).expect("a cleaned copy")
}

#[test]
fn the_sample_is_corrected_by_the_consensus_and_every_change_logged() {
    let before = tree(&sample());
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("cleaned");
    clean(&[sample()], &dir, &["--correct"]);
    // Inputs are never modified.
    assert_eq!(tree(&sample()), before);

    let c004 = copy(S004, &dir);
    assert!(c004.contains("斡旋缅北"), "{c004}");
    assert!(c004.contains("出席三场多边峰会"), "{c004}");
    assert!(copy(S002, &dir).contains("中南半岛"));
    // The page break inside this sentence is repaired: one paragraph.
    let c001 = copy(S001, &dir);
    assert!(
        c001.split("\n\n")
            .any(|p| p.contains("举行百余场会见、通话")),
        "{c001}"
    );

    let changes = read_csv(&dir.join("changes.csv"));
    assert_eq!(
        changes.header,
        [
            "source",
            "file",
            "line",
            "column",
            "kind",
            "before",
            "after",
            "category",
            "supporting",
            "kept",
            "cleaned_line",
            "cleaned_column"
        ]
    );
    let row = |source: &str, before: &str, after: &str| {
        changes
            .rows
            .iter()
            .find(|r| {
                r["source"] == source
                    && r["kind"] == "correct"
                    && r["before"] == before
                    && r["after"] == after
            })
            .unwrap_or_else(|| panic!("no correction {before} → {after} of {source}"))
    };
    // Each correction names the original's file and line.
    let r = row(S004, "东", "缅");
    assert!(r["file"].ends_with(&format!("{S004}.txt")));
    assert_eq!(r["line"], "15");
    assert_eq!(r["category"], "substitution");
    assert_eq!(r["supporting"].split(' ').count(), 2);
    assert_eq!(row(S004, "场", "边")["line"], "15");
    assert_eq!(row(S002, "", "中")["line"], "19");
    // The speech-recognition lines of 003 are dropped as junk.
    let junk: Vec<&str> = changes
        .rows
        .iter()
        .filter(|r| r["source"] == S003 && r["kind"] == "drop-junk")
        .map(|r| r["before"].as_str())
        .collect();
    assert!(junk.iter().any(|j| j.contains("我在听")), "{junk:?}");
    // 002's pull quotes are dropped, each pointing at the paragraph kept.
    let quotes: Vec<&BTreeMap<String, String>> = changes
        .rows
        .iter()
        .filter(|r| r["source"] == S002 && r["kind"] == "drop-duplicate")
        .collect();
    assert!(quotes.len() >= 3, "{quotes:?}");
    for q in quotes {
        let (file, line) = q["kept"].rsplit_once(':').expect("file:line");
        assert!(file.ends_with(&format!("{S002}.txt")));
        let kept_line: u32 = line.parse().unwrap();
        let text = std::fs::read_to_string(sample().join(format!("{S002}.txt"))).unwrap();
        // The kept paragraph starts there (a pull quote may stand inside
        // it, between its pieces).
        let quote = q["before"].trim_matches(['“', '”']);
        let head: String = quote.chars().take(10).collect();
        assert!(
            text.lines()
                .skip(kept_line as usize - 1)
                .take(12)
                .any(|l| l.contains(&head) && !l.starts_with('“')),
            "{head} after line {kept_line}"
        );
    }
}

#[test]
fn the_corpus_holds_each_passage_of_the_transcript_once() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("cleaned");
    clean(&[sample()], &dir, &[]);
    let records: Vec<serde_json::Value> = std::fs::read_to_string(dir.join("corpus.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    // The passage with the 缅/东 variant: one record, three sources.
    let passage: Vec<&serde_json::Value> = records
        .iter()
        .filter(|r| r["text"].as_str().unwrap().contains("中南半岛实现全覆盖"))
        .collect();
    assert_eq!(passage.len(), 1, "{passage:?}");
    assert_eq!(passage[0]["sources"], 3);
    assert!(passage[0]["text"].as_str().unwrap().contains("斡旋缅北"));
    let kept = &passage[0]["kept"];
    assert!(passage[0]["members"].as_array().unwrap().contains(kept));
    // --min-witnesses keeps only what enough sources attest.
    let dir3 = out.path().join("three");
    clean(&[sample()], &dir3, &["--min-witnesses", "3"]);
    let attested: Vec<serde_json::Value> = std::fs::read_to_string(dir3.join("corpus.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!attested.is_empty() && attested.len() < records.len());
    assert!(attested.iter().all(|r| r["sources"].as_u64().unwrap() >= 3));
}

#[test]
fn an_output_inside_an_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(src.join("a")).unwrap();
    std::fs::write(src.join("a/t.txt"), "The committee met on Tuesday.\n").unwrap();
    let cleaned = src.join("cleaned");
    let stderr = refused(
        dir.path(),
        &[src.as_os_str(), "-o".as_ref(), cleaned.as_os_str()],
    );
    assert!(stderr.contains("inside the input"), "{stderr}");
    assert!(!src.join("cleaned").exists());
}

#[test]
fn cleaning_the_cleaned_corpus_again_changes_nothing() {
    // The cleaned copies read again give the same paragraphs, and nothing
    // is left to correct, join, strip or drop: the copies come out byte
    // for byte, from the source directories or from the output directory
    // itself (its corpus.jsonl and changes.csv are not read as text).
    let out = tempfile::tempdir().unwrap();
    let sources = |dir: &Path| -> Vec<PathBuf> {
        [S001, S002, S003, S004, "000_5e9540a0c593fe31"]
            .iter()
            .map(|s| dir.join(s))
            .collect()
    };
    let first = out.path().join("first");
    clean(&[sample()], &first, &["--correct"]);
    for (k, inputs) in [sources(&first), vec![first.clone()]]
        .into_iter()
        .enumerate()
    {
        let second = out.path().join(format!("second{k}"));
        clean(&inputs, &second, &["--correct"]);
        let changes = read_csv(&second.join("changes.csv"));
        assert!(changes.rows.is_empty(), "{:?}", changes.rows);
        for s in sources(&first) {
            let name = s.file_name().unwrap();
            assert_eq!(tree(&s), tree(&second.join(name)), "{}", s.display());
        }
        assert_eq!(
            paragraphs_read(&inputs).into_values().collect::<Vec<_>>(),
            paragraphs_read(&sources(&second))
                .into_values()
                .collect::<Vec<_>>()
        );
    }
    // Running into an earlier output replaces it whole.
    let third = out.path().join("second0");
    clean(&[sample()], &third, &["--correct"]);
    assert_eq!(tree(&third), tree(&first));
}

/// Each input file's paragraphs as `recension paragraphs` reads them, by
/// (file, source).
fn paragraphs_read(inputs: &[PathBuf]) -> BTreeMap<(String, String), Vec<String>> {
    let out = recension()
        .arg("paragraphs")
        .args(inputs)
        .arg("--quiet")
        .assert()
        .success();
    let mut by_file: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for line in String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .lines()
    {
        let p: serde_json::Value = serde_json::from_str(line).unwrap();
        let field = |k: &str| p[k].as_str().unwrap().to_string();
        by_file
            .entry((field("file"), field("source")))
            .or_default()
            .push(field("text"));
    }
    by_file
}

/// Applies `changes.csv` backwards to the cleaned copies in `out`, and
/// checks that every input file's paragraphs come back as read (`inputs`
/// is one directory of sources). Returns the number of corrections undone
/// and of paragraphs put back.
fn undo_from_the_log(input: &Path, out: &Path) -> (usize, usize) {
    let changes = read_csv(&out.join("changes.csv"));
    let expected = paragraphs_read(&[input.to_path_buf()]);
    let (mut undone, mut put_back) = (0, 0);
    for ((file, source), paragraphs) in &expected {
        // The cleaned copy: OUT/SOURCE/<path under the source>; a source
        // that is one file holds it under its own name.
        let path = Path::new(file);
        let under = path
            .strip_prefix(input.join(source))
            .unwrap_or_else(|_| Path::new(path.file_name().unwrap()));
        let copy_path = out.join(source).join(under);
        let cleaned = std::fs::read_to_string(&copy_path).unwrap();
        // (first line, text) of each cleaned paragraph.
        let mut kept: Vec<(u32, String)> = Vec::new();
        let mut line = 1u32;
        for text in cleaned.trim_end_matches('\n').split("\n\n") {
            if !text.is_empty() {
                kept.push((line, text.to_string()));
            }
            line += text.matches('\n').count() as u32 + 2;
        }
        let rows: Vec<&BTreeMap<String, String>> =
            changes.rows.iter().filter(|r| &r["file"] == file).collect();
        let place = |r: &BTreeMap<String, String>| -> (u32, u32) {
            (
                r["cleaned_line"].parse().unwrap(),
                r["cleaned_column"].parse().unwrap(),
            )
        };
        // Corrections undone last to first, so that each is where the log
        // places it.
        let mut corrections: Vec<_> = rows.iter().filter(|r| r["kind"] == "correct").collect();
        corrections.sort_by_key(|r| std::cmp::Reverse(place(r)));
        for r in corrections {
            let (line, column) = place(r);
            let (_, text) = kept
                .iter_mut()
                .find(|(l, _)| *l == line)
                .unwrap_or_else(|| panic!("{file}: no paragraph at line {line}"));
            let at = text
                .char_indices()
                .nth(column as usize - 1)
                .map_or(text.len(), |(i, _)| i);
            assert_eq!(
                &text[at..at + r["after"].len()],
                r["after"],
                "{file}:{line}:{column}"
            );
            text.replace_range(at..at + r["after"].len(), &r["before"]);
            undone += 1;
        }
        // Dropped paragraphs back before the paragraph that follows them.
        let mut back: Vec<String> = Vec::new();
        let mut drops = rows
            .iter()
            .filter(|r| r["kind"].starts_with("drop-"))
            .peekable();
        for (line, text) in &kept {
            while let Some(d) = drops.next_if(|d| place(d).0 <= *line) {
                back.push(d["before"].clone());
                put_back += 1;
            }
            // A heading keeps its Markdown marker in the copy.
            back.push(text.trim_start_matches('#').trim_start().to_string());
        }
        for d in drops {
            back.push(d["before"].clone());
            put_back += 1;
        }
        let expected: Vec<String> = paragraphs
            .iter()
            .map(|p| p.trim_start_matches('#').trim_start().to_string())
            .collect();
        assert_eq!(back, expected, "{file}");
    }
    (undone, put_back)
}

#[test]
fn the_change_log_applied_backwards_gives_back_every_paragraph() {
    // Every paragraph of every input, as segmentation reads it, comes back
    // from the cleaned copy and changes.csv alone: the corrections undone
    // where `cleaned_line` and `cleaned_column` place them, the paragraphs
    // dropped put back before the line they name.
    let out = tempfile::tempdir().unwrap();
    let cleaned = out.path().join("cleaned");
    clean(&[sample()], &cleaned, &["--correct"]);
    let (undone, put_back) = undo_from_the_log(&sample(), &cleaned);
    assert!(undone >= 10, "{undone}");
    assert!(put_back >= 10, "{put_back}");
}

#[test]
fn two_documents_bound_for_one_path_are_refused_not_lost() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (path, text) in [
        (
            "c1/a/x/x.txt",
            "Some text of a paragraph here, long enough.",
        ),
        (
            "c2/a/x.txt",
            "Some other text of a paragraph here, long enough.",
        ),
        (
            "c3/b/x.txt",
            "A third text of a paragraph here, long enough.",
        ),
        (
            "n1/corpus.jsonl.txt",
            "A source named like the output's own file.",
        ),
    ] {
        std::fs::create_dir_all(d.join(path).parent().unwrap()).unwrap();
        std::fs::write(d.join(path), text).unwrap();
    }
    // Named from the paths as given: `a`, `a/x` (whose copy goes to
    // a/x/x.txt, as `a`'s x/x.txt does), and `corpus.jsonl`.
    for inputs in [
        vec!["c1/a", "c2/a/x.txt", "c3/b/x.txt"],
        vec!["n1/corpus.jsonl.txt"],
    ] {
        let mut args: Vec<&std::ffi::OsStr> = inputs.iter().map(std::ffi::OsStr::new).collect();
        args.extend([std::ffi::OsStr::new("-o"), std::ffi::OsStr::new("out")]);
        let stderr = refused(d, &args);
        assert!(stderr.contains("would both be written"), "{stderr}");
        assert!(!d.join("out").exists());
    }
}

#[test]
fn a_directory_of_other_files_is_not_replaced() {
    // Files of the user's, with or without a corpus.jsonl beside them.
    for files in [
        vec![("mine.txt", "keep me")],
        vec![("corpus.jsonl", "{}\n"), ("notes.txt", "precious")],
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out_dir = dir.path().join("data");
        std::fs::create_dir_all(&out_dir).unwrap();
        for (name, text) in &files {
            std::fs::write(out_dir.join(name), text).unwrap();
        }
        let stderr = refused(
            dir.path(),
            &[sample().as_os_str(), "-o".as_ref(), out_dir.as_os_str()],
        );
        assert!(stderr.contains("not an earlier output"), "{stderr}");
        for (name, text) in &files {
            assert_eq!(&std::fs::read_to_string(out_dir.join(name)).unwrap(), text);
        }
    }
}

#[test]
fn a_paragraph_break_taken_out_is_logged_even_with_blank_lines_only() {
    // A sentence cut at a page break with nothing but a blank line between
    // its pieces, and a word broken by a hyphen there.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for s in ["s1", "s2"] {
        std::fs::create_dir_all(d.join(s)).unwrap();
        std::fs::write(
            d.join(s).join("t.txt"),
            "The delegations agreed on a plan that builds mutual trust and\n\n\
             cooperation in many fields of common inter-\n\nest to both sides.\n",
        )
        .unwrap();
    }
    let out = d.join("out");
    clean(&[d.join("s1"), d.join("s2")], &out, &[]);
    let text = std::fs::read_to_string(out.join("s1/t.txt")).unwrap();
    assert_eq!(text.matches("\n\n").count(), 0, "{text}");
    assert!(text.contains("interest"), "{text}");
    let changes = read_csv(&out.join("changes.csv"));
    let kinds: Vec<&str> = changes
        .rows
        .iter()
        .filter(|r| r["source"] == "s1")
        .map(|r| r["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["join", "join", "dehyphenate"], "{:?}", changes.rows);
}

#[test]
fn a_heading_keeps_its_marker_and_loses_its_emphasis() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for s in ["s1", "s2"] {
        std::fs::create_dir_all(d.join(s)).unwrap();
        std::fs::write(
            d.join(s).join("t.md"),
            "## **Bold Heading**\n\nThe committee met on Tuesday morning to hear the reports.\n",
        )
        .unwrap();
    }
    let out = d.join("out");
    clean(&[d.join("s1"), d.join("s2")], &out, &[]);
    let text = std::fs::read_to_string(out.join("s1/t.md")).unwrap();
    assert!(text.starts_with("## Bold Heading\n\n"), "{text}");
    let stripped: Vec<String> = read_csv(&out.join("changes.csv"))
        .rows
        .iter()
        .filter(|r| r["source"] == "s1")
        .map(|r| format!("{} {}", r["kind"], r["before"]))
        .collect();
    assert_eq!(stripped, ["strip-markup **", "strip-markup **"]);
}

#[test]
fn on_generated_corpora_a_second_pass_changes_nothing_and_the_log_undoes_the_first() {
    // Corpora the sample does not resemble: other seeds, page breaks and
    // hard wraps at other rates, half-width punctuation in some witnesses.
    for (seed, extra) in [
        (5, vec!["--page-break-rate", "0.05"]),
        (23, vec!["--wrap", "w1,w3", "--half-width", "w1"]),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let status = std::process::Command::new("python3")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen_corpus.py"))
            .arg("--out")
            .arg(tmp.path())
            .args(["--witnesses", "4", "--docs", "6", "--paragraphs", "300"])
            .args(["--seed", &seed.to_string()])
            .args(&extra)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("python3 runs");
        assert!(status.success());
        let corpus = tmp.path().join("corpus");
        let first = tmp.path().join("first");
        clean(std::slice::from_ref(&corpus), &first, &["--correct"]);
        let (undone, put_back) = undo_from_the_log(&corpus, &first);
        assert!(undone > 50, "seed {seed}: {undone} corrections");
        assert!(put_back > 0, "seed {seed}: {put_back} paragraphs dropped");
        let second = tmp.path().join("second");
        clean(std::slice::from_ref(&first), &second, &["--correct"]);
        let changes = read_csv(&second.join("changes.csv"));
        assert!(
            changes.rows.is_empty(),
            "seed {seed}: {:?}",
            &changes.rows[..changes.rows.len().min(5)]
        );
        for w in ["w1", "w2", "w3", "w4"] {
            assert_eq!(
                tree(&first.join(w)),
                tree(&second.join(w)),
                "seed {seed}: {w}"
            );
        }
    }
}
