//! A set of output files switched in as a whole: a reader of the output
//! directory sees the complete previous set or the complete new one, never
//! a mix, even when the run is killed.
//!
//! ```text
//! out/                       .out.recension-4711/        (private, next to out/)
//!   variants.csv  (old)        variants.csv  (new)
//!   report.json   (old)        report.json   (new)
//!   notes.txt     (the user's) notes.txt     (a hard link to the user's file)
//!
//! renameat2(.out.recension-4711, out, RENAME_EXCHANGE)  → out/ is the new set, in one step
//! ```
//!
//! The new set is written into a private directory next to the target.
//! Before the switch every other file of the target is hard-linked into it
//! (the same file, not a copy: it is not modified), then the two
//! directories are exchanged atomically (Linux `renameat2`) and the old one
//! is removed. A missing target is created by one `rename`.
//!
//! Limits, where the files are renamed into place one by one instead (each
//! file whole, the set not): a target with a subdirectory of its own (it
//! cannot be linked), a target that is a symbolic link or a mount point, a
//! file system without `RENAME_EXCHANGE` or hard links, and systems other
//! than Linux. After the switch the directory is a new one: a shell whose
//! working directory was the old one still sees the old files.
//!
//! A run that is killed leaves its private directory behind; the next run
//! into the same target removes it (a process that still runs keeps its
//! own).
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Marks the private directories of this program: `.NAME.recension-PID`.
const STAGING_MARK: &str = ".recension-";

/// Output files being written into a private directory, to be switched in
/// together by [`OutputSet::commit`]. Dropped without a commit, it removes
/// what it wrote.
pub struct OutputSet {
    target: PathBuf,
    staging: PathBuf,
    /// The private directory is next to the target (it can be switched in
    /// whole), not inside it.
    beside: bool,
    committed: bool,
    /// Files of an earlier set that a new one replaces even when it has
    /// no file of that name.
    stale: fn(&str) -> bool,
}

impl OutputSet {
    /// Starts a set for the directory `target` (created when missing at the
    /// commit), and removes what killed runs left next to it.
    pub fn begin(target: &Path) -> anyhow::Result<OutputSet> {
        if target.exists() && !target.is_dir() {
            anyhow::bail!("cannot write into {}: not a directory", target.display());
        }
        let (name, parent) = name_and_parent(target);
        remove_leftovers(&parent, &name);
        if target.is_dir() {
            remove_leftovers(target, "");
        }
        // Next to the target, so the switch stays on one file system; inside
        // it when the parent cannot be written (then files move one by one).
        let beside = parent.join(format!(".{name}{STAGING_MARK}{}", std::process::id()));
        let (staging, beside) = match fs::create_dir(&beside) {
            Ok(()) => (beside, true),
            Err(_) => {
                fs::create_dir_all(target)
                    .with_context(|| format!("cannot create {}", target.display()))?;
                let inside = target.join(format!("{STAGING_MARK}{}", std::process::id()));
                fs::create_dir(&inside)
                    .with_context(|| format!("cannot write in {}", target.display()))?;
                (inside, false)
            }
        };
        Ok(OutputSet {
            target: target.to_path_buf(),
            staging,
            beside,
            committed: false,
            stale: |_| false,
        })
    }

    /// Marks as stale the files of the target that `stale` picks: the
    /// commit removes those it does not replace.
    pub fn replacing(mut self, stale: fn(&str) -> bool) -> OutputSet {
        self.stale = stale;
        self
    }

    /// Starts the file `name` of the set.
    pub fn create(&self, name: &str) -> anyhow::Result<Staged> {
        let path = self.staging.join(name);
        let file = File::create(&path)
            .with_context(|| format!("cannot write {}", self.target.join(name).display()))?;
        Ok(Staged {
            out: io::BufWriter::with_capacity(1 << 16, file),
            name: name.to_string(),
            target: self.target.join(name),
        })
    }

