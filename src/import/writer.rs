//! The new book: the layout (the source's navigation as folders, `_index.md` and `weight`),
//! each page's front matter and links, the assets, book.toml with `[redirects]`, and the
//! write: into a staging folder beside DEST, renamed into place only when complete.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::frontmatter::{self, Ours};
use super::links::{self, Index, PageLinks, Places, Resolved};
use super::markdown::{first_heading, slugify, unknown_kinds};
use super::{ConvertedPage, EntryKind, NavItem, Project, Report};
use crate::diagnostics::Refusal;

/// A file of the new book.
#[derive(Debug, Clone)]
pub(crate) enum Contents {
    /// Written from text.
    Text(String),
    /// Copied from a file (absolute path).
    Copy(PathBuf),
}

/// The new book, file by file (paths relative to DEST).
#[derive(Debug, Default)]
pub(crate) struct NewBook {
    /// The files, by path.
    pub files: BTreeMap<PathBuf, Contents>,
}

/// Refuses a DEST that is not empty, or that lies inside the source (`root`).
pub(crate) fn check_dest(root: &Path, dest: &Path) -> anyhow::Result<()> {
    let shown = crate::paths::display_path(dest);
    let resolved = crate::paths::resolved(dest);
    if resolved.starts_with(crate::paths::resolved(root)) {
        return Err(Refusal::new(format!(
            "refusing to write the new book to `{shown}`: it is inside the guide being imported, which import never changes"
        ))
        .hint("choose a folder outside it, e.g. `../my-book`")
        .into());
    }
    if dest.is_file() {
        return Err(Refusal::new(format!("`{shown}` is a file, not a folder"))
            .hint("choose a new folder for the book")
            .into());
    }
    if dest.is_dir() {
        let mut entries =
            std::fs::read_dir(dest).with_context(|| format!("could not read `{shown}`"))?;
        if entries.next().is_some() {
            return Err(Refusal::new(format!(
                "refusing to import into `{shown}`: the folder is not empty"
            ))
            .hint("choose a new or empty folder; import never mixes a new book with other files")
            .into());
        }
    }
    Ok(())
}

/// Writes `book` into `dest` (missing or empty): everything goes into a staging folder
/// beside it first, which then takes its place, so a failed import leaves nothing behind.
pub(crate) fn write(book: &NewBook, dest: &Path) -> anyhow::Result<()> {
    let absolute = crate::paths::absolute(dest);
    let parent = absolute
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("could not create `{}`", parent.display()))?;
    let name = absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "book".into());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.import-"))
        .tempdir_in(&parent)
        .with_context(|| format!("could not create a folder in `{}`", parent.display()))?;
    for (path, contents) in &book.files {
        let target = staging.path().join(path);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("could not create `{}`", dir.display()))?;
        }
        match contents {
            Contents::Text(text) => std::fs::write(&target, text),
            Contents::Copy(from) => std::fs::copy(from, &target).map(|_| ()),
        }
        .with_context(|| format!("could not write `{}`", target.display()))?;
    }
    if absolute.is_dir() {
        // Checked empty before: remove it so the rename can take its place.
        std::fs::remove_dir(&absolute)
            .with_context(|| format!("could not replace the empty folder `{}`", dest.display()))?;
    }
    let staged = staging.keep();
    std::fs::rename(&staged, &absolute).map_err(|error| {
        let _ = std::fs::remove_dir_all(&staged);
        anyhow::Error::new(error)
            .context(format!("could not move the book into `{}`", dest.display()))
    })?;
    Ok(())
}

/// Names the site reserves at its root.
const RESERVED: [&str; 7] = [
    "index",
    "print",
    "practice",
    "pagefind",
    "__guidebook",
    "404",
    "assets",
];

