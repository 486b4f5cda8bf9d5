//! What every tool's adapter shares: finding the pages under a docs root, and a navigation
//! made from the folders (each page's order key, then its name) for tools or folders whose
//! navigation cannot be read.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{NavItem, Report};

/// Folders no tool keeps pages in.
const SKIPPED: [&str; 4] = ["node_modules", "dist", "build", "target"];

/// Every `.md` and `.mdx` file under `root`, relative to it, sorted; hidden folders (`.`),
/// dependency and output folders, and the folders in `skip` (relative to `root`) are left out.
pub(crate) fn find_pages(root: &Path, skip: &[PathBuf]) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
            entry.depth() == 0
                || !(name.starts_with('.')
                    || (entry.file_type().is_dir() && SKIPPED.contains(&name.as_ref()))
                    || skip.iter().any(|s| s == rel))
        })
        .flatten()
        .filter(|entry| entry.file_type().is_file())
        .filter(|entry| {
            entry
                .path()
                .extension()
                .is_some_and(|e| e == "md" || e == "mdx")
        })
        .filter_map(|entry| entry.path().strip_prefix(root).ok().map(Path::to_path_buf))
        .collect();
    pages.sort();
    pages
}

/// The front matter of a page file (empty when it has none or it cannot be read).
pub(crate) fn front_of(file: &Path) -> serde_json::Map<String, Value> {
    let Ok(text) = std::fs::read_to_string(file) else {
        return serde_json::Map::new();
    };
    super::frontmatter::split(&text, file, &mut Report::default()).front
}

/// A navigation made from the folder `dir` (relative to `root`): its pages and subfolders by
/// order key (`sidebar_position`, `order`, `sidebar.order`), then name; an `index.md` or
/// `README.md` is its folder's own page.
pub(crate) fn folder_nav(root: &Path, pages: &[PathBuf], dir: &Path) -> Vec<NavItem> {
    let mut entries: Vec<(Option<f64>, String, NavItem)> = Vec::new();
    let mut subdirs: Vec<PathBuf> = Vec::new();
    for page in pages {
        let Ok(rest) = page.strip_prefix(dir) else {
            continue;
        };
        let mut parts = rest.components();
        let first = parts.next();
        if parts.next().is_some() {
            let sub = dir.join(first.map(|c| c.as_os_str()).unwrap_or_default());
            if !subdirs.contains(&sub) {
                subdirs.push(sub);
            }
            continue;
        }
        if is_index(page) {
            continue;
        }
        let front = front_of(&root.join(page));
        let order = super::frontmatter::source_order(&front);
        let name = page
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        entries.push((
            order,
            name,
            NavItem::Page {
                path: page.clone(),
                label: None,
            },
        ));
    }
    for sub in subdirs {
        let index = pages
            .iter()
            .find(|p| p.parent() == Some(sub.as_path()) && is_index(p))
            .cloned();
        let front = index
            .as_ref()
            .map(|i| front_of(&root.join(i)))
            .unwrap_or_default();
        let order = super::frontmatter::source_order(&front);
        let name = sub
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let title = front
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| crate::config::humanize(&name));
        let items = folder_nav(root, pages, &sub);
        entries.push((
            order,
            name,
            NavItem::Group {
                title,
                index,
                items,
            },
        ));
    }
    entries.sort_by(|a, b| {
        let key = |o: &Option<f64>| o.unwrap_or(f64::MAX);
        key(&a.0).total_cmp(&key(&b.0)).then_with(|| a.1.cmp(&b.1))
    });
    entries.into_iter().map(|(_, _, item)| item).collect()
}

/// Whether a page is its folder's own page: `index.md(x)` or `README.md`.
pub(crate) fn is_index(page: &Path) -> bool {
    let stem = page
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_ascii_lowercase();
    stem == "index" || stem == "readme"
}

/// The home page: the docs root's `index.md(x)` or `README.md`.
pub(crate) fn home(pages: &[PathBuf]) -> Option<PathBuf> {
    pages
        .iter()
        .find(|p| p.parent().is_some_and(|d| d.as_os_str().is_empty()) && is_index(p))
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_nav_orders_by_key_then_name() {
        let dir = tempfile::tempdir().unwrap();
        for (file, text) in [
            ("b.md", "---\nsidebar_position: 1\n---\n"),
            ("a.md", ""),
            ("guide/index.md", "---\ntitle: The guide\norder: 0\n---\n"),
            ("guide/x.md", ""),
        ] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let pages = find_pages(dir.path(), &[]);
        let nav = folder_nav(dir.path(), &pages, Path::new(""));
        let page = |p: &str| NavItem::Page {
            path: p.into(),
            label: None,
        };
        assert_eq!(
            nav,
            [
                NavItem::Group {
                    title: "The guide".into(),
                    index: Some("guide/index.md".into()),
                    items: vec![page("guide/x.md")]
                },
                page("b.md"),
                page("a.md"),
            ]
        );
    }
}