    /// Completes every file and switches the set in; returns the files'
    /// final paths in the order given.
    pub fn commit(mut self, files: Vec<Staged>) -> anyhow::Result<Vec<PathBuf>> {
        let mut names: Vec<String> = Vec::with_capacity(files.len());
        for f in files {
            names.push(f.name.clone());
            f.finish()?;
        }
        let switched = self.exchange(&names)?;
        if !switched {
            fs::create_dir_all(&self.target)
                .with_context(|| format!("cannot create {}", self.target.display()))?;
            for name in &names {
                let to = self.target.join(name);
                fs::rename(self.staging.join(name), &to)
                    .with_context(|| format!("cannot write {}", to.display()))?;
            }
            if let Ok(entries) = fs::read_dir(&self.target) {
                for entry in entries.flatten() {
                    let name = entry.file_name().to_string_lossy().into_owned();
                    if (self.stale)(&name) && !names.contains(&name) {
                        let _ = fs::remove_file(entry.path());
                    }
                }
            }
            let _ = fs::remove_dir_all(&self.staging);
        }
        self.committed = true;
        Ok(names.iter().map(|n| self.target.join(n)).collect())
    }

    /// Switches the staging directory in whole; `false` when it cannot (the
    /// files are then to be moved one by one).
    fn exchange(&self, names: &[String]) -> anyhow::Result<bool> {
        if !self.beside {
            return Ok(false);
        }
        let meta = match fs::symlink_metadata(&self.target) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                // Nothing to replace: one rename puts the whole set in place.
                return Ok(fs::rename(&self.staging, &self.target).is_ok());
            }
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", self.target.display()));
            }
            Ok(m) => m,
        };
        if !meta.is_dir() {
            return Ok(false);
        }
        // The user's files come along as hard links; a directory of theirs
        // cannot, and then the set is not switched as a whole.
        let mut linked = Vec::new();
        for entry in fs::read_dir(&self.target)
            .with_context(|| format!("cannot read {}", self.target.display()))?
        {
            let entry = entry?;
            let name = entry.file_name();
            // A file of an earlier set that this one has no counterpart
            // of (a page the report no longer needs) goes with it.
            if names.iter().any(|n| name == n.as_str()) || (self.stale)(&name.to_string_lossy()) {
                continue;
            }
            if entry.file_type()?.is_dir()
                || fs::hard_link(entry.path(), self.staging.join(&name)).is_err()
            {
                for name in linked {
                    let _ = fs::remove_file(self.staging.join(name));
                }
                return Ok(false);
            }
            linked.push(name);
        }
        let _ = fs::set_permissions(&self.staging, meta.permissions());
        if !exchange_dirs(&self.staging, &self.target) {
            for name in linked {
                let _ = fs::remove_file(self.staging.join(name));
            }
            return Ok(false);
        }
        // The staging path now holds the previous directory. A file the
        // user made in it after the links were taken moves over.
        if let Ok(entries) = fs::read_dir(&self.staging) {
            for entry in entries.flatten() {
                let name = entry.file_name();
                if !names.iter().any(|n| name == n.as_str())
                    && !(self.stale)(&name.to_string_lossy())
                    && !self.target.join(&name).exists()
                {
                    let _ = fs::rename(entry.path(), self.target.join(&name));
                }
            }
        }
        let _ = fs::remove_dir_all(&self.staging);
        Ok(true)
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// A directory tree written whole and switched in as a whole (`clean`'s
/// output: a folder per source): written into a private directory next to
/// the target, then exchanged with it in one step. Unlike [`OutputSet`] it
/// replaces the whole target, so a target that holds anything but a
/// previous output of the same command (marked by `marker`) is refused.
pub struct OutputTree {
    target: PathBuf,
    staging: PathBuf,
    committed: bool,
}