/// The layout being planned: per folder of `content/`, the names used and the next weight.
#[derive(Debug, Default)]
struct Layout {
    folders: HashMap<PathBuf, Folder>,
    /// Parts: folder → (title, weight, index page).
    parts: BTreeMap<PathBuf, (String, i64, Option<PathBuf>)>,
    /// Page → (file in content/, weight, nav label).
    pages: HashMap<PathBuf, (PathBuf, Option<i64>, Option<String>)>,
    /// Source folder → content folder, for pages the navigation does not list: where the
    /// first page of that source folder went.
    source_dirs: HashMap<PathBuf, PathBuf>,
}

#[derive(Debug, Default)]
struct Folder {
    used: HashSet<String>,
    next_weight: i64,
}

impl Layout {
    fn folder(&mut self, dir: &Path) -> &mut Folder {
        self.folders
            .entry(dir.to_path_buf())
            .or_insert_with(|| Folder {
                used: if dir.as_os_str().is_empty() {
                    RESERVED.iter().map(|s| s.to_string()).collect()
                } else {
                    HashSet::new()
                },
                next_weight: 1,
            })
    }

    /// A free name in `dir` based on `wanted`.
    fn name(&mut self, dir: &Path, wanted: &str) -> String {
        let folder = self.folder(dir);
        let mut name = wanted.to_string();
        let mut n = 2;
        while folder.used.contains(&name.to_ascii_lowercase()) {
            name = format!("{wanted}-{n}");
            n += 1;
        }
        folder.used.insert(name.to_ascii_lowercase());
        name
    }

    fn weight(&mut self, dir: &Path) -> i64 {
        let folder = self.folder(dir);
        let weight = folder.next_weight;
        folder.next_weight += 1;
        weight
    }

    fn place_page(&mut self, dir: &Path, page: &Path, label: Option<String>) -> PathBuf {
        let name = self.name(dir, &page_name(page));
        let file = dir.join(format!("{name}.md"));
        let weight = self.weight(dir);
        self.pages
            .insert(page.to_path_buf(), (file.clone(), Some(weight), label));
        self.source_dirs
            .entry(page.parent().unwrap_or(Path::new("")).to_path_buf())
            .or_insert_with(|| dir.to_path_buf());
        file
    }

    fn place_part(
        &mut self,
        dir: &Path,
        wanted: &str,
        title: &str,
        index: Option<&Path>,
    ) -> PathBuf {
        let name = self.name(dir, wanted);
        let folder = dir.join(name);
        let weight = self.weight(dir);
        self.parts.insert(
            folder.clone(),
            (title.to_string(), weight, index.map(Path::to_path_buf)),
        );
        if let Some(index) = index {
            self.pages.insert(
                index.to_path_buf(),
                (folder.join("_index.md"), None, Some(title.to_string())),
            );
        }
        folder
    }
}

/// A file name for a page: its stem, or its folder's name for an `index`/`README`, without
/// leading `_` or `.` (hidden to us) and characters a URL cannot hold.
pub(crate) fn page_name(page: &Path) -> String {
    let stem = page.file_stem().unwrap_or_default().to_string_lossy();
    let stem = if ["index", "readme", "_index"].contains(&stem.to_ascii_lowercase().as_str()) {
        page.parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "home".into())
    } else {
        stem.into_owned()
    };
    clean_name(&stem)
}

