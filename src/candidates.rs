//! Candidate pairs: the second half of the candidate stage, a group-by on
//! band keys, plus the exact-duplicate fast path.
//!
//! ```text
//! units × band keys        band 0: {u3, u9} {u4} {u7, u8, u11} …
//!   u3: [a1, b7, …]   →    band 1: …                              → pairs (u3,u9) (u7,u8) …
//!   u9: [a1, c2, …]        a bucket over the cap pairs each member
//!                          with its first unit only (a star)
//! ```
//!
//! A *unit* is one paragraph, or two adjacent paragraphs of one document
//! matched as one (their sketch is the element-wise minimum of theirs), so a
//! paragraph cut in two by a page break still meets the whole paragraph of
//! another source. Pairs are only formed across sources and never between two
//! joined units. Each band is independent: the data flow is the band group-by
//! of SPEC §8 and can be sharded by band.
use crate::minhash::{FNV_PRIME, fmix64, fnv1a};
use crate::model::SourceId;

/// What the candidate stage knows of one unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnitInfo {
    /// Its source: pairs are formed across sources, and within a source
    /// across documents (a transcript a site published twice).
    pub source: SourceId,
    /// Its document: a source's paragraphs are paired within one document
    /// by the pull-quote search, not here.
    pub doc: u32,
    /// Whether it is two adjacent paragraphs joined: two joined units are
    /// never paired.
    pub joined: bool,
    /// Comparison characters (of both paragraphs, for a joined unit).
    pub chars: u32,
    /// For a joined unit whose first paragraph ends a sentence, the length
    /// of its longer paragraph; 0 otherwise (see [`split_possible`]).
    pub closed_piece: u32,
}

/// Whether two adjacent paragraphs of `joined` characters together can be
/// verified as a version of a whole paragraph of `whole` characters: their
/// lengths must allow a similarity of `min_similarity`, and when the first
/// piece ends a sentence (`closed_piece` is then the longer piece's length,
/// else 0) neither piece may be long enough to be that version by itself.
/// Verification applies the same rule; the pair stage applies it first, so
/// a joined unit that meets the versions of one of its paragraphs in a band
/// (most of its collisions) costs no candidate.
pub fn split_possible(joined: u32, closed_piece: u32, whole: u32, min_similarity: f64) -> bool {
    lengths_allow(joined, whole, min_similarity)
        && (closed_piece as f64) < min_similarity * whole as f64
}

/// Whether texts of these lengths can reach similarity `min`: the length
/// ratio bounds the normalized Levenshtein similarity from above.
pub fn lengths_allow(a: u32, b: u32, min: f64) -> bool {
    let (short, long) = (a.min(b), a.max(b));
    long > 0 && short as f64 >= min * long as f64
}

/// Default bucket cap: a bucket of more units than this pairs each member
/// with the bucket's first single unit only. Versions of one paragraph fill a
/// bucket with one unit per source (and a few joined units), so 64 leaves
/// room for dozens of sources; boilerplate repeated thousands of times with
/// small changes costs a star instead of a quadratic number of pairs.
pub const DEFAULT_BUCKET_CAP: usize = 64;

/// Counts from the pair stage, for the report and for tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PairStats {
    /// Buckets with two or more units, over all bands.
    pub buckets: usize,
    /// Buckets over the cap (paired as stars).
    pub capped: usize,
    /// Distinct candidate pairs.
    pub pairs: usize,
    /// Candidate pairs the screen dropped.
    pub screened_out: usize,
}

