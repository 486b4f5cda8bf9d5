//! Links and images of imported pages: found with pulldown-cmark (with their byte ranges,
//! so only the destination changes and the rest of the text stays as written), resolved the
//! way the source tool resolves them (no extension, `.mdx`, `.html`, `index.html`,
//! `README.md`, folders, paths from the docs root), and rewritten to relative `.md` links to
//! the pages' new files, or to the assets' new places. Raw HTML `src` and `href` values are
//! rewritten to the built site's paths, since the build leaves raw HTML as written.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{Event, Options, Parser, Tag};

use super::{LinkBase, Project, Report};

/// The pages of a source, by every form a link may name them with.
#[derive(Debug, Default)]
pub(crate) struct Index {
    by_key: HashMap<String, PathBuf>,
}

impl Index {
    /// Indexes `pages` (relative to the docs root), with extra routes (such as absolute slugs,
    /// from the docs root) per page.
    pub(crate) fn new<'a>(
        pages: impl IntoIterator<Item = &'a Path>,
        routes: &[(String, PathBuf)],
    ) -> Self {
        let mut index = Self::default();
        let pages: Vec<&Path> = pages.into_iter().collect();
        for page in &pages {
            index.add(key(&slashed(page)), page);
        }
        for (route, page) in routes {
            index.add(key(route), page);
        }
        // Docusaurus and Starlight drop number prefixes (`01-intro.md` is at `/intro`).
        for page in &pages {
            index.add(key(&without_number_prefixes(&slashed(page))), page);
        }
        index
    }

    fn add(&mut self, key: String, page: &Path) {
        self.by_key.entry(key).or_insert_with(|| page.to_path_buf());
    }

    /// The page a path from the docs root names.
    pub(crate) fn page(&self, path: &str) -> Option<&PathBuf> {
        self.by_key.get(&key(path))
    }
}

/// `a\b` → `a/b`.
pub(crate) fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The form of a path every way of naming the same page shares: no extension, no trailing
/// `/`, no `index`/`README` at the end.
pub(crate) fn key(path: &str) -> String {
    let mut path = path.trim_matches('/').to_string();
    for ext in [".md", ".mdx", ".markdown", ".html", ".htm"] {
        if path.to_ascii_lowercase().ends_with(ext) {
            path.truncate(path.len() - ext.len());
            break;
        }
    }
    let last = path.rsplit('/').next().unwrap_or("");
    if ["index", "readme", "_index"].contains(&last.to_ascii_lowercase().as_str()) {
        path.truncate(path.len() - last.len());
    }
    path.trim_matches('/').to_string()
}

