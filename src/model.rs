//! Identifiers shared by every stage.
//!
//! ```text
//! SourceId(0) "001_df2…"  ─┬─ DocId(0) data/sample/001_df2….txt ─┬─ ParaId(0) lines 1–3
//!                          │                                     └─ ParaId(1) lines 5–5
//! ```
//!
//! IDs are dense indices into the corpus's vectors. They are assigned after the
//! input has been sorted by source name and file path, so they do not depend on
//! the order of the command-line arguments or of the directory listing.

/// Index of a source (witness) in [`crate::ingest::Corpus::sources`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SourceId(pub u32);

/// Index of a document in [`crate::ingest::Corpus::documents`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId(pub u32);

/// Index of a paragraph in the pipeline's paragraph list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParaId(pub u32);

/// Number of a cluster in the report (1-based, in report order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClusterId(pub u32);

/// A half-open byte range `start..end` in a document's decoded text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteSpan {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl ByteSpan {
    /// The span as a `usize` range, for slicing.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

macro_rules! index_newtype {
    ($($t:ty),*) => {$(
        impl $t {
            /// The ID as a vector index.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}
index_newtype!(SourceId, DocId, ParaId, ClusterId);