impl OutputTree {
    /// Starts the tree for `target`: refused when `target` exists and is
    /// not a directory, or holds anything but `marker` (which it must hold),
    /// the other `files` of an output and folders.
    pub fn begin(target: &Path, marker: &str, files: &[&str]) -> anyhow::Result<OutputTree> {
        if target.exists() {
            if !target.is_dir() {
                anyhow::bail!("cannot write into {}: not a directory", target.display());
            }
            let empty = fs::read_dir(target)
                .with_context(|| format!("cannot read {}", target.display()))?
                .next()
                .is_none();
            // An earlier output: the marker, and nothing at its top but
            // the files named and folders (one per source).
            let earlier = target.join(marker).is_file()
                && fs::read_dir(target)
                    .with_context(|| format!("cannot read {}", target.display()))?
                    .flatten()
                    .all(|e| {
                        e.file_type().is_ok_and(|t| t.is_dir())
                            || files.iter().any(|f| e.file_name() == **f)
                    });
            if !empty && !earlier {
                anyhow::bail!(
                    "{} is not empty and is not an earlier output (it holds other files than {}): \
                     it would be replaced whole; give a new directory",
                    target.display(),
                    files.join(", ")
                );
            }
        }
        let (name, parent) = name_and_parent(target);
        fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        remove_leftovers(&parent, &name);
        let staging = parent.join(format!(".{name}{STAGING_MARK}{}", std::process::id()));
        fs::create_dir(&staging)
            .with_context(|| format!("cannot write in {}", parent.display()))?;
        Ok(OutputTree {
            target: target.to_path_buf(),
            staging,
            committed: false,
        })
    }

    /// Where to write the tree's files before the switch.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// The directory the tree will be.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Switches the tree in: one rename when the target is missing, an
    /// exchange of the two directories otherwise (two renames where the
    /// system cannot exchange), then the previous tree is removed.
    pub fn commit(mut self) -> anyhow::Result<()> {
        if !self.target.exists() {
            fs::rename(&self.staging, &self.target)
                .with_context(|| format!("cannot write {}", self.target.display()))?;
        } else if exchange_dirs(&self.staging, &self.target) {
            let _ = fs::remove_dir_all(&self.staging);
        } else {
            let old = self.staging.with_extension("old");
            fs::rename(&self.target, &old)
                .with_context(|| format!("cannot replace {}", self.target.display()))?;
            fs::rename(&self.staging, &self.target)
                .with_context(|| format!("cannot write {}", self.target.display()))?;
            let _ = fs::remove_dir_all(&old);
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for OutputTree {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// A target's file name (for its private directory's name) and the
/// directory it is in.
fn name_and_parent(target: &Path) -> (String, PathBuf) {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    (name, parent)
}

/// Exchanges two directory entries in one step.
#[cfg(target_os = "linux")]
fn exchange_dirs(a: &Path, b: &Path) -> bool {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange_dirs(_: &Path, _: &Path) -> bool {
    false
}

/// Removes the private directories of runs that no longer run, in `dir`,
/// for the target named `name` (`""`: those inside the target itself).
fn remove_leftovers(dir: &Path, name: &str) {
    let prefix = format!(
        "{}{STAGING_MARK}",
        if name.is_empty() {
            String::new()
        } else {
            format!(".{name}")
        }
    );
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !running(pid) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Whether a process runs with this id (on Linux, by `/proc`; elsewhere
/// assumed, so nothing another run may still use is removed).
fn running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// An output file being written into the set's private directory.
pub struct Staged {
    out: io::BufWriter<File>,
    name: String,
    target: PathBuf,
}

impl Staged {
    /// Where the file will be once the set is switched in (for messages).
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flushes it to the file system.
    fn finish(self) -> anyhow::Result<()> {
        let target = self.target;
        let file = self
            .out
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("cannot write {}", target.display()))?;
        // Flushed to the file system, not synced to the disk: the set
        // survives a killed run, and a power cut is the file system's
        // journal's to handle.
        drop(file);
        Ok(())
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
