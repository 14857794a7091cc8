//! CSV output: a header row, then one record per row value; UTF-8, RFC 4180
//! quoting, `\n` line ends, `.` as decimal point whatever the locale.
use std::io;

use rayon::prelude::*;
use serde::Serialize;

use super::{ClusterRow, VariantRow, WitnessRow};

/// A row type of a CSV file, with its column names in order.
pub trait Row: Serialize {
    /// The header. Must equal the struct's field names in order (a test
    /// checks it), and is written even when there are no rows.
    const HEADER: &'static [&'static str];
}

impl Row for VariantRow<'_> {
    const HEADER: &'static [&'static str] = &[
        "variant_id",
        "cluster_id",
        "witness",
        "file",
        "line",
        "column",
        "category",
        "consensus",
        "reading",
        "support",
        "witnesses",
        "context_before",
        "context_after",
        "tie",
        "exact_consensus",
        "exact_reading",
    ];
}

impl Row for ClusterRow<'_> {
    const HEADER: &'static [&'static str] = &[
        "cluster_id",
        "witness",
        "file",
        "line_start",
        "line_end",
        "role",
        "similarity",
        "chars",
        "preview",
        "work",
        "reuse",
    ];
}

impl Row for WitnessRow {
    const HEADER: &'static [&'static str] = &[
        "witness",
        "files",
        "paragraphs",
        "clustered",
        "compared_chars",
        "deviations",
        "minority",
        "ties",
        "cer",
        "rank",
        "formal",
        "voted_chars",
        "reliability",
        "coverage",
    ];
}

/// Writes the header and `rows`. Chunks of rows are formatted in parallel
/// and written in order: each record stands alone, so the bytes are those
/// of one writer going through the rows.
pub fn write_rows<T: Row + Sync, W: io::Write>(rows: &[T], mut out: W) -> anyhow::Result<()> {
    /// Rows per chunk, and chunks formatted before they are written: enough
    /// to keep every thread busy while a few megabytes are held at a time.
    const CHUNK: usize = 4096;
    const CHUNKS_IN_FLIGHT: usize = 16;
    let writer = || {
        csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new())
    };
    let mut header = writer();
    header.write_record(T::HEADER)?;
    out.write_all(&header.into_inner().map_err(|e| e.into_error())?)?;
    for batch in rows.chunks(CHUNK * CHUNKS_IN_FLIGHT) {
        let chunks: Vec<anyhow::Result<Vec<u8>>> = batch
            .par_chunks(CHUNK)
            .map(|chunk| {
                let mut w = writer();
                for row in chunk {
                    w.serialize(row)?;
                }
                Ok(w.into_inner().map_err(|e| e.into_error())?)
            })
            .collect();
        for chunk in chunks {
            out.write_all(&chunk?)?;
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header csv derives from the fields themselves.
    fn derived_header<T: Serialize>(row: &T) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(row).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        text.lines().next().unwrap().to_string()
    }

    #[test]
    fn rows_formatted_in_parallel_chunks_read_as_one_stream() {
        // More rows than several batches of chunks, with fields that need
        // quoting, written as one writer would write them.
        let rows: Vec<ClusterRow> = (0..150_000u32)
            .map(|i| ClusterRow {
                cluster_id: i / 3 + 1,
                witness: format!("w{}", i % 3).into(),
                file: format!("dir, {i}/f.txt").into(),
                line_start: i,
                line_end: i + 1,
                role: "witness",
                similarity: "0.9000".into(),
                chars: i as usize,
                preview: format!("\"quoted\" {i}\nnext").into(),
                work: 1,
                reuse: false,
            })
            .collect();
        let mut expected = csv::Writer::from_writer(Vec::new());
        for row in &rows {
            expected.serialize(row).unwrap();
        }
        let expected = expected.into_inner().unwrap();
        let mut got = Vec::new();
        write_rows(&rows, &mut got).unwrap();
        assert_eq!(got, expected);
    }

    #[test]
    fn headers_match_fields() {
        let v = VariantRow {
            variant_id: 1,
            cluster_id: 1,
            witness: "w",
            file: "f".into(),
            line: 1,
            column: 1,
            category: "substitution",
            consensus: "a",
            reading: "b",
            support: 1,
            witnesses: 3,
            context_before: "",
            context_after: "",
            tie: false,
            exact_consensus: "a",
            exact_reading: "b",
        };
        assert_eq!(derived_header(&v), VariantRow::HEADER.join(","));
        let c = ClusterRow {
            cluster_id: 1,
            witness: "w".into(),
            file: "f".into(),
            line_start: 1,
            line_end: 2,
            role: "witness",
            similarity: "1.0000".into(),
            chars: 3,
            preview: "p".into(),
            work: 1,
            reuse: false,
        };
        assert_eq!(derived_header(&c), ClusterRow::HEADER.join(","));
        let w = WitnessRow {
            witness: "w".into(),
            files: 1,
            paragraphs: 1,
            clustered: 1,
            compared_chars: 1,
            deviations: 0,
            minority: 0,
            ties: 0,
            cer: None,
            rank: None,
            formal: 0,
            voted_chars: 0,
            reliability: None,
            coverage: None,
        };
        assert_eq!(derived_header(&w), WitnessRow::HEADER.join(","));
    }

    #[test]
    fn empty_table_still_has_header() {
        let mut out = Vec::new();
        write_rows::<WitnessRow, _>(&[], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            WitnessRow::HEADER.join(",") + "\n"
        );
    }
}
