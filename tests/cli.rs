//! The command line: help, exit codes, error messages, the report files.
mod common;

use common::{
    CLUSTERS_HEADER, VARIANTS_HEADER, WITNESSES_HEADER, fixture, read_csv, recension, sample,
};
use predicates::prelude::*;

#[test]
fn help_lists_the_commands() {
    let out = recension().arg("--help").assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for command in [
        "report",
        "audit",
        "clean",
        "cluster",
        "diff",
        "paragraphs",
        "--quiet",
        "--threads",
    ] {
        assert!(text.contains(command), "--help lacks {command}:\n{text}");
    }
}

#[test]
fn subcommand_help_shows_an_example() {
    recension()
        .args(["report", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "recension report data/sample -o report",
        ));
}

#[test]
fn missing_path_is_a_one_line_error_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = recension()
        .args(["report", "no/such/dir", "-o"])
        .arg(dir.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no/such/dir"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn one_substitution_is_one_row() {
    let out = tempfile::tempdir().unwrap();
    recension()
        .args(["report", "--quiet"])
        .arg(fixture("typo_fix"))
        .arg("-o")
        .arg(out.path())
        .assert()
        .success()
        .stdout("");
    let variants = read_csv(&out.path().join("variants.csv"));
    assert_eq!(variants.header, VARIANTS_HEADER);
    assert_eq!(variants.rows.len(), 1, "{:?}", variants.rows);
    let row = &variants.rows[0];
    assert_eq!(row["witness"], "v3");
    assert!(row["file"].ends_with("typo_fix/v3.txt"), "{}", row["file"]);
    assert_eq!(row["consensus"], "缅");
    assert_eq!(row["reading"], "东");
    assert_eq!(row["category"], "substitution");
    assert_eq!(row["support"], "1");
    assert_eq!(row["witnesses"], "3");
    assert_eq!((row["line"].as_str(), row["column"].as_str()), ("3", "15"));
    // As written by the copy text: v1 and v3 write full-width commas, v2
    // half-width ones, so the consensus is written full-width.
    assert_eq!(row["context_before"], "伊朗历史性和解，斡旋");
    assert_eq!(row["context_after"], "北达成停火协议，坚持");
    assert_eq!(
        (
            row["exact_consensus"].as_str(),
            row["exact_reading"].as_str()
        ),
        ("缅", "东")
    );
    assert_eq!(row["tie"], "false");

    let witnesses = read_csv(&out.path().join("witnesses.csv"));
    assert_eq!(witnesses.header, WITNESSES_HEADER);
    let v3 = witnesses
        .rows
        .iter()
        .find(|r| r["witness"] == "v3")
        .unwrap();
    assert_eq!(v3["deviations"], "1");
    assert_eq!(v3["minority"], "1");
    assert_eq!(v3["rank"], "3", "the only witness with an error ranks last");
    let v1 = witnesses
        .rows
        .iter()
        .find(|r| r["witness"] == "v1")
        .unwrap();
    assert_eq!(
        (v1["deviations"].as_str(), v1["cer"].as_str()),
        ("0", "0.000000")
    );

    let clusters = read_csv(&out.path().join("clusters.csv"));
    assert_eq!(clusters.header, CLUSTERS_HEADER);
    // Three clusters of three witnesses each: the Chinese and English
    // paragraphs (full-width and half-width commas are the same text), and
    // the three-character heading, too short to match by its text but in
    // the same place before the Chinese paragraph in every version.
    assert_eq!(clusters.rows.len(), 9, "{:?}", clusters.rows);
    assert_eq!(clusters.rows[0]["preview"], "记者会");
}

#[test]
fn summary_names_sources_and_files() {
    let out = tempfile::tempdir().unwrap();
    let assert = recension()
        .arg("report")
        .arg(fixture("typo_fix"))
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.starts_with("3 sources, 9 paragraphs, 3 clusters, 1 variant readings"),
        "{stdout}"
    );
    assert!(
        stdout.contains("variants by category: substitution 1"),
        "{stdout}"
    );
    assert!(stdout.contains("variants.csv"), "{stdout}");
}

