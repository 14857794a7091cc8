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
//! UTF-16 with a byte-order mark, or a legacy encoding detected by
//! `chardetng` (GB18030/GBK, Big5, windows-1252 …); [`Document::encoding`]
//! says which. A file that cannot be read or decoded without loss is not an
//! error for the run: it is recorded in [`Corpus::skipped`] with the reason,
//! and the run goes on.
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{BIG5, Encoding, GB18030, GBK, ISO_8859_2, UTF_8, WINDOWS_1250, WINDOWS_1252};

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

impl Corpus {
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

/// Reads the sources named by `paths` (SPEC §2): a single directory means one
/// source per immediate child; otherwise each path is one source.
///
/// Fails only when a named path does not exist or cannot be listed, or when
/// two sources would have the same name; unreadable files are skipped.
pub fn ingest(paths: &[PathBuf]) -> anyhow::Result<Corpus> {
    ingest_with(paths, |files| files.iter().map(|p| read_text(p)).collect())
}

/// What reading one file gives: its text and encoding, or why it is skipped.
pub type ReadResult = Result<(String, &'static Encoding), String>;

/// [`ingest`], with the files of each source read and decoded by
/// `read_all` (which must return one result per path, in order): the
/// pipeline passes a parallel reader.
pub fn ingest_with(
    paths: &[PathBuf],
    read_all: impl Fn(&[PathBuf]) -> Vec<ReadResult>,
) -> anyhow::Result<Corpus> {
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
        Ok((text, encoding)) => {
            Ok(Document::new(id, source, path, text).with_encoding(encoding.name()))
        }
        Err(reason) => Err(Skipped { path, reason }),
    }
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
pub fn collect_files(
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

/// Reads one file: decoded (never lossily) and with line endings folded to
/// LF, or the reason it is skipped.
pub fn read_text(path: &Path) -> ReadResult {
    let bytes = fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let (text, encoding) = decode(bytes)?;
    Ok((fold_line_endings(text), encoding))
}

/// Legacy encodings read when `chardetng` detects them (SPEC §2): the
/// Chinese ones (GB18030, of which GBK is a subset, and Big5) and the
/// single-byte ones of Western and Central European text (English, French
/// or German OCR). Other guesses (Shift_JIS, EUC-KR, Cyrillic, Greek …) are
/// skipped with their name: for this product's inputs such a guess is more
/// likely wrong than right, and a wrong guess reads as mojibake, silently.
const LEGACY: &[&Encoding] = &[GB18030, BIG5, WINDOWS_1252, WINDOWS_1250, ISO_8859_2];

/// The skip reason for bytes that fit no encoding we read.
const UNDECODABLE: &str = "undecodable text (not UTF-8, UTF-16 or a detected legacy encoding)";

/// Decodes a file's bytes, trying in order: a byte-order mark (UTF-8,
/// UTF-16LE, UTF-16BE); UTF-8; the legacy encoding `chardetng` detects, if
/// it is one of [`LEGACY`] and fits the bytes. Never decodes lossily: text
/// with malformed sequences is refused, since replacement characters would
/// silently corrupt it.
fn decode(mut bytes: Vec<u8>) -> Result<(String, &'static Encoding), String> {
    if let Some((encoding, bom)) = Encoding::for_bom(&bytes) {
        if encoding == UTF_8 {
            // Decode in place: most input is UTF-8 and may be large.
            bytes.drain(..bom);
            return String::from_utf8(bytes)
                .map(|text| (text, UTF_8))
                .map_err(|e| {
                    format!(
                        "malformed UTF-8 after a byte-order mark (invalid bytes at offset {})",
                        bom + e.utf8_error().valid_up_to()
                    )
                });
        }
        return encoding
            .decode_without_bom_handling_and_without_replacement(&bytes[bom..])
            .map(|text| (text.into_owned(), encoding))
            .ok_or_else(|| {
                format!(
                    "malformed {} after a byte-order mark (odd length or unpaired surrogate)",
                    encoding.name()
                )
            });
    }
    if bytes.contains(&0) {
        return Err("binary file (contains NUL bytes)".into());
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok((text, UTF_8)),
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
        return Err(UNDECODABLE.into());
    }
    if !LEGACY.contains(&encoding) {
        return Err(format!(
            "{UNDECODABLE}; the best guess, {}, is not read",
            encoding.name()
        ));
    }
    encoding
        .decode_without_bom_handling_and_without_replacement(&bytes)
        .map(|text| (text.into_owned(), encoding))
        .ok_or_else(|| {
            format!(
                "malformed {} (invalid bytes for the detected encoding)",
                encoding.name()
            )
        })
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
        let (text, encoding) = decode(bytes.to_vec()).expect("decodable");
        (text, encoding.name())
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
        assert_eq!(reason(b"ab\0cd"), "binary file (contains NUL bytes)");
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
        assert_eq!(reason(&bytes[..bytes.len() - 1]), UNDECODABLE);
        let mut damaged = bytes.into_owned();
        damaged[7] = 0xFF;
        assert_eq!(reason(&damaged), UNDECODABLE);
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
