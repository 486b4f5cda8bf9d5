//! What a new site means for the open tabs: the old and new file maps compared.
//!
//! Input: the served site and the one a run just made. Output: an [`Update`]: reload the
//! pages whose HTML changed, swap stylesheets when only those changed, reload everything when
//! something every page uses changed (the navigation script, the theme's script, images), or
//! nothing when only files no page shows changed (twins, `llms.txt`).

use std::collections::BTreeSet;

use super::site::SiteMap;
use crate::diagnostics::Diagnostics;
use crate::site::{SEARCH_DIR, SiteData};

/// What an update means for the open tabs.
#[derive(Debug, Clone)]
pub(crate) enum Update {
    /// Tabs showing these pages (URL paths such as `/apis/rest/`) reload; `None`: all.
    Reload(Option<Vec<String>>),
    /// Only stylesheets changed: open tabs swap them without reloading.
    Styles,
    /// The run failed; the last good site stays served.
    Failed(Diagnostics),
    /// Nothing a tab shows changed.
    Unchanged,
}

/// The paths whose bytes differ between two sites (the search index aside, which the
/// preview carries over and rebuilds in the background).
pub(crate) fn changed<'a>(old: &'a SiteMap, new: &'a SiteMap) -> BTreeSet<&'a str> {
    let search = format!("{SEARCH_DIR}/");
    old.paths()
        .chain(new.paths())
        .filter(|path| !path.starts_with(&search))
        .filter(|path| !same(old.get(path), new.get(path)))
        .collect()
}

/// Whether two versions of a file are equal.
fn same(a: Option<&SiteData>, b: Option<&SiteData>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.same_as(b),
        (None, None) => true,
        _ => false,
    }
}

/// What the files in `changed` (see [`changed`]) mean for the tabs. `first`: nothing was
/// served before.
pub(crate) fn classify(changed: &BTreeSet<&str>, first: bool) -> Update {
    if first {
        return Update::Reload(None);
    }
    let shown: Vec<&str> = changed.iter().copied().filter(|p| is_shown(p)).collect();
    if shown.is_empty() {
        return Update::Unchanged;
    }
    if shown.iter().all(|p| p.ends_with(".css")) {
        return Update::Styles;
    }
    let pages: Option<Vec<String>> = shown.iter().map(|p| page_url(p)).collect();
    Update::Reload(pages.filter(|pages| !pages.is_empty()))
}

/// Whether a tab shows (or loads) a file: not twins, indexes for LLM tools, or the files
/// only a host or a crawler reads.
fn is_shown(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    !(path.ends_with(".md")
        || path.ends_with(".txt")
        || path.ends_with(".xml")
        || path.ends_with(".json")
        || name.starts_with('_')
        || name.starts_with('.'))
}

/// The URL of a page's HTML file (`apis/rest/index.html` → `/apis/rest/`); `None` for any
/// other file.
fn page_url(path: &str) -> Option<String> {
    let folder = path.strip_suffix("index.html")?;
    (folder.is_empty() || folder.ends_with('/')).then(|| format!("/{folder}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compare(old: &SiteMap, new: &SiteMap) -> Update {
        classify(&changed(old, new), false)
    }

    fn site(files: &[(&str, &str)]) -> SiteMap {
        let mut map = SiteMap::default();
        for (path, text) in files {
            map.insert(*path, text.to_string());
        }
        map
    }

    fn base() -> Vec<(&'static str, &'static str)> {
        vec![
            ("index.html", "home"),
            ("a/index.html", "a"),
            ("a/b/index.html", "b"),
            ("a/b.md", "# b"),
            ("llms.txt", "llms"),
            ("assets/guidebook.css", "css"),
            ("assets/nav.js", "nav"),
            ("pagefind/x.pf_index", "old"),
        ]
    }

    fn with(changes: &[(&'static str, &'static str)]) -> SiteMap {
        let mut files = base();
        for (path, text) in changes {
            match files.iter_mut().find(|(p, _)| p == path) {
                Some(entry) => entry.1 = text,
                None => files.push((path, text)),
            }
        }
        site(&files)
    }

    #[test]
    fn only_the_pages_whose_html_changed_reload() {
        let update = compare(
            &site(&base()),
            &with(&[("a/b/index.html", "b2"), ("a/b.md", "# b2")]),
        );
        assert!(
            matches!(update, Update::Reload(Some(ref p)) if p == &["/a/b/"]),
            "{update:?}"
        );
        let update = compare(&site(&base()), &with(&[("index.html", "home2")]));
        assert!(
            matches!(update, Update::Reload(Some(ref p)) if p == &["/"]),
            "{update:?}"
        );
    }

    #[test]
    fn stylesheets_swap_and_shared_files_reload_everything() {
        let update = compare(&site(&base()), &with(&[("assets/guidebook.css", "css2")]));
        assert!(matches!(update, Update::Styles), "{update:?}");
        let update = compare(&site(&base()), &with(&[("assets/nav.js", "nav2")]));
        assert!(matches!(update, Update::Reload(None)), "{update:?}");
        let update = compare(
            &site(&base()),
            &with(&[("c/index.html", "new page"), ("assets/nav.js", "nav2")]),
        );
        assert!(matches!(update, Update::Reload(None)), "{update:?}");
        let update = compare(&site(&base()), &with(&[("img/logo.png", "png")]));
        assert!(matches!(update, Update::Reload(None)), "{update:?}");
    }

    #[test]
    fn files_no_tab_shows_change_nothing_for_the_tabs() {
        let update = compare(
            &site(&base()),
            &with(&[("a/b.md", "# b2"), ("llms.txt", "l2")]),
        );
        assert!(matches!(update, Update::Unchanged), "{update:?}");
        let update = compare(&site(&base()), &with(&[("pagefind/x.pf_index", "new")]));
        assert!(matches!(update, Update::Unchanged), "{update:?}");
        assert!(changed(&site(&base()), &site(&base())).is_empty());
        assert!(matches!(
            classify(&BTreeSet::new(), true),
            Update::Reload(None)
        ));
    }
}