#[test]
fn sample_report_has_the_csv_contract_and_the_known_variant() {
    let out = tempfile::tempdir().unwrap();
    recension()
        .args(["report", "-q"])
        .arg(sample())
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    for name in [
        "variants.csv",
        "clusters.csv",
        "witnesses.csv",
        "report.json",
    ] {
        assert!(out.path().join(name).is_file(), "{name} missing");
    }
    // SPEC §9: 004 reads 斡旋东北 where 001 and 002 read 斡旋缅北.
    let variants = read_csv(&out.path().join("variants.csv"));
    let row = variants
        .rows
        .iter()
        .find(|r| r["consensus"] == "缅" && r["reading"] == "东")
        .expect("the 缅/东 variant");
    assert!(row["witness"].starts_with("004_"), "{row:?}");
    assert_eq!(
        (row["support"].as_str(), row["witnesses"].as_str()),
        ("1", "3")
    );
    assert_eq!(row["category"], "substitution");

    let find = |witness: &str, consensus: &str, reading: &str| {
        variants
            .rows
            .iter()
            .find(|r| {
                r["witness"].starts_with(witness)
                    && r["consensus"] == consensus
                    && r["reading"] == reading
            })
            .unwrap_or_else(|| panic!("{witness}: {consensus:?} → {reading:?} missing"))
    };
    // 004 has 多场 where the others have 多边 (出席三场多边峰会).
    let row = find("004_", "边", "场");
    assert_eq!(row["context_before"].chars().last(), Some('多'));
    assert_eq!(row["category"], "substitution");
    // 002 lacks 中 in 中南半岛 and is outvoted.
    let row = find("002_", "中", "");
    assert_eq!(row["category"], "deletion");
    assert_eq!(
        row["context_after"].chars().take(3).collect::<String>(),
        "南半岛"
    );
    assert_eq!(
        (row["support"].as_str(), row["witnesses"].as_str()),
        ("1", "3")
    );
    // 004 has 中俄 where the others have 俄中: one transposition, not an
    // insertion and a deletion.
    assert_eq!(find("004_", "俄中", "中俄")["category"], "transposition");
    // 001's file stops inside its last paragraph (`…引领当今时代前`).
    let row = variants
        .rows
        .iter()
        .find(|r| r["witness"].starts_with("001_") && r["category"] == "truncation")
        .expect("001's truncation");
    assert!(row["consensus"].starts_with("进的光辉旗帜"), "{row:?}");
    assert_eq!(row["reading"], "");
    // Width and dashes are formal: no row differs only in them.
    let fold = |s: &str| s.replace('，', ",").replace('—', "-");
    for r in &variants.rows {
        assert_ne!(fold(&r["consensus"]), fold(&r["reading"]), "{r:?}");
        assert_ne!(r["category"], "formal", "{r:?}");
    }
}

#[test]
fn skipped_files_are_named_and_change_the_exit_status() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    for name in ["v1.txt", "v2.txt", "v3.txt"] {
        std::fs::copy(fixture("typo_fix").join(name), input.path().join(name)).unwrap();
    }
    std::fs::write(input.path().join("scan.txt"), b"PK\x03\x04\0\0binary").unwrap();
    // UTF-8 cut in the middle of 北: no encoding reads it without loss.
    // (`caf\xe9` would not do: it is read as windows-1252.)
    std::fs::write(input.path().join("cut.txt"), &"斡旋缅北".as_bytes()[..11]).unwrap();
    recension()
        .args(["report", "-q"])
        .arg(input.path())
        .arg("-o")
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("scan.txt: binary file"))
        .stderr(predicate::str::contains("cut.txt: malformed UTF-8"));
    // The run went on: the three good witnesses were compared.
    let variants = read_csv(&out.path().join("variants.csv"));
    assert_eq!(variants.rows.len(), 1);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("report.json")).unwrap())
            .unwrap();
    assert_eq!(json["skipped"].as_array().unwrap().len(), 2);
}

#[test]
fn report_leaves_foreign_files_alone_and_inputs_unchanged() {
    let out = tempfile::tempdir().unwrap();
    std::fs::write(out.path().join("notes.txt"), "mine").unwrap();
    let before = std::fs::read(fixture("typo_fix").join("v3.txt")).unwrap();
    for _ in 0..2 {
        recension()
            .args(["report", "-q"])
            .arg(fixture("typo_fix"))
            .arg("-o")
            .arg(out.path())
            .assert()
            .success();
    }
    assert_eq!(
        std::fs::read_to_string(out.path().join("notes.txt")).unwrap(),
        "mine"
    );
    assert_eq!(
        std::fs::read(fixture("typo_fix").join("v3.txt")).unwrap(),
        before
    );
    let mut names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "apparatus.jsonl",
            "clusters.csv",
            "notes.txt",
            "report.html",
            "report.json",
            "variants.csv",
            "witnesses.csv"
        ]
    );
}

