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
    /// The href of the target in HTML at the page `from` (the linking page's URL, or the
    /// generated page that shows its content).
    pub(crate) fn html_href(&self, from: &str) -> String {
        match self {
            Self::Page { url, fragment, .. } => {
                let fragment = fragment.as_deref().map(urls::encode_fragment);
                match (url == from, fragment) {
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

impl Target {
    /// The href of the target as `linker` writes links: relative to a page (see
    /// [`Target::html_href`]), or from a fixed base (files read outside the site, such as
    /// the flashcards).
    pub(crate) fn href(&self, linker: urls::Linker<'_>) -> String {
        match (linker, self) {
            (urls::Linker::From(from), _) => self.html_href(from),
            (urls::Linker::Base(_), Self::Page { url, fragment, .. }) => {
                let mut href = linker.href(url);
                if let Some(fragment) = fragment {
                    href.push('#');
                    href.push_str(&urls::encode_fragment(fragment));
                }
                href
            }
            (urls::Linker::Base(_), Self::File(path)) => linker.href(path),
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
    /// For a link to a callout: its first paragraph, shown when the reader hovers or
    /// focuses the link.
    pub(crate) preview: Option<String>,
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

    /// The plain text of inline content of this page, each link that has text filled in
    /// (an empty link) showing that text, as the page's HTML and twin do.
    pub(crate) fn plain_text(&self, inlines: &[Inline]) -> String {
        let mut out = String::new();
        self.push_plain_text(inlines, &mut out);
        out
    }

    fn push_plain_text(&self, inlines: &[Inline], out: &mut String) {
        for inline in inlines {
            match inline {
                Inline::Link(link) => match self.get(link).and_then(|r| r.fill.as_ref()) {
                    // Copied from another page: its links are not this page's.
                    Some(fill) => out.push_str(&crate::markdown::ast::plain_text(fill)),
                    None => self.push_plain_text(&link.content, out),
                },
                Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => {
                    self.push_plain_text(c, out);
                }
                other => out.push_str(&crate::markdown::ast::plain_text(std::slice::from_ref(
                    other,
                ))),
            }
        }
    }
}
