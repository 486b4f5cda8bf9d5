//! The theme's static files: compiled into the binary, replaceable from the book's `static/`.
//!
//! Input: the book folder. Output: the theme's files for the site, and a version string (a
//! hash of what is actually served) that page links append so browsers fetch new copies.

use std::borrow::Cow;
use std::path::Path;
use std::sync::OnceLock;

use crate::site::{Bytes, SiteFile};

/// The built-in static files, by site path.
const BUILTIN: &[(&str, &[u8])] = &[
    (
        "assets/guidebook.css",
        include_bytes!("../../static/assets/guidebook.css"),
    ),
    (
        "assets/guidebook.js",
        include_bytes!("../../static/assets/guidebook.js"),
    ),
    (
        "assets/favicon.svg",
        include_bytes!("../../static/assets/favicon.svg"),
    ),
    // Mermaid's single-file build (npm `mermaid`), loaded by guidebook.js only on pages that
    // have a diagram; its licence travels with it.
    (
        "assets/mermaid.min.js",
        include_bytes!("../../static/assets/mermaid.min.js"),
    ),
    (
        "assets/mermaid.LICENSE.txt",
        include_bytes!("../../static/assets/mermaid.LICENSE.txt"),
    ),
];

/// The theme's files, with the book's replacements.
pub(crate) struct Assets {
    files: Vec<(&'static str, Cow<'static, [u8]>)>,
}

impl Assets {
    /// The built-in files, each replaced by the book's `static/<same path>` when it exists.
    pub(crate) fn load(static_dir: &Path) -> Self {
        let files = BUILTIN
            .iter()
            .map(|(path, bytes)| {
                let replacement = std::fs::read(static_dir.join(path)).ok();
                (*path, replacement.map_or(Cow::Borrowed(*bytes), Cow::Owned))
            })
            .collect();
        Self { files }
    }

    /// A short hash of the served theme files and `extra` (the generated stylesheet).
    pub(crate) fn version(&self, extra: &str) -> String {
        let mut hash = Fnv::new();
        for (index, (path, bytes)) in self.files.iter().enumerate() {
            hash.write(path.as_bytes());
            // Built-in files (Mermaid alone is 3.5 MB) are hashed once per process.
            let digest = match bytes {
                Cow::Borrowed(_) => builtin_digests()[index],
                Cow::Owned(bytes) => digest(bytes),
            };
            hash.write(&digest.to_le_bytes());
        }
        hash.write(extra.as_bytes());
        format!("{:08x}", hash.finish() & 0xffff_ffff)
    }

    /// The files to write. The built-in ones are not copied (the preview makes them on
    /// every run, and Mermaid alone is 3.5 MB).
    pub(crate) fn files(&self) -> impl Iterator<Item = SiteFile> + '_ {
        self.files.iter().map(|(path, contents)| {
            let bytes = match contents {
                Cow::Borrowed(builtin) => Bytes::from_static(builtin),
                Cow::Owned(replacement) => Bytes::copy_from_slice(replacement),
            };
            SiteFile::new(*path, bytes)
        })
    }
}

fn digest(bytes: &[u8]) -> u64 {
    let mut hash = Fnv::new();
    hash.write(bytes);
    hash.finish()
}

/// The digest of each built-in file, in `BUILTIN` order.
fn builtin_digests() -> &'static [u64] {
    static DIGESTS: OnceLock<Vec<u64>> = OnceLock::new();
    DIGESTS.get_or_init(|| BUILTIN.iter().map(|(_, bytes)| digest(bytes)).collect())
}

/// FNV-1a: stable across builds and Rust versions, unlike the standard library's hasher.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_changes_with_content() {
        let assets = Assets::load(Path::new("/nonexistent/static"));
        assert_eq!(assets.version("a"), assets.version("a"));
        assert_ne!(assets.version("a"), assets.version("b"));
    }

    #[test]
    fn a_replaced_file_changes_the_version() {
        let dir = tempfile::tempdir().unwrap();
        let statics = dir.path().join("static");
        let builtin = Assets::load(&statics).version("");
        std::fs::create_dir_all(statics.join("assets")).unwrap();
        std::fs::write(statics.join("assets/mermaid.min.js"), "x").unwrap();
        assert_ne!(Assets::load(&statics).version(""), builtin);
    }
}
