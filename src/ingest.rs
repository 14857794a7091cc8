//! Read the command-line paths into sources and documents. The only stage
//! that touches the file system for input.
//!
//! ```text
//! recension report data/sample        → one source per child: 000_…, 001_…, …
//! recension report ocr/ gt/           → two sources, "ocr" and "gt", each a directory of pages
//! recension report a.txt b.txt c.txt  → three sources, "a", "b", "c"
//! ```
//!
//! Files are decoded from UTF-8 (with or without a byte-order mark),
//! UTF-16 (with a byte-order mark, or without one when its NUL bytes make
//! it plain), UTF-32 with a byte-order mark, or a legacy encoding detected
//! by `chardetng` (GB18030/GBK, Big5, windows-1252 …);
//! [`Document::encoding`] says which.
//!
//! Reading never blocks and never reads without bound: only regular files
//! are opened (a FIFO, socket or device is looked at, not opened), and
//! none larger than [`MAX_FILE_BYTES`]. A path that cannot be used —
//! missing, a symbolic link loop, a directory that cannot be listed, a file
//! that cannot be read or decoded without loss — is not an error for the
//! run: it is recorded in [`Corpus::skipped`] with the reason and a
//! [`Severity`], and the run goes on with the other paths. Only a run with
//! no usable path at all fails.
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use anyhow::bail;
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{
    BIG5, DecoderResult, Encoding, GB18030, GBK, ISO_8859_2, UTF_8, UTF_16BE, UTF_16LE,
    WINDOWS_1250, WINDOWS_1252,
};

use crate::model::{DocId, SourceId};

/// One witness: a file or a directory of files given on the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// Position in [`Corpus::sources`].
    pub id: SourceId,
    /// The file stem or directory name, used in every report.
    pub name: String,
    /// The path as given (or as reached from the given directory).
    pub path: PathBuf,
}

/// One decoded text file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    /// Position in [`Corpus::documents`].
    pub id: DocId,
    /// The source this document belongs to.
    pub source: SourceId,
    /// The path as reached from the command-line argument.
    pub path: PathBuf,
    /// The decoded text with line endings folded to `\n`. Line and column
    /// numbers computed on it are those of the original file.
    pub text: String,
    /// The encoding the file was read in, as `encoding_rs` names it:
    /// `UTF-8`, `UTF-16LE`, `UTF-16BE`, `gb18030`, `Big5`, `windows-1252` …
    pub encoding: &'static str,
    /// The work it is a version of, numbered from 1 (see
    /// [`crate::cluster::works`]); 0 until clustering has grouped the
    /// documents.
    pub work: u32,
    /// Byte offset of the start of each line, for [`Document::line_col`].
    line_starts: Vec<u32>,
}

impl Document {
    /// Builds a document from decoded text (line endings already folded),
    /// read as UTF-8; see [`Document::with_encoding`] for other encodings.
    pub fn new(id: DocId, source: SourceId, path: PathBuf, text: String) -> Document {
        let mut line_starts = vec![0u32];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        );
        Document {
            id,
            source,
            path,
            text,
            encoding: encoding_rs::UTF_8.name(),
            work: 0,
            line_starts,
        }
    }

    /// The same document, recorded as read in `encoding` (an
    /// `encoding_rs` name such as `gb18030`).
    pub fn with_encoding(mut self, encoding: &'static str) -> Document {
        self.encoding = encoding;
        self
    }

    /// Drops the text and its line index once nothing needs them any more
    /// (the `cluster` command keeps only summaries); [`Document::line_col`]
    /// must not be called afterwards.
    pub fn release_text(&mut self) {
        self.text = String::new();
        self.line_starts = Vec::new();
    }

    /// The 1-based line of a byte offset in [`Document::text`], without
    /// counting its column's characters.
    pub fn line(&self, byte: usize) -> u32 {
        self.line_starts.partition_point(|&s| s as usize <= byte) as u32
    }

    /// 1-based line and 1-based column (in Unicode scalar values) of a byte
    /// offset in [`Document::text`].
    pub fn line_col(&self, byte: usize) -> (u32, u32) {
        let mut byte = byte.min(self.text.len());
        // A position inside a character (a joining space mapped onto a
        // multi-byte space) counts as that character's.
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s as usize <= byte) - 1;
        let start = self.line_starts[line] as usize;
        let column = self.text[start..byte].chars().count() + 1;
        (line as u32 + 1, column as u32)
    }
}

/// A path that was passed over, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The path as given, or as reached from the command-line argument.
    pub path: PathBuf,
    /// Lowercase reason, e.g. `binary file (contains NUL bytes)`.
    pub reason: String,
    /// Whether the skip is a problem (exit status 2) or only a note.
    pub severity: Severity,
}

/// How much a skipped path matters: the one place that decides whether a
/// skip changes the exit status (README, "Exit codes").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Not meant as input: a file that is not text (a `manifest.json` or a
    /// `.pdf` next to the transcripts), a link to a directory inside a
    /// source, a path given twice. Like ripgrep passing over binary files,
    /// this leaves the exit status 0, and `--quiet` does not print it.
    Note,
    /// An input that could not be used: missing, unreadable, undecodable,
    /// too large, or not a regular file. The exit status is 2.
    Error,
}

impl Skipped {
    /// A path that could not be used (exit status 2).
    pub fn error(path: PathBuf, reason: impl Into<String>) -> Skipped {
        Skipped {
            path,
            reason: reason.into(),
            severity: Severity::Error,
        }
    }

    /// A path passed over on purpose (exit status unchanged).
    pub fn note(path: PathBuf, reason: impl Into<String>) -> Skipped {
        Skipped {
            path,
            reason: reason.into(),
            severity: Severity::Note,
        }
    }

    /// Whether this skip makes the exit status 2.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Everything read from the command line's paths.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    /// Sources sorted by name.
    pub sources: Vec<Source>,
    /// Documents sorted by source, then path.
    pub documents: Vec<Document>,
    /// Files that could not be used.
    pub skipped: Vec<Skipped>,
}