fn without_number_prefixes(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            let digits = segment.chars().take_while(char::is_ascii_digit).count();
            match segment[digits..].chars().next() {
                Some('-' | '_' | '.') if digits > 0 && segment.len() > digits + 1 => {
                    &segment[digits + 1..]
                }
                _ => segment,
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Where a link of the source leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// A page (relative to the docs root), with the fragment.
    Page(PathBuf, Option<String>),
    /// A file (absolute), with the query and fragment as written (`?raw`, `#page=2`).
    Asset(PathBuf, String),
    /// Left as written: external, a fragment on the same page, an email address.
    Keep,
    /// Nothing there.
    Broken,
}

/// Resolves `dest`, written in the page `from` (relative to the docs root).
pub(crate) fn resolve(project: &Project, index: &Index, from: &Path, dest: &str) -> Resolved {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with('#') || crate::urls::is_external(dest) {
        return Resolved::Keep;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment.to_string())),
        None => (dest, None),
    };
    let (path, query) = match path.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path, None),
    };
    let suffix = format!(
        "{}{}",
        query.map(|q| format!("?{q}")).unwrap_or_default(),
        fragment
            .as_ref()
            .map(|f| format!("#{f}"))
            .unwrap_or_default()
    );
    let path = crate::urls::decode(path);
    if path.is_empty() {
        return Resolved::Keep;
    }
    let page_or_file = |rel: &str| -> Option<Resolved> {
        if let Some(page) = index.page(rel) {
            return Some(Resolved::Page(page.clone(), fragment.clone()));
        }
        None
    };
    if let Some(rooted) = path.strip_prefix('/') {
        let base = project.url_base.trim_matches('/');
        let rel = if !base.is_empty() && (rooted == base || rooted.starts_with(&format!("{base}/")))
        {
            rooted[base.len()..].trim_start_matches('/')
        } else {
            rooted
        };
        if let Some(found) = page_or_file(rel).or_else(|| page_or_file(rooted)) {
            return found;
        }
        for root in project.public_dir.iter().chain([&project.docs_root]) {
            for candidate in [rooted, rel] {
                let file = root.join(candidate);
                if is_asset(project, &file) {
                    return Resolved::Asset(file, suffix);
                }
            }
        }
        return Resolved::Broken;
    }
    let file_dir = from.parent().unwrap_or(Path::new("")).to_path_buf();
    let url_dir = {
        let stem = from
            .file_stem()
            .map(|s| s.to_string_lossy().to_ascii_lowercase());
        if matches!(stem.as_deref(), Some("index" | "readme")) {
            file_dir.clone()
        } else {
            from.with_extension("")
        }
    };
    // A page's URL is a folder of its own only in tools whose URLs end in `/`.
    let bases = match project.link_base {
        LinkBase::File => vec![file_dir],
        LinkBase::Url => vec![url_dir, file_dir],
    };
    for base in &bases {
        let Some(joined) = normalize(&base.join(&path)) else {
            continue;
        };
        if let Some(found) = page_or_file(&slashed(&joined)) {
            return found;
        }
    }
    for base in &bases {
        let file = crate::paths::lexical(&project.docs_root.join(base).join(&path));
        if is_asset(project, &file) {
            return Resolved::Asset(file, suffix);
        }
    }
    Resolved::Broken
}

/// A file a link may point at: it exists, is not a page, and lies inside the source.
fn is_asset(project: &Project, file: &Path) -> bool {
    let is_page = file
        .extension()
        .is_some_and(|e| e == "md" || e == "mdx" || e == "markdown");
    if is_page || !file.is_file() {
        return false;
    }
    let real = crate::paths::resolved(file);
    [&project.source, &project.docs_root]
        .iter()
        .any(|root| real.starts_with(crate::paths::resolved(root)))
}

/// `a/./b/../c` → `a/c`; `None` when it climbs above the start.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(part) => out.push(part),
            _ => return None,
        }
    }
    Some(out)
}

pub(crate) use crate::paths::relative;

/// Where the new book's files go: the new file of each page, and a place for each asset.
#[derive(Debug, Default)]
pub(crate) struct Places {
    /// Page (relative to the docs root) → its file in `content/`.
    pub pages: HashMap<PathBuf, PathBuf>,
    /// Asset (absolute) → its file in `content/`.
    pub assets: HashMap<PathBuf, PathBuf>,
    taken: HashSet<PathBuf>,
}

impl Places {
    /// The place of an asset in `content/`, chosen on first use.
    pub(crate) fn asset(&mut self, project: &Project, file: &Path) -> PathBuf {
        if let Some(place) = self.assets.get(file) {
            return place.clone();
        }
        let preferred = project
            .public_dir
            .as_ref()
            .and_then(|public| file.strip_prefix(public).ok())
            .or_else(|| file.strip_prefix(&project.docs_root).ok())
            .map(Path::to_path_buf)
            .or_else(|| {
                file.strip_prefix(&project.source)
                    .ok()
                    .map(|rel| Path::new("files").join(rel))
            })
            .unwrap_or_else(|| Path::new("files").join(file.file_name().unwrap_or_default()));
        let visible: PathBuf = preferred
            .components()
            .map(|c| {
                let name = c.as_os_str().to_string_lossy();
                let trimmed = name.trim_start_matches(['.', '_']);
                if trimmed.is_empty() {
                    "file".to_string()
                } else {
                    trimmed.to_string()
                }
            })
            .collect();
        let mut place = visible.clone();
        let mut n = 2;
        while self.taken.contains(&place) {
            let stem = visible.file_stem().unwrap_or_default().to_string_lossy();
            let name = match visible.extension() {
                Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
                None => format!("{stem}-{n}"),
            };
            place = visible.with_file_name(name);
            n += 1;
        }
        self.taken.insert(place.clone());
        self.assets.insert(file.to_path_buf(), place.clone());
        place
    }
}

