//! The book navigation: a bounded sidebar in every page, the whole tree in one script.
//!
//! Input: the book and the current page. Output: the sidebar items written into the page
//! (the top level, the parts on the way to the current page opened, and long lists cut to a
//! window around the current entry), and `assets/nav.js`, which holds the full tree once
//! for the whole site. Pages stay the same size however many chapters the book has, and the
//! sidebar still works without JavaScript.

use serde::Serialize;

use crate::model::{Book, PageKind};
use crate::urls::Linker;

/// Lists longer than this are cut to a window around the current entry.
const MAX_LIST: usize = 40;
/// Entries kept on each side of the current one in a cut list.
const WINDOW: usize = 12;

/// One sidebar entry.
#[derive(Debug, Serialize)]
pub(crate) struct NavItem {
    /// Link text.
    pub(crate) title: String,
    /// Relative href (empty for a gap marker).
    pub(crate) href: String,
    /// The current page.
    pub(crate) current: bool,
    /// On the way to the current page.
    pub(crate) active: bool,
    /// A part (folder).
    pub(crate) part: bool,
    /// A marker for entries left out of a long list.
    pub(crate) gap: bool,
    /// Opened entries (parts on the way to the current page).
    pub(crate) children: Vec<NavItem>,
}

/// The sidebar of page `current`.
pub(crate) fn sidebar(book: &Book, current: usize, linker: Linker<'_>) -> Vec<NavItem> {
    let mut path = book.ancestors(current);
    path.push(current);
    List {
        book,
        current,
        path: &path,
        linker,
    }
    .items(book.top_level(), 0)
}

/// What every level of the sidebar needs.
struct List<'a> {
    book: &'a Book,
    current: usize,
    path: &'a [usize],
    linker: Linker<'a>,
}

impl List<'_> {
    /// The entries of one level, cut to a window around the page's ancestor or itself.
    fn items(&self, entries: &[usize], parent: usize) -> Vec<NavItem> {
        let book = self.book;
        let focus = entries.iter().position(|e| self.path.contains(e));
        let (start, end) = window(entries.len(), focus);
        let mut items = Vec::with_capacity(end - start + 2);
        let gap = || NavItem {
            title: "…".into(),
            href: self.linker.href(&book.pages[parent].url),
            current: false,
            active: false,
            part: false,
            gap: true,
            children: Vec::new(),
        };
        if start > 0 {
            items.push(gap());
        }
        for &entry in &entries[start..end] {
            let page = &book.pages[entry];
            let active = self.path.contains(&entry);
            items.push(NavItem {
                title: page.title.clone(),
                href: self.linker.href(&page.url),
                current: entry == self.current,
                active,
                part: page.kind == PageKind::Part,
                gap: false,
                children: if active {
                    self.items(&page.children, entry)
                } else {
                    Vec::new()
                },
            });
        }
        if end < entries.len() {
            items.push(gap());
        }
        items
    }
}

/// The range of a list of `len` entries to show, around `focus`.
fn window(len: usize, focus: Option<usize>) -> (usize, usize) {
    if len <= MAX_LIST {
        return (0, len);
    }
    let focus = focus.unwrap_or(0);
    let start = focus.saturating_sub(WINDOW);
    let end = (focus + WINDOW + 1).min(len);
    (start, end)
}

#[derive(Serialize)]
struct ScriptEntry<'a> {
    /// Title.
    t: &'a str,
    /// Site-relative URL.
    u: &'a str,
    /// Children.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    c: Vec<ScriptEntry<'a>>,
}

/// `assets/nav.js`: the whole navigation tree, read by the theme's script.
pub(crate) fn script(book: &Book) -> String {
    fn entries<'b>(book: &'b Book, list: &[usize]) -> Vec<ScriptEntry<'b>> {
        list.iter()
            .map(|&i| ScriptEntry {
                t: &book.pages[i].title,
                u: &book.pages[i].url,
                c: entries(book, &book.pages[i].children),
            })
            .collect()
    }
    let tree = entries(book, book.top_level());
    let json = serde_json::to_string(&tree).unwrap_or_else(|_| "[]".into());
    format!("window.GUIDEBOOK_NAV={json};\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lists_are_whole() {
        assert_eq!(window(10, Some(3)), (0, 10));
    }

    #[test]
    fn long_lists_are_cut_around_the_focus() {
        assert_eq!(window(1000, Some(500)), (488, 513));
        assert_eq!(window(1000, None), (0, 13));
        assert_eq!(window(1000, Some(995)), (983, 1000));
    }
}