impl Corpus {
    /// A document's path inside its source: relative to the source's
    /// directory, or its file name when the source is the file itself.
    pub fn relative_path<'a>(&self, doc: &'a Document) -> &'a Path {
        let root = &self.sources[doc.source.index()].path;
        doc.path
            .strip_prefix(root)
            .ok()
            .filter(|p| !p.as_os_str().is_empty())
            .or_else(|| doc.path.file_name().map(Path::new))
            .unwrap_or(&doc.path)
    }

    /// For each document, a number that documents of the same relative
    /// path (see [`Corpus::relative_path`]) share, in whatever source:
    /// versions of one page or one file.
    pub fn counterparts(&self) -> Vec<u32> {
        let mut ids: std::collections::HashMap<&Path, u32> = Default::default();
        self.documents
            .iter()
            .map(|d| {
                let next = ids.len() as u32;
                *ids.entry(self.relative_path(d)).or_insert(next)
            })
            .collect()
    }
    /// The source named `name`, by its full name or its short name (see
    /// [`short_names`]).
    pub fn find_source(&self, name: &str) -> Option<SourceId> {
        let names: Vec<&str> = self.sources.iter().map(|s| s.name.as_str()).collect();
        let short = short_names(&names);
        (0..names.len())
            .find(|&i| names[i] == name || short[i] == name)
            .map(|i| self.sources[i].id)
    }

    /// `--option name: no such source (sources: a, b, …)`.
    pub fn no_such_source(&self, option: &str, name: &str) -> anyhow::Error {
        let names: Vec<&str> = self.sources.iter().map(|s| s.name.as_str()).collect();
        anyhow::anyhow!(
            "{option} {name}: no such source (sources: {})",
            names.join(", ")
        )
    }
}

/// Short names for sources: the part of each name before its first `_`,
/// `-`, `.` or space (`001` for `001_df2ad415fbb60e3c`) when those parts are
/// all different; the full names otherwise.
pub fn short_names(names: &[&str]) -> Vec<String> {
    let short: Vec<&str> = names
        .iter()
        .map(|n| n.split(['_', '-', '.', ' ']).next().unwrap_or(n))
        .collect();
    let mut unique = short.clone();
    unique.sort_unstable();
    unique.dedup();
    if unique.len() == short.len() && short.iter().all(|s| !s.is_empty()) {
        short.into_iter().map(String::from).collect()
    } else {
        names.iter().map(|n| n.to_string()).collect()
    }
}

/// File name endings read as text. Files without an extension are read too
/// (SPEC §2: plain text and Markdown).
const TEXT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "text"];

/// Largest file read, in bytes: 1 GiB. A transcript, even a whole book, is
/// a few megabytes (the sample's largest file is 31 kB); a single "text"
/// file of a gigabyte is a log, a dump or a disk image put in the wrong
/// place. Reading it would hold the bytes and their decoded copy in memory
/// at once, so it is skipped, named, instead.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// Reads the sources named by `paths` (SPEC §2): a single directory means one
/// source per immediate child; otherwise each path is one source.
///
/// Fails only when no path is usable; missing, special, unreadable and
/// undecodable paths are skipped (see [`Corpus::skipped`]).
pub fn ingest(paths: &[PathBuf]) -> anyhow::Result<Corpus> {
    ingest_with(paths, &Selection::default(), |files| {
        files.iter().map(|p| read_text(p)).collect()
    })
}

