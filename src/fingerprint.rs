//! Fingerprints, a leaf: 64-bit hashes of what a stage's output is made from, so a run can
//! tell "the same inputs" without keeping or comparing them.
//!
//! Input: anything that is `Hash`. Output: a `u64`. XXH3 is fast on the many small writes a
//! derived `Hash` makes and spreads every input bit over the result, so two different inputs
//! share a fingerprint with negligible probability.

use std::hash::{Hash, Hasher};

use xxhash_rust::xxh3::Xxh3;

/// A hasher for fingerprints.
#[derive(Default, Clone)]
pub(crate) struct Fingerprint(Xxh3);

impl Fingerprint {
    /// An empty fingerprint to write into.
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// The fingerprint of one value.
    pub(crate) fn of(value: &impl Hash) -> u64 {
        let mut hasher = Self::new();
        value.hash(&mut hasher);
        hasher.finish()
    }
}

impl Hasher for Fingerprint {
    fn finish(&self) -> u64 {
        self.0.digest()
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }
}

impl Fingerprint {
    /// Feeds `value`'s `Debug` form to the fingerprint without building a string (for trees
    /// that have no `Hash` of their own; their debug form holds every field).
    pub(crate) fn write_debug(&mut self, value: &(impl std::fmt::Debug + ?Sized)) {
        struct Feed<'a>(&'a mut Fingerprint);
        impl std::fmt::Write for Feed<'_> {
            fn write_str(&mut self, s: &str) -> std::fmt::Result {
                self.0.write(s.as_bytes());
                Ok(())
            }
        }
        let _ = std::fmt::write(&mut Feed(self), format_args!("{value:?}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_inputs_agree_and_different_ones_do_not() {
        assert_eq!(Fingerprint::of(&("a", 1)), Fingerprint::of(&("a", 1)));
        assert_ne!(Fingerprint::of(&("a", 1)), Fingerprint::of(&("a", 2)));
        assert_ne!(Fingerprint::of(&("ab", "")), Fingerprint::of(&("a", "b")));
    }
}
