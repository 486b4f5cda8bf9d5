//! VitePress: `.vitepress/config.*` → a [`Project`]; its Markdown → ours.
//!
//! The configuration is read statically ([`super::js`]): `srcDir`, `title`, `description`,
//! `rewrites` (prefix patterns such as `'en/:rest*': ':rest*'`), `locales` (other languages'
//! folders are left out: a book has one language) and `themeConfig.sidebar` (an array, or an
//! object of sidebars by path prefix, with `base`); without a readable sidebar, the folders
//! give the order. Bodies: `::: code-group` → tabs, `::: raw`/`::: v-pre` unwrapped,
//! `[[toc]]` dropped, `<<< @/file` snippets and `<!--@include: …-->` inlined, fence extras
//! (`ts{4}`, `:line-numbers`, `[label]`) and `// [!code …]` markers removed, `<Badge>` → code
//! text, `<script setup>` and `<style>` blocks dropped; other Vue components are reported.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::links::{self, Index};
use super::markdown::{code_fence, directive, fence_language, line_end, lines};
use super::{Adapter, NavItem, PageBody, Project, Report, Tool};

/// The VitePress adapter.
pub(crate) struct VitePress;

const CONFIG_NAMES: [&str; 6] = [
    "config.mts",
    "config.ts",
    "config.mjs",
    "config.js",
    "config.cts",
    "config.cjs",
];

