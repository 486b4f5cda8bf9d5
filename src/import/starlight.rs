//! Starlight: `astro.config.*` → a [`Project`]; its Markdown → ours.
//!
//! The options of `starlight({…})` are read statically ([`super::js`]): `title` (a string or
//! one per language), `description`, `locales` (other languages' folders are left out),
//! `sidebar` (slugs as strings, `{ slug }`, `{ link }`, groups with `items`, and
//! `{ autogenerate: { directory } }`, which lists a folder by `sidebar.order`, then name).
//! Pages are in `src/content/docs/`, files served at the root in `public/`, and relative
//! links resolve against the page's URL, which ends in `/`. Bodies: asides (`:::note[Title]`,
//! `:::tip{icon="…"}`, `:::caution`, `:::danger`) are our dialect already; code-fence
//! metadata (`title="…"`, `{2-4}`, `ins=`, `frame=`) is reduced to the language.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::links::Index;
use super::{Adapter, LinkBase, NavItem, PageBody, Project, Report, Tool};

/// The Starlight adapter.
pub(crate) struct Starlight;

impl Adapter for Starlight {
    fn read(&self, source: &Path, report: &mut Report) -> anyhow::Result<Project> {
        let (name, text) = super::detect::ASTRO_CONFIGS
            .iter()
            .find_map(|name| Some((*name, std::fs::read_to_string(source.join(name)).ok()?)))
            .ok_or_else(|| anyhow::anyhow!("no `astro.config.mjs` in `{}`", source.display()))?;
        let config = super::js::evaluate(&text, name);
        let astro = match config.get("$args").and_then(|a| a.get(0)) {
            Some(inner) if config.get("$call").is_some() => inner.clone(),
            _ => config.clone(),
        };
        let options = super::js::find_call(&config, "starlight")
            .cloned()
            .unwrap_or_else(|| {
                report.note(
                    "The `starlight({…})` options could not be read: the folders give the order.",
                );
                Value::Null
            });
        let docs_root = source.join("src/content/docs");
        let mut project = Project::new(Tool::Starlight, source, &docs_root);
        project.link_base = LinkBase::Url;
        project.title = match options.get("title") {
            Some(Value::String(title)) => Some(title.clone()),
            Some(Value::Object(by_language)) => by_language
                .get("en")
                .or_else(|| by_language.values().next())
                .and_then(Value::as_str)
                .map(str::to_string),
            _ => None,
        };
        project.description = options
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Some(base) = astro.get("base").and_then(Value::as_str) {
            project.url_base = base.to_string();
        }
        let mut skip: Vec<PathBuf> = Vec::new();
        if let Some(locales) = options.get("locales").and_then(Value::as_object) {
            let default = options
                .get("defaultLocale")
                .and_then(Value::as_str)
                .unwrap_or("root");
            for key in locales
                .keys()
                .filter(|k| k.as_str() != "root" && k.as_str() != default)
            {
                skip.push(PathBuf::from(key));
            }
            if !skip.is_empty() {
                let names: Vec<String> =
                    skip.iter().map(|p| format!("`{}/`", p.display())).collect();
                report.note(format!(
                    "Translations in {} are not imported: a book has one language (import each language into a book of its own).",
                    names.join(", ")
                ));
            }
        }
        project.pages = super::generic::find_pages(&docs_root, &skip);
        project.home = super::generic::home(&project.pages);
        project.public_dir = Some(source.join("public")).filter(|p| p.is_dir());
        let index = Index::new(project.pages.iter().map(PathBuf::as_path), &[]);
        project.nav = match options.get("sidebar").and_then(Value::as_array) {
            Some(items) => sidebar_items(items, &project, &index),
            None => super::generic::folder_nav(&docs_root, &project.pages, Path::new("")),
        };
        Ok(project)
    }

    fn convert_markdown(&self, page: &mut PageBody<'_>, body: &str, report: &mut Report) -> String {
        let _ = page;
        super::vitepress::code_extras(body, report)
    }
}

