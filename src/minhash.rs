//! Signatures and band keys: the first half of the candidate stage.
//!
//! ```text
//! key "斡旋缅北达成停火协议"  → shingles {斡旋, 旋缅, 缅北, …}     (script-aware n-grams)
//!   → one-permutation MinHash: 128 bins, densified             (a Signature)
//!   → bands of `rows` values hashed to one u32 each             (band keys)
//! ```
//!
//! Everything here is a pure function of one paragraph (or of two adjacent
//! ones), so this stage runs per document, in parallel, and could run per
//! shard on another machine: its output is a fixed-size array of `u32` band
//! keys per unit. The second half, [`crate::candidates`], groups units by
//! band key.
//!
//! The hash functions are specified here and pinned by tests, so signatures
//! are identical across runs, thread counts, releases and machines:
//!
//! * shingle hash: FNV-1a 64 over the shingle's code points taken as whole
//!   words (`h = (h ^ code point) · 0x100000001b3` per character, from the
//!   FNV offset basis: one multiply per character instead of four), finished
//!   with the MurmurHash3 `fmix64` mixer (FNV alone mixes its high bits
//!   poorly, and the bin index comes from them);
//! * MinHash bin of a shingle: the top 7 bits of its hash; value: the low 32
//!   bits (one-permutation hashing, Li, Owen & Zhang 2012);
//! * empty bins are filled by optimal densification (Shrivastava 2017): bin
//!   `i` copies the first non-empty bin among `fmix64(i << 32 | attempt) mod
//!   128`, `attempt` = 1, 2, …;
//! * band key: `fmix64` chained over the band's values, seeded with the band
//!   number and the script, upper 32 bits.
use crate::chars::is_han;
use crate::segment::Script;

/// Number of MinHash values per signature (the "permutations"): 128, the
/// common choice (datasketch's default). The standard error of a Jaccard
/// estimate is about `sqrt(J(1-J)/128)`, under 0.045.
pub const PERMUTATIONS: usize = 128;

/// Shingle length for Han text: two characters. Chinese words are mostly one
/// or two characters long, so bigrams are the shortest unit that carries word
/// order, and a substituted character breaks only two of them.
///
/// Measured 2026-11-30 on a generated corpus (4 witnesses × 25,000
/// paragraphs, seed 2026, 0.2–2 % character noise), as exact Jaccard of
/// shingle sets with the Latin size held at 5. True: two witnesses' whole
/// copies of one paragraph (68,360 pairs); hard negative: a paragraph made
/// from half the sentences of a nearby one, against it (8,792 pairs); random:
/// 100,000 pairs of different Han paragraphs, whose "C max" is the largest
/// share of the smaller set inside the larger. The last two columns are
/// expected shares for the 30 × 4 banding of
/// [`DEFAULT_CANDIDATE_JACCARD`](crate::cluster::DEFAULT_CANDIDATE_JACCARD):
///
/// ```text
/// size  true    h-neg   gap    random   random  | 30 × 4: true   random
///       p0.1    max            p99.99   C max   |   missed       cand.
///  1    0.795   0.538   0.256  0.288    0.882   |   0.00 %      11.24 ‰
///  2    0.617   0.339   0.278  0.134    0.476   |   0.01 %       0.05 ‰
///  3    0.487   0.313   0.174  0.092    0.393   |   0.08 %       0.01 ‰
///  4    0.385   0.289   0.095  0.076    0.386   |   0.35 %       0.00 ‰
/// ```
///
/// Bigrams leave the widest gap between versions and hard negatives.
/// Unigrams are too common: over 200 times as many random candidates at
/// 30 × 4, and an unrelated paragraph can lie 88 % inside another, past the
/// fragment test's containment of 0.8. Trigrams and 4-grams lose versions
/// (their worst true pairs fall below the best hard negative) and page-break
/// pieces: 92.5 % and 85.9 % of pieces pass the fragment test, against 97.3 %
/// with bigrams.
pub const HAN_SHINGLE: usize = 2;

