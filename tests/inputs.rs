//! Reading inputs never blocks, never reads without bound, never panics,
//! and goes on where that is safe: special files, symbolic link loops,
//! unlistable directories, missing paths, clashing names, files that are
//! not text, encodings, and an output directory inside an input directory.
mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{fixture, recension};
use serde_json::Value;

/// Long enough for a debug build on a busy machine; a blocked read would
/// never end.
const TIMEOUT: Duration = Duration::from_secs(120);

/// What one run gave: its exit status, stderr, and `report.json` if written.
struct Run {
    code: i32,
    stderr: String,
    report: Option<Value>,
}

impl Run {
    /// One field of each object of one array in `report.json`.
    fn column(&self, array: &str, field: &str) -> Vec<String> {
        let report = self.report.as_ref().expect("report.json was written");
        report[array]
            .as_array()
            .unwrap_or_else(|| panic!("an array {array:?}"))
            .iter()
            .map(|x| x[field].as_str().expect("a string").to_string())
            .collect()
    }

    /// The witness names in `report.json`.
    fn witnesses(&self) -> Vec<String> {
        self.column("sources", "witness")
    }

    /// The documents' files in `report.json`.
    fn files(&self) -> Vec<String> {
        self.column("documents", "file")
    }

    /// The encodings of the documents in `report.json`, by file name.
    fn encodings(&self) -> Vec<(String, String)> {
        let names = self.files().into_iter().map(|f| {
            Path::new(&f)
                .file_name()
                .expect("a file name")
                .to_string_lossy()
                .into_owned()
        });
        names.zip(self.column("documents", "encoding")).collect()
    }

    /// The stderr lines that contain `needle`.
    fn lines_with(&self, needle: &str) -> Vec<&str> {
        self.stderr.lines().filter(|l| l.contains(needle)).collect()
    }
}

/// Runs `recension report ARGS... -o OUT` (with `-q`) in `cwd`.
fn report(cwd: &Path, args: &[&str], out: &Path) -> Run {
    report_with(cwd, args, out, &["-q"])
}

fn report_with(cwd: &Path, args: &[&str], out: &Path, flags: &[&str]) -> Run {
    let output = recension()
        .current_dir(cwd)
        .arg("report")
        .args(flags)
        .args(args)
        .arg("-o")
        .arg(out)
        .timeout(TIMEOUT)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8 stderr");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // `out` is relative to `cwd` (joining an absolute path replaces it).
    let report = fs::read_to_string(cwd.join(out).join("report.json"))
        .ok()
        .map(|t| serde_json::from_str(&t).expect("valid report.json"));
    Run {
        code: output.status.code().expect("exited, not killed (timeout?)"),
        stderr,
        report,
    }
}

/// A directory with the three witnesses of the `typo_fix` fixture.
fn witnesses() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["v1.txt", "v2.txt", "v3.txt"] {
        fs::copy(fixture("typo_fix").join(name), dir.path().join(name)).unwrap();
    }
    dir
}

/// Copies `dir/from` to `dir/sub/name`, creating `sub`.
fn page(dir: &Path, from: &str, sub: &str, name: &str) {
    fs::create_dir_all(dir.join(sub)).unwrap();
    fs::copy(dir.join(from), dir.join(sub).join(name)).unwrap();
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn special_files_are_skipped_without_being_opened() {
    use std::os::unix::fs::symlink;
    use std::os::unix::net::UnixListener;
    let input = witnesses();
    let dir = input.path();
    mkfifo(&dir.join("pipe.txt"));
    let _socket = UnixListener::bind(dir.join("sock")).unwrap();
    symlink("/dev/zero", dir.join("zero.txt")).unwrap();
    symlink("/dev/null", dir.join("null")).unwrap();
    let out = tempfile::tempdir().unwrap();

    // One directory: each child is a source.
    let run = report(dir, &["."], out.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    for (name, what) in [
        ("pipe.txt", "FIFO"),
        ("sock", "socket"),
        ("zero.txt", "character device"),
        ("null", "character device"),
    ] {
        let lines = run.lines_with(&format!("{name}: not a regular file ({what})"));
        assert_eq!(lines.len(), 1, "{name}: {}", run.stderr);
        assert!(lines[0].starts_with("recension: skipped "), "{}", lines[0]);
    }
    assert_eq!(run.witnesses(), ["v1", "v2", "v3"]);
    let json = run.report.as_ref().unwrap();
    assert_eq!(json["skipped"].as_array().unwrap().len(), 4);

    // The same files inside a source directory, and given as paths.
    let out = tempfile::tempdir().unwrap();
    let run = report(dir, &[".", "pipe.txt", "zero.txt", "v1.txt"], out.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.lines_with("pipe.txt: not a regular file (FIFO)").len(),
        2
    );
    assert_eq!(
        run.lines_with("zero.txt: not a regular file (character device)")
            .len(),
        2
    );
    assert_eq!(run.lines_with("sock: not a regular file (socket)").len(), 1);
    // The directory's own name and v1 are the two sources.
    assert_eq!(run.witnesses().len(), 2, "{:?}", run.witnesses());
}

#[cfg(unix)]
#[test]
fn diff_of_a_fifo_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    mkfifo(&dir.path().join("pipe.txt"));
    fs::copy(
        fixture("typo_fix").join("v1.txt"),
        dir.path().join("v1.txt"),
    )
    .unwrap();
    let out = recension()
        .current_dir(dir.path())
        .args(["diff", "v1.txt", "pipe.txt"])
        .timeout(TIMEOUT)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("not a regular file (FIFO)"), "{stderr}");
}

