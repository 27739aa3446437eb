//! A fast keyed hasher for the id maps of validation and lookup.
//!
//! The standard library's SipHash is built to resist crafted collisions, at several times the cost
//! of a multiply-and-rotate hash on short keys, and validation hashes every id and every reference
//! of a scenario. This hasher mixes 8 bytes at a time with a multiply and a rotation (as FxHash
//! does) and starts from a key drawn once per process from the standard library's random source,
//! so colliding ids cannot be prepared in advance from the code alone. Inputs are bounded by
//! [`ismap_model::Limits`] in any case.

use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

const K: u64 = 0xf135_7aea_2e62_a9c5;

/// The per-process key.
fn key() -> u64 {
    static KEY: OnceLock<u64> = OnceLock::new();
    *KEY.get_or_init(|| std::collections::hash_map::RandomState::new().hash_one(0x5eed_u64))
}

/// Builds [`FastHasher`]s with the per-process key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FastBuild(u64);

impl Default for FastBuild {
    fn default() -> Self {
        Self(key())
    }
}

impl BuildHasher for FastBuild {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(self.0)
    }
}

/// The hasher: multiply-and-rotate over 8-byte words.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    #[inline]
    const fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            if let Some(dst) = w.get_mut(..rest.len()) {
                dst.copy_from_slice(rest);
            }
            self.add(u64::from_le_bytes(w) ^ ((rest.len() as u64) << 56));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        // A final mix so that the low bits (the bucket index) depend on every input bit.
        let x = self.0;
        (x ^ (x >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (x >> 32)
    }
}

/// A hash map with [`FastBuild`].
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, FastBuild>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_keys_hash_equal_and_short_keys_spread() {
        let b = FastBuild::default();
        assert_eq!(b.hash_one("step-1"), b.hash_one("step-1"));
        let hashes: std::collections::HashSet<u64> =
            (0..10_000).map(|i| b.hash_one(format!("s{i}")) & 0xffff).collect();
        // 10,000 keys into 65,536 buckets: a good hash leaves few collisions (about 700 expected).
        assert!(hashes.len() > 9_000, "{}", hashes.len());
        let mut m: FastMap<&str, usize> = FastMap::default();
        m.insert("a", 1);
        assert_eq!(m.get("a"), Some(&1));
    }
}