/// Shingle length for other text: five characters (spaces removed), about one
/// English word, the usual choice for character n-grams in near-duplicate
/// detection of alphabetic text.
///
/// Measured 2026-11-30 as for [`HAN_SHINGLE`], with the Han size held at 2
/// (70,208 true pairs, 7,704 hard-negative pairs, 100,000 random pairs), and
/// on real OCR: the 12 ICDAR 2019 Polish pages (`pl1`) cut into 67 aligned
/// units of about 300 ground-truth characters, 32 of them within the
/// verifier's reach (edit distance ≤ 0.3). "OCR missed" is the expected share
/// of those 32 that never become candidates; "matched" is the share of random
/// pairs made candidates by the cheapest banding that misses at most 0.1 % of
/// true pairs (equal recall for every size).
///
/// ```text
/// size  true    h-neg   gap     random  | 30 × 4: true   random   OCR     | matched
///       p0.1    max             p99.99  |   missed       cand.    missed  |
///  3    0.560   0.442    0.119  0.274   |   0.02 %       7.05 ‰   24 %    | 4.49 ‰
///  4    0.478   0.391    0.087  0.199   |   0.12 %       0.59 ‰   45 %    | 3.97 ‰
///  5    0.413   0.359    0.054  0.178   |   0.40 %       0.17 ‰   62 %    | 1.94 ‰
///  6    0.358   0.337    0.020  0.167   |   0.98 %       0.08 ‰   74 %    | 1.42 ‰
///  7    0.305   0.318   -0.013  0.157   |   1.92 %       0.05 ‰   81 %    | 9.44 ‰
/// ```
///
/// Five is a compromise. Against 3-grams it makes about 40 times fewer random
/// candidates (about 8 instead of 340 per Latin copy on that corpus, before
/// the 4-bit screen) for 0.40 % instead of 0.02 % of true pairs missed.
/// 6- and 7-grams save only about 4 and 6 more per copy, leave little or no
/// gap between versions and hard negatives, and let fewer page-break pieces
/// pass the fragment test (77.6 % and 70.9 %, against 84.8 % at 5 and 96.9 %
/// at 3); at equal recall 6 is a little cheaper than 5. Real OCR asks for
/// shorter shingles: at error rates of 0.1–0.3 this banding misses units the
/// verifier would accept at every size (24 % with 3-grams, 62 % with 5-grams).
pub const LATIN_SHINGLE: usize = 5;

/// A bin that no shingle fell into.
const EMPTY: u32 = u32::MAX;

/// MinHash bins before densification: `u32::MAX` where no shingle fell.
/// Element-wise minimum of two sketches is the sketch of the union of their
/// shingle sets, which is how two adjacent paragraphs are matched as one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawSketch(pub [u32; PERMUTATIONS]);

/// A densified MinHash signature: every bin filled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature(pub [u32; PERMUTATIONS]);

/// The shingle length used for a comparison key: [`HAN_SHINGLE`] when at least
/// half of its characters are Han, else [`LATIN_SHINGLE`].
pub fn shingle_len(key: &[char]) -> usize {
    let han = key.iter().filter(|&&c| is_han(c)).count();
    if han * 2 >= key.len() {
        HAN_SHINGLE
    } else {
        LATIN_SHINGLE
    }
}

/// Hashes of the character shingles of `key`, in text order, with repeats.
/// A key shorter than one shingle gives one shingle of the whole key; an
/// empty key gives none.
pub fn shingle_hashes(key: &[char]) -> impl Iterator<Item = u64> + '_ {
    let k = shingle_len(key).min(key.len().max(1));
    key.windows(k).map(hash_chars)
}

/// The shingle hash: FNV-1a 64 over the code points as words, then
/// `fmix64`.
pub fn hash_chars(chars: &[char]) -> u64 {
    fmix64(fnv1a(chars.iter().map(|&c| c as u32)))
}

/// The 64-bit FNV prime.
pub const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a 64 over a sequence of words (bytes, or code points).
pub fn fnv1a<W: Into<u64>>(words: impl IntoIterator<Item = W>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for w in words {
        h ^= w.into();
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// MurmurHash3's 64-bit finalizer: a bijection whose every output bit
/// depends on every input bit.
pub fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

impl RawSketch {
    /// The one-permutation sketch of a set of shingle hashes.
    pub fn new(hashes: impl IntoIterator<Item = u64>) -> RawSketch {
        let mut bins = [EMPTY; PERMUTATIONS];
        for h in hashes {
            let bin = (h >> 57) as usize; // top 7 bits: 0..128
            // EMPTY marks an empty bin, so a real value never takes it.
            let value = (h as u32).min(EMPTY - 1);
            if value < bins[bin] {
                bins[bin] = value;
            }
        }
        RawSketch(bins)
    }

    /// The sketch of the union of both shingle sets.
    pub fn union(&self, other: &RawSketch) -> RawSketch {
        let mut bins = self.0;
        for (b, &o) in bins.iter_mut().zip(&other.0) {
            *b = (*b).min(o);
        }
        RawSketch(bins)
    }

    /// Whether no shingle fell into any bin (an empty key).
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&b| b == EMPTY)
    }

    /// Fills empty bins by optimal densification; `None` when every bin is
    /// empty.
    pub fn densify(&self) -> Option<Signature> {
        if self.is_empty() {
            return None;
        }
        let mut sig = self.0;
        for (i, slot) in sig.iter_mut().enumerate() {
            if *slot != EMPTY {
                continue;
            }
            let mut attempt: u64 = 1;
            loop {
                let j = (fmix64((i as u64) << 32 | attempt) % PERMUTATIONS as u64) as usize;
                if self.0[j] != EMPTY {
                    *slot = self.0[j];
                    break;
                }
                attempt += 1;
            }
        }
        Some(Signature(sig))
    }
}

