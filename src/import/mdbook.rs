//! mdBook: `book.toml` and `SUMMARY.md` → a [`Project`]; its Markdown → ours.
//!
//! The summary's parts (`# Part`) become parts, a chapter with sub-chapters becomes a part
//! whose page is that chapter, draft chapters (`[Title]()`) are reported, and prefix and
//! suffix chapters stay at the top level. Bodies: `{{#include}}` (whole files, `:anchor`,
//! line ranges), `{{#rustdoc_include}}` and `{{#playground}}` are inlined, `{{#title}}` sets
//! the title, mdbook-admonish fences become callouts, hidden `# ` lines of Rust examples go,
//! and fence attributes such as `rust,ignore` are reduced to the language.

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use super::markdown::{code_fence, line_end, lines};
use super::{Adapter, EntryKind, NavItem, PageBody, Project, Report, SourceRedirect, Tool};

/// The mdBook adapter.
pub(crate) struct MdBook;

/// How deep includes may nest.
const MAX_INCLUDE_DEPTH: usize = 10;

impl Adapter for MdBook {
    fn read(&self, source: &Path, report: &mut Report) -> anyhow::Result<Project> {
        let config_path = source.join("book.toml");
        let text = std::fs::read_to_string(&config_path)
            .map_err(|e| anyhow::anyhow!("could not read `{}`: {e}", config_path.display()))?;
        let config: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            anyhow::anyhow!("book.toml is not valid TOML: {}", e.message())
        })?;
        let book = config.get("book").and_then(toml::Value::as_table);
        let src = book
            .and_then(|b| b.get("src"))
            .and_then(toml::Value::as_str)
            .unwrap_or("src");
        let docs_root = source.join(src);
        let mut project = Project::new(Tool::Mdbook, source, &docs_root);
        project.title = book
            .and_then(|b| b.get("title"))
            .and_then(toml::Value::as_str)
            .map(str::to_string);
        project.description = book
            .and_then(|b| b.get("description"))
            .and_then(toml::Value::as_str)
            .map(str::to_string);
        project.authors = book
            .and_then(|b| b.get("authors"))
            .and_then(toml::Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        project.language = book
            .and_then(|b| b.get("language"))
            .and_then(toml::Value::as_str)
            .map(str::to_string);
        project.repository_url = config
            .get("output")
            .and_then(|o| o.get("html"))
            .and_then(|h| h.get("git-repository-url"))
            .and_then(toml::Value::as_str)
            .map(str::to_string);
        project.pages = super::generic::find_pages(&docs_root, &[])
            .into_iter()
            .filter(|p| p != Path::new("SUMMARY.md"))
            .collect();
        project.home = super::generic::home(&project.pages);
        let summary_path = docs_root.join("SUMMARY.md");
        let summary = std::fs::read_to_string(&summary_path)
            .map_err(|e| anyhow::anyhow!("could not read `{}`: {e}", summary_path.display()))?;
        project.nav = summary_nav(&summary);
        let redirect = config
            .get("output")
            .and_then(|o| o.get("html"))
            .and_then(|h| h.get("redirect"))
            .and_then(toml::Value::as_table);
        for (from, to) in redirect.into_iter().flatten() {
            let line = text
                .lines()
                .position(|l| l.contains(from.as_str()))
                .map_or(0, |i| i + 1);
            match to.as_str() {
                Some(to) => project.redirects.push(SourceRedirect {
                    // mdBook reads `page.html` as `/page.html`.
                    from: if from.starts_with('/') {
                        from.clone()
                    } else {
                        format!("/{from}")
                    },
                    to: to.to_string(),
                    origin: (PathBuf::from("book.toml"), line),
                }),
                None => report.not_mapped(
                    Path::new("book.toml"),
                    (line, 0),
                    format!("redirect `{from}` has no address: left out"),
                ),
            }
        }
        if config
            .get("preprocessor")
            .and_then(|p| p.get("admonish"))
            .is_some()
        {
            report.mapped("mdbook-admonish preprocessor", "callouts");
        }
        Ok(project)
    }

    fn convert_markdown(&self, page: &mut PageBody<'_>, body: &str, report: &mut Report) -> String {
        let dir = page
            .project
            .docs_root
            .join(page.path.parent().unwrap_or(Path::new("")));
        let expanded = expand(body, &dir, page, report, 0);
        let admonished = admonitions(&expanded, page, report);
        let converted = code_blocks(&admonished, report);
        report_components(&converted, page, report);
        converted
    }
}