/// What reading one file gives: its text and the name of its encoding, or
/// why it is skipped.
pub type ReadResult = Result<(String, &'static str), String>;

/// [`ingest`], with the files of each source read and decoded by
/// `read_all` (which must return one result per path, in order): the
/// pipeline passes a parallel reader. `selection` says which files of a
/// directory are read; the directories it excludes (the output directory
/// of `report` or `cluster`) are never read, wherever they are found, so
/// that a report written inside an input directory does not become input
/// of the next run.
///
/// Source names (SPEC §2) are the file stem or directory name. Sources
/// whose names clash are named by the end of their path instead: the file
/// name with its extension if that tells them apart (`a.txt`, `a.md`), else
/// as many parent directories as it takes (`x/a`, `y/a`). Names depend on
/// the paths only, not on their order on the command line.
pub fn ingest_with(
    paths: &[PathBuf],
    selection: &Selection,
    read_all: impl Fn(&[PathBuf]) -> Vec<ReadResult>,
) -> anyhow::Result<Corpus> {
    if paths.is_empty() {
        bail!("no input paths given");
    }
    let mut corpus = Corpus::default();
    let mut roots: Vec<(PathBuf, bool)> = Vec::new();
    if paths.len() == 1 && paths[0].is_dir() {
        let children = list_dir(&paths[0])
            .map_err(|reason| anyhow::anyhow!("cannot list {}: {reason}", shown(&paths[0])))?;
        for child in children {
            match kind(&child) {
                Ok(Kind::Dir) if selection.excluded(&child) => {}
                Ok(k) => match selection.selects_child(&child, k == Kind::Dir) {
                    None => {}
                    Some(true) => roots.push((child, k == Kind::Dir)),
                    Some(false) => corpus.skipped.push(not_text(child)),
                },
                Err(reason) => corpus.skipped.push(Skipped::error(child, reason)),
            }
        }
        if roots.is_empty() {
            bail!("{} holds no text files or directories", shown(&paths[0]));
        }
    } else {
        let mut seen: BTreeMap<PathBuf, &PathBuf> = BTreeMap::new();
        // Sorted, so which of two spellings of one path is kept does not
        // depend on argument order.
        let mut sorted: Vec<&PathBuf> = paths.iter().collect();
        sorted.sort();
        for path in sorted {
            match kind(path) {
                Ok(k) if k == Kind::Dir && selection.excluded(path) => corpus.skipped.push(
                    Skipped::note(path.clone(), "the output directory of this run"),
                ),
                Ok(k) => {
                    let real = fs::canonicalize(path).unwrap_or_else(|_| path.clone());
                    if let Some(first) = seen.get(&real) {
                        let reason = format!("given twice (the same as {})", shown(first));
                        corpus.skipped.push(Skipped::note(path.clone(), reason));
                    } else {
                        seen.insert(real, path);
                        roots.push((path.clone(), k == Kind::Dir));
                    }
                }
                Err(reason) => corpus.skipped.push(Skipped::error(path.clone(), reason)),
            }
        }
        if roots.is_empty() {
            let problems: Vec<String> = corpus
                .skipped
                .iter()
                .map(|s| format!("{}: {}", shown(&s.path), s.reason))
                .collect();
            bail!("no usable input ({})", problems.join("; "));
        }
    }

    // Sort by source name so IDs do not depend on argument order.
    let names = source_names(&roots);
    let named: BTreeMap<String, (PathBuf, bool)> = names.into_iter().zip(roots).collect();

    for (name, (root, is_dir)) in named {
        let mut files = Vec::new();
        if is_dir {
            if let Err(reason) = selection.files(&root, &mut files, &mut corpus.skipped) {
                corpus.skipped.push(Skipped::error(root, reason));
                continue;
            }
        } else {
            files.push(root.clone());
        }
        let source = SourceId(corpus.sources.len() as u32);
        let texts = read_all(&files);
        for (path, read) in files.into_iter().zip(texts) {
            let id = DocId(corpus.documents.len() as u32);
            match document(id, source, path, read) {
                Ok(doc) => corpus.documents.push(doc),
                Err(skipped) => corpus.skipped.push(skipped),
            }
        }
        corpus.sources.push(Source {
            id: source,
            name,
            path: root,
        });
    }
    Ok(corpus)
}

/// Reads and decodes one file as [`ingest`] does: the document, or the
/// record of why it is skipped, with the reason a report gives.
pub fn read_document(id: DocId, source: SourceId, path: PathBuf) -> Result<Document, Skipped> {
    let read = read_text(&path);
    document(id, source, path, read)
}

/// The document that reading its file gave, or why the file is skipped.
fn document(
    id: DocId,
    source: SourceId,
    path: PathBuf,
    read: ReadResult,
) -> Result<Document, Skipped> {
    match read {
        Ok((text, encoding)) => Ok(Document::new(id, source, path, text).with_encoding(encoding)),
        Err(reason) => Err(Skipped::error(path, reason)),
    }
}

/// A path as skip messages show it, escaped as every view escapes text
/// ([`crate::escape::escape_path`]: a newline in a file name as `\n`,
/// bytes that are not UTF-8 as `\xff`); `path.display()` would print a
/// newline as is and non-UTF-8 bytes as U+FFFD.
pub fn shown(path: &Path) -> String {
    escaped(path.as_os_str())
}

/// A file name as text: [`shown`]'s escaping, so that two names that
/// differ only in bytes that are not UTF-8 stay two names.
fn escaped(name: &OsStr) -> String {
    crate::escape::escape_path(Path::new(name)).into_owned()
}

/// The name each root is reported under (see [`ingest_with`]): its file
/// stem or directory name, or, where those clash, the shortest end of its
/// absolute path that tells the clashing roots apart.
fn source_names(roots: &[(PathBuf, bool)]) -> Vec<String> {
    let base: Vec<String> = roots
        .iter()
        .map(|(p, d)| suffix_name(p, *d, 1, true))
        .collect();
    let mut names = base.clone();
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, name) in base.iter().enumerate() {
        groups.entry(name).or_default().push(i);
    }
    for group in groups.values().filter(|g| g.len() > 1) {
        let depth = group
            .iter()
            .map(|&i| std::path::absolute(&roots[i].0).map_or(1, |p| p.components().count()))
            .max()
            .unwrap_or(1);
        'depth: for k in 1..=depth {
            for strip in [true, false] {
                let candidate: Vec<String> = group
                    .iter()
                    .map(|&i| suffix_name(&roots[i].0, roots[i].1, k, strip))
                    .collect();
                let mut unique = candidate.clone();
                unique.sort_unstable();
                unique.dedup();
                if unique.len() == candidate.len() {
                    for (&i, name) in group.iter().zip(candidate) {
                        names[i] = name;
                    }
                    break 'depth;
                }
            }
        }
    }
    // Whatever is still the same (names that differ only in what escaping
    // cannot show, or a suffix equal to another source's stem) is numbered,
    // in path order.
    let mut order: Vec<usize> = (0..roots.len()).collect();
    order.sort_by(|&a, &b| (&names[a], &roots[a].0).cmp(&(&names[b], &roots[b].0)));
    let mut taken = std::collections::BTreeSet::new();
    for i in order {
        let mut name = names[i].clone();
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{} ({n})", names[i]);
            n += 1;
        }
        taken.insert(name.clone());
        names[i] = name;
    }
    names
}

/// The last `k` components of `path` made absolute, joined with `/`; the
/// last one without its extension if `strip` (and the path is a file).
fn suffix_name(path: &Path, is_dir: bool, k: usize, strip: bool) -> String {
    let full = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let parts: Vec<&OsStr> = full
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(n) => Some(n),
            _ => None,
        })
        .collect();
    let Some((last, parents)) = parts.split_last() else {
        return shown(path);
    };
    let last = if strip && !is_dir {
        Path::new(last).file_stem().unwrap_or(last)
    } else {
        last
    };
    let start = parents.len().saturating_sub(k - 1);
    parents[start..]
        .iter()
        .chain([&last])
        .map(|n| escaped(n))
        .collect::<Vec<_>>()
        .join("/")
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

fn has_text_extension(path: &Path) -> bool {
    match path.extension() {
        None => true,
        Some(ext) => TEXT_EXTENSIONS.iter().any(|t| ext.eq_ignore_ascii_case(t)),
    }
}

/// What a path is, its symbolic links followed; anything else is the
/// reason it is skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    File,
    Dir,
}

/// Looks at what `path` is without opening it: opening a FIFO blocks
/// until something writes to it, and a device such as `/dev/zero` never
/// ends. Only regular files and directories are used.
fn kind(path: &Path) -> Result<Kind, String> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(Kind::File),
        Ok(meta) if meta.is_dir() => Ok(Kind::Dir),
        Ok(meta) => Err(not_regular(&meta)),
        Err(e) => {
            let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            Err(match (is_link, e.kind()) {
                (true, io::ErrorKind::NotFound) => {
                    "broken symbolic link (its target does not exist)".to_string()
                }
                // ELOOP: a link to itself, or a cycle of links.
                (true, _) => format!("cannot follow symbolic link: {}", io_reason(&e)),
                (false, _) => io_reason(&e),
            })
        }
    }
}

/// `not a regular file (FIFO)`, with the kind of file named.
fn not_regular(meta: &fs::Metadata) -> String {
    let what = {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            let t = meta.file_type();
            if t.is_fifo() {
                "FIFO"
            } else if t.is_socket() {
                "socket"
            } else if t.is_char_device() {
                "character device"
            } else if t.is_block_device() {
                "block device"
            } else {
                "special file"
            }
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            "special file"
        }
    };
    format!("not a regular file ({what})")
}

