//! Read the command-line paths into sources and documents. The only stage
//! that touches the file system for input.
//!
//! ```text
//! recension report data/sample        → one source per child: 000_…, 001_…, …
//! recension report ocr/ gt/           → two sources, "ocr" and "gt", each a directory of pages
//! recension report a.txt b.txt c.txt  → three sources, "a", "b", "c"
//! ```
//!
//! A file that cannot be read or decoded is not an error for the run: it is
//! recorded in [`Corpus::skipped`] with the reason, and the run goes on.
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

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
    /// Byte offset of the start of each line, for [`Document::line_col`].
    line_starts: Vec<u32>,
}

impl Document {
    /// Builds a document from decoded text (line endings already folded).
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
            line_starts,
        }
    }

    /// 1-based line and 1-based column (in Unicode scalar values) of a byte
    /// offset in [`Document::text`].
    pub fn line_col(&self, byte: usize) -> (u32, u32) {
        let byte = byte.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s as usize <= byte) - 1;
        let start = self.line_starts[line] as usize;
        let column = self.text[start..byte].chars().count() + 1;
        (line as u32 + 1, column as u32)
    }
}

/// A file that was passed over, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The file as reached from the command-line argument.
    pub path: PathBuf,
    /// Lowercase reason, e.g. `binary file (contains NUL bytes)`.
    pub reason: String,
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

/// File name endings read as text. Files without an extension are read too
/// (SPEC §2: plain text and Markdown).
const TEXT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "text"];

/// Reads the sources named by `paths` (SPEC §2): a single directory means one
/// source per immediate child; otherwise each path is one source.
///
/// Fails only when a named path does not exist or cannot be listed, or when
/// two sources would have the same name; unreadable files are skipped.
pub fn ingest(paths: &[PathBuf]) -> anyhow::Result<Corpus> {
    if paths.is_empty() {
        bail!("no input paths given");
    }
    for path in paths {
        fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    }
    let mut corpus = Corpus::default();
    let roots: Vec<PathBuf> = if paths.len() == 1 && paths[0].is_dir() {
        let mut roots = Vec::new();
        for child in list_dir(&paths[0])? {
            if child.is_dir() || is_text_file(&child) {
                roots.push(child);
            } else {
                corpus.skipped.push(not_text(child));
            }
        }
        roots
    } else {
        paths.to_vec()
    };
    if roots.is_empty() {
        bail!("{} holds no text files or directories", paths[0].display());
    }

    // Sort by source name so IDs do not depend on argument order.
    let mut named: BTreeMap<String, PathBuf> = BTreeMap::new();
    for root in roots {
        let name = source_name(&root);
        if let Some(previous) = named.insert(name.clone(), root.clone()) {
            bail!(
                "two sources are named {name:?}: {} and {}",
                previous.display(),
                root.display()
            );
        }
    }

    for (name, root) in named {
        let source = SourceId(corpus.sources.len() as u32);
        let mut files = Vec::new();
        if root.is_dir() {
            collect_files(&root, &mut files, &mut corpus.skipped)?;
        } else {
            files.push(root.clone());
        }
        for path in files {
            match read_text(&path) {
                Ok(text) => {
                    let id = DocId(corpus.documents.len() as u32);
                    corpus.documents.push(Document::new(id, source, path, text));
                }
                Err(reason) => corpus.skipped.push(Skipped { path, reason }),
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

/// The name a source is reported under: the file stem, or the directory name.
fn source_name(path: &Path) -> String {
    let name = if path.is_dir() {
        path.file_name()
    } else {
        path.file_stem()
    };
    name.map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
}

fn is_text_file(path: &Path) -> bool {
    if !path.is_file() || is_hidden(path) {
        return false;
    }
    match path.extension() {
        None => true,
        Some(ext) => TEXT_EXTENSIONS.iter().any(|t| ext.eq_ignore_ascii_case(t)),
    }
}

/// Entries of a directory, hidden ones left out, sorted by name.
fn list_dir(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
        let path = entry.path();
        if !is_hidden(&path) {
            entries.push(path);
        }
    }
    entries.sort();
    Ok(entries)
}

/// All text files below `dir`, recursively, in sorted order. Symbolic links
/// to directories are not followed, so a link cycle cannot loop.
fn collect_files(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    skipped: &mut Vec<Skipped>,
) -> anyhow::Result<()> {
    for path in list_dir(dir)? {
        let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink());
        if path.is_dir() {
            if !is_link {
                collect_files(&path, files, skipped)?;
            }
        } else if is_text_file(&path) {
            files.push(path);
        } else if path.is_file() {
            skipped.push(not_text(path));
        }
    }
    Ok(())
}

fn not_text(path: PathBuf) -> Skipped {
    Skipped {
        path,
        reason: "not a text file (reads .txt, .md and files without extension)".into(),
    }
}

/// Reads and decodes one file, or says why it cannot be used.
fn read_text(path: &Path) -> Result<String, String> {
    let bytes = fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let text = decode(&bytes)?;
    Ok(fold_line_endings(text))
}

/// Decodes UTF-8 (with or without byte-order mark) and UTF-16 with a
/// byte-order mark.
fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).map_err(|e| invalid_utf8(&e));
    }
    let utf16 = |rest: &[u8], le: bool| -> Result<String, String> {
        if !rest.len().is_multiple_of(2) {
            return Err("truncated UTF-16 (odd number of bytes)".into());
        }
        let units = rest.chunks_exact(2).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|e| format!("invalid UTF-16: {e}"))
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    if bytes.contains(&0) {
        return Err("binary file (contains NUL bytes)".into());
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| invalid_utf8(&e))
}

fn invalid_utf8(e: &std::string::FromUtf8Error) -> String {
    format!(
        "not valid UTF-8 (byte {} is not); legacy encodings are not read yet",
        e.utf8_error().valid_up_to()
    )
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
    fn line_col_counts_chars_not_bytes() {
        let doc = Document::new(DocId(0), SourceId(0), "x".into(), "ab\n斡旋缅北\n".into());
        assert_eq!(doc.line_col(0), (1, 1));
        assert_eq!(doc.line_col(3), (2, 1));
        let byte = doc.text.find('缅').unwrap();
        assert_eq!(doc.line_col(byte), (2, 3));
    }

    #[test]
    fn decode_strips_utf8_bom() {
        assert_eq!(decode(b"\xEF\xBB\xBFabc").unwrap(), "abc");
    }

    #[test]
    fn decode_reads_utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in "中a".encode_utf16() {
            le.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&le).unwrap(), "中a");
        let mut be = vec![0xFE, 0xFF];
        for u in "中a".encode_utf16() {
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode(&be).unwrap(), "中a");
    }

    #[test]
    fn decode_rejects_binary_and_invalid_utf8() {
        assert!(decode(b"ab\0cd").unwrap_err().contains("binary"));
        assert!(decode(b"ab\xFFcd").unwrap_err().contains("UTF-8"));
    }

    #[test]
    fn line_endings_fold_to_lf() {
        assert_eq!(fold_line_endings("a\r\nb\rc\n".into()), "a\nb\nc\n");
    }
}
