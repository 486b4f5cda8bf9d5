//! The site as files, a leaf every stage that produces or serves files shares.
//!
//! Input: nothing. Output: [`SiteFile`] (one file of the site in memory) and the folders of
//! the site that guidebook fills itself ([`SEARCH_DIR`], [`LIVE_DIR`]).

/// One file of the site, in memory.
#[derive(Debug, Clone)]
pub(crate) struct SiteFile {
    /// Path relative to the site root, with `/`.
    pub(crate) path: String,
    /// Contents.
    pub(crate) contents: Vec<u8>,
}

impl SiteFile {
    /// A file at `path` holding `contents`.
    pub(crate) fn new(path: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            contents: contents.into(),
        }
    }
}

/// Where the search index goes in the site.
pub(crate) const SEARCH_DIR: &str = "pagefind";

/// The folder of the preview's own paths, which a build never writes.
pub(crate) const LIVE_DIR: &str = "__guidebook";

/// The folders of the site that guidebook fills itself, and what for.
pub(crate) const RESERVED_FOLDERS: [(&str, &str); 2] = [
    (SEARCH_DIR, "its search index"),
    (LIVE_DIR, "the live preview"),
];

/// The reserved folder a site path is inside, if any: (folder, what it is for).
pub(crate) fn reserved_folder(site_path: &str) -> Option<(&'static str, &'static str)> {
    RESERVED_FOLDERS.into_iter().find(|(folder, _)| {
        site_path
            .strip_prefix(folder)
            .is_some_and(|rest| rest.starts_with('/'))
    })
}