/// The candidate pairs of one band: `keys` holds `bands` keys per unit, unit
/// after unit. A pair is emitted by the first band its units share, so the
/// bands' outputs are disjoint and their concatenation has no repeats.
/// Pairs are `(smaller unit, larger unit)`, sorted; those `screen` rejects
/// are only counted, so the chance collisions of a million units are never
/// held in memory at once. A joined unit is paired with a single one only
/// when [`split_possible`] at `min_similarity`.
pub fn band_pairs(
    band: usize,
    bands: usize,
    keys: &[u32],
    units: &[UnitInfo],
    cap: usize,
    min_similarity: f64,
    screen: impl Fn(u32, u32) -> bool,
) -> (Vec<(u32, u32)>, PairStats) {
    // An entry is a unit's key in this band and the unit, `key << 32 |
    // unit`: sorting by key keeps units in order within a bucket.
    let mut entries: Vec<u64> = (0..units.len())
        .map(|u| u64::from(keys[u * bands + band]) << 32 | u as u64)
        .collect();
    radix_sort_by_key(&mut entries);
    let mut pairs = Vec::new();
    let mut stats = PairStats::default();
    let earlier_band_shared = |a: u32, b: u32| {
        let (ka, kb) = (a as usize * bands, b as usize * bands);
        (0..band).any(|i| keys[ka + i] == keys[kb + i])
    };
    let pairable = |a: u32, b: u32| {
        let (ua, ub) = (&units[a as usize], &units[b as usize]);
        let split_ok = match (ua.joined, ub.joined) {
            (false, false) => true,
            (true, true) => false,
            (true, false) => split_possible(ua.chars, ua.closed_piece, ub.chars, min_similarity),
            (false, true) => split_possible(ub.chars, ub.closed_piece, ua.chars, min_similarity),
        };
        // Within a source, only whole paragraphs of two documents: its
        // near-copies (two joined pieces are versions of another source's
        // paragraph, never of its own).
        let apart = ua.source != ub.source || (ua.doc != ub.doc && !ua.joined && !ub.joined);
        apart && split_ok && !earlier_band_shared(a, b)
    };
    for bucket in entries.chunk_by(|x, y| x >> 32 == y >> 32) {
        if bucket.len() < 2 {
            continue;
        }
        stats.buckets += 1;
        if bucket.len() <= cap {
            for (i, &a) in bucket.iter().enumerate() {
                for &b in &bucket[i + 1..] {
                    let (a, b) = (a as u32, b as u32);
                    if pairable(a, b) {
                        pairs.push((a, b));
                    }
                }
            }
        } else {
            stats.capped += 1;
            let Some(hub) = bucket
                .iter()
                .map(|&e| e as u32)
                .find(|&u| !units[u as usize].joined)
            else {
                continue;
            };
            for &e in bucket {
                let (a, b) = (hub.min(e as u32), hub.max(e as u32));
                if a != b && pairable(a, b) {
                    pairs.push((a, b));
                }
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    stats.pairs = pairs.len();
    pairs.retain(|&(a, b)| screen(a, b));
    stats.screened_out = stats.pairs - pairs.len();
    (pairs, stats)
}

/// Sorts entries `key << 32 | unit` that come in unit order by key, then
/// unit: a stable LSD radix sort over the key in digits of 11 bits, whose
/// counts fit in the first-level cache. On 1.8M entries it takes 58 ms,
/// where two passes of 16-bit digits over 16-byte entries that also carry
/// the unit's source take 180 ms.
fn radix_sort_by_key(entries: &mut Vec<u64>) {
    const DIGIT: u32 = 11;
    let mut buf = vec![0u64; entries.len()];
    for shift in [32, 32 + DIGIT, 32 + 2 * DIGIT] {
        let digit = |e: u64| ((e >> shift) & ((1 << DIGIT) - 1)) as usize;
        let mut offsets = [0usize; 1 << DIGIT];
        for &e in entries.iter() {
            offsets[digit(e)] += 1;
        }
        let mut total = 0;
        for slot in offsets.iter_mut() {
            let count = *slot;
            *slot = total;
            total += count;
        }
        for &e in entries.iter() {
            let d = digit(e);
            buf[offsets[d]] = e;
            offsets[d] += 1;
        }
        std::mem::swap(entries, &mut buf);
    }
}

/// Groups of identical keys (the exact-duplicate fast path): each group in
/// increasing item order, groups ordered by their first item; items with a
/// unique key, or an empty one, are in no group. `hashes` are the keys'
/// [`hash_key`]s. Only a group's first item needs a signature; the others
/// are identical to it.
pub fn exact_groups<'a>(hashes: &[u64], key: impl Fn(usize) -> &'a str) -> Vec<Vec<u32>> {
    let mut order: Vec<(u64, u32)> = hashes
        .iter()
        .enumerate()
        .filter(|&(i, _)| !key(i).is_empty())
        .map(|(i, &h)| (h, i as u32))
        .collect();
    order.sort_unstable();
    let mut groups = Vec::new();
    for run in order.chunk_by(|x, y| x.0 == y.0) {
        let mut items: Vec<u32> = run.iter().map(|&(_, i)| i).collect();
        // Equal hashes of different keys are possible in principle: split
        // such a run by the text itself.
        while items.len() >= 2 {
            let first = key(items[0] as usize);
            let (same, rest): (Vec<u32>, Vec<u32>) =
                items.iter().partition(|&&i| key(i as usize) == first);
            if same.len() >= 2 {
                groups.push(same);
            }
            items = rest;
        }
    }
    groups.sort_unstable_by_key(|g| g[0]);
    groups
}

/// A 64-bit hash of a whole key: FNV-1a over its bytes read as
/// little-endian 64-bit words (the last one zero-padded) and its length,
/// then `fmix64`. Only groups candidates: equal keys are confirmed by text.
pub fn hash_key(s: &str) -> u64 {
    let mut chunks = s.as_bytes().chunks_exact(8);
    let words = chunks
        .by_ref()
        .map(|w| u64::from_le_bytes(w.try_into().expect("chunks of 8 bytes")));
    let mut h = fnv1a(words);
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    for w in [u64::from_le_bytes(tail), s.len() as u64] {
        h = (h ^ w).wrapping_mul(FNV_PRIME);
    }
    fmix64(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn single(source: u32) -> UnitInfo {
        UnitInfo {
            doc: source,
            source: SourceId(source),
            joined: false,
            chars: 100,
            closed_piece: 0,
        }
    }

    #[test]
    fn pairs_only_across_sources_and_once() {
        // Two bands; units 0, 1 and 2 share band 0; 0 and 1 share band 1 too.
        let units = [single(0), single(1), single(0), single(2)];
        let keys = [5, 9, 5, 9, 5, 1, 7, 2];
        let (p0, s0) = band_pairs(0, 2, &keys, &units, 64, 0.7, |_, _| true);
        let (p1, _) = band_pairs(1, 2, &keys, &units, 64, 0.7, |_, _| true);
        assert_eq!(p0, vec![(0, 1), (1, 2)]);
        assert!(p1.is_empty(), "(0,1) was emitted by band 0");
        assert_eq!(s0.buckets, 1);
    }

    #[test]
    fn joined_units_never_pair_with_each_other() {
        let joined = |s| UnitInfo {
            doc: s,
            source: SourceId(s),
            joined: true,
            chars: 100,
            closed_piece: 0,
        };
        let units = [joined(0), joined(1), single(2)];
        let (pairs, _) = band_pairs(0, 1, &[3, 3, 3], &units, 64, 0.7, |_, _| true);
        assert_eq!(pairs, vec![(0, 2), (1, 2)]);
    }

    #[test]
    fn joined_units_pair_only_where_a_split_can_verify() {
        // Paragraphs of 100 and 20 characters joined: a whole of 100 is a
        // version of the first piece, not of the two together, when the
        // first piece ends a sentence; one of 300 is too long for both.
        let joined = |s, closed_piece| UnitInfo {
            doc: s,
            source: SourceId(s),
            joined: true,
            chars: 120,
            closed_piece,
        };
        let whole = |s, chars| UnitInfo { chars, ..single(s) };
        let pairs = |units: &[UnitInfo]| {
            let keys = vec![3; units.len()];
            band_pairs(0, 1, &keys, units, 64, 0.7, |_, _| true).0
        };
        assert!(pairs(&[joined(0, 100), whole(1, 100)]).is_empty());
        assert_eq!(pairs(&[joined(0, 0), whole(1, 100)]), vec![(0, 1)]);
        assert!(pairs(&[joined(0, 0), whole(1, 300)]).is_empty());
        // Pieces of 60 and 60 of a whole of 120: neither is a version alone.
        assert_eq!(pairs(&[joined(0, 60), whole(1, 120)]), vec![(0, 1)]);
        assert!(split_possible(120, 60, 120, 0.7));
        assert!(!split_possible(120, 100, 120, 0.7));
    }

    #[test]
    fn radix_sort_orders_by_key_then_unit() {
        // Keys over all 32 bits, many repeated, units in order.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut entries: Vec<u64> = (0..50_000u64)
            .map(|unit| {
                state = fmix64(state);
                let key = if state.is_multiple_of(3) {
                    state >> 40
                } else {
                    state >> 32
                };
                key << 32 | unit
            })
            .collect();
        let mut expected = entries.clone();
        expected.sort_unstable();
        radix_sort_by_key(&mut entries);
        assert_eq!(entries, expected);
    }

    #[test]
    fn huge_bucket_becomes_a_star() {
        let n = 10_000;
        let units: Vec<UnitInfo> = (0..n).map(|i| single(i % 4)).collect();
        let keys = vec![42u32; n as usize];
        let (pairs, stats) = band_pairs(0, 1, &keys, &units, 64, 0.7, |_, _| true);
        assert_eq!(stats.capped, 1);
        // Every unit of another source than the hub, paired with the hub.
        assert_eq!(pairs.len(), 7_500);
        assert!(pairs.iter().all(|&(a, _)| a == 0));
    }

    #[test]
    fn exact_groups_of_equal_keys() {
        let keys = ["甲乙丙", "abc", "甲乙丙", "", "", "abc", "x"];
        let hashes: Vec<u64> = keys.iter().map(|k| hash_key(k)).collect();
        assert_eq!(
            exact_groups(&hashes, |i| keys[i]),
            vec![vec![0, 2], vec![1, 5]]
        );
        // A hash collision does not make two keys equal.
        assert_eq!(
            exact_groups(&[7, 7], |i| ["a", "b"][i]),
            Vec::<Vec<u32>>::new()
        );
    }
}