#[test]
fn a_file_over_the_size_limit_is_skipped_unread() {
    let input = witnesses();
    // Sparse: nothing is written to disk.
    let big = fs::File::create(input.path().join("huge.txt")).unwrap();
    big.set_len(recension::ingest::MAX_FILE_BYTES + 1).unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = report(input.path(), &["."], out.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines = run.lines_with("skipped ./huge.txt: too large (1073741825 bytes");
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert!(
        lines[0].ends_with("files over 1024 MiB are not read)"),
        "{}",
        lines[0]
    );
    // The file is still a witness, with no documents, as for any file
    // source that is skipped.
    assert_eq!(run.witnesses(), ["huge", "v1", "v2", "v3"]);
    assert_eq!(run.files().len(), 3);
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_skipped_and_the_run_goes_on() {
    use std::os::unix::fs::symlink;
    let input = witnesses();
    let dir = input.path();
    symlink("self.txt", dir.join("self.txt")).unwrap();
    page(dir, "v1.txt", "sub", "page.txt");
    symlink("ping", dir.join("sub/pong")).unwrap();
    symlink("pong", dir.join("sub/ping")).unwrap();
    // A link back up the tree is not followed.
    symlink("..", dir.join("sub/up")).unwrap();
    symlink("missing.txt", dir.join("sub/dangling.txt")).unwrap();
    let out = tempfile::tempdir().unwrap();

    let run = report(dir, &["."], out.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    let loops = run.lines_with("cannot follow symbolic link: too many levels of symbolic links");
    assert_eq!(loops.len(), 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("skipped ./self.txt: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("skipped ./sub/ping: "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("skipped ./sub/dangling.txt: broken symbolic link"),
        "{}",
        run.stderr
    );
    // The link to a directory is a note: not printed with -q.
    assert!(!run.stderr.contains("sub/up"), "{}", run.stderr);
    assert_eq!(run.witnesses(), ["sub", "v1", "v2", "v3"]);
    assert!(run.files().iter().any(|f| f.ends_with("sub/page.txt")));

    // A loop given as a path.
    let out = tempfile::tempdir().unwrap();
    let run = report(dir, &["self.txt", "v1.txt", "v2.txt"], out.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.lines_with("skipped self.txt: cannot follow").len(), 1);
    assert_eq!(run.witnesses(), ["v1", "v2"]);
}

#[cfg(unix)]
#[test]
fn a_directory_that_cannot_be_listed_is_skipped() {
    use std::os::unix::fs::PermissionsExt;
    let input = witnesses();
    let dir = input.path();
    let locked = dir.join("locked");
    fs::create_dir_all(locked.join("inner")).unwrap();
    fs::copy(dir.join("v1.txt"), locked.join("inner/page.txt")).unwrap();
    page(dir, "v2.txt", "open", "page.txt");
    fs::set_permissions(locked.join("inner"), fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    // As root (in a container), permissions do not stop reading: then there
    // is nothing to test.
    let listable = fs::read_dir(&locked).is_ok();
    let out = tempfile::tempdir().unwrap();
    let run = report(dir, &["locked", "open", "v3.txt"], out.path());
    let inner = report(dir, &["."], &out.path().join("second"));
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(locked.join("inner"), fs::Permissions::from_mode(0o755)).unwrap();
    if listable {
        // Running as root: only check that the run went through.
        assert_eq!(run.code, 0, "{}", run.stderr);
        return;
    }
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines = run.lines_with("skipped locked: cannot list directory: permission denied");
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert_eq!(run.witnesses(), ["open", "v3"]);
    // Found inside the single input directory, as a source of its own.
    assert_eq!(inner.code, 2, "{}", inner.stderr);
    assert!(inner.stderr.contains("./locked: cannot list directory"));
}

#[test]
fn a_missing_path_is_reported_and_the_others_are_read() {
    let input = witnesses();
    let out = tempfile::tempdir().unwrap();
    let run = report(
        input.path(),
        &["v1.txt", "missing.txt", "v2.txt", "v3.txt"],
        out.path(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim_end(),
        "recension: skipped missing.txt: no such file or directory"
    );
    assert_eq!(run.witnesses(), ["v1", "v2", "v3"]);
    // The outputs are complete: the typo of the fixture is found.
    assert!(out.path().join("variants.csv").is_file());
    let skipped = &run.report.as_ref().unwrap()["skipped"];
    assert_eq!(skipped[0]["path"], "missing.txt");
}

#[test]
fn no_usable_path_is_a_one_line_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("notes.pdf"), "%PDF").unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = report(dir.path(), &["gone.txt", "also/gone"], out.path());
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim_end(),
        "recension: no usable input (also/gone: no such file or directory; \
         gone.txt: no such file or directory)"
    );
    assert!(run.report.is_none());
}

#[test]
fn files_of_one_source_with_one_stem_are_two_documents() {
    let input = witnesses();
    let dir = input.path();
    page(dir, "v1.txt", "a", "page.txt");
    page(dir, "v2.txt", "a", "page.md");
    let out = tempfile::tempdir().unwrap();
    let run = report(dir, &["a", "v3.txt"], out.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.witnesses(), ["a", "v3"]);
    assert_eq!(run.files(), ["a/page.md", "a/page.txt", "v3.txt"]);
}

#[test]
fn clashing_source_names_are_told_apart_by_their_parents() {
    let dir = tempfile::tempdir().unwrap();
    for (sub, v) in [("x", "v1.txt"), ("y", "v2.txt"), ("z", "v3.txt")] {
        fs::create_dir(dir.path().join(sub)).unwrap();
        fs::copy(
            fixture("typo_fix").join(v),
            dir.path().join(sub).join("a.txt"),
        )
        .unwrap();
    }
    let names = |args: &[&str]| {
        let out = tempfile::tempdir().unwrap();
        let run = report(dir.path(), args, out.path());
        assert_eq!(run.code, 0, "{}", run.stderr);
        (run.witnesses(), run.files())
    };
    let forward = names(&["x/a.txt", "y/a.txt", "z/a.txt"]);
    assert_eq!(forward.0, ["x/a", "y/a", "z/a"]);
    assert_eq!(names(&["z/a.txt", "x/a.txt", "y/a.txt"]), forward);
    // The same file twice is one source.
    let out = tempfile::tempdir().unwrap();
    let run = report_with(
        dir.path(),
        &["x/a.txt", "./x/a.txt", "y/a.txt"],
        out.path(),
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.witnesses(), ["x/a", "y/a"]);
    assert_eq!(
        run.lines_with("recension: note: skipped x/a.txt: given twice (the same as ./x/a.txt)")
            .len(),
        1,
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_stay_two_sources_and_are_shown_escaped() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let typo = fixture("typo_fix");
    for (name, v) in [(&b"\xff.txt"[..], "v1.txt"), (b"\xfe.txt", "v2.txt")] {
        fs::copy(typo.join(v), dir.path().join(OsStr::from_bytes(name))).unwrap();
    }
    fs::copy(typo.join("v3.txt"), dir.path().join("v3.txt")).unwrap();
    // A file name with a newline and an escape sequence, and NUL bytes.
    fs::write(dir.path().join("evil\n\x1b[31m.txt"), b"a\0b").unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = report(dir.path(), &["."], out.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.witnesses(), ["\\xfe", "\\xff", "evil\\n\\e[31m", "v3"]);
    assert_eq!(
        run.stderr.trim_end(),
        "recension: skipped ./evil\\n\\e[31m.txt: binary file (contains NUL bytes)"
    );
}

#[test]
fn files_that_are_not_text_are_a_note_not_an_error() {
    let input = witnesses();
    let dir = input.path();
    page(dir, "v1.txt", "book", "page.txt");
    fs::write(dir.join("book/manifest.json"), "{}").unwrap();
    fs::write(dir.join("book/scan.pdf"), b"%PDF-1.4\0\0").unwrap();
    fs::remove_file(dir.join("v1.txt")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = report(dir, &["."], out.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "", "-q prints no notes");
    assert_eq!(run.witnesses(), ["book", "v2", "v3"]);
    let skipped = run.report.as_ref().unwrap()["skipped"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(skipped, 2, "the report still lists them");

    let out = tempfile::tempdir().unwrap();
    let run = report_with(dir, &["."], out.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let notes = run.lines_with("recension: note: skipped ./book/");
    assert_eq!(notes.len(), 2, "{}", run.stderr);
    assert!(
        notes[0].ends_with(
            "manifest.json: not a text file (reads .txt, .md and files without extension; --glob selects others)"
        )
    );

    // A real problem next to them still gives status 2, even with -q.
    fs::write(dir.join("book/bad.txt"), b"\0\0\0").unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = report(dir, &["."], out.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim_end(),
        "recension: skipped ./book/bad.txt: binary file (contains NUL bytes)"
    );
}

#[test]
fn utf32_and_unmarked_utf16_are_read_and_broken_encodings_named() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(fixture("typo_fix").join("v1.txt")).unwrap();
    let mut le32 = vec![0xFF, 0xFE, 0, 0];
    let mut be32 = vec![0, 0, 0xFE, 0xFF];
    for c in text.chars() {
        le32.extend(u32::from(c).to_le_bytes());
        be32.extend(u32::from(c).to_be_bytes());
    }
    let le16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    fs::write(dir.path().join("a.txt"), &le32).unwrap();
    fs::write(dir.path().join("b.txt"), &be32).unwrap();
    fs::write(dir.path().join("c.txt"), &le16).unwrap();
    fs::write(dir.path().join("d.txt"), &le16[..le16.len() - 1]).unwrap();
    fs::write(dir.path().join("e.txt"), &le32[..le32.len() - 2]).unwrap();
    let (gb, _, _) =
        encoding_rs::GB18030.encode("王毅表示，中方将继续为缅北和平进程提供斡旋，推动构建。");
    fs::write(dir.path().join("f.txt"), &gb[..gb.len() - 1]).unwrap();
    let out = tempfile::tempdir().unwrap();
    let run = report(dir.path(), &["."], out.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.encodings(),
        [
            ("a.txt".to_string(), "UTF-32LE".to_string()),
            ("b.txt".into(), "UTF-32BE".into()),
            ("c.txt".into(), "UTF-16LE".into()),
        ]
    );
    let expected = [
        "recension: skipped ./d.txt: malformed UTF-16LE without a byte-order mark (odd length: cut in the middle of a character)",
        "recension: skipped ./e.txt: malformed UTF-32LE after a byte-order mark (length not a multiple of 4)",
        &format!(
            "recension: skipped ./f.txt: malformed gb18030 (invalid or cut bytes at offset {})",
            gb.len() - 2
        ),
    ];
    assert_eq!(run.stderr.lines().collect::<Vec<_>>(), expected);
    // All three read as the same text: one cluster, no variants.
    let variants = common::read_csv(&out.path().join("variants.csv"));
    assert!(variants.rows.is_empty());
}

#[test]
fn an_output_directory_inside_the_input_is_not_read_back() {
    let input = witnesses();
    let src: PathBuf = input.path().to_path_buf();
    let first = report(&src, &["."], Path::new("out"));
    assert_eq!(first.code, 0, "{}", first.stderr);
    let second = report(&src, &["."], Path::new("out"));
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(first.witnesses(), ["v1", "v2", "v3"]);
    assert_eq!(second.witnesses(), first.witnesses());
    assert_eq!(second.files(), first.files());
    assert_eq!(
        second.report.as_ref().unwrap()["skipped"],
        serde_json::json!([])
    );

    // Inside a source directory too, and named differently (`./out/`).
    page(&src, "v1.txt", "book", "p.txt");
    for _ in 0..2 {
        let run = report(&src, &["book", "v2.txt"], Path::new("./book/out/"));
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.files(), ["book/p.txt", "v2.txt"]);
    }
    // `cluster -o` is excluded the same way.
    for _ in 0..2 {
        let out = recension()
            .current_dir(&src)
            .args(["cluster", "-q", ".", "-o", "cl"])
            .timeout(TIMEOUT)
            .assert()
            .code(0);
        assert!(out.get_output().stderr.is_empty());
    }
}

/// `--glob` says which files of a source directory are sources: a
/// selecting pattern reads matching files whatever their extension (and
/// only them), `!` leaves files or whole directories out, a pattern with a
/// `/` is relative to the source directory; hidden files stay out and
/// ignore files are not honoured.
#[test]
fn globs_choose_the_files_of_source_directories() {
    let tmp = witnesses();
    let dir = tmp.path();
    for (sub, from) in [("a", "v1.txt"), ("b", "v2.txt")] {
        page(dir, from, &format!("corpus/{sub}"), "page.txt");
        page(dir, from, &format!("corpus/{sub}"), "page.html");
        page(dir, from, &format!("corpus/{sub}/drafts"), "old.txt");
        page(dir, from, &format!("corpus/{sub}/.cache"), "hidden.txt");
    }
    // A .gitignore naming a source file does not hide it.
    fs::write(dir.join("corpus/a/.gitignore"), "page.txt\n").unwrap();
    let files = |flags: &[&str]| -> Vec<String> {
        let out = tempfile::tempdir().unwrap();
        let mut all = vec!["-q"];
        all.extend_from_slice(flags);
        let run = report_with(dir, &["corpus"], out.path(), &all);
        assert_eq!(run.code, 0, "{flags:?}: {}", run.stderr);
        run.files()
    };
    assert_eq!(
        files(&[]),
        [
            "corpus/a/drafts/old.txt",
            "corpus/a/page.txt",
            "corpus/b/drafts/old.txt",
            "corpus/b/page.txt"
        ]
    );
    assert_eq!(
        files(&["--glob", "*.html"]),
        ["corpus/a/page.html", "corpus/b/page.html"]
    );
    assert_eq!(
        files(&["-g", "!drafts"]),
        ["corpus/a/page.txt", "corpus/b/page.txt"]
    );
    assert_eq!(
        files(&["-g", "drafts/*.txt"]),
        ["corpus/a/drafts/old.txt", "corpus/b/drafts/old.txt"]
    );
    // The last match wins.
    assert_eq!(
        files(&["-g", "*.txt", "-g", "!old.txt"]),
        ["corpus/a/page.txt", "corpus/b/page.txt"]
    );
    // A glob can leave a whole source out of a directory of sources.
    assert_eq!(files(&["-g", "!b"]).len(), 2);
    assert!(
        files(&["-g", "!b"])
            .iter()
            .all(|f| f.starts_with("corpus/a/"))
    );
}

#[test]
fn an_invalid_glob_is_a_one_line_error() {
    let tmp = witnesses();
    let out = tempfile::tempdir().unwrap();
    let run = report_with(tmp.path(), &["."], out.path(), &["-q", "-g", "[ab"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.trim_end(),
        "recension: invalid --glob \"[ab\": unclosed character class; missing ']'"
    );
    assert!(run.report.is_none());
}

/// `diff` of two directories uses the same selection, and names what it
/// cannot read instead of dropping it.
#[test]
fn diff_of_directories_follows_globs_and_names_skipped_files() {
    let tmp = witnesses();
    let dir = tmp.path();
    for sub in ["x", "y"] {
        page(dir, "v1.txt", sub, "same.txt");
        page(dir, "v1.txt", sub, "same.html");
    }
    fs::copy(dir.join("v3.txt"), dir.join("y/same.html")).unwrap();
    let diff = |flags: &[&str]| {
        recension()
            .current_dir(dir)
            .arg("diff")
            .args(flags)
            .args(["x", "y"])
            .timeout(TIMEOUT)
            .output()
            .unwrap()
    };
    let plain = diff(&["-q"]);
    assert_eq!(plain.status.code(), Some(0), "the .html files are not read");
    let html = diff(&["-q", "-g", "*.html"]);
    assert_eq!(html.status.code(), Some(1), "the .html files differ");

    #[cfg(unix)]
    {
        mkfifo(&dir.join("y/pipe.txt"));
        let bad = diff(&["-q"]);
        assert_eq!(bad.status.code(), Some(2));
        assert_eq!(
            String::from_utf8_lossy(&bad.stderr).trim_end(),
            "recension: skipped y/pipe.txt: not a regular file (FIFO)"
        );
    }
}
