//! What reaches the terminal: text and file names from the sources never
//! drive it. Control characters, bidi controls and line breaks show as
//! escapes in the views and messages; the report files keep the exact text.
mod common;

use std::path::Path;

use common::{read_csv, recension};

/// A paragraph long enough to cluster, and the same paragraph with an OSC
/// title sequence ending in BEL, an SGR colour code, a right-to-left
/// override and a lone BEL in it.
const CLEAN: &str = "一年来，习近平主席出席三场多边峰会，发表重要讲话，阐述中国主张。\n\n\
                     The talks would continue next week in Geneva with all parties present.\n";
const DIRTY: &str = "一年来，习近平主席出席三场多边\x1b]0;pwned\x07峰会，发表\x1b[31m重要讲话，\
                     阐述\u{202e}中国主张。\n\n\
                     The talks would continue next\x07 week in Geneva with all parties present.\n";

/// A directory of sources: two clean and one dirty.
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let sources = dir.path().join("sources");
    std::fs::create_dir(&sources).unwrap();
    std::fs::write(sources.join("clean.txt"), CLEAN).unwrap();
    std::fs::write(sources.join("third.txt"), CLEAN).unwrap();
    std::fs::write(sources.join("dirty.txt"), DIRTY).unwrap();
    dir
}

/// Runs `recension` in `dir` and returns its stdout and stderr.
fn run_in(dir: &Path, args: &[&str]) -> (String, String) {
    let output = recension()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs");
    (
        String::from_utf8(output.stdout).expect("UTF-8 stdout"),
        String::from_utf8(output.stderr).expect("UTF-8 stderr"),
    )
}

/// `recension diff` of the clean and the dirty source, coloured `when`.
fn diff_clean_dirty(dir: &Path, when: &str) -> (String, String) {
    run_in(
        dir,
        &[
            "diff",
            "sources/clean.txt",
            "sources/dirty.txt",
            "--color",
            when,
        ],
    )
}

/// Fails when `text` holds a character that would drive the terminal.
fn assert_no_raw_controls(text: &str) {
    for bad in ['\x1b', '\x07', '\u{202e}'] {
        assert!(!text.contains(bad), "{bad:?} reached the terminal:\n{text}");
    }
}

/// `text` without the SGR sequences (`\x1b[…m`, the only ones recension
/// writes), which must then hold no ESC at all.
fn assert_only_sgr(text: &str) {
    let mut rest = text;
    let mut colours = 0;
    while let Some(at) = rest.find('\x1b') {
        let after = &rest[at + 1..];
        let params = after
            .strip_prefix('[')
            .unwrap_or_else(|| panic!("ESC not starting SGR:\n{text}"));
        let end = params
            .find(|c: char| !(c.is_ascii_digit() || c == ';'))
            .expect("an SGR sequence ends");
        assert_eq!(
            &params[end..end + 1],
            "m",
            "ESC not starting SGR at {:?}",
            &rest[at..]
        );
        colours += 1;
        rest = &params[end + 1..];
    }
    assert!(colours > 0, "--color always paints:\n{text}");
    assert!(
        !text.contains('\x07') && !text.contains('\u{202e}'),
        "{text}"
    );
}

// See: issue "ESC, OSC, BEL and bidi controls in the text reach the terminal raw"
#[test]
fn audit_shows_control_characters_of_the_text_as_escapes() {
    let dir = corpus();
    let (out, _) = run_in(dir.path(), &["audit", "sources", "--color", "never"]);
    assert_no_raw_controls(&out);
    for reading in ["\\e]0;pwned\\x07", "\\e[31m", "\\u{202e}", "\\x07"] {
        assert!(out.contains(&format!("| {reading} dirty}}")), "{out}");
    }
}

#[test]
fn diff_shows_control_characters_of_the_text_as_escapes() {
    let dir = corpus();
    let (out, _) = diff_clean_dirty(dir.path(), "never");
    assert_no_raw_controls(&out);
    for marked in [
        "多边{+\\e]0;pwned\\x07+}峰会",
        "发表{+\\e[31m+}重要",
        "阐述{+\\u{202e}+}中国",
        "[-next-]{+next\\x07+}",
    ] {
        assert!(out.contains(marked), "{out}");
    }
}