impl Adapter for VitePress {
    fn read(&self, source: &Path, report: &mut Report) -> anyhow::Result<Project> {
        let dot = source.join(".vitepress");
        let mut files: Vec<(String, String)> = Vec::new();
        let main = CONFIG_NAMES
            .iter()
            .map(|name| dot.join(name))
            .chain(
                CONFIG_NAMES
                    .iter()
                    .map(|name| dot.join("config").join(name.replace("config", "index"))),
            )
            .find(|p| p.is_file());
        if let Some(main) = &main {
            push_file(&mut files, main);
            // A config split into files beside it (`.vitepress/config/en.ts`).
            if main.parent().is_some_and(|p| p.ends_with("config")) {
                for entry in std::fs::read_dir(main.parent().unwrap_or(&dot))
                    .into_iter()
                    .flatten()
                    .flatten()
                {
                    if entry.path() != *main {
                        push_file(&mut files, &entry.path());
                    }
                }
            }
        } else {
            report.note("No `.vitepress/config.*` found: the folders give the order.");
        }
        let values = super::js::evaluate_files(&files);
        let config = values.first().cloned().unwrap_or(Value::Null);
        let config = unwrap_call(&config);
        let src_dir = config.get("srcDir").and_then(Value::as_str).unwrap_or(".");
        let docs_root = crate::paths::lexical(&crate::paths::absolute(&source.join(src_dir)));
        let mut project = Project::new(Tool::Vitepress, source, &docs_root);
        project.title = config
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_string);
        project.description = config
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string);

        // Additional configs (`config.ts` beside the pages, per locale).
        let mut extra_files = files.clone();
        for dir in std::iter::once(docs_root.clone()).chain(
            std::fs::read_dir(&docs_root)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_dir()),
        ) {
            for name in CONFIG_NAMES {
                let path = dir.join(name);
                if path.is_file() {
                    push_file(&mut extra_files, &path);
                }
            }
        }
        let all = super::js::evaluate_files(&extra_files);
        let root_additional = all
            .iter()
            .skip(files.len())
            .zip(extra_files.iter().skip(files.len()))
            .find(|(_, (name, _))| Path::new(name).parent() == Some(docs_root.as_path()))
            .map(|(value, _)| unwrap_call(value).clone());
        if project.description.is_none() {
            project.description = root_additional
                .as_ref()
                .and_then(|c| c.get("description"))
                .and_then(Value::as_str)
                .map(str::to_string);
        }

        // Other languages' folders.
        let mut skip = vec![PathBuf::from("public")];
        if let Some(locales) = config.get("locales").and_then(Value::as_object) {
            for (key, locale) in locales {
                if key == "root" {
                    continue;
                }
                let dir = locale
                    .get("link")
                    .and_then(Value::as_str)
                    .unwrap_or(key)
                    .trim_matches('/')
                    .to_string();
                skip.push(PathBuf::from(&dir));
            }
            if skip.len() > 1 {
                let names: Vec<String> = skip[1..]
                    .iter()
                    .map(|p| format!("`{}/`", p.display()))
                    .collect();
                report.note(format!(
                    "Translations in {} are not imported: a book has one language (import each language into a book of its own).",
                    names.join(", ")
                ));
            }
        }
        project.pages = super::generic::find_pages(&docs_root, &skip);
        project.public_dir = Some(docs_root.join("public")).filter(|p| p.is_dir());
        if let Some(base) = config.get("base").and_then(Value::as_str) {
            project.url_base = base.to_string();
        }

        // Routes after `rewrites`.
        let rewrites: Vec<(String, String)> = config
            .get("rewrites")
            .and_then(Value::as_object)
            .map(|map| {
                map.iter()
                    .filter_map(|(from, to)| Some((from.clone(), to.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        for page in &project.pages {
            let path = links::slashed(page);
            if let Some(route) = rewrite(&rewrites, &path) {
                project.routes.push((route, page.clone()));
            }
        }
        let index = Index::new(project.pages.iter().map(PathBuf::as_path), &project.routes);
        project.home = index.page("").cloned();

        let theme = config
            .get("themeConfig")
            .filter(|t| t.get("sidebar").is_some())
            .or_else(|| root_additional.as_ref().and_then(|c| c.get("themeConfig")));
        let sidebar = theme.and_then(|t| t.get("sidebar"));
        let nav_bar = theme.and_then(|t| t.get("nav"));
        project.nav = match sidebar {
            Some(Value::Array(items)) => sidebar_items(items, "", &index),
            Some(Value::Object(by_path)) => by_path
                .iter()
                .filter(|(prefix, _)| {
                    !skip
                        .iter()
                        .skip(1)
                        .any(|s| prefix.trim_matches('/').starts_with(&*s.to_string_lossy()))
                })
                .map(|(prefix, value)| {
                    let (base, items) = match value {
                        Value::Array(items) => (prefix.as_str(), items.as_slice()),
                        Value::Object(o) => (
                            o.get("base")
                                .and_then(Value::as_str)
                                .unwrap_or(prefix.as_str()),
                            o.get("items")
                                .and_then(Value::as_array)
                                .map(Vec::as_slice)
                                .unwrap_or(&[]),
                        ),
                        _ => (prefix.as_str(), &[][..]),
                    };
                    NavItem::Group {
                        title: nav_title(nav_bar, prefix),
                        index: index
                            .page(prefix)
                            .filter(|p| project.home.as_ref() != Some(*p))
                            .cloned(),
                        items: sidebar_items(items, base, &index),
                    }
                })
                .collect(),
            _ => {
                report.note("No `themeConfig.sidebar` could be read: the folders give the order.");
                super::generic::folder_nav(&docs_root, &project.pages, Path::new(""))
            }
        };
        Ok(project)
    }

    fn convert_markdown(&self, page: &mut PageBody<'_>, body: &str, report: &mut Report) -> String {
        let included = includes(body, page, report, 0);
        let text = snippets(&included, page, report);
        let text = containers(&text, page, report);
        let text = code_extras(&text, report);
        vue(&text, page, report)
    }
}

fn push_file(files: &mut Vec<(String, String)>, path: &Path) {
    if let Ok(text) = std::fs::read_to_string(path) {
        files.push((path.to_string_lossy().into_owned(), text));
    }
}

/// The options inside `defineConfig({…})` (or the object itself).
fn unwrap_call(value: &Value) -> &Value {
    match value.get("$args").and_then(|a| a.get(0)) {
        Some(inner) if value.get("$call").is_some() => unwrap_call(inner),
        _ => value,
    }
}

/// A path after VitePress `rewrites` of the form `'prefix/:rest*': 'other/:rest*'` (or an
/// exact path).
fn rewrite(rewrites: &[(String, String)], path: &str) -> Option<String> {
    for (from, to) in rewrites {
        if let Some((from_prefix, _)) = from.split_once(':') {
            let to_prefix = to.split_once(':').map_or(to.as_str(), |(p, _)| p);
            if let Some(rest) = path.strip_prefix(from_prefix) {
                return Some(format!("{to_prefix}{rest}"));
            }
        } else if from == path {
            return Some(to.clone());
        }
    }
    None
}

/// The title of a sidebar for `prefix`: the top navigation's entry that leads there, else
/// the prefix made readable.
fn nav_title(nav: Option<&Value>, prefix: &str) -> String {
    fn find(items: &[Value], prefix: &str) -> Option<String> {
        items.iter().find_map(|item| {
            let text = item.get("text").and_then(Value::as_str);
            let matches = ["link", "activeMatch"].iter().any(|key| {
                item.get(*key).and_then(Value::as_str).is_some_and(|l| {
                    l.starts_with(prefix)
                        || prefix.starts_with(l.trim_end_matches('/')) && l.len() > 1
                })
            });
            if matches && let Some(text) = text {
                return Some(text.to_string());
            }
            find(item.get("items").and_then(Value::as_array)?, prefix)
        })
    }
    nav.and_then(Value::as_array)
        .and_then(|items| find(items, prefix))
        .unwrap_or_else(|| {
            crate::config::humanize(prefix.trim_matches('/').rsplit('/').next().unwrap_or(""))
        })
}

fn sidebar_items(items: &[Value], base: &str, index: &Index) -> Vec<NavItem> {
    items
        .iter()
        .filter_map(|item| {
            let text = item
                .get("text")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let base = item.get("base").and_then(Value::as_str).unwrap_or(base);
            let link = item.get("link").and_then(Value::as_str).map(|link| {
                if link.starts_with('/') || crate::urls::is_external(link) {
                    link.to_string()
                } else {
                    format!("{base}{link}")
                }
            });
            let children = item.get("items").and_then(Value::as_array);
            let page = link.as_deref().and_then(|l| {
                if crate::urls::is_external(l) {
                    None
                } else {
                    index.page(l.split('#').next().unwrap_or(l)).cloned()
                }
            });
            match (children, page, &link) {
                (Some(children), page, _) => Some(NavItem::Group {
                    title: text,
                    index: page,
                    items: sidebar_items(children, base, index),
                }),
                (None, Some(path), _) => Some(NavItem::Page {
                    path,
                    label: Some(text),
                }),
                (None, None, Some(link)) => Some(NavItem::Unplaced {
                    label: text,
                    why: format!("`{link}` is not a page of the guide"),
                }),
                (None, None, None) => None,
            }
        })
        .collect()
}

/// A path VitePress writes in a page: `@/x` from the source folder, else from `dir`.
fn snippet_path(page: &PageBody<'_>, dir: &Path, written: &str) -> PathBuf {
    match written.strip_prefix("@/") {
        Some(rest) => page.project.docs_root.join(rest),
        None => dir.join(written),
    }
}

/// `<!--@include: ./part.md-->` (with `{3,10}` line ranges or `#region`) inlined.
fn includes(text: &str, page: &mut PageBody<'_>, report: &mut Report, depth: usize) -> String {
    let dir = page
        .project
        .docs_root
        .join(page.path.parent().unwrap_or(Path::new("")));
    let mut out = String::with_capacity(text.len());
    for line in lines(text) {
        let trimmed = line.text.trim();
        let spec = trimmed
            .strip_prefix("<!--@include:")
            .and_then(|s| s.strip_suffix("-->"))
            .map(str::trim);
        match spec.filter(|_| !line.in_code && depth < 10) {
            Some(spec) => {
                let (path, selector) = split_selector(spec);
                let file = snippet_path(page, &dir, path);
                match std::fs::read_to_string(&file) {
                    Ok(content) => {
                        let content = select(&content, selector);
                        let nested = includes(&content, page, report, depth + 1);
                        out.push_str(&nested);
                        if !nested.ends_with('\n') {
                            out.push('\n');
                        }
                        page.included.push(crate::paths::lexical(&file));
                        report.mapped("`<!--@include: …-->`", "the file's text, inlined");
                    }
                    Err(_) => {
                        let at = page.at(text, line.start);
                        report.not_mapped(
                            &page.report_path,
                            at,
                            format!("`{path}` cannot be read: the include is left as written"),
                        );
                        out.push_str(line.text);
                    }
                }
            }
            None => out.push_str(line.text),
        }
    }
    out
}

/// `file#region{1,3}` / `file{3,}` → the path and the selector after it.
fn split_selector(spec: &str) -> (&str, &str) {
    let at = spec.find(['#', '{']).unwrap_or(spec.len());
    (&spec[..at], &spec[at..])
}

/// The part of `content` a selector names: `#region` (between `#region name` and
/// `#endregion`), `{3,10}`, `{3,}`, `{,10}`; everything otherwise.
fn select(content: &str, selector: &str) -> String {
    let all: Vec<&str> = content.lines().collect();
    let mut chosen: Vec<&str> = all.clone();
    if let Some(region) = selector.strip_prefix('#') {
        let name = region.split('{').next().unwrap_or("").trim();
        let is = |line: &str, marker: &str| {
            line.split_once(marker).is_some_and(|(_, rest)| {
                rest.split_whitespace()
                    .next()
                    .is_some_and(|n| n.trim_end_matches("-->").trim() == name)
            })
        };
        if let Some(start) = all.iter().position(|l| is(l, "#region")) {
            let end = all[start + 1..]
                .iter()
                .position(|l| is(l, "#endregion"))
                .map_or(all.len(), |e| start + 1 + e);
            chosen = all[start + 1..end].to_vec();
        }
    } else if let Some(range) = selector.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
        && let Some((a, b)) = range.split_once(',')
    {
        let start = a.trim().parse::<usize>().unwrap_or(1).max(1) - 1;
        let end = b
            .trim()
            .parse::<usize>()
            .unwrap_or(all.len())
            .min(all.len());
        chosen = all
            .get(start..end.max(start))
            .map(<[&str]>::to_vec)
            .unwrap_or_default();
    }
    let mut out = chosen
        .into_iter()
        .filter(|l| !l.contains("#region") && !l.contains("#endregion"))
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

/// `<<< @/snippets/a.ts#region{2 ts:line-numbers} [label]` → a fenced code block.
fn snippets(text: &str, page: &mut PageBody<'_>, report: &mut Report) -> String {
    let dir = page
        .project
        .docs_root
        .join(page.path.parent().unwrap_or(Path::new("")));
    let mut out = String::with_capacity(text.len());
    for line in lines(text) {
        let trimmed = line.text.trim();
        let Some(spec) = trimmed.strip_prefix("<<<").filter(|_| !line.in_code) else {
            out.push_str(line.text);
            continue;
        };
        let spec = spec.trim();
        let (spec, label) = match spec.rfind(" [") {
            Some(at) if spec.ends_with(']') => (&spec[..at], Some(&spec[at + 2..spec.len() - 1])),
            _ => (spec, None),
        };
        let (path, selector) = split_selector(spec);
        let language_override = selector
            .split_once('{')
            .and_then(|(_, inside)| inside.strip_suffix('}'))
            .and_then(|inside| {
                inside
                    .split_whitespace()
                    .find(|w| w.chars().next().is_some_and(char::is_alphabetic))
            })
            .map(|w| w.split(':').next().unwrap_or(w).to_string());
        let region = selector.split('{').next().unwrap_or("");
        let file = snippet_path(page, &dir, path.trim());
        match std::fs::read_to_string(&file) {
            Ok(content) => {
                let content = select(&content, region);
                let language = language_override.unwrap_or_else(|| {
                    file.extension()
                        .map(|e| e.to_string_lossy().into_owned())
                        .unwrap_or_default()
                });
                let fence = "`".repeat(longest_backticks(&content).max(2) + 1);
                let label = label.map(|l| format!(" [{l}]")).unwrap_or_default();
                out.push_str(&format!(
                    "{fence}{language}{label}\n{content}{fence}{}",
                    line_end(line.text)
                ));
                page.included.push(crate::paths::lexical(&file));
                report.mapped("`<<< @/file` snippet", "a code block with the file's text");
            }
            Err(_) => {
                let at = page.at(text, line.start);
                report.not_mapped(
                    &page.report_path,
                    at,
                    format!("snippet `{path}` cannot be read: left as written"),
                );
                out.push_str(line.text);
            }
        }
    }
    out
}

fn longest_backticks(text: &str) -> usize {
    text.lines()
        .map(|l| l.trim_start().chars().take_while(|c| *c == '`').count())
        .max()
        .unwrap_or(0)
}

/// `::: code-group` → tabs; `::: raw` and `::: v-pre` unwrapped; `[[toc]]` dropped.
fn containers(text: &str, page: &PageBody<'_>, report: &mut Report) -> String {
    let all = lines(text);
    let mut out = String::with_capacity(text.len());
    // Open containers: (colons, what to write when it closes: `None` drops the line,
    // `Some("")` keeps it as written).
    let mut open: Vec<(usize, Option<String>)> = Vec::new();
    let mut i = 0;
    while i < all.len() {
        let line = all[i];
        i += 1;
        if line.in_code {
            out.push_str(line.text);
            continue;
        }
        if line.text.trim() == "[[toc]]" {
            let at = page.at(text, line.start);
            report.not_mapped(
                &page.report_path,
                at,
                "`[[toc]]` dropped: every page has its table of contents beside it",
            );
            continue;
        }
        let Some((colons, kind, _rest)) = directive(line.text) else {
            out.push_str(line.text);
            continue;
        };
        let indent: String = line
            .text
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        if kind.is_empty() {
            // A closing fence: the innermost container it closes.
            if let Some(at) = open.iter().rposition(|(n, _)| colons >= *n) {
                let (_, closing) = open.remove(at);
                open.truncate(at);
                match closing.as_deref() {
                    Some("") => out.push_str(line.text),
                    Some(closing) => {
                        out.push_str(&format!("{indent}{closing}{}", line_end(line.text)));
                    }
                    None => {}
                }
                continue;
            }
            out.push_str(line.text);
            continue;
        }
        match kind {
            "code-group" => {
                // The group's fences, each a tab.
                let depth = colons.max(4);
                out.push_str(&format!(
                    "{indent}{}tabs{}",
                    ":".repeat(depth),
                    line_end(line.text)
                ));
                report.mapped("`::: code-group`", "`::::tabs`");
                open.push((colons, Some(":".repeat(depth))));
                // Convert fences until the group closes.
                while i < all.len() {
                    let inner = all[i];
                    if !inner.in_code
                        && directive(inner.text)
                            .is_some_and(|(n, k, _)| k.is_empty() && n >= colons)
                    {
                        break;
                    }
                    i += 1;
                    if let Some((marker, len, info)) =
                        code_fence(inner.text).filter(|_| inner.in_code)
                    {
                        let label = info
                            .rfind('[')
                            .and_then(|at| info[at + 1..].strip_suffix(']'))
                            .map(str::to_string)
                            .unwrap_or_else(|| fence_language(info).to_string());
                        let language = fence_language(info);
                        out.push_str(&format!(
                            "{indent}:::tab {}\n",
                            if label.is_empty() { "Code" } else { &label }
                        ));
                        let fence_indent: String = inner
                            .text
                            .chars()
                            .take_while(|c| *c == ' ' || *c == '\t')
                            .collect();
                        out.push_str(&format!(
                            "{fence_indent}{}{language}\n",
                            marker.to_string().repeat(len)
                        ));
                        // The body and closing fence.
                        while i < all.len() {
                            let body = all[i];
                            i += 1;
                            out.push_str(body.text);
                            if !body.text.ends_with('\n') {
                                out.push('\n');
                            }
                            if code_fence(body.text).is_some_and(|(m, n, rest)| {
                                m == marker && n >= len && rest.is_empty()
                            }) {
                                break;
                            }
                        }
                        out.push_str(&format!("{indent}:::\n"));
                        continue;
                    }
                    if !inner.text.trim().is_empty() {
                        out.push_str(inner.text);
                    }
                }
            }
            "raw" | "v-pre" => {
                report.mapped(format!("`::: {kind}`"), "its content, unwrapped");
                open.push((colons, None));
            }
            _ => {
                out.push_str(line.text);
                open.push((colons, Some(String::new())));
            }
        }
    }
    out
}

/// Fence extras (`ts{4}`, `:line-numbers`, `[label]`, `title="…"`) and `[!code …]` markers.
pub(crate) fn code_extras(text: &str, report: &mut Report) -> String {
    let mut out = String::with_capacity(text.len());
    let mut open: Option<(char, usize)> = None;
    let mut markers = 0;
    for line in text.split_inclusive('\n') {
        match (open, code_fence(line)) {
            (None, Some((marker, len, info))) => {
                open = Some((marker, len));
                let language = fence_language(info);
                if info != language {
                    let prefix = &line[..line.find(info).unwrap_or(0)];
                    out.push_str(prefix);
                    out.push_str(language);
                    out.push_str(line_end(line));
                    report.mapped(
                        "fence extras (`ts{4}`, `:line-numbers`, `title=`)",
                        "the language only",
                    );
                    continue;
                }
            }
            (Some((marker, len)), Some((m, n, info)))
                if m == marker && n >= len && info.is_empty() =>
            {
                open = None;
            }
            (Some(_), _) if line.contains("[!code") => {
                if let Some(cleaned) = without_code_marker(line) {
                    markers += 1;
                    out.push_str(&cleaned);
                    continue;
                }
            }
            _ => {}
        }
        out.push_str(line);
    }
    report.mapped_n("`[!code …]` marker in code", "left out", markers);
    out
}

/// A code line without its `// [!code ++]` (or `#`, `<!-- -->`, `/* */`) marker.
fn without_code_marker(line: &str) -> Option<String> {
    let at = line.find("[!code")?;
    let end = at + line[at..].find(']')? + 1;
    let before = line[..at].trim_end();
    let (before, after_skip) = if let Some(b) = before.strip_suffix("<!--") {
        (
            b,
            line[end..]
                .trim_start()
                .strip_prefix("-->")
                .map_or(end, |r| line.len() - r.len()),
        )
    } else if let Some(b) = before.strip_suffix("/*") {
        (
            b,
            line[end..]
                .trim_start()
                .strip_prefix("*/")
                .map_or(end, |r| line.len() - r.len()),
        )
    } else if let Some(b) = before.strip_suffix("//") {
        (b, end)
    } else if let Some(b) = before.strip_suffix('#') {
        (b, end)
    } else {
        (before, end)
    };
    let mut cleaned = before.trim_end().to_string();
    cleaned.push_str(line[after_skip..].trim_end_matches(['\n', '\r']).trim_end());
    cleaned.push_str(line_end(line));
    Some(cleaned)
}

/// `<Badge>` → code text; `<script setup>` and `<style>` blocks go; other Vue components
/// and `{{ … }}` interpolations are reported.
fn vue(text: &str, page: &PageBody<'_>, report: &mut Report) -> String {
    let all = lines(text);
    let mut out = String::with_capacity(text.len());
    let mut skipping: Option<&str> = None;
    let mut used_ids: Vec<String> = Vec::new();
    for line in &all {
        if line.in_code {
            out.push_str(line.text);
            continue;
        }
        let trimmed = line.text.trim_start();
        if let Some(end) = skipping {
            if trimmed.contains(end) {
                skipping = None;
            }
            continue;
        }
        for (open, close) in [("<script", "</script>"), ("<style", "</style>")] {
            if trimmed.starts_with(open) && skipping.is_none() {
                let at = page.at(text, line.start);
                report.not_mapped(
                    &page.report_path,
                    at,
                    format!("`{open}>` block of the page's Vue code dropped"),
                );
                if !trimmed.contains(close) {
                    skipping = Some(close);
                }
            }
        }
        if skipping.is_some() || trimmed.starts_with("<script") || trimmed.starts_with("<style") {
            continue;
        }
        let mut converted = badges(line.text, report);
        let is_heading = {
            let t = line.text.trim_start();
            let hashes = t.chars().take_while(|c| *c == '#').count();
            (1..=6).contains(&hashes) && t[hashes..].starts_with([' ', '\t'])
        };
        if is_heading && crate::attributes::trailing(converted.trim_end()).is_none() {
            // Keep the id VitePress gives the heading (links use it) where ours differs.
            let original = line.text.trim().trim_start_matches('#');
            let base = vitepress_slug(&heading_text(&strip_tags(original)));
            let ours = github_slug(&heading_text(converted.trim().trim_start_matches('#')));
            let mut id = base.clone();
            let mut n = 1;
            while used_ids.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            used_ids.push(id.clone());
            if !id.is_empty() && id != ours {
                let end = converted.trim_end().len();
                converted.insert_str(end, &format!(" {{#{id}}}"));
                report.mapped(
                    "heading whose id VitePress writes otherwise",
                    "`{#id}` with VitePress's id",
                );
            }
        }
        if let Some(at) = super::markdown::component_at(&converted) {
            let place = page.at(text, line.start + at.min(line.text.len()));
            let name: String = converted[at + 1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-')
                .collect();
            report.not_mapped(
                &page.report_path,
                place,
                format!(
                    "Vue component `<{name}>` has no equivalent: left as HTML, which shows nothing"
                ),
            );
        }
        if converted.contains("{{") && converted.contains("}}") && !converted.contains('`') {
            let place = page.at(text, line.start);
            report.not_mapped(
                &page.report_path,
                place,
                "Vue interpolation `{{ … }}` is shown as written",
            );
        }
        out.push_str(&converted);
    }
    out
}

/// The text of a heading as slugs see it: no code marks, emphasis marks or link targets.
fn heading_text(markdown: &str) -> String {
    let mut out = String::new();
    let mut chars = markdown.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' | '*' => {}
            ']' if chars.peek() == Some(&'(') => {
                for c in chars.by_ref() {
                    if c == ')' {
                        break;
                    }
                }
            }
            '[' => {}
            c => out.push(c),
        }
    }
    out.trim().to_string()
}

/// The id VitePress gives a heading (`@mdit-vue`'s slugify): runs of spaces and punctuation
/// become one `-`, accents go, a leading digit gets `_`, lower case.
fn vitepress_slug(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    const SPECIAL: &str = "~`!@#$%^&*()-_+=[]{}|\\;:\"'“”‘’<>,.?/";
    let mut slug = String::new();
    for c in text.nfkd() {
        if ('\u{300}'..='\u{36f}').contains(&c) || c.is_control() {
            continue;
        }
        if c.is_whitespace() || SPECIAL.contains(c) {
            if !slug.ends_with('-') {
                slug.push('-');
            }
        } else {
            slug.extend(c.to_lowercase());
        }
    }
    let slug = slug.trim_matches('-').to_string();
    if slug.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{slug}")
    } else {
        slug
    }
}

/// The id guidebook gives a heading (GitHub's rule): lower case, letters, digits, `-` and
/// `_` kept, spaces become `-`, the rest goes.
fn github_slug(text: &str) -> String {
    let mut slug = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            slug.extend(c.to_lowercase());
        } else if c == ' ' {
            slug.push('-');
        }
    }
    slug
}

