//! The report set is switched in whole: a run killed at any point leaves
//! the previous complete set or the new complete set, and the next run
//! removes what the killed one left.
mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use common::{fixture, recension, sample};

const FILES: [&str; 5] = [
    "variants.csv",
    "clusters.csv",
    "witnesses.csv",
    "report.json",
    "apparatus.jsonl",
];

fn report_cmd(input: &Path, out: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_recension"));
    cmd.arg("report").arg(input).arg("-o").arg(out).arg("-q");
    cmd
}

/// The files of a complete set, read.
fn set_of(dir: &Path) -> Vec<Option<Vec<u8>>> {
    FILES
        .iter()
        .map(|f| std::fs::read(dir.join(f)).ok())
        .collect()
}

/// Hidden entries next to and inside `out`: what a run left behind (the
/// user's and the report's files are not hidden).
fn leftovers(out: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for dir in [out.parent().unwrap(), out] {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with('.') {
                found.push(entry.path());
            }
        }
    }
    found
}

// See: issue 16 — each file was renamed into place on its own, so a kill
// between renames left new CSVs with an old report.json, and killed runs
// left hidden temporary files that nothing removed.
#[cfg(target_os = "linux")]
#[test]
fn a_killed_report_leaves_a_whole_set_and_the_next_run_cleans_up() {
    let work = tempfile::tempdir().unwrap();
    let inputs = [sample(), fixture("small")];
    // The complete set of each input, for reference.
    let reference: Vec<_> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let dir = work.path().join(format!("ref{i}"));
            assert!(report_cmd(input, &dir).status().unwrap().success());
            set_of(&dir)
        })
        .collect();
    assert_ne!(reference[0], reference[1]);

    let out = work.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    let started = Instant::now();
    assert!(report_cmd(&inputs[0], &out).status().unwrap().success());
    let whole_run = started.elapsed();

    // Kill runs at points spread over a whole run, alternating the input so
    // that the old and the new set differ.
    let points = 40;
    for k in 0..points {
        let input = &inputs[(k + 1) % 2];
        let mut child = report_cmd(input, &out).spawn().unwrap();
        std::thread::sleep(whole_run.mul_f64(k as f64 / points as f64));
        let _ = child.kill();
        let _ = child.wait();
        let now = set_of(&out);
        assert!(
            now == reference[0] || now == reference[1],
            "kill {k}: a mixed or partial set: {:?}",
            now.iter()
                .map(|f| f.as_ref().map(Vec::len))
                .collect::<Vec<_>>()
        );
        assert_eq!(
            std::fs::read_to_string(out.join("notes.txt")).unwrap(),
            "mine"
        );
    }
    assert!(report_cmd(&inputs[1], &out).status().unwrap().success());
    assert_eq!(set_of(&out), reference[1]);
    assert_eq!(leftovers(&out), Vec::<PathBuf>::new());
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_report_into_a_file_is_a_one_line_error() {
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("taken");
    std::fs::write(&file, "x").unwrap();
    recension()
        .arg("report")
        .arg(sample())
        .arg("-o")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not a directory"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x");
}

#[test]
fn a_failed_run_leaves_nothing_behind() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    // A reference that names no source stops the run once the sources are
    // read.
    recension()
        .arg("report")
        .arg(sample())
        .args(["--reference", "nobody", "-o"])
        .arg(&out)
        .assert()
        .code(2);
    assert_eq!(leftovers(&out), Vec::<PathBuf>::new());
}

/// A small file system of its own, unmounted when dropped; `None` where
/// mounting is not allowed (not root, a container without the right).
#[cfg(target_os = "linux")]
struct TinyDisk(tempfile::TempDir);

#[cfg(target_os = "linux")]
impl TinyDisk {
    fn mount(options: &str) -> Option<TinyDisk> {
        let dir = tempfile::tempdir().ok()?;
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", options, "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .ok()?;
        status.success().then_some(TinyDisk(dir))
    }
}

#[cfg(target_os = "linux")]
impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(self.0.path())
            .status();
    }
}

// See: issue 16 — a full disk must name the file it stopped, and leave the
// previous report whole and nothing of its own behind.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_names_the_file_and_keeps_the_previous_report() {
    // Where mounting is not allowed there is nothing to test.
    let Some(disk) = TinyDisk::mount("size=48k") else {
        return;
    };
    let out = disk.0.path().join("out");
    // A small report fits.
    assert!(
        report_cmd(&fixture("typo_fix"), &out)
            .status()
            .unwrap()
            .success()
    );
    let before = set_of(&out);
    // The sample's does not.
    let run = report_cmd(&sample(), &out).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8(run.stderr).unwrap();
    assert!(
        err.starts_with(&format!("recension: cannot write {}/", out.display()))
            && err.contains("No space left on device"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(set_of(&out), before, "the previous report is whole");
    assert_eq!(leftovers(&out), Vec::<PathBuf>::new());
}

#[cfg(target_os = "linux")]
#[test]
fn an_output_directory_that_cannot_be_written_is_named() {
    // Where mounting is not allowed there is nothing to test.
    let Some(disk) = TinyDisk::mount("size=48k,ro") else {
        return;
    };
    let out = disk.0.path().join("out");
    let run = report_cmd(&sample(), &out).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8(run.stderr).unwrap();
    assert_eq!(
        err.trim_end(),
        format!(
            "recension: cannot create {}: Read-only file system (os error 30)",
            out.display()
        )
    );
}
