//! The site as files, a leaf every stage that produces or serves files shares.
//!
//! Input: nothing. Output: [`SiteFile`] (one generated file in memory), [`SiteData`] and
//! [`SiteFiles`] (every file of a site by path: generated, or copied from the book), and the
//! folders of the site that guidebook fills itself ([`SEARCH_DIR`], [`LIVE_DIR`]).

use std::collections::BTreeMap;
use std::path::PathBuf;

pub(crate) use bytes::Bytes;

/// `text` as [`Bytes`] without the spare capacity it grew while it was appended to: kept,
/// that capacity would hold up to twice each page's size until the site is written.
pub(crate) fn shrunk(text: String) -> Bytes {
    let mut bytes = text.into_bytes();
    bytes.shrink_to_fit();
    Bytes::from(bytes)
}

/// One generated file of the site, in memory.
#[derive(Debug, Clone)]
pub(crate) struct SiteFile {
    /// Path relative to the site root, with `/`.
    pub(crate) path: String,
    /// Contents (shared: cloning a file is cheap).
    pub(crate) contents: Bytes,
}

impl SiteFile {
    /// A file at `path` holding `contents`.
    pub(crate) fn new(path: impl Into<String>, contents: impl Into<Bytes>) -> Self {
        Self {
            path: path.into(),
            contents: contents.into(),
        }
    }
}

/// Where a file of the site comes from.
#[derive(Debug, Clone)]
pub(crate) enum SiteData {
    /// Bytes in memory: generated, or (in the preview) read from the book.
    Bytes(Bytes),
    /// Pieces joined when the file is written or served (`llms-full.txt`: one piece per
    /// page, so a run that changed one page does not copy the whole book).
    Joined(Joined),
    /// A file of the book, copied as it is when the site is written.
    Copy(PathBuf),
}

impl SiteData {
    /// Whether two versions hold the same bytes (shared buffers compare at once). A copy
    /// is the same when it comes from the same file.
    pub(crate) fn same_as(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Bytes(a), Self::Bytes(b)) => same_bytes(a, b),
            (Self::Joined(a), Self::Joined(b)) => {
                a.separator == b.separator
                    && a.parts.len() == b.parts.len()
                    && a.parts
                        .iter()
                        .zip(b.parts.iter())
                        .all(|(a, b)| same_bytes(a, b))
            }
            (Self::Copy(a), Self::Copy(b)) => a == b,
            _ => false,
        }
    }

    /// The contents, for a file in memory (`None` for a copy still on disk).
    pub(crate) fn bytes(&self) -> Option<Bytes> {
        match self {
            Self::Bytes(bytes) => Some(bytes.clone()),
            Self::Joined(joined) => Some(joined.to_bytes()),
            Self::Copy(_) => None,
        }
    }
}

/// Whether two buffers hold the same bytes.
fn same_bytes(a: &Bytes, b: &Bytes) -> bool {
    a.len() == b.len() && (a.as_ptr() == b.as_ptr() || a == b)
}

/// Pieces of one file with a separator between them.
#[derive(Debug, Clone)]
pub(crate) struct Joined {
    parts: std::sync::Arc<[Bytes]>,
    separator: &'static [u8],
}

impl Joined {
    /// Writes the file to `out` piece by piece (the print page of a large book is tens of
    /// megabytes: it is never put together in memory); returns its length.
    pub(crate) fn write_to(&self, out: &mut impl std::io::Write) -> std::io::Result<u64> {
        let mut length = 0;
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                out.write_all(self.separator)?;
                length += self.separator.len() as u64;
            }
            out.write_all(part)?;
            length += part.len() as u64;
        }
        Ok(length)
    }

    /// The file made of `parts` with `separator` between each two.
    pub(crate) fn new(parts: Vec<Bytes>, separator: &'static [u8]) -> Self {
        Self {
            parts: parts.into(),
            separator,
        }
    }

    /// The whole file.
    pub(crate) fn to_bytes(&self) -> Bytes {
        let length = self
            .parts
            .iter()
            .map(|p| p.len() + self.separator.len())
            .sum();
        let mut out = Vec::with_capacity(length);
        for (i, part) in self.parts.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(self.separator);
            }
            out.extend_from_slice(part);
        }
        Bytes::from(out)
    }
}

/// Every file of a site, by path relative to the site root (with `/`).
pub(crate) type SiteFiles = BTreeMap<String, SiteData>;

/// The attribute that marks the element of a page the search index reads (Pagefind's).
pub(crate) const SEARCH_BODY: &[u8] = b"data-pagefind-body";

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

/// The site path of the Markdown twin of the page whose URL is `url` (`apis/rest/` →
/// `apis/rest.md`; the home page, `""`, → `index.md`).
pub(crate) fn twin_path(url: &str) -> String {
    match url.strip_suffix('/') {
        Some(stem) => format!("{stem}.md"),
        None => "index.md".into(),
    }
}

/// The twin of the page written at `html_path` (`apis/rest/index.html` → `apis/rest.md`),
/// or `None` for a file that is not a page's `index.html`.
pub(crate) fn twin_of_page_file(html_path: &str) -> Option<String> {
    if html_path == "index.html" {
        return Some(twin_path(""));
    }
    html_path
        .strip_suffix("/index.html")
        .map(|folder| twin_path(&format!("{folder}/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twins_sit_beside_their_page_folders() {
        assert_eq!(twin_path(""), "index.md");
        assert_eq!(twin_path("apis/rest/"), "apis/rest.md");
        assert_eq!(twin_of_page_file("index.html").as_deref(), Some("index.md"));
        assert_eq!(
            twin_of_page_file("apis/rest/index.html").as_deref(),
            Some("apis/rest.md")
        );
        assert_eq!(twin_of_page_file("404.html"), None);
        assert_eq!(twin_of_page_file("assets/x.css"), None);
    }
}