/// An I/O error as a lowercase reason without the OS error number:
/// `no such file or directory`, `permission denied`, `too many levels of
/// symbolic links`.
fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = e.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text);
            let mut chars = text.chars();
            chars
                .next()
                .map(|c| c.to_lowercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

/// Entries of a directory, hidden ones left out, sorted by name, or why it
/// cannot be listed.
fn list_dir(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let cannot = |e: io::Error| format!("cannot list directory: {}", io_reason(&e));
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).map_err(cannot)? {
        let path = entry.map_err(cannot)?.path();
        if !is_hidden(&path) {
            entries.push(path);
        }
    }
    entries.sort();
    Ok(entries)
}

/// All text files below `dir`, recursively, in sorted order; what is passed
/// over goes to `skipped`. Fails only when `dir` itself cannot be listed.
/// Symbolic links to directories are not followed, so a link cycle cannot
/// loop.
pub fn collect_files(
    dir: &Path,
    selection: &Selection,
    files: &mut Vec<PathBuf>,
    skipped: &mut Vec<Skipped>,
) -> anyhow::Result<()> {
    selection
        .files(dir, files, skipped)
        .map_err(|reason| anyhow::anyhow!("cannot read {}: {reason}", shown(dir)))
}

/// Which files of a source directory are read: the walk that `ripgrep` and
/// `fd` use (the `ignore` crate), with hidden files and directories left
/// out, symbolic links to directories not followed, and the user's
/// `--glob` patterns deciding over the default of text extensions.
///
/// Ignore files (`.gitignore`, `.ignore`) are *not* honoured: a transcript
/// folder kept in git may well ignore files that are sources, and a file
/// left out without a word is lost to the comparison.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Canonical paths of directories never read (the output directory).
    exclude: Vec<PathBuf>,
    /// `--glob` patterns, in the order given (the last match wins).
    globs: Vec<String>,
    /// Whether any pattern selects files (does not start with `!`): then
    /// only matching files are read, whatever their extension.
    whitelist: bool,
}

impl Selection {
    /// Leaves out the directories in `exclude` wherever they are found,
    /// and selects files by `globs` (gitignore syntax, as `rg --glob`: a
    /// pattern selects the files it matches, one starting with `!` leaves
    /// them out, the last match wins; a pattern without `/` matches a file
    /// name at any depth, one with `/` a path relative to the source
    /// directory). Fails on a pattern that is not a valid glob.
    pub fn new(exclude: &[PathBuf], globs: &[String]) -> anyhow::Result<Selection> {
        let selection = Selection {
            exclude: exclude
                .iter()
                .filter_map(|p| fs::canonicalize(p).ok())
                .collect(),
            globs: globs.to_vec(),
            whitelist: globs.iter().any(|g| !g.starts_with('!')),
        };
        selection.overrides(Path::new("."))?;
        Ok(selection)
    }

    /// The `--glob` patterns as a matcher for paths below `root`.
    fn overrides(&self, root: &Path) -> anyhow::Result<ignore::overrides::Override> {
        let mut builder = ignore::overrides::OverrideBuilder::new(root);
        for glob in &self.globs {
            builder
                .add(glob)
                .map_err(|e| anyhow::anyhow!("invalid --glob {:?}: {}", glob, glob_error(&e)))?;
        }
        builder
            .build()
            .map_err(|e| anyhow::anyhow!("invalid --glob: {}", glob_error(&e)))
    }

    /// Whether `dir` is one of the excluded directories.
    fn excluded(&self, dir: &Path) -> bool {
        !self.exclude.is_empty()
            && fs::canonicalize(dir).is_ok_and(|real| self.exclude.contains(&real))
    }

    /// Whether a child of the one directory given (where each child is a
    /// source) is read: `None` if a glob leaves it out, else whether it is
    /// a directory or a file the globs or its extension select.
    fn selects_child(&self, path: &Path, is_dir: bool) -> Option<bool> {
        if !self.globs.is_empty() {
            let parent = path.parent().unwrap_or(Path::new("."));
            let overrides = self.overrides(parent).ok()?;
            match overrides.matched(path, is_dir) {
                ignore::Match::Ignore(_) => return None,
                ignore::Match::Whitelist(_) => return Some(true),
                ignore::Match::None => {}
            }
        }
        Some(is_dir || has_text_extension(path))
    }

    /// [`collect_files`]: a subdirectory that cannot be listed, a special
    /// file or a broken link is recorded in `skipped` and the walk goes on.
    fn files(
        &self,
        dir: &Path,
        files: &mut Vec<PathBuf>,
        skipped: &mut Vec<Skipped>,
    ) -> Result<(), String> {
        let overrides = self.overrides(dir).map_err(|e| e.to_string())?;
        let exclude = self.clone();
        let walk = ignore::WalkBuilder::new(dir)
            .standard_filters(false)
            .hidden(true)
            .follow_links(false)
            .overrides(overrides)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(move |entry| {
                !(entry.depth() > 0
                    && entry.file_type().is_some_and(|t| t.is_dir())
                    && exclude.excluded(entry.path()))
            })
            .build();
        for found in walk {
            let entry = match found {
                Ok(entry) => entry,
                Err(err) => {
                    let (path, reason) = walk_error(&err);
                    match path {
                        Some(path) if path != dir => skipped.push(Skipped::error(path, reason)),
                        _ => return Err(reason),
                    }
                    continue;
                }
            };
            if entry.depth() == 0 {
                // The walk reports a root it cannot list as an error item;
                // a root that is not a directory is not walked here.
                continue;
            }
            let path = entry.into_path();
            let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
            match kind(&path) {
                Ok(Kind::Dir) if is_link => skipped.push(Skipped::note(
                    path,
                    "symbolic link to a directory (not followed inside a source)",
                )),
                Ok(Kind::Dir) => {}
                Ok(Kind::File) if self.whitelist || has_text_extension(&path) => files.push(path),
                Ok(Kind::File) => skipped.push(not_text(path)),
                Err(reason) => skipped.push(Skipped::error(path, reason)),
            }
        }
        Ok(())
    }
}