/// `text` without HTML tags.
fn strip_tags(text: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// `<Badge type="tip" text="v1.2" />` and `<Badge type="tip">v1.2</Badge>` → `` `v1.2` ``.
fn badges(line: &str, report: &mut Report) -> String {
    let mut out = line.to_string();
    while let Some(at) = out.find("<Badge") {
        let Some(end) = out[at..].find('>').map(|e| at + e + 1) else {
            break;
        };
        let tag = &out[at..end];
        let text_attr = tag
            .split_once("text=\"")
            .and_then(|(_, r)| r.split('"').next())
            .map(str::to_string);
        let (text, whole_end) = if tag.ends_with("/>") {
            (text_attr.unwrap_or_default(), end)
        } else if let Some(close) = out[end..].find("</Badge>") {
            (
                text_attr.unwrap_or_else(|| out[end..end + close].trim().to_string()),
                end + close + "</Badge>".len(),
            )
        } else {
            (text_attr.unwrap_or_default(), end)
        };
        let replacement = if text.is_empty() {
            String::new()
        } else {
            format!("`{text}`")
        };
        out.replace_range(at..whole_end, &replacement);
        report.mapped("`<Badge>`", "code text");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body<'a>(project: &'a Project, path: &'a Path) -> PageBody<'a> {
        PageBody {
            project,
            path,
            report_path: path.to_path_buf(),
            first_line: 1,
            included: Vec::new(),
            title: None,
        }
    }

    #[test]
    fn code_groups_become_tabs() {
        let project = Project::new(Tool::Vitepress, Path::new("/x"), Path::new("/x"));
        let path = PathBuf::from("a.md");
        let page = body(&project, &path);
        let mut report = Report::default();
        let text = "::: code-group\n\n```sh [npm]\nnpm i\n```\n\n```sh [pnpm]\npnpm i\n```\n\n:::\n\n::: tip Hi\nx\n:::\n\n::: raw\nraw\n:::\n[[toc]]\n";
        let out = containers(text, &page, &mut report);
        assert_eq!(
            out,
            "::::tabs\n:::tab npm\n```sh\nnpm i\n```\n:::\n:::tab pnpm\n```sh\npnpm i\n```\n:::\n::::\n\n::: tip Hi\nx\n:::\n\nraw\n"
        );
        assert_eq!(report.count(super::super::EntryKind::NotMapped), 1);
    }

    #[test]
    fn snippets_and_includes_are_inlined() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("snippets")).unwrap();
        std::fs::write(
            dir.path().join("snippets/a.js"),
            "// #region one\nconst a = 1\n// #endregion one\nconst b = 2\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("part.md"), "l1\nl2\nl3\n").unwrap();
        let project = Project::new(Tool::Vitepress, dir.path(), dir.path());
        let path = PathBuf::from("guide.md");
        let mut page = body(&project, &path);
        let mut report = Report::default();
        let out = snippets(
            "<<< @/snippets/a.js#one{1 ts} [Label]\n<<< ./snippets/a.js\n",
            &mut page,
            &mut report,
        );
        assert_eq!(
            out,
            "```ts [Label]\nconst a = 1\n```\n```js\nconst a = 1\nconst b = 2\n```\n"
        );
        let out = includes(
            "<!--@include: ./part.md{2,}-->\n",
            &mut page,
            &mut report,
            0,
        );
        assert_eq!(out, "l2\nl3\n");
        assert_eq!(page.included.len(), 3);
    }

    #[test]
    fn code_extras_go() {
        let mut report = Report::default();
        let out = code_extras(
            "```ts{2}\nconst a = 1 // [!code ++]\nb # [!code focus]\n<p/> <!-- [!code error] -->\n```\n",
            &mut report,
        );
        assert_eq!(out, "```ts\nconst a = 1\nb\n<p/>\n```\n");
    }

    #[test]
    fn badges_scripts_and_components() {
        let project = Project::new(Tool::Vitepress, Path::new("/x"), Path::new("/x"));
        let path = PathBuf::from("a.md");
        let page = body(&project, &path);
        let mut report = Report::default();
        let out = vue(
            "<script setup>\nimport X from './X.vue'\n</script>\n\n## `useData` <Badge type=\"tip\" text=\"^1.2\" />\n<Badge>beta</Badge>\n<MyDemo />\n",
            &page,
            &mut report,
        );
        assert_eq!(
            out,
            "\n## `useData` `^1.2` {#usedata}\n`beta`\n<MyDemo />\n"
        );
        assert_eq!(report.count(super::super::EntryKind::NotMapped), 2);
    }

    #[test]
    fn rewrites_by_prefix() {
        let rules = [("en/:rest*".to_string(), ":rest*".to_string())];
        assert_eq!(
            rewrite(&rules, "en/guide/a.md").as_deref(),
            Some("guide/a.md")
        );
        assert_eq!(rewrite(&rules, "zh/a.md"), None);
    }
}