/// Tags of preprocessors and themes (`<Listing>`): left as HTML, each reported.
fn report_components(text: &str, page: &PageBody<'_>, report: &mut Report) {
    for line in lines(text).into_iter().filter(|l| !l.in_code) {
        if let Some(at) = super::markdown::component_at(line.text) {
            let name: String = line.text[at + 1..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '-')
                .collect();
            let place = page.at(text, line.start + at);
            report.not_mapped(
                &page.report_path,
                place,
                format!(
                    "`<{name}>` (a preprocessor's or theme's tag) has no equivalent: left as HTML"
                ),
            );
        }
    }
}

/// The navigation `SUMMARY.md` describes.
pub(crate) fn summary_nav(summary: &str) -> Vec<NavItem> {
    struct Chapter {
        title: String,
        path: Option<PathBuf>,
        children: Vec<NavItem>,
    }
    #[derive(Default)]
    struct Frame {
        items: Vec<NavItem>,
        current: Option<Chapter>,
    }
    fn to_nav(chapter: Chapter) -> NavItem {
        match (chapter.path, chapter.children.is_empty()) {
            (Some(path), true) => NavItem::Page {
                path,
                label: Some(chapter.title),
            },
            (index, false) => NavItem::Group {
                title: chapter.title,
                index,
                items: chapter.children,
            },
            (None, true) => NavItem::Unplaced {
                label: chapter.title,
                why: "a draft chapter, with no file yet".into(),
            },
        }
    }
    let mut out: Vec<NavItem> = Vec::new();
    let mut part: Option<(String, Vec<NavItem>)> = None;
    let mut frames: Vec<Frame> = Vec::new();
    let mut heading: Option<String> = None;
    let mut seen_chapter = false;
    let mut seen_title = false;
    // A link outside lists: a prefix or suffix chapter.
    let mut loose: Option<Chapter> = None;
    let mut capturing = false;
    let flush = |out: &mut Vec<NavItem>, part: &mut Option<(String, Vec<NavItem>)>| {
        if let Some((title, items)) = part.take() {
            out.push(NavItem::Group {
                title,
                index: None,
                items,
            });
        }
    };
    for event in Parser::new(summary) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => {
                let title = heading.take().unwrap_or_default();
                if !seen_chapter && !seen_title {
                    seen_title = true;
                } else {
                    flush(&mut out, &mut part);
                    part = Some((title, Vec::new()));
                }
            }
            Event::Start(Tag::List(_)) => frames.push(Frame::default()),
            Event::End(TagEnd::List(_)) => {
                let frame = frames.pop().unwrap_or_default();
                match frames.last_mut() {
                    Some(parent) => match parent.current.as_mut() {
                        Some(chapter) => chapter.children.extend(frame.items),
                        None => parent.items.extend(frame.items),
                    },
                    None => match part.as_mut() {
                        Some((_, items)) => items.extend(frame.items),
                        None => out.extend(frame.items),
                    },
                }
            }
            Event::Start(Tag::Item) => {
                if let Some(frame) = frames.last_mut() {
                    frame.current = Some(Chapter {
                        title: String::new(),
                        path: None,
                        children: Vec::new(),
                    });
                }
            }
            Event::End(TagEnd::Item) => {
                if let Some(frame) = frames.last_mut()
                    && let Some(chapter) = frame.current.take()
                    && (!chapter.title.is_empty() || !chapter.children.is_empty())
                {
                    frame.items.push(to_nav(chapter));
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                seen_chapter = true;
                let path = chapter_path(&dest_url);
                match frames.last_mut() {
                    Some(frame) => {
                        if let Some(chapter) = frame.current.as_mut()
                            && chapter.title.is_empty()
                            && chapter.path.is_none()
                        {
                            chapter.path = path;
                            capturing = true;
                        }
                    }
                    None => {
                        loose = Some(Chapter {
                            title: String::new(),
                            path,
                            children: Vec::new(),
                        });
                        capturing = true;
                    }
                }
            }
            Event::End(TagEnd::Link) => {
                capturing = false;
                if let Some(chapter) = loose.take() {
                    // A suffix chapter ends the part before it.
                    flush(&mut out, &mut part);
                    out.push(to_nav(chapter));
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&text);
                } else if capturing {
                    match (
                        loose.as_mut(),
                        frames.last_mut().and_then(|f| f.current.as_mut()),
                    ) {
                        (Some(chapter), _) | (None, Some(chapter)) => chapter.title.push_str(&text),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    flush(&mut out, &mut part);
    out
}

fn chapter_path(dest: &str) -> Option<PathBuf> {
    let path = dest.split('#').next().unwrap_or("").trim();
    (!path.is_empty()).then(|| PathBuf::from(crate::urls::decode(path).trim_start_matches("./")))
}

/// The body with `{{#include}}`, `{{#rustdoc_include}}`, `{{#playground}}` and `{{#title}}`
/// done; `dir` is the folder of the file the text is from.
fn expand(
    text: &str,
    dir: &Path,
    page: &mut PageBody<'_>,
    report: &mut Report,
    depth: usize,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut consumed = 0;
    while let Some(at) = rest.find("{{#") {
        let Some(len) = rest[at..].find("}}") else {
            break;
        };
        let escaped = rest[..at].ends_with('\\');
        let inner = &rest[at + 3..at + len];
        let whole_end = at + len + 2;
        if escaped {
            out.push_str(&rest[..at - 1]);
            out.push_str(&rest[at..whole_end]);
            consumed += whole_end;
            rest = &rest[whole_end..];
            continue;
        }
        out.push_str(&rest[..at]);
        let offset = consumed + at;
        let (name, args) = inner
            .trim()
            .split_once(char::is_whitespace)
            .unwrap_or((inner.trim(), ""));
        let args = args.trim();
        match name {
            "include" | "rustdoc_include" | "playground" => match include(args, dir, name) {
                Ok((file, included)) => {
                    let file_dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
                    let inlined = if depth < MAX_INCLUDE_DEPTH
                        && file.extension().is_some_and(|e| e == "md")
                    {
                        expand(&included, &file_dir, page, report, depth + 1)
                    } else {
                        included
                    };
                    if name == "playground" {
                        let attrs = args.split_whitespace().skip(1).collect::<Vec<_>>();
                        out.push_str("```rust\n");
                        out.push_str(&inlined);
                        if !inlined.ends_with('\n') {
                            out.push('\n');
                        }
                        out.push_str("```");
                        if !attrs.is_empty() {
                            report
                                .mapped("`{{#playground}}` attributes", "left out (no playground)");
                        }
                    } else {
                        out.push_str(inlined.strip_suffix('\n').unwrap_or(&inlined));
                    }
                    page.included.push(crate::paths::lexical(&file));
                    report.mapped(format!("`{{{{#{name}}}}}`"), "the file's text, inlined");
                }
                Err(why) => {
                    let place = if depth == 0 {
                        page.at(text, offset)
                    } else {
                        (0, 0)
                    };
                    let within = if depth == 0 {
                        ""
                    } else {
                        " (in an included file)"
                    };
                    report.not_mapped(
                        &page.report_path,
                        place,
                        format!("`{{{{#{name} {args}}}}}`{within}: {why}; left as written"),
                    );
                    out.push_str(&rest[at..whole_end]);
                }
            },
            "title" => {
                page.title = Some(args.to_string());
                report.mapped("`{{#title}}`", "`title` in the front matter");
            }
            _ => {
                let place = page.at(text, offset);
                report.entry(
                    EntryKind::NotMapped,
                    &page.report_path,
                    place,
                    format!(
                        "`{{{{#{name}}}}}` is not an mdBook helper guidebook knows: left as text"
                    ),
                );
                out.push_str(&rest[at..whole_end]);
            }
        }
        consumed += whole_end;
        rest = &rest[whole_end..];
    }
    out.push_str(rest);
    out
}

/// The text an include names: `file`, `file:anchor`, `file:10`, `file:10:20`, `file:10:`,
/// `file::20`, with the `ANCHOR` marker lines left out.
fn include(args: &str, dir: &Path, name: &str) -> Result<(PathBuf, String), String> {
    let spec = if name == "playground" {
        args.split_whitespace().next().unwrap_or("")
    } else {
        args
    };
    let mut pieces = spec.splitn(2, ':');
    let file = pieces.next().unwrap_or("").trim();
    let selector = pieces.next().map(str::trim);
    if file.is_empty() {
        return Err("no file named".into());
    }
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).map_err(|_| format!("`{file}` cannot be read"))?;
    let all: Vec<&str> = text.lines().collect();
    let selected: Vec<&str> = match selector {
        None | Some("") => all.clone(),
        Some(selector) => {
            let (a, b) = match selector.split_once(':') {
                Some((a, b)) => (a.trim(), Some(b.trim())),
                None => (selector, None),
            };
            let number = |s: &str| s.parse::<usize>().ok();
            match (a, b) {
                (a, None) if number(a).is_some() => {
                    let n = number(a).unwrap_or(1).max(1);
                    all.get(n - 1..n).map(<[&str]>::to_vec).unwrap_or_default()
                }
                (a, Some(b))
                    if (a.is_empty() || number(a).is_some())
                        && (b.is_empty() || number(b).is_some()) =>
                {
                    let start = number(a).unwrap_or(1).max(1) - 1;
                    let end = number(b).unwrap_or(all.len()).min(all.len());
                    all.get(start..end.max(start))
                        .map(<[&str]>::to_vec)
                        .unwrap_or_default()
                }
                (anchor, _) => {
                    let is_marker = |line: &str, marker: &str| {
                        line.split_once(marker).is_some_and(|(_, rest)| {
                            let name: String = rest
                                .trim_start()
                                .chars()
                                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                                .collect();
                            name == anchor
                        })
                    };
                    let start = all
                        .iter()
                        .position(|l| is_marker(l, "ANCHOR:"))
                        .ok_or_else(|| format!("`{file}` has no anchor `{anchor}`"))?;
                    let end = all[start + 1..]
                        .iter()
                        .position(|l| is_marker(l, "ANCHOR_END:"))
                        .map_or(all.len(), |i| start + 1 + i);
                    all[start + 1..end].to_vec()
                }
            }
        }
    };
    let kept: Vec<&str> = selected
        .into_iter()
        .filter(|l| !l.contains("ANCHOR:") && !l.contains("ANCHOR_END:"))
        .collect();
    let mut out = kept.join("\n");
    out.push('\n');
    Ok((path, out))
}

/// The admonish kinds (and their aliases) and our callouts.
fn admonish_kind(kind: &str) -> &'static str {
    match kind {
        "note" | "abstract" | "summary" | "tldr" | "example" | "quote" | "cite" => "note",
        "info" | "todo" | "question" | "help" | "faq" => "info",
        "tip" | "hint" | "success" | "check" | "done" => "tip",
        "important" => "important",
        "warning" | "attention" => "warning",
        "caution" => "caution",
        "failure" | "fail" | "missing" | "danger" | "error" | "bug" => "danger",
        _ => "note",
    }
}

/// mdbook-admonish fences (```` ```admonish warning "Title" ````) → callouts.
fn admonitions(text: &str, page: &PageBody<'_>, report: &mut Report) -> String {
    let all = lines(text);
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < all.len() {
        let line = all[i];
        let Some((marker, len, info)) = code_fence(line.text)
            .filter(|(_, _, info)| info.split_whitespace().next() == Some("admonish"))
        else {
            out.push_str(line.text);
            i += 1;
            continue;
        };
        // The closing fence: the same marker, at least as long, nothing else.
        let close = all[i + 1..].iter().position(|l| {
            code_fence(l.text)
                .is_some_and(|(m, n, rest)| m == marker && n >= len && rest.is_empty())
        });
        let Some(close) = close.map(|c| i + 1 + c) else {
            out.push_str(line.text);
            i += 1;
            continue;
        };
        let (kind, title, collapsible) = admonish_info(info);
        let ours = admonish_kind(&kind);
        report.mapped(format!("mdbook-admonish `{kind}`"), format!(":::{ours}"));
        if collapsible {
            let at = page.at(text, line.start);
            report.not_mapped(&page.report_path, at, "`collapsible=true` on one admonition: rendered open (set `collapsible` on the kind in book.toml to close them all)");
        }
        let inner: String = all[i + 1..close].iter().map(|l| l.text).collect();
        let colons = ":".repeat(deepest_colons(&inner).max(2) + 1);
        let indent: String = line
            .text
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        out.push_str(&format!("{indent}{colons}{ours}"));
        if let Some(title) = title.filter(|t| !t.is_empty()) {
            out.push(' ');
            out.push_str(&title);
        }
        out.push('\n');
        out.push_str(&inner);
        if !inner.is_empty() && !inner.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&format!("{indent}{colons}{}", line_end(all[close].text)));
        i = close + 1;
    }
    out
}