/// The folder of the built site a content file's page is served from: `a/b.md` → `a/b/`,
/// `a/_index.md` → `a/`.
pub(crate) fn site_dir(content_path: &Path) -> String {
    let parent = slashed(content_path.parent().unwrap_or(Path::new("")));
    let stem = content_path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy();
    let dir = if stem == "_index" {
        parent
    } else if parent.is_empty() {
        stem.into_owned()
    } else {
        format!("{parent}/{stem}")
    };
    if dir.is_empty() {
        dir
    } else {
        format!("{dir}/")
    }
}

/// One page's links, rewritten.
pub(crate) struct PageLinks<'a> {
    /// The project.
    pub project: &'a Project,
    /// Its pages.
    pub index: &'a Index,
    /// The page (relative to the docs root).
    pub from: &'a Path,
    /// The page's new file in `content/`.
    pub to: &'a Path,
    /// The page's original body, for the report's positions.
    pub original: &'a str,
    /// The line the original body starts on.
    pub first_line: usize,
    /// The path the report names.
    pub report_path: &'a Path,
}

impl PageLinks<'_> {
    /// `body` with every link and image that leads somewhere rewritten to the new book.
    pub(crate) fn rewrite(&self, body: &str, places: &mut Places, report: &mut Report) -> String {
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        let mut options = Options::empty();
        options.insert(Options::ENABLE_TABLES);
        options.insert(Options::ENABLE_FOOTNOTES);
        options.insert(Options::ENABLE_STRIKETHROUGH);
        options.insert(Options::ENABLE_TASKLISTS);
        options.insert(Options::ENABLE_HEADING_ATTRIBUTES);
        let mut parser = Parser::new_ext(body, options).into_offset_iter();
        let mut events = Vec::new();
        for item in parser.by_ref() {
            events.push(item);
        }
        for (_, def) in parser.reference_definitions().iter() {
            if let Some(range) = find_dest(body, def.span.clone(), &def.dest, "]:") {
                self.edit(range, &def.dest, false, places, report, &mut edits);
            }
        }
        for (event, range) in events {
            match event {
                Event::Start(
                    Tag::Link {
                        dest_url,
                        link_type,
                        ..
                    }
                    | Tag::Image {
                        dest_url,
                        link_type,
                        ..
                    },
                ) if matches!(link_type, pulldown_cmark::LinkType::Inline) => {
                    if let Some(found) = find_dest(body, range, &dest_url, "](") {
                        self.edit(found, &dest_url, false, places, report, &mut edits);
                    }
                }
                Event::Html(html) | Event::InlineHtml(html) => {
                    for (at, value) in html_urls(&html) {
                        let start = range.start + at;
                        self.edit(
                            start..start + value.len(),
                            &value,
                            true,
                            places,
                            report,
                            &mut edits,
                        );
                    }
                }
                _ => {}
            }
        }
        edits.sort_by_key(|(range, _)| range.start);
        let mut out = String::with_capacity(body.len());
        let mut last = 0;
        for (range, text) in edits {
            if range.start < last {
                continue;
            }
            out.push_str(&body[last..range.start]);
            out.push_str(&text);
            last = range.end;
        }
        out.push_str(&body[last..]);
        out
    }

    fn edit(
        &self,
        range: std::ops::Range<usize>,
        dest: &str,
        html: bool,
        places: &mut Places,
        report: &mut Report,
        edits: &mut Vec<(std::ops::Range<usize>, String)>,
    ) {
        let new = match resolve(self.project, self.index, self.from, dest) {
            Resolved::Keep => return,
            Resolved::Broken => {
                let (at, within) = match self.position(dest) {
                    Some(at) => (at, ""),
                    None => ((0, 0), " (in text included from another file)"),
                };
                report.entry(
                    super::EntryKind::BrokenLink,
                    self.report_path,
                    at,
                    format!(
                        "`{dest}`{within} leads to no page or file of the source; left as written"
                    ),
                );
                return;
            }
            Resolved::Page(page, fragment) => {
                let Some(target) = places.pages.get(&page).cloned() else {
                    let at = self.position(dest).unwrap_or((0, 0));
                    report.entry(
                        super::EntryKind::BrokenLink,
                        self.report_path,
                        at,
                        format!("`{dest}` leads to a page that was not imported; left as written"),
                    );
                    return;
                };
                let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
                if html {
                    let href = crate::urls::relative(&site_dir(self.to), &site_dir(&target));
                    format!("{href}{fragment}")
                } else if target == self.to {
                    if fragment.is_empty() {
                        return;
                    } else {
                        fragment
                    }
                } else {
                    let from_dir = self.to.parent().unwrap_or(Path::new(""));
                    format!("{}{fragment}", encode(&relative(from_dir, &target)))
                }
            }
            Resolved::Asset(file, suffix) => {
                let place = places.asset(self.project, &file);
                if html {
                    format!(
                        "{}{suffix}",
                        crate::urls::relative(&site_dir(self.to), &slashed(&place))
                    )
                } else {
                    let from_dir = self.to.parent().unwrap_or(Path::new(""));
                    format!("{}{suffix}", encode(&relative(from_dir, &place)))
                }
            }
        };
        if new != dest {
            report.links_rewritten += 1;
            edits.push((range, new));
        }
    }

    /// Where a link was written in the source file: the first place its destination appears
    /// in the original body (`None` when it came from an included file).
    fn position(&self, dest: &str) -> Option<(usize, usize)> {
        let found = self.original.find(dest)?;
        let (line, column) = crate::diagnostics::line_col(self.original, found);
        Some((line + self.first_line - 1, column))
    }
}

