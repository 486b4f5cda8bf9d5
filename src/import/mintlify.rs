//! Mintlify: `docs.json` (or the older `mint.json`) → a [`Project`]; its pages, `.mdx` and
//! `.md` alike, go through [`super::mdx`].
//!
//! The navigation is read as Mintlify nests it: languages and versions (the default first, the
//! others as parts of their own), tabs, anchors, dropdowns, products and menus, groups (a
//! group's `root` page is its part page), and pages given by path or as nested groups. A
//! `mint.json` lists groups, and its tabs claim the groups whose pages lie under their `url`.
//! `redirects` become redirects; `snippets/` holds includes, not pages.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde_json::{Map, Value};

use super::{Adapter, NavItem, PageBody, Project, Report, SourceRedirect, Tool};

/// Configuration files, newest first.
const CONFIGS: [&str; 2] = ["docs.json", "mint.json"];

/// Keys that hold a list of navigation entries, and the key naming each entry.
const LEVELS: [(&str, &str); 9] = [
    ("languages", "language"),
    ("versions", "version"),
    ("tabs", "tab"),
    ("anchors", "anchor"),
    ("dropdowns", "dropdown"),
    ("products", "product"),
    ("menu", "item"),
    ("groups", "group"),
    ("pages", "group"),
];

/// The Mintlify adapter.
pub(crate) struct Mintlify;

impl Adapter for Mintlify {
    fn read(&self, source: &Path, report: &mut Report) -> anyhow::Result<Project> {
        let (name, text) = CONFIGS
            .iter()
            .find_map(|name| {
                std::fs::read_to_string(source.join(name))
                    .ok()
                    .map(|t| (*name, t))
            })
            .with_context(|| format!("no `docs.json` or `mint.json` in `{}`", source.display()))?;
        let mut config: Value =
            serde_json::from_str(&text).with_context(|| format!("`{name}` is not valid JSON"))?;
        resolve_refs(&mut config, source, 0, report);
        let docs_root = crate::paths::lexical(&crate::paths::absolute(source));
        let mut project = Project::new(Tool::Mintlify, source, &docs_root);
        project.title = config
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string);
        project.description = config
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string);
        project.pages = super::generic::find_pages(&docs_root, &[PathBuf::from("snippets")]);
        // Mintlify serves the whole docs folder: `/images/a.png` resolves against the docs
        // root, and only the files pages use are copied (no public folder to copy whole).
        let mut reader = NavReader {
            root: &docs_root,
            pages: &project.pages,
            config_name: name,
            translations: Vec::new(),
        };
        project.nav = match config.get("navigation") {
            Some(Value::Array(groups)) => {
                // mint.json: a list of groups; tabs claim the groups under their url.
                let nav = reader.entries(groups, "group");
                legacy_tabs(nav, config.get("tabs"))
            }
            Some(navigation @ Value::Object(_)) => flatten(reader.level(navigation)),
            _ => {
                report.note(format!(
                    "`{name}` has no `navigation`: pages follow their folders."
                ));
                super::generic::folder_nav(&docs_root, &project.pages, Path::new(""))
            }
        };
        let translations = std::mem::take(&mut reader.translations);
        if !translations.is_empty() {
            // A book has one language: the other languages' pages are left out.
            let mut listed = Vec::new();
            nav_pages(&project.nav, &mut listed);
            let mut names = Vec::new();
            let mut left_out = 0;
            for (language, pages) in translations {
                names.push(format!("`{language}`"));
                for page in pages {
                    if !listed.contains(&page) && project.pages.contains(&page) {
                        project.pages.retain(|p| p != &page);
                        left_out += 1;
                    }
                }
            }
            report.note(format!(
                "Translations ({}, {left_out} pages) are not imported: a book has one language (import each language into a book of its own).",
                names.join(", ")
            ));
        }
        project.home = first_page(&project.nav).or_else(|| super::generic::home(&project.pages));
        project.redirects = redirects(&config, &text, name);
        Ok(project)
    }

    fn convert_markdown(&self, page: &mut PageBody<'_>, body: &str, report: &mut Report) -> String {
        // Mintlify reads `.md` pages as MDX too.
        super::mdx::convert_page(page, body, report)
    }
}