fn clean_name(name: &str) -> String {
    let cleaned: String = name
        .trim_start_matches(['_', '.'])
        .chars()
        .map(|c| {
            if c.is_control() || ":#?%\\\"`<>{}|^[]/".contains(c) {
                '-'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim_matches([' ', '.']).to_string();
    if cleaned.is_empty() {
        "page".into()
    } else {
        cleaned
    }
}

/// Plans the layout, fills each page and writes the rest of the book.
pub(crate) fn build(
    project: &Project,
    pages: Vec<ConvertedPage>,
    included: &HashSet<PathBuf>,
    report: &mut Report,
) -> anyhow::Result<NewBook> {
    // Files another page includes are not pages of their own (unless the navigation lists
    // them).
    let in_nav = nav_pages(&project.nav);
    let (pages, snippets): (Vec<ConvertedPage>, Vec<ConvertedPage>) =
        pages.into_iter().partition(|page| {
            let abs = crate::paths::lexical(&project.docs_root.join(&page.path));
            in_nav.contains(&page.path) || !included.contains(&abs)
        });
    if !snippets.is_empty() {
        report.note(format!(
            "{} files included by other pages were inlined there and are not pages of their own.",
            snippets.len()
        ));
    }
    report.source_pages = pages.len();
    // The tool's "not found" page: the build writes its own 404.html.
    let (pages, not_found): (Vec<ConvertedPage>, Vec<ConvertedPage>) =
        pages.into_iter().partition(|page| {
            page.path
                .parent()
                .is_some_and(|p| !p.as_os_str().is_empty())
                || page.path.file_stem().is_none_or(|s| s != "404")
        });
    for page in &not_found {
        report.mapped(
            "the tool's 404 page",
            "left out (guidebook writes its own 404.html)",
        );
        let _ = page;
    }
    let known: HashSet<&Path> = pages.iter().map(|p| p.path.as_path()).collect();

    let mut layout = Layout::default();
    let home = project.home.clone().filter(|h| known.contains(h.as_path()));
    if let Some(home) = &home {
        layout
            .pages
            .insert(home.clone(), (PathBuf::from("_index.md"), None, None));
    }
    place_items(
        project,
        &project.nav,
        Path::new(""),
        &known,
        &mut layout,
        report,
    );

    // Pages the navigation does not list: last, in a folder after their source folder.
    let mut unlisted: Vec<&ConvertedPage> = pages
        .iter()
        .filter(|p| !layout.pages.contains_key(&p.path))
        .collect();
    unlisted.sort_by(|a, b| a.path.cmp(&b.path));
    for page in unlisted {
        let source_dir = page.path.parent().unwrap_or(Path::new("")).to_path_buf();
        let dir = folder_for(&source_dir, &mut layout);
        layout.place_page(&dir, &page.path, None);
        report.entry(
            EntryKind::NotInNav,
            &project.report_path(&page.path),
            (0, 0),
            format!(
                "placed at `content/{}`",
                links::slashed(&layout.pages[&page.path].0)
            ),
        );
    }

    // Links, front matter, bodies.
    let routes = routes(project, &pages);
    let index = Index::new(pages.iter().map(|p| p.path.as_path()), &routes);
    let mut places = Places::default();
    for (page, (file, _, _)) in &layout.pages {
        places.pages.insert(page.clone(), file.clone());
    }
    let mut book = NewBook::default();
    let mut custom_kinds: Vec<String> = Vec::new();
    let part_index_pages: HashSet<&PathBuf> =
        layout.parts.values().filter_map(|p| p.2.as_ref()).collect();
    for page in &pages {
        let Some((file, weight, label)) = layout.pages.get(&page.path).cloned() else {
            continue;
        };
        let report_path = project.report_path(&page.path);
        let linker = PageLinks {
            project,
            index: &index,
            from: &page.path,
            to: &file,
            original: &page.original,
            first_line: page.first_line,
            report_path: &report_path,
        };
        let body = linker.rewrite(&page.body, &mut places, report);
        let body = super::markdown::tidy_directives(&body, report);
        let mut ours: Ours = frontmatter::map(&page.front, &report_path, report);
        if ours.title.is_none() {
            ours.title = page.title.clone();
        }
        let is_home = file == Path::new("_index.md");
        if ours.title.is_none() && !is_home && first_heading(&body).is_none() {
            let title = label
                .clone()
                .unwrap_or_else(|| crate::config::humanize(&page_name(&page.path)));
            report.mapped(
                "page without a title",
                "title from the navigation or file name",
            );
            ours.title = Some(title);
        }
        if let Some(label) = &label
            && !part_index_pages.contains(&page.path)
            && ours.title.as_deref().or(first_heading(&body).as_deref()) != Some(label.as_str())
            && !ours.extra.contains_key("sidebar_label")
        {
            ours.extra
                .insert("nav_label".into(), toml::Value::String(label.clone()));
        }
        ours.weight = weight;
        if file == Path::new("_index.md") {
            ours.weight = None;
            ours.draft = false;
        }
        if let Some((title, weight, _)) = file.parent().and_then(|dir| layout.parts.get(dir))
            && file.file_name().is_some_and(|n| n == "_index.md")
        {
            if ours.title.is_none() && first_heading(&body).is_none() {
                ours.title = Some(title.clone());
            }
            ours.weight = Some(*weight);
        }
        if project.slug_is_route
            && let Some(slug) = page.front.get("slug").and_then(|s| s.as_str())
            && slug.starts_with('/')
        {
            report.mapped("absolute `slug`", "a redirect in book.toml");
        }
        for (kind, offset) in unknown_kinds(&body) {
            if !custom_kinds.contains(&kind) {
                let (line, column) = crate::diagnostics::line_col(&body, offset);
                report.entry(
                    EntryKind::Mapped,
                    &report_path,
                    (line + page.first_line - 1, column),
                    format!("container `:::{kind}` has no built-in kind: declared as `[callouts.{kind}]` in book.toml"),
                );
                custom_kinds.push(kind);
            }
        }
        let mut text = frontmatter::render(&ours);
        if !text.is_empty() && !body.starts_with('\n') {
            text.push('\n');
        }
        text.push_str(&body);
        book.files
            .insert(Path::new("content").join(&file), Contents::Text(text));
        report.pages += 1;
    }

    // Parts without a page of their own.
    for (folder, (title, weight, index)) in &layout.parts {
        if index.as_ref().is_some_and(|i| layout.pages.contains_key(i)) {
            continue;
        }
        let ours = Ours {
            title: Some(title.clone()),
            weight: Some(*weight),
            ..Ours::default()
        };
        book.files.insert(
            Path::new("content").join(folder).join("_index.md"),
            Contents::Text(frontmatter::render(&ours)),
        );
    }
    report.parts = layout.parts.len();

    // Assets linked from pages, then the public folder's other files into static/.
    for (source, place) in &places.assets {
        book.files.insert(
            Path::new("content").join(place),
            Contents::Copy(source.clone()),
        );
    }
    report.assets = places.assets.len();
    if let Some(public) = &project.public_dir {
        copy_public(public, &places, &mut book, report);
    }

    let redirects = redirects(project, &index, &places, &pages, &layout, report);
    book.files.insert(
        PathBuf::from("book.toml"),
        Contents::Text(book_toml(project, &redirects, &custom_kinds, report)),
    );
    Ok(book)
}

/// Every page the navigation lists, its groups' own pages included.
fn nav_pages(items: &[NavItem]) -> HashSet<PathBuf> {
    let mut found = HashSet::new();
    for item in items {
        match item {
            NavItem::Page { path, .. } => {
                found.insert(path.clone());
            }
            NavItem::Group { index, items, .. } => {
                found.extend(index.iter().cloned());
                found.extend(nav_pages(items));
            }
            NavItem::Unplaced { .. } => {}
        }
    }
    found
}

fn place_items(
    project: &Project,
    items: &[NavItem],
    dir: &Path,
    known: &HashSet<&Path>,
    layout: &mut Layout,
    report: &mut Report,
) {
    for item in items {
        match item {
            NavItem::Page { path, label } => {
                if !known.contains(path.as_path()) {
                    report.not_mapped(
                        &project.report_path(path),
                        (0, 0),
                        "listed in the navigation, but there is no such page",
                    );
                } else if layout.pages.contains_key(path) {
                    if project.home.as_ref() != Some(path) {
                        report.mapped(
                            "page listed twice in the navigation",
                            "kept at its first place",
                        );
                    }
                } else {
                    layout.place_page(dir, path, label.clone());
                }
            }
            NavItem::Group {
                title,
                index,
                items,
            } => {
                // A group holding only one group is that group, with the outer title.
                if let (
                    None,
                    [
                        NavItem::Group {
                            index: inner,
                            items: inner_items,
                            ..
                        },
                    ],
                ) = (index, items.as_slice())
                {
                    let merged = NavItem::Group {
                        title: title.clone(),
                        index: inner.clone(),
                        items: inner_items.clone(),
                    };
                    place_items(project, &[merged], dir, known, layout, report);
                    continue;
                }
                let index = index
                    .as_ref()
                    .filter(|i| known.contains(i.as_path()) && !layout.pages.contains_key(*i));
                if index.is_none() && !has_new_pages(items, known, layout) {
                    if !items.is_empty() || !title.is_empty() {
                        report.note(format!(
                            "The navigation group \"{title}\" lists no page that is not already placed; it is left out."
                        ));
                    }
                    continue;
                }
                let wanted = match index {
                    Some(index) if !is_root_index(index) => page_name(index),
                    _ => {
                        let slug = slugify(title);
                        if slug.is_empty() { "part".into() } else { slug }
                    }
                };
                let folder = layout.place_part(
                    dir,
                    &clean_name(&wanted),
                    title,
                    index.map(PathBuf::as_path),
                );
                place_items(project, items, &folder, known, layout, report);
            }
            NavItem::Unplaced { label, why } => {
                report.note(format!(
                    "Navigation entry \"{label}\" is not imported: {why}."
                ));
            }
        }
    }
}

fn is_root_index(page: &Path) -> bool {
    page.parent().is_none_or(|p| p.as_os_str().is_empty())
        && ["index", "readme"].contains(
            &page
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .to_ascii_lowercase()
                .as_str(),
        )
}

fn dir_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn has_new_pages(items: &[NavItem], known: &HashSet<&Path>, layout: &Layout) -> bool {
    items.iter().any(|item| match item {
        NavItem::Page { path, .. } => {
            known.contains(path.as_path()) && !layout.pages.contains_key(path)
        }
        NavItem::Group { index, items, .. } => {
            index
                .as_ref()
                .is_some_and(|i| known.contains(i.as_path()) && !layout.pages.contains_key(i))
                || has_new_pages(items, known, layout)
        }
        NavItem::Unplaced { .. } => false,
    })
}

/// The content folder for pages of `source_dir` that the navigation does not list.
fn folder_for(source_dir: &Path, layout: &mut Layout) -> PathBuf {
    if source_dir.as_os_str().is_empty() {
        return PathBuf::new();
    }
    if let Some(folder) = layout.source_dirs.get(source_dir) {
        return folder.clone();
    }
    let parent = folder_for(source_dir.parent().unwrap_or(Path::new("")), layout);
    let name = dir_name(source_dir);
    let title = crate::config::humanize(&name);
    let folder = layout.place_part(&parent, &clean_name(&name), &title, None);
    layout
        .source_dirs
        .insert(source_dir.to_path_buf(), folder.clone());
    folder
}

/// Routes pages have besides their file paths: absolute slugs, from the docs root.
fn routes(project: &Project, pages: &[ConvertedPage]) -> Vec<(String, PathBuf)> {
    let base = project.url_base.trim_matches('/');
    let mut routes = project.routes.clone();
    if project.slug_is_route {
        // A Docusaurus doc `id` replaces the file name in its route.
        routes.extend(pages.iter().filter_map(|page| {
            let id = page.front.get("id")?.as_str()?;
            let dir = page.path.parent().unwrap_or(Path::new(""));
            Some((links::slashed(&dir.join(id)), page.path.clone()))
        }));
    }
    routes.extend(pages.iter().filter_map(|page| {
        let slug = page.front.get("slug")?.as_str()?;
        let route = if let Some(rooted) = slug.strip_prefix('/') {
            rooted.strip_prefix(base).unwrap_or(rooted).to_string()
        } else {
            let dir = page.path.parent().unwrap_or(Path::new(""));
            links::slashed(&dir.join(slug))
        };
        Some((route, page.path.clone()))
    }));
    routes
}

/// Copies the public folder's files that no page links to into `static/` (the site root, as
/// the tool serves them).
fn copy_public(public: &Path, places: &Places, book: &mut NewBook, report: &mut Report) {
    let taken: HashSet<&PathBuf> = places.assets.values().collect();
    let mut copied = 0;
    for entry in walkdir::WalkDir::new(public).into_iter().flatten() {
        if !entry.file_type().is_file() || places.assets.contains_key(entry.path()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(public) else {
            continue;
        };
        if taken.contains(&rel.to_path_buf()) {
            continue;
        }
        book.files.insert(
            Path::new("static").join(rel),
            Contents::Copy(entry.path().to_path_buf()),
        );
        copied += 1;
    }
    if copied > 0 {
        report.assets += copied;
        report.mapped_n("file of the public folder", "`static/`", copied);
    }
}

/// Whether a converted body has a heading whose id is `id` (given as `{#id}` or made from
/// its text).
fn has_heading_id(body: &str, id: &str) -> bool {
    super::markdown::lines(body)
        .iter()
        .filter(|l| !l.in_code)
        .filter_map(|l| l.text.trim_start().strip_prefix('#'))
        .map(|h| h.trim_start_matches('#').trim())
        .any(|heading| heading.contains(&format!("{{#{id}}}")) || slugify(heading) == slugify(id))
}

/// The redirects of the source and absolute slugs, as `[redirects]` rules.
fn redirects(
    project: &Project,
    index: &Index,
    places: &Places,
    pages: &[ConvertedPage],
    layout: &Layout,
    report: &mut Report,
) -> Vec<(String, String)> {
    let mut rules: Vec<(String, String)> = Vec::new();
    let mut outputs: HashSet<String> = layout
        .pages
        .values()
        .map(|(file, _, _)| format!("{}index.html", links::site_dir(file)))
        .collect();
    // Parts without an `_index.md` get a generated page at their folder too.
    outputs.extend(
        layout
            .parts
            .keys()
            .map(|folder| format!("{}/index.html", links::slashed(folder))),
    );
    let mut wanted: Vec<(String, Resolved, PathBuf, usize)> = Vec::new();
    for rule in &project.redirects {
        let from_dir = Path::new(rule.from.trim_start_matches('/'))
            .parent()
            .unwrap_or(Path::new(""))
            .join("redirect.html");
        let target = links::resolve(project, index, &from_dir, &rule.to);
        wanted.push((
            rule.from.clone(),
            target,
            rule.origin.0.clone(),
            rule.origin.1,
        ));
    }
    if project.slug_is_route {
        for page in pages {
            if let Some(slug) = page.front.get("slug").and_then(|s| s.as_str())
                && slug.starts_with('/')
            {
                let from = if project.url_base == "/" {
                    slug.to_string()
                } else {
                    format!("{}{}", project.url_base.trim_end_matches('/'), slug)
                };
                wanted.push((
                    from,
                    Resolved::Page(page.path.clone(), None),
                    project.report_path(&page.path),
                    1,
                ));
            }
        }
    }
    for (from, target, file, line) in wanted {
        let output = match crate::config::redirect_output(&from) {
            Ok(output) => output,
            Err((message, _)) => {
                report.not_mapped(&file, (line, 0), format!("redirect left out: {message}"));
                continue;
            }
        };
        let target = match target {
            Resolved::Page(page, fragment) => match places.pages.get(&page) {
                Some(file) => {
                    let mut target = links::slashed(file);
                    let body = pages
                        .iter()
                        .find(|p| p.path == page)
                        .map(|p| p.body.as_str());
                    match fragment {
                        Some(fragment) if body.is_some_and(|b| has_heading_id(b, &fragment)) => {
                            target.push('#');
                            target.push_str(&fragment);
                        }
                        Some(fragment) => report.not_mapped(
                            file,
                            (line, 0),
                            format!("redirect `{from}`: `#{fragment}` is not a heading of its page; it leads to the page's top"),
                        ),
                        None => {}
                    }
                    target
                }
                None => {
                    report.not_mapped(
                        &file,
                        (line, 0),
                        format!(
                            "redirect `{from}` leads to a page that was not imported: left out"
                        ),
                    );
                    continue;
                }
            },
            _ => {
                report.not_mapped(
                    &file,
                    (line, 0),
                    format!("redirect `{from}` does not lead to a page of the guide (an outside address or a missing page): left out"),
                );
                continue;
            }
        };
        if !outputs.insert(output) {
            report.not_mapped(
                &file,
                (line, 0),
                format!("redirect `{from}` left out: the new book already has a page or redirect at that path"),
            );
            continue;
        }
        report.entry(
            EntryKind::Mapped,
            &file,
            (line, 0),
            format!("redirect `{from}` → `{target}`"),
        );
        rules.push((from, target));
    }
    report.redirects = rules.len();
    rules
}

/// book.toml for the new book.
fn book_toml(
    project: &Project,
    redirects: &[(String, String)],
    kinds: &[String],
    report: &mut Report,
) -> String {
    let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
    let title = project.title.clone().unwrap_or_else(|| {
        report
            .note("The source's configuration names no title: book.toml has a placeholder title.");
        "Imported guide".into()
    });
    let mut out = format!(
        "# Imported from {} by `guidebook import`.\n\n[book]\ntitle = {}\n",
        project.tool.name(),
        quote(&title)
    );
    if let Some(description) = &project.description {
        out.push_str(&format!("description = {}\n", quote(description)));
    }
    if !project.authors.is_empty() {
        let authors: Vec<String> = project.authors.iter().map(|a| quote(a)).collect();
        out.push_str(&format!("authors = [{}]\n", authors.join(", ")));
    }
    if let Some(language) = &project.language {
        out.push_str(&format!("language = {}\n", quote(language)));
    }
    if let Some(url) = project
        .repository_url
        .as_ref()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
    {
        out.push_str(&format!("repository-url = {}\n", quote(url)));
    }
    out.push_str(
        "\n[build]\ncontent-dir = \"content\"\n\
         # Links the source itself had broken (see the import report) are warnings, so the\n\
         # book builds; once they are fixed, remove this line to make them errors again.\n\
         broken-links = \"warn\"\n",
    );
    for kind in kinds {
        out.push_str(&format!(
            "\n[callouts.{kind}]\nlabel = {}\n",
            quote(&crate::config::humanize(kind))
        ));
    }
    if !redirects.is_empty() {
        out.push_str("\n[redirects]\n");
        for (from, to) in redirects {
            out.push_str(&format!("{} = {}\n", quote(from), quote(to)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_names() {
        for (path, name) in [
            ("guide/routing.md", "routing"),
            ("guide/index.md", "guide"),
            ("README.md", "home"),
            ("_partial.mdx", "partial"),
            ("what?.md", "what-"),
        ] {
            assert_eq!(page_name(Path::new(path)), name, "{path}");
        }
    }

    #[test]
    fn refuses_a_full_dest_and_one_inside_the_source() {
        let source = tempfile::tempdir().unwrap();
        let dest = tempfile::tempdir().unwrap();
        std::fs::write(dest.path().join("x"), "").unwrap();
        let error = check_dest(source.path(), dest.path())
            .unwrap_err()
            .to_string();
        assert!(error.contains("not empty"), "{error}");
        let inside = source.path().join("book");
        let error = check_dest(source.path(), &inside).unwrap_err().to_string();
        assert!(error.contains("inside the guide"), "{error}");
        check_dest(source.path(), &dest.path().join("new")).unwrap();
    }

    #[test]
    fn writes_atomically_into_an_empty_folder() {
        let parent = tempfile::tempdir().unwrap();
        let dest = parent.path().join("book");
        std::fs::create_dir(&dest).unwrap();
        let mut book = NewBook::default();
        book.files
            .insert("content/a.md".into(), Contents::Text("# A\n".into()));
        write(&book, &dest).unwrap();
        assert_eq!(
            std::fs::read_to_string(dest.join("content/a.md")).unwrap(),
            "# A\n"
        );
        let names: Vec<_> = std::fs::read_dir(parent.path())
            .unwrap()
            .flatten()
            .collect();
        assert_eq!(names.len(), 1, "no staging folder is left behind");
    }
}