/// The path and reason of an error met while walking a directory.
fn walk_error(err: &ignore::Error) -> (Option<PathBuf>, String) {
    match err {
        ignore::Error::WithPath { path, err } => {
            let (_, reason) = walk_error(err);
            let is_dir = fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
            let reason = if is_dir {
                format!("cannot list directory: {reason}")
            } else {
                reason
            };
            (Some(path.clone()), reason)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(err)
        }
        ignore::Error::Loop { child, .. } => (
            Some(child.clone()),
            "symbolic link loop (not followed)".to_string(),
        ),
        ignore::Error::Io(e) => (None, io_reason(e)),
        other => (None, other.to_string()),
    }
}

/// A glob error without the path of the ignore file it would come from.
fn glob_error(err: &ignore::Error) -> String {
    match err {
        ignore::Error::Glob { err, .. } => err.clone(),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => glob_error(err),
        other => other.to_string(),
    }
}

fn not_text(path: PathBuf) -> Skipped {
    Skipped::note(
        path,
        "not a text file (reads .txt, .md and files without extension; --glob selects others)",
    )
}

/// Reads one file: decoded (never lossily) and with line endings folded to
/// LF, or the reason it is skipped. Only regular files are opened, and no
/// more than [`MAX_FILE_BYTES`] is read.
pub fn read_text(path: &Path) -> ReadResult {
    let bytes = read_bounded(path)?;
    let (text, encoding) = decode(bytes)?;
    Ok((fold_line_endings(text), encoding))
}