/// Reads navigation entries, finding each page's file.
struct NavReader<'a> {
    root: &'a Path,
    pages: &'a [PathBuf],
    config_name: &'a str,
    /// Each other language's name and the pages its navigation lists.
    translations: Vec<(String, Vec<PathBuf>)>,
}

impl NavReader<'_> {
    /// The entries of one navigation object: the first list-holding key it has.
    fn level(&mut self, object: &Value) -> Vec<NavItem> {
        for (key, label_key) in LEVELS {
            let Some(Value::Array(entries)) = object.get(key) else {
                continue;
            };
            if key == "languages" || key == "versions" {
                return self.alternatives(entries, label_key, key == "languages");
            }
            return self.entries(entries, label_key);
        }
        Vec::new()
    }

    /// Languages or versions: the default one's entries at the top; each other version as a
    /// part of its own, each other language set aside (its pages are left out).
    fn alternatives(
        &mut self,
        entries: &[Value],
        label_key: &str,
        languages: bool,
    ) -> Vec<NavItem> {
        let default = entries
            .iter()
            .position(|e| e.get("default").and_then(Value::as_bool) == Some(true))
            .unwrap_or(0);
        let mut nav = Vec::new();
        if let Some(first) = entries.get(default) {
            nav = self.level(first);
        }
        for (i, entry) in entries.iter().enumerate() {
            if i == default {
                continue;
            }
            let title = entry
                .get(label_key)
                .or_else(|| entry.get("$refName"))
                .and_then(Value::as_str)
                .unwrap_or(label_key)
                .to_string();
            let items = self.level(entry);
            if languages {
                let mut pages = Vec::new();
                nav_pages(&items, &mut pages);
                self.translations.push((title, pages));
                continue;
            }
            if !items.is_empty() {
                nav.push(NavItem::Group {
                    title,
                    index: None,
                    items,
                });
            }
        }
        nav
    }

    /// A list of entries: page paths, or objects with a title and entries of their own.
    fn entries(&mut self, entries: &[Value], label_key: &str) -> Vec<NavItem> {
        let mut nav = Vec::new();
        for entry in entries {
            match entry {
                Value::String(page) => nav.push(self.page(page)),
                Value::Object(object) => {
                    if let Some(item) = self.object(object, entry, label_key) {
                        nav.push(item);
                    }
                }
                _ => {}
            }
        }
        nav
    }

    /// One object entry: a group (tab, anchor, …) or an external link.
    fn object(
        &mut self,
        object: &Map<String, Value>,
        entry: &Value,
        label_key: &str,
    ) -> Option<NavItem> {
        let title = [
            label_key, "group", "tab", "anchor", "dropdown", "product", "item", "name",
        ]
        .iter()
        .find_map(|k| object.get(*k).and_then(Value::as_str))
        .map(str::to_string);
        let items = self.level(entry);
        let index = object
            .get("root")
            .and_then(Value::as_str)
            .and_then(|root| self.find(root));
        if items.is_empty() && index.is_none() {
            let label = title.unwrap_or_default();
            return match object.get("href").and_then(Value::as_str) {
                Some(href) => Some(NavItem::Unplaced {
                    label,
                    why: format!("a link to `{href}`, not a page"),
                }),
                None if object.contains_key("openapi") || object.contains_key("asyncapi") => {
                    Some(NavItem::Unplaced {
                        label,
                        why: "pages generated from an API specification are not imported".into(),
                    })
                }
                None => None,
            };
        }
        match title {
            Some(title) => Some(NavItem::Group {
                title,
                index,
                items,
            }),
            None => {
                // An untitled wrapper (a tab without a name): its entries stand in its place.
                Some(NavItem::Group {
                    title: String::new(),
                    index,
                    items,
                })
            }
        }
    }

    /// A page given by its path without extension (`guides/intro`).
    fn page(&mut self, path: &str) -> NavItem {
        match self.find(path) {
            Some(found) => NavItem::Page {
                path: found,
                label: None,
            },
            None => NavItem::Unplaced {
                label: path.to_string(),
                why: format!("`{}` lists it, but there is no such page", self.config_name),
            },
        }
    }

    /// The page file for a navigation path.
    fn find(&self, path: &str) -> Option<PathBuf> {
        let path = path.trim().trim_start_matches('/');
        let path = path
            .strip_suffix(".mdx")
            .or_else(|| path.strip_suffix(".md"))
            .unwrap_or(path);
        ["mdx", "md"]
            .iter()
            .map(|ext| PathBuf::from(format!("{path}.{ext}")))
            .chain(
                ["index.mdx", "index.md"]
                    .iter()
                    .map(|i| Path::new(path).join(i)),
            )
            .find(|candidate| self.pages.contains(candidate) || self.root.join(candidate).is_file())
    }
}

