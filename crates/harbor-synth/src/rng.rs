//! A small, fast, seeded pseudo-random generator (SplitMix64) with the helpers the generator
//! needs. Not cryptographic; only reproducibility matters here.

use std::cell::Cell;

/// SplitMix64: 64 bits of state, passes BigCrush, trivially seedable.
///
/// The state is a `Cell` so draws need only `&self` (the generator draws while building
/// arguments of `&mut self` calls).
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    state: Cell<u64>,
}

impl Rng {
    /// A generator for one stream, derived from a seed and a stream number (e.g. the index of a
    /// report), so each report is reproducible on its own whatever the batching.
    pub(crate) fn for_stream(seed: u64, stream: u64) -> Self {
        let r = Rng {
            state: Cell::new(seed ^ 0x6a09_e667_f3bc_c909),
        };
        let a = r.next_u64();
        let r = Rng {
            state: Cell::new(a ^ stream.wrapping_mul(0x9e37_79b9_7f4a_7c15)),
        };
        r.next_u64();
        r
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&self) -> u64 {
        let mut z = self.state.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
        self.state.set(z);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A uniform float in `[0, 1)`.
    pub(crate) fn f64(&self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    pub(crate) fn chance(&self, p: f64) -> bool {
        self.f64() < p
    }

    /// A uniform integer in `lo..=hi` (returns `lo` when `hi <= lo`).
    pub(crate) fn range(&self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo + 1) as u64;
        lo + (self.next_u64() % span) as i64
    }

    /// A uniform `usize` below `n` (`n` must be > 0).
    pub(crate) fn below(&self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A roughly bell-shaped integer in `lo..=hi` (mean of three uniforms).
    pub(crate) fn bell(&self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let u = (self.f64() + self.f64() + self.f64()) / 3.0;
        lo + (u * (hi - lo + 1) as f64) as i64
    }

    /// One element of a non-empty slice.
    pub(crate) fn pick<'a, T>(&self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One element of a non-empty slice of `(weight, item)` pairs, by weight.
    pub(crate) fn weighted<'a, T>(&self, items: &'a [(u32, T)]) -> &'a T {
        let total: u64 = items.iter().map(|(w, _)| u64::from(*w)).sum();
        let mut x = self.next_u64() % total.max(1);
        for (w, item) in items {
            let w = u64::from(*w);
            if x < w {
                return item;
            }
            x -= w;
        }
        &items[items.len() - 1].1
    }

    /// A random version 4 UUID in its canonical lowercase form.
    pub(crate) fn uuid_v4(&self) -> String {
        let hi = self.next_u64();
        let lo = self.next_u64();
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&hi.to_be_bytes());
        b[8..].copy_from_slice(&lo.to_be_bytes());
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let mut s = String::with_capacity(36);
        for (i, byte) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                s.push('-');
            }
            s.push(char::from(HEX[usize::from(byte >> 4)]));
            s.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        s
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_in_range() {
        let a = Rng::for_stream(7, 3);
        let b = Rng::for_stream(7, 3);
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
            let x = a.range(-3, 9);
            b.range(-3, 9);
            assert!((-3..=9).contains(&x));
        }
        assert_ne!(
            Rng::for_stream(7, 3).next_u64(),
            Rng::for_stream(7, 4).next_u64()
        );
        let u = a.uuid_v4();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
    }
}