/// The bytes of a regular file of at most [`MAX_FILE_BYTES`].
fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    if kind(path)? == Kind::Dir {
        return Err("is a directory".into());
    }
    let cannot = |e: io::Error| format!("cannot read: {}", io_reason(&e));
    let file = fs::File::open(path).map_err(cannot)?;
    // Looked at again through the open file: the path may have been
    // replaced in between.
    let meta = file.metadata().map_err(cannot)?;
    if !meta.is_file() {
        return Err(not_regular(&meta));
    }
    let too_large = |len: u64| {
        format!(
            "too large ({len} bytes; files over {} MiB are not read)",
            MAX_FILE_BYTES >> 20
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // Bounded even if the file grows while it is read.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Legacy encodings read when `chardetng` detects them (SPEC §2): the
/// Chinese ones (GB18030, of which GBK is a subset, and Big5) and the
/// single-byte ones of Western and Central European text (English, French
/// or German OCR). Other guesses (Shift_JIS, EUC-KR, Cyrillic, Greek …) are
/// skipped with their name: for this product's inputs such a guess is more
/// likely wrong than right, and a wrong guess reads as mojibake, silently.
const LEGACY: &[&Encoding] = &[GB18030, BIG5, WINDOWS_1252, WINDOWS_1250, ISO_8859_2];

/// The skip reason for bytes that fit no encoding we read.
const UNDECODABLE: &str =
    "undecodable text (not UTF-8, UTF-16, UTF-32 or a detected legacy encoding)";

/// Decodes a file's bytes, trying in order: a byte-order mark (UTF-32LE,
/// UTF-32BE, UTF-8, UTF-16LE, UTF-16BE); UTF-16 without one when its NUL
/// bytes say so; UTF-8; the legacy encoding `chardetng` detects, if it is
/// one of [`LEGACY`] and fits the bytes. Never decodes lossily: text with
/// malformed sequences is refused, since replacement characters would
/// silently corrupt it. Returns the text and the encoding's name.
fn decode(mut bytes: Vec<u8>) -> Result<(String, &'static str), String> {
    // Before UTF-16: the UTF-32LE mark begins with the UTF-16LE one.
    if let Some(big_endian) = utf32_bom(&bytes) {
        return decode_utf32(&bytes[4..], big_endian);
    }
    if let Some((encoding, bom)) = Encoding::for_bom(&bytes) {
        if encoding == UTF_8 {
            // Decode in place: most input is UTF-8 and may be large.
            bytes.drain(..bom);
            return String::from_utf8(bytes)
                .map(|text| (text, UTF_8.name()))
                .map_err(|e| {
                    format!(
                        "malformed UTF-8 after a byte-order mark (invalid bytes at offset {})",
                        bom + e.utf8_error().valid_up_to()
                    )
                });
        }
        return encoding
            .decode_without_bom_handling_and_without_replacement(&bytes[bom..])
            .map(|text| (text.into_owned(), encoding.name()))
            .ok_or_else(|| {
                format!(
                    "malformed {} after a byte-order mark (odd length or unpaired surrogate)",
                    encoding.name()
                )
            });
    }
    if let Some(encoding) = unmarked_utf16(&bytes) {
        return decode_unmarked_utf16(&bytes, encoding);
    }
    if bytes.contains(&0) {
        return Err(BINARY.into());
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok((text, UTF_8.name())),
        Err(e) if mostly_utf8(e.as_bytes()) => {
            return Err(format!(
                "malformed UTF-8 (invalid bytes at offset {})",
                e.utf8_error().valid_up_to()
            ));
        }
        Err(e) => e.into_bytes(),
    };
    if has_control_bytes(&bytes) {
        return Err(UNDECODABLE.into());
    }
    let encoding = detect(&bytes);
    if encoding.is_single_byte() && !plausible_single_byte(&bytes) {
        return Err(malformed_chinese(&bytes).unwrap_or_else(|| UNDECODABLE.into()));
    }
    if !LEGACY.contains(&encoding) {
        return Err(format!(
            "{UNDECODABLE}; the best guess, {}, is not read",
            encoding.name()
        ));
    }
    encoding
        .decode_without_bom_handling_and_without_replacement(&bytes)
        .map(|text| (text.into_owned(), encoding.name()))
        .ok_or_else(|| {
            format!(
                "malformed {} (invalid bytes for the detected encoding)",
                encoding.name()
            )
        })
}

/// The skip reason for bytes with NUL bytes that are not UTF-16 or UTF-32.
const BINARY: &str = "binary file (contains NUL bytes)";

/// Whether the bytes start with a UTF-32 byte-order mark, and which:
/// `Some(false)` for little-endian (`FF FE 00 00`), `Some(true)` for
/// big-endian (`00 00 FE FF`).
fn utf32_bom(bytes: &[u8]) -> Option<bool> {
    match bytes.get(..4)? {
        [0xFF, 0xFE, 0, 0] => Some(false),
        [0, 0, 0xFE, 0xFF] => Some(true),
        _ => None,
    }
}

/// Decodes UTF-32 after its byte-order mark by hand (`encoding_rs` does
/// not read UTF-32, as no browser does), refusing a cut last character,
/// surrogates and values above U+10FFFF.
fn decode_utf32(body: &[u8], big_endian: bool) -> Result<(String, &'static str), String> {
    let name = if big_endian { "UTF-32BE" } else { "UTF-32LE" };
    if !body.len().is_multiple_of(4) {
        return Err(format!(
            "malformed {name} after a byte-order mark (length not a multiple of 4)"
        ));
    }
    let mut text = String::with_capacity(body.len() / 4);
    for (i, unit) in body.chunks_exact(4).enumerate() {
        let unit: [u8; 4] = unit.try_into().expect("chunks of four bytes");
        let value = if big_endian {
            u32::from_be_bytes(unit)
        } else {
            u32::from_le_bytes(unit)
        };
        let c = char::from_u32(value).ok_or_else(|| {
            format!(
                "malformed {name} after a byte-order mark (invalid code point {value:#X} at offset {})",
                4 + 4 * i
            )
        })?;
        text.push(c);
    }
    Ok((text, name))
}

/// UTF-16 without a byte-order mark, when it clearly is: in mostly-ASCII
/// UTF-16LE text every ASCII character has a NUL high byte (at an odd
/// offset), while a NUL low byte belongs only to a character U+xx00
/// (`一` U+4E00, `Ā` U+0100), which is rare. So: NUL bytes in at least half
/// of one side's positions, and sixteen times fewer on the other, in at
/// least eight characters. Binary data has NUL bytes on both sides, or too
/// few.
fn unmarked_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let pairs = bytes.len() / 2;
    if pairs < 8 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in bytes.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    let clearly = |nul: usize, other: usize| nul * 2 >= pairs && other * 16 <= nul;
    if clearly(odd, even) {
        Some(UTF_16LE)
    } else if clearly(even, odd) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Decodes UTF-16 found by [`unmarked_utf16`]. Text that decodes to
/// control characters was binary after all; an odd length or an unpaired
/// surrogate is a cut or damaged file.
fn decode_unmarked_utf16(
    bytes: &[u8],
    encoding: &'static Encoding,
) -> Result<(String, &'static str), String> {
    let even = bytes.len() & !1;
    let text = encoding
        .decode_without_bom_handling_and_without_replacement(&bytes[..even])
        .ok_or_else(|| {
            format!(
                "malformed {} without a byte-order mark (unpaired surrogate)",
                encoding.name()
            )
        })?;
    if text
        .chars()
        .any(|c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r' | '\u{0C}' | '\u{1A}'))
    {
        return Err(BINARY.into());
    }
    if even < bytes.len() {
        return Err(format!(
            "malformed {} without a byte-order mark (odd length: cut in the middle of a character)",
            encoding.name()
        ));
    }
    Ok((text.into_owned(), encoding.name()))
}

/// For bytes no encoding reads whole: the Chinese legacy encoding
/// (GB18030 or Big5) that reads nearly all of them, as the reason naming
/// where it first fails. A GB18030 file cut mid-character or with one
/// damaged byte is this; `chardetng` rules the encoding out at the first
/// error and calls it windows-1252. Nearly all: at least eight Chinese
/// characters and one error or fewer per twenty; random bytes fail far
/// more often (about one multi-byte sequence in four).
fn malformed_chinese(bytes: &[u8]) -> Option<String> {
    [GB18030, BIG5]
        .into_iter()
        .filter_map(|encoding| {
            let (errors, first, chars) = count_malformed(encoding, bytes);
            (errors > 0 && chars >= 8 && errors * 20 <= chars).then_some((errors, encoding, first))
        })
        .min_by_key(|&(errors, _, _)| errors)
        .map(|(_, encoding, first)| {
            format!(
                "malformed {} (invalid or cut bytes at offset {first})",
                encoding.name()
            )
        })
}

/// Decodes `bytes` in `encoding` past its errors: how many malformed
/// sequences, the offset of the first, and how many non-ASCII characters
/// decoded.
fn count_malformed(encoding: &'static Encoding, bytes: &[u8]) -> (usize, usize, usize) {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 3);
    let mut out = String::with_capacity(capacity);
    let (mut read, mut errors, mut first) = (0usize, 0usize, None);
    loop {
        let (result, n) =
            decoder.decode_to_string_without_replacement(&bytes[read..], &mut out, true);
        read += n;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => out.reserve(bytes.len() - read + 16),
            DecoderResult::Malformed(bad, after) => {
                errors += 1;
                first.get_or_insert(read.saturating_sub(usize::from(bad) + usize::from(after)));
            }
        }
    }
    let chars = out.chars().filter(|c| !c.is_ascii()).count();
    (errors, first.unwrap_or(0), chars)
}

/// The legacy encoding `chardetng` finds most likely for the whole file.
fn detect(bytes: &[u8]) -> &'static Encoding {
    // ISO-2022-JP is refused, as browsers do for untrusted input; it is
    // not among the encodings we read anyway.
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    // UTF-8 has been ruled out before detection.
    let guess = detector.guess(None, Utf8Detection::Deny);
    // encoding_rs decodes GBK exactly as GB18030 (its superset); name the
    // file by what it was decoded with.
    if guess == GBK { GB18030 } else { guess }
}

/// Whether bytes that are not valid UTF-8 are still mostly UTF-8: more
/// well-formed non-ASCII characters than broken sequences. That is a UTF-8
/// file cut mid-character or with a damaged byte; `chardetng` calls such a
/// file windows-1252 (seed 001 cut by one byte), which would read every
/// Chinese character as two or three Latin ones. In GB18030, Big5 or
/// windows-1252 text, bytes that happen to form UTF-8 are few next to the
/// broken sequences.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut chars, mut broken) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        chars += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        broken += usize::from(!chunk.invalid().is_empty());
    }
    chars > broken
}

/// Whether the bytes hold C0 control characters that text files do not:
/// anything below 0x20 but tab, line feed, carriage return, form feed (a
/// page break in OCR output) and 0x1A (the end-of-file mark of DOS-era
/// files, which are the ones in legacy encodings).
fn has_control_bytes(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .any(|&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A))
}