/// Spaces and parentheses made safe in a Markdown link destination.
fn encode(path: &str) -> String {
    path.replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
}

/// The byte range of `dest` in the link written at `range`: after the last `marker` (`](`
/// or `]:`) that the destination follows.
fn find_dest(
    body: &str,
    range: std::ops::Range<usize>,
    dest: &str,
    marker: &str,
) -> Option<std::ops::Range<usize>> {
    if dest.is_empty() {
        return None;
    }
    let slice = body.get(range.clone())?;
    let mut search = slice.len();
    while let Some(at) = slice[..search].rfind(marker) {
        let after = at + marker.len();
        let rest = &slice[after..];
        let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '\n', '<']).len();
        if rest[skipped..].starts_with(dest) {
            let start = range.start + after + skipped;
            return Some(start..start + dest.len());
        }
        search = at;
    }
    None
}

/// The `src` and `href` values in a piece of raw HTML, with their offsets in it.
fn html_urls(html: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    for attribute in ["src=", "href="] {
        let mut from = 0;
        while let Some(at) = lower[from..].find(attribute) {
            let at = from + at;
            from = at + attribute.len();
            let preceded = lower[..at].chars().last().is_some_and(char::is_whitespace);
            let quote = html[from..].chars().next();
            if !preceded || !matches!(quote, Some('"' | '\'')) {
                continue;
            }
            let quote = quote.unwrap_or('"');
            let start = from + 1;
            if let Some(len) = html[start..].find(quote) {
                found.push((start, html[start..start + len].to_string()));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(dir: &Path) -> Project {
        let mut project = Project::new(super::super::Tool::Vitepress, dir, dir);
        project.public_dir = Some(dir.join("public"));
        project
    }

    fn tree(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        dir
    }

    #[test]
    fn keys_name_a_page_every_way() {
        for (path, expected) in [
            ("guide/routing.md", "guide/routing"),
            ("/guide/routing", "guide/routing"),
            ("guide/routing.html", "guide/routing"),
            ("guide/index.html", "guide"),
            ("guide/README.md", "guide"),
            ("guide/", "guide"),
            ("index.md", ""),
            ("a.mdx", "a"),
        ] {
            assert_eq!(key(path), expected, "{path}");
        }
    }

    #[test]
    fn resolves_the_forms_tools_write() {
        let dir = tree(&[
            "guide/routing.md",
            "guide/index.md",
            "guide/img/a.png",
            "api/README.md",
            "public/logo.svg",
            "intro.mdx",
        ]);
        let project = project(dir.path());
        let pages = [
            "guide/routing.md",
            "guide/index.md",
            "api/README.md",
            "intro.mdx",
        ]
        .map(PathBuf::from);
        let index = Index::new(pages.iter().map(PathBuf::as_path), &[]);
        let from = Path::new("guide/index.md");
        let page = |p: &str, f: Option<&str>| Resolved::Page(p.into(), f.map(Into::into));
        for (dest, expected) in [
            ("./routing", page("guide/routing.md", None)),
            ("routing.html#x", page("guide/routing.md", Some("x"))),
            ("/guide/routing", page("guide/routing.md", None)),
            ("../api/", page("api/README.md", None)),
            ("../api/README.md", page("api/README.md", None)),
            ("../intro.mdx", page("intro.mdx", None)),
            ("/guide/index.html", page("guide/index.md", None)),
            ("https://x.org/a", Resolved::Keep),
            ("#here", Resolved::Keep),
            ("./nowhere", Resolved::Broken),
        ] {
            assert_eq!(resolve(&project, &index, from, dest), expected, "{dest}");
        }
        assert_eq!(
            resolve(&project, &index, from, "img/a.png?raw"),
            Resolved::Asset(dir.path().join("guide/img/a.png"), "?raw".into())
        );
        assert_eq!(
            resolve(&project, &index, from, "/logo.svg"),
            Resolved::Asset(dir.path().join("public/logo.svg"), String::new())
        );
    }

    #[test]
    fn rewrites_only_destinations() {
        let dir = tree(&["a.md", "b/c.md", "public/x.png"]);
        let project = project(dir.path());
        let pages = ["a.md", "b/c.md"].map(PathBuf::from);
        let index = Index::new(pages.iter().map(PathBuf::as_path), &[]);
        let mut places = Places::default();
        places.pages.insert("a.md".into(), "part/a.md".into());
        places.pages.insert("b/c.md".into(), "other/c.md".into());
        let body = "See [the c page](b/c \"c\") and ![x](/x.png).\n\n\
                    [ref]: ./b/c.html#top\n\n<img src=\"/x.png\"> [gone](./gone) `[no](b/c)`\n";
        let mut report = Report::default();
        let links = PageLinks {
            project: &project,
            index: &index,
            from: Path::new("a.md"),
            to: Path::new("part/a.md"),
            original: body,
            first_line: 3,
            report_path: Path::new("a.md"),
        };
        let out = links.rewrite(body, &mut places, &mut report);
        assert_eq!(
            out,
            "See [the c page](../other/c.md \"c\") and ![x](../x.png).\n\n\
             [ref]: ../other/c.md#top\n\n<img src=\"../../x.png\"> [gone](./gone) `[no](b/c)`\n"
        );
        assert_eq!(report.count(super::super::EntryKind::BrokenLink), 1);
        assert_eq!(report.entries[0].line, 7);
    }

    #[test]
    fn site_dirs() {
        assert_eq!(site_dir(Path::new("a/b.md")), "a/b/");
        assert_eq!(site_dir(Path::new("a/_index.md")), "a/");
        assert_eq!(site_dir(Path::new("_index.md")), "");
        assert_eq!(site_dir(Path::new("b.md")), "b/");
    }
}