fn sidebar_items(items: &[Value], project: &Project, index: &Index) -> Vec<NavItem> {
    let mut out = Vec::new();
    for item in items {
        let label = item
            .get("label")
            .and_then(Value::as_str)
            .map(str::to_string);
        let slug = item
            .as_str()
            .or_else(|| item.get("slug").and_then(Value::as_str))
            .map(str::to_string);
        if let Some(slug) = slug {
            match index.page(&slug) {
                Some(path) => out.push(NavItem::Page {
                    path: path.clone(),
                    label,
                }),
                None => out.push(NavItem::Unplaced {
                    label: label.unwrap_or_else(|| slug.clone()),
                    why: format!("`{slug}` is not a page of the guide"),
                }),
            }
            continue;
        }
        if let Some(link) = item.get("link").and_then(Value::as_str) {
            let label = label.unwrap_or_else(|| link.to_string());
            let base = project.url_base.trim_matches('/');
            let rooted = link.trim_start_matches('/');
            let rooted = rooted
                .strip_prefix(base)
                .filter(|_| !base.is_empty())
                .unwrap_or(rooted);
            match (!crate::urls::is_external(link))
                .then(|| index.page(rooted))
                .flatten()
            {
                Some(path) => out.push(NavItem::Page {
                    path: path.clone(),
                    label: Some(label),
                }),
                None => out.push(NavItem::Unplaced {
                    label,
                    why: format!("`{link}` is not a page of the guide"),
                }),
            }
            continue;
        }
        let generated = item
            .get("autogenerate")
            .and_then(|a| a.get("directory"))
            .and_then(Value::as_str)
            .map(|dir| {
                super::generic::folder_nav(
                    &project.docs_root,
                    &project.pages,
                    Path::new(dir.trim_matches('/')),
                )
            });
        let children = match (item.get("items").and_then(Value::as_array), generated) {
            (Some(items), _) => sidebar_items(items, project, index),
            (None, Some(generated)) => generated,
            (None, None) => continue,
        };
        match label {
            Some(title) => out.push(NavItem::Group {
                title,
                index: None,
                items: children,
            }),
            // An unlabelled `{ autogenerate }` lists its pages in place.
            None => out.extend(children),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sidebar_forms() {
        let dir = tempfile::tempdir().unwrap();
        for file in [
            "src/content/docs/index.mdx",
            "src/content/docs/start.md",
            "src/content/docs/guides/a.md",
            "src/content/docs/guides/b.md",
            "src/content/docs/de/start.md",
        ] {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let order = if file.ends_with("a.md") {
                "---\nsidebar:\n  order: 2\n---\n"
            } else {
                ""
            };
            std::fs::write(path, order).unwrap();
        }
        std::fs::write(
            dir.path().join("astro.config.mjs"),
            "import starlight from '@astrojs/starlight';\nexport default defineConfig({ integrations: [starlight({ title: { en: 'Docs' }, locales: { root: { label: 'English' }, de: { label: 'Deutsch' } }, sidebar: ['start', { label: 'Guides', autogenerate: { directory: 'guides' } }, { label: 'Out', link: 'https://x.org' }] })] });",
        )
        .unwrap();
        let mut report = Report::default();
        let project = Starlight.read(dir.path(), &mut report).unwrap();
        assert_eq!(project.title.as_deref(), Some("Docs"));
        assert!(!project.pages.iter().any(|p| p.starts_with("de")));
        let page = |p: &str, l: Option<&str>| NavItem::Page {
            path: p.into(),
            label: l.map(Into::into),
        };
        assert_eq!(
            project.nav,
            [
                page("start.md", None),
                NavItem::Group {
                    title: "Guides".into(),
                    index: None,
                    items: vec![page("guides/a.md", None), page("guides/b.md", None)]
                },
                NavItem::Unplaced {
                    label: "Out".into(),
                    why: "`https://x.org` is not a page of the guide".into()
                },
            ]
        );
    }
}