/// The longest run of `:` opening a line of `text`.
fn deepest_colons(text: &str) -> usize {
    text.lines()
        .map(|l| l.trim_start().chars().take_while(|c| *c == ':').count())
        .max()
        .unwrap_or(0)
}

/// `admonish warning "Title"`, `admonish info title="T" collapsible=true` → kind, title,
/// collapsible.
fn admonish_info(info: &str) -> (String, Option<String>, bool) {
    let rest = info.trim_start_matches("admonish").trim();
    let (kind, rest) = match rest.split_once(char::is_whitespace) {
        Some((kind, rest)) if !kind.contains('=') && !kind.starts_with('"') => {
            (kind.to_string(), rest.trim())
        }
        None if !rest.is_empty() && !rest.contains('=') => (rest.to_string(), ""),
        _ => ("note".to_string(), rest),
    };
    let mut title = None;
    let mut collapsible = false;
    if let Some(quoted) = rest.strip_prefix('"') {
        title = quoted.split('"').next().map(str::to_string);
    }
    for (key, value) in key_values(rest) {
        match key.as_str() {
            "title" => title = Some(value),
            "collapsible" => collapsible = value == "true",
            _ => {}
        }
    }
    (kind, title, collapsible)
}

fn key_values(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq]
            .split_whitespace()
            .last()
            .unwrap_or("")
            .to_string();
        let after = &rest[eq + 1..];
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted.find('"').unwrap_or(quoted.len());
            (
                quoted[..end].to_string(),
                &quoted[(end + 1).min(quoted.len())..],
            )
        } else {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            (after[..end].to_string(), &after[end..])
        };
        out.push((key, value));
        rest = next;
    }
    out
}