/// Whether bytes guessed to be single-byte Latin text look like it: in
/// such text the non-ASCII letters stand alone or in pairs between ASCII
/// ones (`café`, `Größe`). Runs of three or more non-ASCII bytes holding
/// most of them mean Chinese text in a multi-byte encoding, which
/// `chardetng` calls windows-1252 once a damaged or cut character has
/// ruled out GB18030 and Big5 (measured on seed 001 in GB18030 cut by one
/// byte), or random bytes.
fn plausible_single_byte(bytes: &[u8]) -> bool {
    let (mut non_ascii, mut in_runs, mut run) = (0usize, 0usize, 0usize);
    for &b in bytes.iter().chain([b'\n'].iter()) {
        if b.is_ascii() {
            if run >= 3 {
                in_runs += run;
            }
            run = 0;
        } else {
            non_ascii += 1;
            run += 1;
        }
    }
    in_runs * 2 <= non_ascii
}

/// CRLF and lone CR become LF, so lines count as in the original file.
fn fold_line_endings(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_used_only_when_they_stay_distinct() {
        assert_eq!(
            short_names(&["001_df2a", "002_ed60", "004_3c0b"]),
            ["001", "002", "004"]
        );
        assert_eq!(short_names(&["a_1", "a_2"]), ["a_1", "a_2"]);
        assert_eq!(short_names(&["gt", "ocr"]), ["gt", "ocr"]);
    }

    #[test]
    fn line_col_counts_chars_not_bytes() {
        let doc = Document::new(DocId(0), SourceId(0), "x".into(), "ab\n斡旋缅北\n".into());
        assert_eq!(doc.line_col(0), (1, 1));
        assert_eq!(doc.line_col(3), (2, 1));
        let byte = doc.text.find('缅').unwrap();
        assert_eq!(doc.line_col(byte), (2, 3));
    }

    /// A paragraph of seed 001 in simplified Chinese.
    const SIMPLIFIED: &str = "王毅表示，中方将继续为缅北和平进程提供斡旋，\
        推动构建人类命运共同体，“一带一路”合作取得新成果。";

    /// The same in traditional Chinese, as Taiwan and Hong Kong write it.
    const TRADITIONAL: &str = "王毅表示，中方將繼續為緬北和平進程提供斡旋，\
        推動構建人類命運共同體，「一帶一路」合作取得新成果。";

    fn decoded(bytes: &[u8]) -> (String, &'static str) {
        decode(bytes.to_vec()).expect("decodable")
    }

    fn reason(bytes: &[u8]) -> String {
        decode(bytes.to_vec()).expect_err("not decodable")
    }

    /// Pseudo-random bytes from a fixed linear congruential generator.
    fn noise(len: usize) -> Vec<u8> {
        let mut x = 0x2545_f491_u32;
        (0..len)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (x >> 16) as u8
            })
            .collect()
    }

    #[test]
    fn decode_reads_utf8() {
        assert_eq!(decoded(SIMPLIFIED.as_bytes()), (SIMPLIFIED.into(), "UTF-8"));
    }

    #[test]
    fn decode_strips_utf8_bom() {
        assert_eq!(decoded(b"\xEF\xBB\xBFabc"), ("abc".into(), "UTF-8"));
    }

    #[test]
    fn decode_reads_utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in SIMPLIFIED.encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decoded(&le), (SIMPLIFIED.into(), "UTF-16LE"));
        assert_eq!(decoded(&be), (SIMPLIFIED.into(), "UTF-16BE"));
    }

    #[test]
    fn decode_detects_gb18030() {
        let (bytes, _, unmappable) = GB18030.encode(SIMPLIFIED);
        assert!(!unmappable);
        assert_eq!(decoded(&bytes), (SIMPLIFIED.into(), "gb18030"));
    }

    #[test]
    fn decode_detects_big5() {
        let (bytes, _, unmappable) = BIG5.encode(TRADITIONAL);
        assert!(!unmappable);
        assert_eq!(decoded(&bytes), (TRADITIONAL.into(), "Big5"));
    }

    #[test]
    fn decode_detects_windows_1252_latin_text() {
        let text = "Le ministre a déclaré à la presse que la coopération \
            était « très importante ». Größere Projekte folgen.";
        let (bytes, _, unmappable) = WINDOWS_1252.encode(text);
        assert!(!unmappable);
        assert_eq!(decoded(&bytes), (text.into(), "windows-1252"));
        assert_eq!(decoded(b"caf\xE9"), ("café".into(), "windows-1252"));
    }

    #[test]
    fn decode_skips_binary() {
        assert_eq!(reason(b"ab\0cd"), BINARY);
        let bytes = noise(4096);
        assert!(bytes.contains(&0));
        assert_eq!(reason(&bytes), "binary file (contains NUL bytes)");
        // Without NUL bytes, random data still fits no encoding.
        let bytes: Vec<u8> = noise(4096).into_iter().filter(|&b| b != 0).collect();
        assert_eq!(reason(&bytes), UNDECODABLE);
    }

    #[test]
    fn decode_skips_cut_utf8_instead_of_guessing_a_legacy_encoding() {
        let bytes = SIMPLIFIED.as_bytes();
        let cut = &bytes[..bytes.len() - 1];
        assert_eq!(
            reason(cut),
            format!(
                "malformed UTF-8 (invalid bytes at offset {})",
                bytes.len() - 3
            )
        );
        let mut damaged = bytes.to_vec();
        damaged[4] = b'x';
        assert!(reason(&damaged).starts_with("malformed UTF-8 (invalid bytes at offset 3)"));
        assert!(
            reason(b"\xEF\xBB\xBFab\xFF").starts_with("malformed UTF-8 after a byte-order mark")
        );
    }

    #[test]
    fn decode_skips_cut_gb18030_instead_of_reading_mojibake() {
        let (bytes, _, _) = GB18030.encode(SIMPLIFIED);
        let cut = &bytes[..bytes.len() - 1];
        assert_eq!(
            reason(cut),
            format!(
                "malformed gb18030 (invalid or cut bytes at offset {})",
                bytes.len() - 2
            )
        );
        let mut damaged = bytes.into_owned();
        damaged[7] = 0xFF;
        assert!(
            reason(&damaged).starts_with("malformed gb18030 (invalid or cut bytes at offset"),
            "{}",
            reason(&damaged)
        );
    }

    fn utf32(text: &str, big_endian: bool) -> Vec<u8> {
        let bom: u32 = 0xFEFF;
        std::iter::once(bom)
            .chain(text.chars().map(u32::from))
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    #[test]
    fn decode_reads_utf32_with_bom() {
        let text = format!("{SIMPLIFIED}\nabc 😀");
        assert_eq!(decoded(&utf32(&text, false)), (text.clone(), "UTF-32LE"));
        assert_eq!(decoded(&utf32(&text, true)), (text, "UTF-32BE"));
        // The UTF-32LE mark alone, not UTF-16LE with a NUL character.
        assert_eq!(decoded(b"\xFF\xFE\0\0"), (String::new(), "UTF-32LE"));
    }

    #[test]
    fn decode_skips_malformed_utf32() {
        let mut cut = utf32("abc", false);
        cut.pop();
        assert_eq!(
            reason(&cut),
            "malformed UTF-32LE after a byte-order mark (length not a multiple of 4)"
        );
        let mut surrogate = utf32("ab", true);
        surrogate.extend(0xD800u32.to_be_bytes());
        assert_eq!(
            reason(&surrogate),
            "malformed UTF-32BE after a byte-order mark (invalid code point 0xD800 at offset 12)"
        );
        let mut too_big = utf32("a", false);
        too_big.extend(0x11_0000u32.to_le_bytes());
        assert!(reason(&too_big).contains("invalid code point 0x110000"));
    }

    #[test]
    fn decode_detects_utf16_without_bom() {
        let text = "The minister said, in Beijing: 斡旋缅北 (mediation).\r\nSecond line.";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decoded(&le), (text.into(), "UTF-16LE"));
        assert_eq!(decoded(&be), (text.into(), "UTF-16BE"));
        assert_eq!(
            reason(&le[..le.len() - 1]),
            "malformed UTF-16LE without a byte-order mark (odd length: cut in the middle of a character)"
        );
        let mut lone = le.clone();
        lone.extend(0xDC00u16.to_le_bytes());
        assert_eq!(
            reason(&lone),
            "malformed UTF-16LE without a byte-order mark (unpaired surrogate)"
        );
    }

    #[test]
    fn decode_does_not_take_binary_for_utf16() {
        // Little-endian 32-bit numbers: NUL bytes on both sides.
        let numbers: Vec<u8> = (1u32..200).flat_map(u32::to_le_bytes).collect();
        assert_eq!(reason(&numbers), BINARY);
        // Little-endian 16-bit numbers below 32: "UTF-16" of control characters.
        let small: Vec<u8> = (0u16..400)
            .flat_map(|n| (n % 31 + 1).to_le_bytes())
            .collect();
        assert_eq!(reason(&small), BINARY);
        assert_eq!(reason(&[0u8; 64]), BINARY);
    }

    #[test]
    fn shown_escapes_control_characters_and_bytes_that_are_not_utf8() {
        assert_eq!(shown(Path::new("dir/斡旋 a.txt")), "dir/斡旋 a.txt");
        assert_eq!(
            shown(Path::new("a\nb\tc\u{1b}[31m.txt")),
            "a\\nb\\tc\\e[31m.txt"
        );
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let name = OsStr::from_bytes(b"caf\xE9.txt");
            assert_eq!(shown(Path::new(name)), "caf\\xe9.txt");
        }
    }

    #[test]
    fn clashing_source_names_take_as_much_of_the_path_as_needed() {
        let roots = |paths: &[&str]| -> Vec<(PathBuf, bool)> {
            paths.iter().map(|p| (PathBuf::from(p), false)).collect()
        };
        assert_eq!(
            source_names(&roots(&["/x/a.txt", "/y/a.txt", "/y/b.txt"])),
            ["x/a", "y/a", "b"]
        );
        assert_eq!(
            source_names(&roots(&["/x/a.txt", "/x/a.md"])),
            ["a.txt", "a.md"]
        );
        assert_eq!(
            source_names(&roots(&["/p/x/a.txt", "/q/x/a.txt"])),
            ["p/x/a", "q/x/a"]
        );
        // A suffix that is another source's name is numbered.
        assert_eq!(
            source_names(&roots(&["/x/a.txt", "/x/a.md", "/x/a.txt.txt"])),
            ["a.txt", "a.md", "a.txt (2)"]
        );
    }

    #[test]
    fn decode_skips_malformed_utf16() {
        let mut odd = vec![0xFF, 0xFE];
        odd.extend("ab".encode_utf16().flat_map(u16::to_le_bytes));
        odd.push(b'c');
        assert_eq!(
            reason(&odd),
            "malformed UTF-16LE after a byte-order mark (odd length or unpaired surrogate)"
        );
        // A lone high surrogate, big-endian.
        assert!(reason(b"\xFE\xFF\xD8\x00\x00a").starts_with("malformed UTF-16BE"));
    }

    #[test]
    fn decode_names_a_legacy_encoding_it_does_not_read() {
        let text = "記者会見で外務大臣は、国際協力の重要性について述べました。";
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        assert_eq!(
            reason(&bytes),
            format!("{UNDECODABLE}; the best guess, Shift_JIS, is not read")
        );
    }

    #[test]
    fn ingest_records_the_encoding_and_folds_crlf() {
        let dir = tempfile::tempdir().unwrap();
        let (gb, _, _) = GB18030.encode("王毅：\r\n斡旋缅北。\r\n");
        fs::write(dir.path().join("gb.txt"), &gb).unwrap();
        fs::write(dir.path().join("utf8.txt"), "斡旋缅北。\n").unwrap();
        let corpus = ingest(&[dir.path().to_path_buf()]).unwrap();
        assert!(corpus.skipped.is_empty());
        let docs: Vec<(&str, &str)> = corpus
            .documents
            .iter()
            .map(|d| (d.text.as_str(), d.encoding))
            .collect();
        assert_eq!(
            docs,
            [
                ("王毅：\n斡旋缅北。\n", "gb18030"),
                ("斡旋缅北。\n", "UTF-8")
            ]
        );
    }

    #[test]
    fn line_endings_fold_to_lf() {
        assert_eq!(fold_line_endings("a\r\nb\rc\n".into()), "a\nb\nc\n");
    }
}
