//! Inputs the fuzz targets (`fuzz/`, run by `scripts/fuzz.sh`) found
//! crashing, replayed through the same checks (`fuzz/checks.rs`) on stable.
//! Each is a minimized input under `tests/fixtures/fuzz/<target>/`; a test
//! still `#[ignore]`d names what fails and where.
//!
//! ```text
//! tests/fixtures/fuzz/segment/nbsp-line-end  →  checks::segment(bytes)  must not panic
//! ```
//!
//! The sample tests run every check on the fuzzers' seeds (the sample
//! corpus, cut small), so the checks themselves stay correct and compiled.
mod common;

use std::path::Path;

#[path = "../fuzz/checks.rs"]
mod checks;

/// The bytes of a kept fuzz input.
fn input(target: &str, name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(target)
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The whole lines within the first and last 2 KiB of each sample file, as
/// the fuzzers' seeds.
fn sample_pieces() -> Vec<Vec<u8>> {
    let mut pieces = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(common::sample())
        .expect("data/sample")
        .map(|e| e.expect("directory entry").path())
        .collect();
    files.sort();
    for file in files {
        let bytes = std::fs::read(&file).expect("sample file");
        let cut = 2048.min(bytes.len());
        let head = &bytes[..cut];
        let tail = &bytes[bytes.len() - cut..];
        let head_end = head.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let tail_start = tail.iter().position(|&b| b == b'\n').map_or(0, |i| i + 1);
        pieces.push(head[..head_end].to_vec());
        pieces.push(tail[tail_start..].to_vec());
    }
    pieces
}

/// Pieces joined with the fuzzers' text separator.
fn joined(pieces: &[Vec<u8>]) -> Vec<u8> {
    pieces.join(&0xFF)
}

#[test]
fn samples_pass_every_check() {
    let pieces = sample_pieces();
    for piece in &pieces {
        checks::ingest_decode(piece);
        checks::segment(piece);
        checks::normalize_bytes(piece);
    }
    // Heads of three versions of the same transcript (001, 002, 004).
    let versions = [pieces[2].clone(), pieces[4].clone(), pieces[8].clone()];
    checks::align_texts(&joined(&versions));
    checks::compare_texts(&joined(&versions[1..]));
}

#[test]
fn no_break_space_before_a_page_break_join_is_not_split() {
    // See: a paragraph ending in a no-break space, joined with its
    // continuation, mapped the joining space to the no-break space's first
    // byte, so its normalized span cut U+00A0 in half (`doc.text[1..2]`
    // panics in the `diff` view).
    checks::segment(&input("segment", "nbsp-line-end"));
}

// Found by the `compare` target (15 minutes): a paragraph joined across a
// page break with a piece further down the file ends after the next
// paragraph begins, so the original text of a stretch reaching over both
// was sliced backwards (`byte range starts at 151 but ends at 126`).
#[test]
fn a_stretch_over_a_joined_paragraph_reads_its_original_text() {
    checks::compare_texts(&input("compare", "page-break-join-across-paragraphs"));
}

// Found by the `normalize` target: a spacing combining mark (U+302E) with
// no letter before it was kept, NFKC put the other marks before it, and a
// second pass then saw a grapheme beginning with a mark: not idempotent.
#[test]
fn a_spacing_mark_without_a_letter_is_left_out_on_every_pass() {
    checks::normalize_bytes(&input("normalize", "spacing-mark-after-a-control"));
}

// Found by the `normalize` target: NFKC turns Thai `ำ` into a mark of
// combining class 0 and `า`; the mark must survive a second pass.
#[test]
fn a_mark_that_nfkc_puts_first_stays_on_a_second_pass() {
    checks::normalize_bytes(&input("normalize", "thai-sara-am"));
}

// Found by the `normalize` target: NFKC turns the half-width voiced sound
// mark `ﾞ` (U+FF9E, class 0) into the combining `◌゙` (U+3099, class 8),
// an orphan that a second pass left out.
#[test]
fn a_mark_that_nfkc_makes_combining_is_left_out_on_the_first_pass() {
    checks::normalize_bytes(&input("normalize", "halfwidth-voiced-mark"));
    checks::normalize_bytes("aﾞ\nﾞﾞ b".as_bytes());
}