/// Replaces `{"$ref": "./part.json"}` with that file's content (other keys kept beside it);
/// the file's name is kept as `$refName`, a language's or version's label when it has none.
fn resolve_refs(value: &mut Value, dir: &Path, depth: usize, report: &mut Report) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(reference)) = object.get("$ref").cloned()
                && depth < 16
            {
                let file = dir.join(&reference);
                match std::fs::read_to_string(&file)
                    .ok()
                    .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                {
                    Some(mut loaded) => {
                        let sub_dir = file.parent().unwrap_or(dir).to_path_buf();
                        resolve_refs(&mut loaded, &sub_dir, depth + 1, report);
                        object.remove("$ref");
                        let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned());
                        match loaded {
                            Value::Object(loaded) => {
                                for (key, val) in loaded {
                                    object.entry(key).or_insert(val);
                                }
                                if let Some(stem) = stem {
                                    object.insert("$refName".into(), Value::String(stem));
                                }
                            }
                            other if object.is_empty() => {
                                *value = other;
                                return;
                            }
                            _ => {}
                        }
                    }
                    None => report.note(format!(
                        "`{reference}` (a `$ref` of the configuration) could not be read: left out"
                    )),
                }
            }
            for child in object.values_mut() {
                resolve_refs(child, dir, depth, report);
            }
        }
        Value::Array(items) => {
            for item in items {
                resolve_refs(item, dir, depth, report);
            }
        }
        _ => {}
    }
}

/// Untitled groups (a wrapper without a name) replaced by their entries.
fn flatten(nav: Vec<NavItem>) -> Vec<NavItem> {
    let mut out = Vec::new();
    for item in nav {
        match item {
            NavItem::Group {
                title,
                index: None,
                items,
            } if title.is_empty() => {
                out.extend(flatten(items));
            }
            NavItem::Group {
                title,
                index,
                items,
            } => out.push(NavItem::Group {
                title: if title.is_empty() {
                    "Pages".into()
                } else {
                    title
                },
                index,
                items: flatten(items),
            }),
            other => out.push(other),
        }
    }
    out
}

/// mint.json's tabs: `{ "name": "API", "url": "api-reference" }` claims the groups whose
/// first page lies under `api-reference/`.
fn legacy_tabs(nav: Vec<NavItem>, tabs: Option<&Value>) -> Vec<NavItem> {
    let nav = flatten(nav);
    let Some(Value::Array(tabs)) = tabs else {
        return nav;
    };
    let mut rest = nav;
    let mut out_tabs = Vec::new();
    for tab in tabs {
        let (Some(name), Some(url)) = (
            tab.get("name").and_then(Value::as_str),
            tab.get("url").and_then(Value::as_str),
        ) else {
            continue;
        };
        let prefix = format!("{}/", url.trim_matches('/'));
        let (claimed, kept): (Vec<NavItem>, Vec<NavItem>) = rest.into_iter().partition(|item| {
            first_page(std::slice::from_ref(item))
                .is_some_and(|p| p.to_string_lossy().starts_with(&prefix))
        });
        rest = kept;
        if !claimed.is_empty() {
            out_tabs.push(NavItem::Group {
                title: name.to_string(),
                index: None,
                items: claimed,
            });
        }
    }
    rest.extend(out_tabs);
    rest
}

/// Every page a navigation lists.
fn nav_pages(nav: &[NavItem], out: &mut Vec<PathBuf>) {
    for item in nav {
        match item {
            NavItem::Page { path, .. } => out.push(path.clone()),
            NavItem::Group { index, items, .. } => {
                out.extend(index.iter().cloned());
                nav_pages(items, out);
            }
            NavItem::Unplaced { .. } => {}
        }
    }
}

