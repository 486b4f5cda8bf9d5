//! What a page's links resolved to: part of the model, filled in by the links stage.
//!
//! Input: nothing (plain data). Output: [`PageLinks`], kept beside each page's tree, which
//! the HTML and the twins read to write each link's href and text.

use std::collections::HashMap;

use crate::markdown::ast::{Inline, Link};
use crate::urls;

/// Where a resolved link leads.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    /// A page of the book, and an id on it.
    Page {
        /// The page's index in the book.
        page: usize,
        /// Its URL (`apis/rest/`).
        url: String,
        /// Its Markdown twin (`apis/rest.md`).
        twin: String,
        /// The id after `#`, if any.
        fragment: Option<String>,
        /// The link is on that page itself.
        same_page: bool,
    },
    /// A file copied into the site, by its site path.
    File(String),
}

impl Target {
    /// The href of the target in a page's HTML, from that page's URL `from`.
    pub(crate) fn html_href(&self, from: &str) -> String {
        match self {
            Self::Page {
                url,
                fragment,
                same_page,
                ..
            } => {
                let fragment = fragment.as_deref().map(urls::encode_fragment);
                match (same_page, fragment) {
                    (true, Some(f)) => format!("#{f}"),
                    (true, None) => "#".into(),
                    (false, Some(f)) => format!("{}#{f}", urls::relative(from, url)),
                    (false, None) => urls::relative(from, url),
                }
            }
            Self::File(path) => urls::relative(from, path),
        }
    }
}

/// What one link resolved to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Resolution {
    /// Where it leads, for an internal link; `None` leaves the destination as written.
    pub(crate) target: Option<Target>,
    /// The text shown instead of the link's own (empty) text.
    pub(crate) fill: Option<Vec<Inline>>,
}

/// What the links of one page resolved to, by where each link starts in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageLinks {
    resolved: HashMap<usize, Resolution>,
    /// A fingerprint of every resolution, in file order: what the page's HTML and twin read
    /// of other pages through its links.
    fingerprint: u64,
}

impl PageLinks {
    /// What `link` (a link or image of this page) resolved to.
    pub(crate) fn get(&self, link: &Link) -> Option<&Resolution> {
        self.resolved.get(&link.span.start)
    }

    /// A page's links, from the resolution of each (by where the link starts in the file).
    pub(crate) fn new(resolved: HashMap<usize, Resolution>) -> Self {
        let mut in_order: Vec<_> = resolved.iter().collect();
        in_order.sort_by_key(|(offset, _)| **offset);
        let fingerprint = crate::fingerprint::Fingerprint::of(&in_order);
        Self {
            resolved,
            fingerprint,
        }
    }

    /// A fingerprint of every resolution.
    pub(crate) fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
}