/// Bytes of a signature in brief: the low 4 bits of each of its values.
pub const NIBBLE_BYTES: usize = PERMUTATIONS / 2;

/// The Jaccard similarity estimated from two signatures in brief
/// ([`Signature::nibbles`]). Unequal values agree in their low 4 bits by
/// chance one time in 16, so the share of equal nibbles `m` estimates
/// `J + (1 - J) / 16`; this returns `(m - 1/16) / (15/16)` (b-bit minwise
/// hashing, Li & König 2010).
pub fn nibble_jaccard(a: &[u8], b: &[u8]) -> f64 {
    let equal: u32 = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| {
            let d = x ^ y;
            u32::from(d & 0x0f == 0) + u32::from(d & 0xf0 == 0)
        })
        .sum();
    let share = f64::from(equal) / PERMUTATIONS as f64;
    (share - 1.0 / 16.0) / (15.0 / 16.0)
}

impl Signature {
    /// The signature in brief: the low 4 bits of every value, two per byte,
    /// a sixteenth of its size. Enough to tell a near-duplicate from a
    /// chance collision in one band.
    pub fn nibbles(&self) -> [u8; NIBBLE_BYTES] {
        let mut out = [0u8; NIBBLE_BYTES];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = (self.0[2 * i] & 0x0f) as u8 | ((self.0[2 * i + 1] & 0x0f) as u8) << 4;
        }
        out
    }

    /// The estimated Jaccard similarity: the share of equal bins.
    pub fn jaccard(&self, other: &Signature) -> f64 {
        let equal = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        equal as f64 / PERMUTATIONS as f64
    }
}

/// How a signature is cut into bands: two units become a candidate pair when
/// all `rows` values of at least one of the `bands` bands are equal, which
/// happens with probability `1 - (1 - J^rows)^bands` for Jaccard similarity
/// `J`: an S-curve that rises around the threshold the banding was derived
/// from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Banding {
    /// Number of bands (band keys per unit).
    pub bands: usize,
    /// Values per band.
    pub rows: usize,
}

impl Banding {
    /// The banding that minimizes the probability mass of false candidates
    /// (Jaccard below `threshold`) plus missed pairs (Jaccard above it), the
    /// rule datasketch's `MinHashLSH` uses, over `bands * rows <=`
    /// [`PERMUTATIONS`]. Missed pairs weigh `miss_weight` times as much as
    /// false candidates: a false candidate costs one verification, a missed
    /// pair costs a wrong result.
    pub fn for_threshold(threshold: f64, miss_weight: f64) -> Banding {
        let mut best = (f64::INFINITY, Banding { bands: 1, rows: 1 });
        for bands in 1..=PERMUTATIONS {
            for rows in 1..=PERMUTATIONS / bands {
                let b = Banding { bands, rows };
                let false_candidates = integrate(|s| b.probability(s), 0.0, threshold);
                let missed = integrate(|s| 1.0 - b.probability(s), threshold, 1.0);
                let error = false_candidates + miss_weight * missed;
                if error < best.0 {
                    best = (error, b);
                }
            }
        }
        best.1
    }

    /// Probability that two units of Jaccard similarity `s` share a band.
    pub fn probability(&self, s: f64) -> f64 {
        1.0 - (1.0 - s.powi(self.rows as i32)).powi(self.bands as i32)
    }

    /// The band keys of a signature: one `u32` per band. The script seeds the
    /// hash, so Han and Latin paragraphs never share a bucket.
    pub fn keys<'a>(
        &'a self,
        sig: &'a Signature,
        script: Script,
    ) -> impl Iterator<Item = u32> + 'a {
        let seed = match script {
            Script::Han => 1u64,
            Script::Latin => 2,
            Script::Other => 3,
        };
        (0..self.bands).map(move |band| {
            let mut h = fmix64(seed << 32 | band as u64);
            for &v in &sig.0[band * self.rows..(band + 1) * self.rows] {
                h = fmix64(h ^ u64::from(v));
            }
            (h >> 32) as u32
        })
    }
}

