//! Criterion benchmarks of the pipeline stages, one group per stage, each
//! reporting throughput in bytes of text.
//!
//! The corpus is read once, outside the timed loops, from the directory in
//! `RECENSION_BENCH_CORPUS` (default `data/sample`), as `recension` reads a
//! single directory argument. On the sample:
//!
//! ```text
//! cargo bench --bench stages
//! ```
//!
//! On a large generated corpus (about 100,000 paragraphs), one group only:
//!
//! ```text
//! python3 scripts/gen_corpus.py --out /tmp/c --paragraphs 100000 && RECENSION_BENCH_CORPUS=/tmp/c/corpus cargo bench --bench stages -- segment
//! ```
//!
//! Each benchmark is named after its corpus (`segment/sample-83KiB`), so
//! criterion compares a run only with earlier runs on the same corpus. Save
//! a run with `-- --save-baseline main`, compare with `-- --baseline main`
//! (criterion reports the change with a p-value).
use std::hint::black_box;
use std::path::PathBuf;

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use recension::ingest::{Corpus, ingest};
use recension::normalize::{NormalizeConfig, comparison_key, normalize_paragraph};
use recension::segment::{Paragraph, segment};

/// Above this many bytes of text a timed pass takes a good part of a
/// second (segment ran at about 20 MiB/s on the sample), and criterion's
/// default of 100 samples would keep a run going for many minutes; 10
/// samples (its minimum) of one pass each still give a usable interval.
const LARGE_CORPUS_BYTES: u64 = 4 << 20;

/// The corpus directory: `RECENSION_BENCH_CORPUS`, else `data/sample`.
fn corpus_dir() -> PathBuf {
    std::env::var_os("RECENSION_BENCH_CORPUS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/sample"),
        PathBuf::from,
    )
}

/// The corpus, read once, and its name in benchmark IDs: the directory
/// name and the size of its text.
fn load() -> (Corpus, String) {
    let dir = corpus_dir();
    let corpus = ingest(std::slice::from_ref(&dir))
        .unwrap_or_else(|e| panic!("cannot read the bench corpus {}: {e:#}", dir.display()));
    assert!(
        !corpus.documents.is_empty(),
        "{} holds no readable text files",
        dir.display()
    );
    let bytes: usize = corpus.documents.iter().map(|d| d.text.len()).sum();
    let name = dir.file_name().map_or_else(
        || dir.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    (corpus, format!("{name}-{}KiB", bytes.div_ceil(1024)))
}

/// A group measuring `bytes` of text per iteration, with fewer samples on
/// large corpora.
fn group<'c>(c: &'c mut Criterion, name: &str, bytes: u64) -> BenchmarkGroup<'c, WallTime> {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(bytes));
    if bytes > LARGE_CORPUS_BYTES {
        // Flat sampling is criterion's mode for long iterations: each
        // sample runs the same number of passes instead of a growing one.
        group.sample_size(10).sampling_mode(SamplingMode::Flat);
    }
    group
}

fn stages(c: &mut Criterion) {
    let (corpus, label) = load();
    let docs = &corpus.documents;

    let doc_bytes: u64 = docs.iter().map(|d| d.text.len() as u64).sum();
    let mut g = group(c, "segment", doc_bytes);
    g.bench_function(&label, |b| {
        b.iter(|| {
            for doc in docs {
                black_box(segment(black_box(doc)));
            }
        })
    });
    g.finish();

    let paragraphs: Vec<Paragraph> = docs.iter().flat_map(segment).collect();
    let para_bytes: u64 = paragraphs.iter().map(|p| p.text.len() as u64).sum();
    let cfg = NormalizeConfig::default();
    let mut g = group(c, "normalize", para_bytes);
    g.bench_function(&label, |b| {
        b.iter(|| {
            for p in &paragraphs {
                black_box(normalize_paragraph(black_box(p), &cfg));
            }
        })
    });
    g.finish();

    // The clustering stage's form of normalization: the key alone.
    let mut g = group(c, "comparison_key", para_bytes);
    g.bench_function(&label, |b| {
        b.iter(|| {
            for p in &paragraphs {
                black_box(comparison_key(black_box(&p.text), &cfg));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