/// Reports are written through private temporary files; once in place they
/// have the permissions of any file the user creates (the umask's).
#[cfg(unix)]
#[test]
fn reports_get_ordinary_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let out = tempfile::tempdir().unwrap();
    let ordinary = out.path().join("ordinary.txt");
    std::fs::write(&ordinary, "x").unwrap();
    recension()
        .args(["cluster", "-q"])
        .arg(fixture("typo_fix"))
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&out.path().join("clusters.csv")), mode(&ordinary));
}

#[test]
fn paragraphs_prints_one_json_line_per_paragraph() {
    let out = recension()
        .arg("paragraphs")
        .arg(fixture("typo_fix").join("v1.txt"))
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["role"], "heading");
    assert_eq!(lines[1]["script"], "han");
    assert_eq!(lines[1]["line_start"], 3);
    assert_eq!(lines[2]["script"], "latin");
    assert_eq!(lines[2]["source"], "v1");
    assert!(
        lines[2]["text"]
            .as_str()
            .unwrap()
            .starts_with("The two sides")
    );
}

#[test]
fn formal_differences_are_counted_and_listed_only_when_kept() {
    let plain = tempfile::tempdir().unwrap();
    let kept = tempfile::tempdir().unwrap();
    for (dir, extra) in [(&plain, None), (&kept, Some("--keep-formal"))] {
        recension()
            .args(["report", "-q"])
            .arg(sample())
            .arg("-o")
            .arg(dir.path())
            .args(extra)
            .assert()
            .success();
    }
    // 004 sets Chinese text with half-width punctuation.
    let witnesses = read_csv(&plain.path().join("witnesses.csv"));
    let formal_004: usize = witnesses
        .rows
        .iter()
        .find(|r| r["witness"].starts_with("004_"))
        .unwrap()["formal"]
        .parse()
        .unwrap();
    assert!(formal_004 > 100, "{formal_004}");
    let rows = read_csv(&kept.path().join("variants.csv")).rows;
    let formal: Vec<_> = rows.iter().filter(|r| r["category"] == "formal").collect();
    assert!(
        formal.iter().any(|r| r["witness"].starts_with("004_")
            && r["consensus"] == "，"
            && r["reading"] == ","),
        "no 004 ，/, row"
    );
    // The variants proper are the same with and without.
    let proper = |rows: &[std::collections::BTreeMap<String, String>]| {
        rows.iter()
            .filter(|r| r["category"] != "formal")
            .map(|r| {
                (
                    r["witness"].clone(),
                    r["line"].clone(),
                    r["consensus"].clone(),
                    r["reading"].clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let plain_rows = read_csv(&plain.path().join("variants.csv")).rows;
    assert_eq!(proper(&plain_rows), proper(&rows));
}

#[test]
fn reference_is_the_consensus_and_is_not_ranked() {
    let out = tempfile::tempdir().unwrap();
    recension()
        .args(["report", "-q", "--reference", "004_3c0b0e0b6bb004f2"])
        .arg(sample())
        .arg("-o")
        .arg(out.path())
        .assert()
        .success();
    // 004's 东 is now the right reading, and 001 and 002 read 缅 against it.
    let variants = read_csv(&out.path().join("variants.csv")).rows;
    assert!(variants.iter().all(|r| !r["witness"].starts_with("004_")));
    let row = variants
        .iter()
        .find(|r| r["consensus"] == "东" && r["reading"] == "缅")
        .expect("缅 against the reference's 东");
    assert!(row["witness"].starts_with("001_") || row["witness"].starts_with("002_"));
    let witnesses = read_csv(&out.path().join("witnesses.csv")).rows;
    let reference = witnesses
        .iter()
        .find(|r| r["witness"].starts_with("004_"))
        .unwrap();
    assert_eq!(
        (reference["cer"].as_str(), reference["rank"].as_str()),
        ("", "")
    );

    let err = recension()
        .args(["report", "-q", "--reference", "nope"])
        .arg(sample())
        .arg("-o")
        .arg(out.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("--reference nope") && stderr.contains("004_3c0b0e0b6bb004f2"),
        "{stderr}"
    );
}

// See: issue 16 — a multi-byte space at a line end that segmentation joins
// to the next line made report, audit and diff exit 101 with nothing written.
#[test]
fn multi_byte_spaces_at_line_ends_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.txt");
    std::fs::write(
        &plain,
        "The talks were long\nand productive for both sides today.\n",
    )
    .unwrap();
    for space in [
        "\u{a0}", "\u{2002}", "\u{2003}", "\u{2009}", "\u{3000}", "\u{85}", "\u{2028}", "\u{2029}",
    ] {
        let spaced = dir.path().join("spaced.txt");
        std::fs::write(
            &spaced,
            format!("The talks were long{space}\nand productive for both sides today.\n"),
        )
        .unwrap();
        let out = dir.path().join("out");
        recension()
            .args(["report", "-q"])
            .arg(&spaced)
            .arg(&plain)
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        assert_eq!(
            read_csv(&out.join("variants.csv")).rows.len(),
            0,
            "{space:?}"
        );
        recension()
            .arg("audit")
            .arg(&spaced)
            .arg(&plain)
            .assert()
            .success();
        // The same text: no difference after normalization.
        recension()
            .arg("diff")
            .arg(&spaced)
            .arg(&plain)
            .assert()
            .code(0);
    }
}

/// Runs the binary with stdout into a pipe that is closed after the first
/// line, as `| head -1` does, and returns its exit status and stderr.
#[cfg(unix)]
fn into_closed_pipe(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_recension"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reading end is dropped here: the pipe is closed.
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (child.wait().unwrap().code(), err)
}

// See: issue 16 — `paragraphs | head -1` printed `Broken pipe` and exited 2;
// `diff | head -1` exited 0 although the files differ.
#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_the_output_quietly_and_keeps_the_status() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    // Enough output to fill the pipe several times over.
    for i in 0..400 {
        let text = format!("Paragraph {i} of the minutes was read out and approved by all.\n");
        std::fs::write(a.join(format!("{i}.txt")), &text).unwrap();
        std::fs::write(
            b.join(format!("{i}.txt")),
            text.replace("approved", "rejected"),
        )
        .unwrap();
    }
    let (code, err) = into_closed_pipe(&["paragraphs".as_ref(), a.as_os_str()]);
    assert_eq!((code, err.as_str()), (Some(0), ""));
    let (code, err) = into_closed_pipe(&["diff".as_ref(), a.as_os_str(), b.as_os_str()]);
    assert_eq!((code, err.as_str()), (Some(1), ""), "the files differ");
}

#[test]
fn threads_must_be_at_least_one() {
    recension()
        .args(["-j", "0", "paragraphs"])
        .arg(fixture("typo_fix"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the number of threads must be at least 1",
        ));
}

#[test]
fn sources_are_named_comma_separated_or_repeated() {
    let listed = |args: &[&str]| {
        let out = recension()
            .arg("audit")
            .arg(sample())
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let comma = listed(&["--source", "001,004"]);
    assert_eq!(comma, listed(&["--source", "001", "--source", "004"]));
    assert!(comma.contains("001_df2ad415fbb60e3c.txt:"), "{comma}");
    assert!(comma.contains("004_3c0b0e0b6bb004f2.txt:"), "{comma}");
}

// See: issue 16's catalogue — a million one-character paragraphs are read
// and counted in linear time, not compared pairwise.
#[test]
fn a_million_one_character_paragraphs_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let text = "a\n\n".repeat(1_000_000);
    for name in ["x.txt", "y.txt"] {
        std::fs::write(dir.path().join(name), &text).unwrap();
    }
    let out = dir.path().join("out");
    recension()
        .args(["report", "-q"])
        .arg(dir.path().join("x.txt"))
        .arg(dir.path().join("y.txt"))
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let witnesses = read_csv(&out.join("witnesses.csv"));
    for row in &witnesses.rows {
        assert_eq!(row["paragraphs"], "1000000", "{row:?}");
    }
}
