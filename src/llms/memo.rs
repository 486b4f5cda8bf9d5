//! What the LLM exports remember between runs (the preview): each page's twin and its part
//! of `llms-full.txt`, with the key of everything they were made from.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::fingerprint::Fingerprint;
use crate::markdown::Parsed;
use crate::model::{Book, Page};
use crate::site::{Bytes, SiteFile};

/// A page's exports.
#[derive(Debug, Clone)]
pub(crate) struct PageExports {
    /// Its Markdown twin.
    pub(crate) twin: Bytes,
    /// Its part of `llms-full.txt`.
    pub(crate) full_chunk: Bytes,
}

/// Exports of an earlier run, by page URL.
#[derive(Debug, Default)]
pub(crate) struct ExportMemo {
    pages: HashMap<String, Remembered>,
    /// The `llms.txt` files and the key they were made from.
    index_files: Option<(u64, Vec<SiteFile>)>,
}

#[derive(Debug)]
struct Remembered {
    key: u64,
    parsed: Arc<Parsed>,
    generated: bool,
    exports: PageExports,
}

impl ExportMemo {
    /// The earlier `llms.txt` files, when the book's list of pages is unchanged; else makes
    /// them.
    pub(crate) fn index_files(
        &mut self,
        book: &Book,
        make: impl FnOnce() -> Vec<SiteFile>,
    ) -> Vec<SiteFile> {
        let key = index_key(book);
        match &self.index_files {
            Some((earlier, files)) if *earlier == key => files.clone(),
            _ => {
                let files = make();
                self.index_files = Some((key, files.clone()));
                files
            }
        }
    }

    /// The earlier exports of `page`, when they were made from the same inputs.
    pub(crate) fn get(&self, page: &Page, key: u64) -> Option<PageExports> {
        let remembered = self.pages.get(&page.url)?;
        let same_tree = Arc::ptr_eq(&remembered.parsed, &page.parsed)
            || (remembered.generated && page.source.is_none());
        (remembered.key == key && same_tree).then(|| remembered.exports.clone())
    }

    /// Remembers this run's exports (and forgets pages that are gone).
    pub(crate) fn keep(&mut self, book: &Book, keys: &[u64], exports: &[PageExports]) {
        self.pages = book
            .pages
            .iter()
            .zip(keys)
            .zip(exports)
            .map(|((page, key), exports)| {
                (
                    page.url.clone(),
                    Remembered {
                        key: *key,
                        parsed: Arc::clone(&page.parsed),
                        generated: page.source.is_none(),
                        exports: exports.clone(),
                    },
                )
            })
            .collect();
    }
}

/// What the `llms.txt` files are made from: the configuration, the pages' list (titles, URLs,
/// descriptions, order) and where each page asks to be listed.
fn index_key(book: &Book) -> u64 {
    let mut hasher = Fingerprint::new();
    book.config.fingerprint().hash(&mut hasher);
    book.skeleton_fingerprint().hash(&mut hasher);
    for page in &book.pages {
        (page.front.llms as u8).hash(&mut hasher);
    }
    hasher.finish()
}

/// Each page's key: what, besides its own tree, its exports are made from (the book's
/// configuration and navigation, its place, what its links resolved to).
pub(crate) fn page_keys(book: &Book) -> Vec<u64> {
    let mut shared = Fingerprint::new();
    book.config.fingerprint().hash(&mut shared);
    book.skeleton_fingerprint().hash(&mut shared);
    let shared = shared.finish();
    book.pages
        .iter()
        .enumerate()
        .map(|(index, page)| {
            let mut hasher = Fingerprint::new();
            shared.hash(&mut hasher);
            index.hash(&mut hasher);
            page.links.fingerprint().hash(&mut hasher);
            page.numbers.fingerprint().hash(&mut hasher);
            // A generated study page has no tree of its own: it is made from the book's.
            if page.kind.is_study() {
                book.study.fingerprint.hash(&mut hasher);
            }
            hasher.finish()
        })
        .collect()
}
