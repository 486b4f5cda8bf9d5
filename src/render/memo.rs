//! What the render stage remembers between runs (the preview): each page's HTML with the
//! key of everything it was made from.
//!
//! Input: the book of a run, the theme's version. Output: per page a key (a hash of the
//! book's configuration, its navigation, the theme, the page's place and what its links
//! resolved to) and, from the memo, the earlier HTML of pages whose key and parsed tree are
//! unchanged.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::Theme;
use crate::diagnostics::Diagnostic;
use crate::fingerprint::Fingerprint;
use crate::markdown::Parsed;
use crate::model::{Book, Page};
use crate::site::Bytes;

/// What rendering one page's body noticed, for diagnostics.
#[derive(Debug, Clone, Default)]
pub(crate) struct BodyNotes {
    /// Code blocks in unknown languages: (language, byte offset in the file).
    pub(crate) unknown_languages: Vec<(String, usize)>,
    /// Template failures: (message, byte offset of the callout in the file).
    pub(crate) template_errors: Vec<(String, usize)>,
}

/// One page rendered: its HTML (or the template's error) and its notes.
#[derive(Debug, Clone)]
pub(crate) struct RenderedPage {
    /// The page's HTML file.
    pub(crate) html: Result<Bytes, Diagnostic>,
    /// What its body noticed.
    pub(crate) notes: BodyNotes,
    /// Its section of the print page (when the book has one).
    pub(crate) print: Option<Bytes>,
    /// Whether its HTML marks what search reads ([`crate::site::SEARCH_BODY`]): looked for
    /// once per rendering, not in every page on every run of the preview.
    pub(crate) searchable: bool,
}

/// Pages rendered by an earlier run, by URL.
#[derive(Debug, Default)]
pub(crate) struct RenderMemo {
    pages: HashMap<String, Remembered>,
}

#[derive(Debug)]
struct Remembered {
    key: u64,
    /// The tree it was rendered from, kept alive so that pointer equality means "the same".
    parsed: Arc<Parsed>,
    /// A page generated without a file (its content is its navigation).
    generated: bool,
    page: RenderedPage,
}

impl RenderMemo {
    /// The earlier rendering of `page`, when it was made from the same inputs.
    pub(crate) fn get(&self, page: &Page, key: u64) -> Option<RenderedPage> {
        let remembered = self.pages.get(&page.url)?;
        let same_tree = Arc::ptr_eq(&remembered.parsed, &page.parsed)
            || (remembered.generated && page.source.is_none());
        (remembered.key == key && same_tree).then(|| remembered.page.clone())
    }

    /// Remembers this run's pages (and forgets pages that are gone).
    pub(crate) fn keep(&mut self, book: &Book, keys: &[u64], pages: &[RenderedPage]) {
        self.pages = book
            .pages
            .iter()
            .zip(keys)
            .zip(pages)
            .map(|((page, key), rendered)| {
                (
                    page.url.clone(),
                    Remembered {
                        key: *key,
                        parsed: Arc::clone(&page.parsed),
                        generated: page.source.is_none(),
                        page: rendered.clone(),
                    },
                )
            })
            .collect();
    }
}

/// Each page's key: what, besides its own tree, its HTML is made from.
pub(crate) fn page_keys(book: &Book, asset_version: &str, theme: &Theme) -> Vec<u64> {
    let mut shared = Fingerprint::new();
    book.config.fingerprint().hash(&mut shared);
    book.skeleton_fingerprint().hash(&mut shared);
    theme.templates.fingerprint().hash(&mut shared);
    asset_version.hash(&mut shared);
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