/// Fences: `rust,ignore` → `rust`; in Rust examples, the lines mdBook hides (`# `) go.
fn code_blocks(text: &str, report: &mut Report) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rust = false;
    let mut open: Option<(char, usize)> = None;
    let mut hidden = 0;
    for line in text.split_inclusive('\n') {
        match (open, code_fence(line)) {
            (None, Some((marker, len, info))) => {
                open = Some((marker, len));
                let language = super::markdown::fence_language(info);
                rust = language == "rust";
                if !info.is_empty() && info != language {
                    let prefix_len = line.find(info).unwrap_or(0);
                    out.push_str(&line[..prefix_len]);
                    out.push_str(language);
                    out.push_str(line_end(line));
                    report.mapped(
                        format!("fence attributes `{info}`"),
                        format!("`{language}`"),
                    );
                    continue;
                }
            }
            (Some((marker, len)), Some((m, n, info)))
                if m == marker && n >= len && info.is_empty() =>
            {
                open = None;
                rust = false;
            }
            (Some(_), _) if rust => {
                let trimmed = line.trim_start();
                if trimmed == "#\n" || trimmed == "#" || trimmed.starts_with("# ") {
                    hidden += 1;
                    continue;
                }
                if let Some(rest) = trimmed.strip_prefix("##") {
                    let indent = &line[..line.len() - trimmed.len()];
                    out.push_str(indent);
                    out.push('#');
                    out.push_str(rest);
                    continue;
                }
            }
            _ => {}
        }
        out.push_str(line);
    }
    report.mapped_n("hidden line of a Rust example (`# `)", "left out", hidden);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page<'a>(project: &'a Project, path: &'a Path) -> PageBody<'a> {
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
    fn summary_parts_nesting_drafts_prefix_and_suffix() {
        let nav = summary_nav(
            "# Summary\n\n[Introduction](README.md)\n\n# User Guide\n\n\
             - [Install](guide/install.md)\n- [Reading](guide/reading.md)\n  \
             - [Nested](guide/nested.md)\n- [Later]()\n\n# Reference\n\n\
             - [CLI](cli/README.md)\n\n---\n\n[Contributors](misc/contributors.md)\n",
        );
        let page = |p: &str, l: &str| NavItem::Page {
            path: p.into(),
            label: Some(l.into()),
        };
        assert_eq!(
            nav,
            [
                page("README.md", "Introduction"),
                NavItem::Group {
                    title: "User Guide".into(),
                    index: None,
                    items: vec![
                        page("guide/install.md", "Install"),
                        NavItem::Group {
                            title: "Reading".into(),
                            index: Some("guide/reading.md".into()),
                            items: vec![page("guide/nested.md", "Nested")],
                        },
                        NavItem::Unplaced {
                            label: "Later".into(),
                            why: "a draft chapter, with no file yet".into()
                        },
                    ],
                },
                NavItem::Group {
                    title: "Reference".into(),
                    index: None,
                    items: vec![page("cli/README.md", "CLI")],
                },
                page("misc/contributors.md", "Contributors"),
            ]
        );
    }

    #[test]
    fn includes_by_anchor_and_lines() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("code.rs"),
            "// ANCHOR: all\nfn a() {}\n// ANCHOR: inner-1\nfn b() {}\n// ANCHOR_END: inner-1\nfn c() {}\n// ANCHOR_END: all\n",
        )
        .unwrap();
        let project = Project::new(Tool::Mdbook, dir.path(), dir.path());
        let path = PathBuf::from("a.md");
        let mut body = page(&project, &path);
        let mut report = Report::default();
        let text = "```rust\n{{#include code.rs:inner-1}}\n```\n{{#include code.rs:2:2}}\n{{#include code.rs:all}}\n\\{{#include x}}\n{{#title Hi}}{{#include missing.rs}}\n";
        let out = expand(text, dir.path(), &mut body, &mut report, 0);
        assert_eq!(
            out,
            "```rust\nfn b() {}\n```\nfn a() {}\nfn a() {}\nfn b() {}\nfn c() {}\n{{#include x}}\n{{#include missing.rs}}\n"
        );
        assert_eq!(body.title.as_deref(), Some("Hi"));
        assert_eq!(report.count(EntryKind::NotMapped), 1);
        assert_eq!(report.entries[0].line, 7);
    }

    #[test]
    fn admonish_fences_become_callouts() {
        let project = Project::new(Tool::Mdbook, Path::new("/x"), Path::new("/x"));
        let path = PathBuf::from("a.md");
        let body = page(&project, &path);
        let mut report = Report::default();
        let text = "````admonish warning \"Mind the gap\"\nText with\n```rust\ncode\n```\n````\n\n```admonish success title=\"Done\" collapsible=true\nYes\n```\n\n```admonish\nPlain\n```\n";
        let out = admonitions(text, &body, &mut report);
        assert_eq!(
            out,
            ":::warning Mind the gap\nText with\n```rust\ncode\n```\n:::\n\n:::tip Done\nYes\n:::\n\n:::note\nPlain\n:::\n"
        );
        assert_eq!(report.count(EntryKind::NotMapped), 1);
    }

    #[test]
    fn rust_fences_lose_hidden_lines_and_attributes() {
        let mut report = Report::default();
        let out = code_blocks(
            "```rust,ignore\n# use x;\nfn main() {}\n## not hidden\n```\n```text\n# kept\n```\n",
            &mut report,
        );
        assert_eq!(
            out,
            "```rust\nfn main() {}\n# not hidden\n```\n```text\n# kept\n```\n"
        );
    }
}