#[test]
fn with_colour_the_only_escape_sequences_are_the_colours_recension_adds() {
    let dir = corpus();
    let (audit, _) = run_in(dir.path(), &["audit", "sources", "--color", "always"]);
    assert_only_sgr(&audit);
    assert!(audit.contains("\\e]0;pwned\\x07"), "{audit}");
    let (diff, _) = diff_clean_dirty(dir.path(), "always");
    assert_only_sgr(&diff);
    assert!(diff.contains("\x1b[32m\\e]0;pwned\\x07\x1b[0m"), "{diff}");
}

#[test]
fn report_files_keep_the_exact_text() {
    let dir = corpus();
    recension()
        .current_dir(dir.path())
        .args(["report", "-q", "sources", "-o", "out"])
        .assert()
        .success();
    let variants = read_csv(&dir.path().join("out/variants.csv"));
    let readings: Vec<&str> = variants
        .rows
        .iter()
        .map(|row| row["reading"].as_str())
        .collect();
    for exact in ["\x1b]0;pwned\x07", "\x1b[31m", "\u{202e}", "\x07"] {
        assert!(readings.contains(&exact), "{exact:?} in {readings:?}");
    }
    let apparatus = std::fs::read_to_string(dir.path().join("out/apparatus.jsonl")).unwrap();
    assert!(
        apparatus.contains(r#""\u001b]0;pwned\u0007""#),
        "{apparatus}"
    );
}

#[test]
fn an_error_naming_a_file_stays_on_one_line() {
    let dir = corpus();
    let output = recension()
        .current_dir(dir.path())
        .args(["diff", "sources/clean.txt", "no\nrecension: fake\x1b[2J"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8(output.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("recension: cannot read no\\nrecension: fake\\e[2J"),
        "{err}"
    );
}

/// A file name with a line break can neither break a line of the summary
/// nor forge a `recension:` line (file names cannot hold a line break on
/// Windows).
#[cfg(unix)]
#[test]
fn a_file_name_with_a_line_break_stays_on_its_line() {
    let dir = corpus();
    let sources = dir.path().join("sources");
    std::fs::write(sources.join("a\nrecension: fake.txt"), CLEAN).unwrap();
    std::fs::write(sources.join("b\nrecension: fake\x1b[2J.bin"), "x").unwrap();
    let output = recension()
        .current_dir(dir.path())
        .args(["report", "sources", "-o", "out"])
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "a file that is not text is a note, not an error"
    );
    let out = String::from_utf8(output.stdout).unwrap();
    let err = String::from_utf8(output.stderr).unwrap();
    for text in [&out, &err] {
        assert_no_raw_controls(text);
        assert!(
            !text.lines().any(|l| l.starts_with("recension: fake")),
            "a forged line:\n{text}"
        );
    }
    assert!(
        out.lines()
            .any(|l| l.starts_with("   1  a\\nrecension: fake  0.000000")),
        "{out}"
    );
    assert!(
        out.contains("\n  sources/b\\nrecension: fake\\e[2J.bin: not a text file"),
        "{out}"
    );
    assert!(
        err.contains(
            "recension: note: skipped sources/b\\nrecension: fake\\e[2J.bin: not a text file"
        ),
        "{err}"
    );

    let (audit, _) = run_in(dir.path(), &["audit", "sources", "--color", "never"]);
    assert_no_raw_controls(&audit);
    assert!(audit.contains("a\\nrecension: fake"), "{audit}");
    assert!(
        !audit.lines().any(|l| l.starts_with("recension: fake")),
        "{audit}"
    );
}

/// A file name that is not UTF-8 shows its bytes, not `�`.
#[cfg(unix)]
#[test]
fn a_file_name_that_is_not_utf8_shows_its_bytes() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = corpus();
    let name = OsStr::from_bytes(b"caf\xe9.txt");
    std::fs::write(dir.path().join(name), DIRTY).unwrap();
    let output = recension()
        .current_dir(dir.path())
        .arg("diff")
        .arg("sources/clean.txt")
        .arg(name)
        .args(["--color", "never"])
        .output()
        .expect("runs");
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(out.contains("+++ caf\\xe9.txt\n"), "{out}");
    assert!(out.contains(" caf\\xe9.txt:1 @@"), "{out}");
}