/// The first page of a navigation, depth first.
fn first_page(nav: &[NavItem]) -> Option<PathBuf> {
    nav.iter().find_map(|item| match item {
        NavItem::Page { path, .. } => Some(path.clone()),
        NavItem::Group {
            index: Some(index), ..
        } => Some(index.clone()),
        NavItem::Group { items, .. } => first_page(items),
        NavItem::Unplaced { .. } => None,
    })
}

/// `redirects: [{ "source": "/old", "destination": "/new" }]`, with the line of each.
fn redirects(config: &Value, text: &str, name: &str) -> Vec<SourceRedirect> {
    let Some(Value::Array(rules)) = config.get("redirects") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut search_from = 0;
    for rule in rules {
        let (Some(from), Some(to)) = (
            rule.get("source").and_then(Value::as_str),
            rule.get("destination").and_then(Value::as_str),
        ) else {
            continue;
        };
        let needle = serde_json::to_string(from).unwrap_or_default();
        let at = text[search_from..]
            .find(&needle)
            .map_or(0, |i| search_from + i);
        search_from = at;
        let line = text[..at].matches('\n').count() + 1;
        out.push(SourceRedirect {
            from: from.to_string(),
            to: to.to_string(),
            origin: (PathBuf::from(name), line),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, files: &[(&str, &str)]) {
        for (file, text) in files {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    fn page(p: &str) -> NavItem {
        NavItem::Page {
            path: p.into(),
            label: None,
        }
    }

    #[test]
    fn docs_json_tabs_groups_roots_and_nesting() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                (
                    "docs.json",
                    r#"{"name": "Acme", "navigation": {"tabs": [
                    {"tab": "Guides", "groups": [
                        {"group": "Start", "pages": ["index", "quickstart",
                            {"group": "CLI", "root": "cli/index", "pages": ["cli/install"]}]}]},
                    {"tab": "Blog", "href": "https://example.com"}]},
                  "redirects": [{"source": "/old", "destination": "/quickstart"}]}"#,
                ),
                ("index.mdx", "# Home\n"),
                ("quickstart.mdx", "# Quick\n"),
                ("cli/index.mdx", "# CLI\n"),
                ("cli/install.md", "# Install\n"),
                ("snippets/a.mdx", "Shared.\n"),
            ],
        );
        let mut report = Report::default();
        let project = Mintlify.read(dir.path(), &mut report).unwrap();
        assert_eq!(project.title.as_deref(), Some("Acme"));
        assert!(!project.pages.contains(&PathBuf::from("snippets/a.mdx")));
        assert_eq!(
            flatten(project.nav),
            [
                NavItem::Group {
                    title: "Guides".into(),
                    index: None,
                    items: vec![NavItem::Group {
                        title: "Start".into(),
                        index: None,
                        items: vec![
                            page("index.mdx"),
                            page("quickstart.mdx"),
                            NavItem::Group {
                                title: "CLI".into(),
                                index: Some("cli/index.mdx".into()),
                                items: vec![page("cli/install.md")],
                            }
                        ]
                    }]
                },
                NavItem::Unplaced {
                    label: "Blog".into(),
                    why: "a link to `https://example.com`, not a page".into()
                },
            ]
        );
        assert_eq!(project.redirects.len(), 1);
        assert_eq!(project.redirects[0].origin.1, 6);
    }

    #[test]
    fn mint_json_groups_and_tabs() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[
                (
                    "mint.json",
                    r#"{"name": "Old", "tabs": [{"name": "API", "url": "api"}],
                  "navigation": [{"group": "API", "pages": ["api/a"]}, {"group": "Intro", "pages": ["intro"]}]}"#,
                ),
                ("intro.mdx", "# Intro\n"),
                ("api/a.mdx", "# A\n"),
            ],
        );
        let project = Mintlify.read(dir.path(), &mut Report::default()).unwrap();
        assert_eq!(
            project.nav,
            [
                NavItem::Group {
                    title: "Intro".into(),
                    index: None,
                    items: vec![page("intro.mdx")]
                },
                NavItem::Group {
                    title: "API".into(),
                    index: None,
                    items: vec![NavItem::Group {
                        title: "API".into(),
                        index: None,
                        items: vec![page("api/a.mdx")]
                    }]
                },
            ]
        );
    }
}