/// Simpson's rule with 64 intervals: plenty for these smooth curves.
fn integrate(f: impl Fn(f64) -> f64, a: f64, b: f64) -> f64 {
    const N: usize = 64;
    let h = (b - a) / N as f64;
    let mut sum = f(a) + f(b);
    for i in 1..N {
        let weight = if i % 2 == 1 { 4.0 } else { 2.0 };
        sum += weight * f(a + i as f64 * h);
    }
    sum * h / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn signature(s: &str) -> Signature {
        RawSketch::new(shingle_hashes(&chars(s)))
            .densify()
            .expect("not empty")
    }

    #[test]
    fn hashes_are_pinned() {
        // Signatures must be identical across runs and machines: these
        // values are part of the format.
        // Cross-checked with an independent Python implementation of the
        // same definitions.
        assert_eq!(hash_chars(&['a']), 0x82a2_a958_a9be_ce5b);
        assert_eq!(fmix64(1), 0xb456_bcfc_34c2_cb2c);
        let sig = signature("斡旋缅北达成停火协议");
        assert_eq!(
            &sig.0[..4],
            &[1_784_446_382, 3_822_665_736, 4_207_025_504, 4_207_025_504]
        );
    }

    #[test]
    fn han_uses_bigrams_and_latin_five_grams() {
        let count = |key: &str| shingle_hashes(&chars(key)).count();
        assert_eq!(count("斡旋缅北"), 3);
        assert_eq!(count("abcdefg"), 3);
        assert_eq!(count("ab"), 1);
        assert_eq!(shingle_hashes(&[]).count(), 0);
    }

    #[test]
    fn identical_keys_give_identical_signatures() {
        assert_eq!(
            signature("斡旋缅北达成停火协议"),
            signature("斡旋缅北达成停火协议")
        );
    }

    #[test]
    fn estimate_tracks_true_jaccard() {
        // Two sets of 400 shingles sharing 300: Jaccard 300/500 = 0.6.
        let a: Vec<u64> = (0..400u64).map(fmix64).collect();
        let b: Vec<u64> = (100..500u64).map(fmix64).collect();
        let (sa, sb) = (
            RawSketch::new(a).densify().unwrap(),
            RawSketch::new(b).densify().unwrap(),
        );
        let j = sa.jaccard(&sb);
        assert!((j - 0.6).abs() < 0.15, "{j}");
    }

    #[test]
    fn nibbles_estimate_jaccard_too() {
        let a: Vec<u64> = (0..400u64).map(fmix64).collect();
        let b: Vec<u64> = (100..500u64).map(fmix64).collect();
        let (sa, sb) = (
            RawSketch::new(a).densify().unwrap(),
            RawSketch::new(b).densify().unwrap(),
        );
        let j = nibble_jaccard(&sa.nibbles(), &sb.nibbles());
        assert!((j - 0.6).abs() < 0.15, "{j}");
        assert_eq!(nibble_jaccard(&sa.nibbles(), &sa.nibbles()), 1.0);
    }

    #[test]
    fn union_sketch_is_the_sketch_of_the_union() {
        let a = RawSketch::new(shingle_hashes(&chars("促成沙特伊朗历史性和解")));
        let b = RawSketch::new(shingle_hashes(&chars("斡旋缅北达成停火协议")));
        let both = RawSketch::new(
            shingle_hashes(&chars("促成沙特伊朗历史性和解"))
                .chain(shingle_hashes(&chars("斡旋缅北达成停火协议"))),
        );
        assert_eq!(a.union(&b), both);
    }

    #[test]
    fn densify_fills_every_bin_from_a_filled_one() {
        let raw = RawSketch::new([fmix64(7)]);
        let sig = raw.densify().unwrap();
        let value = raw.0.iter().copied().find(|&v| v != EMPTY).unwrap();
        assert!(sig.0.iter().all(|&v| v == value));
        assert_eq!(RawSketch::new([]).densify(), None);
    }

    #[test]
    fn banding_rises_around_its_threshold() {
        let b = Banding::for_threshold(0.5, 1.0);
        assert!(b.bands * b.rows <= PERMUTATIONS);
        assert!(b.probability(0.3) < 0.35, "{b:?}");
        assert!(b.probability(0.7) > 0.95, "{b:?}");
        // Weighing misses more moves the curve left.
        let cautious = Banding::for_threshold(0.5, 4.0);
        assert!(cautious.probability(0.5) > b.probability(0.5));
    }

    #[test]
    fn band_keys_depend_on_script() {
        let b = Banding { bands: 4, rows: 32 };
        let sig = signature("abcdefghijklmnop");
        let han: Vec<u32> = b.keys(&sig, Script::Han).collect();
        let latin: Vec<u32> = b.keys(&sig, Script::Latin).collect();
        assert_eq!(han.len(), 4);
        assert!(han.iter().zip(&latin).all(|(a, b)| a != b));
    }
}
