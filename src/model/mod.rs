//! The book model: every page with its order, slug, URL and place in the navigation.
//!
//! Input: the discovered folder tree and each file's parsed front matter and body. Output: a
//! [`Book`] whose pages are in navigation order (home first, then each part followed by its
//! chapters), generated pages for a missing home or part index, and the assets with the
//! places they are copied to. Stages after this one read and annotate the `Book`.

pub(crate) mod links;
pub(crate) mod study;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use self::links::PageLinks;
use self::study::{PageNumbers, Study};
use crate::config::{Config, humanize};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::discover::{Folder, SourceFile};
use crate::frontmatter::{FrontMatter, MAX_SLUG_BYTES};
use crate::markdown::Parsed;
pub(crate) use crate::paths::path_to_url;

/// What a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageKind {
    /// The home page, at `/`.
    Home,
    /// A part (a folder of chapters).
    Part,
    /// A chapter.
    Chapter,
    /// A generated page listing every callout of one kind (`index = "Glossary"`).
    Index,
    /// The generated practice page: every question of the book.
    Practice,
}

impl PageKind {
    /// A page made from the whole book rather than from a file of its own.
    pub(crate) fn is_study(self) -> bool {
        matches!(self, Self::Index | Self::Practice)
    }
}

/// A page read from a file.
#[derive(Debug, Clone)]
pub(crate) struct PageSource {
    /// The file.
    pub(crate) file: SourceFile,
}

/// One page of the book.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// Home, part or chapter.
    pub(crate) kind: PageKind,
    /// The file it comes from; `None` for a generated home or part page.
    pub(crate) source: Option<PageSource>,
    /// Its front matter.
    pub(crate) front: FrontMatter,
    /// The title, as plain text.
    pub(crate) title: String,
    /// The site-relative URL: `""` for home, `"apis/"`, `"apis/rest/"`.
    pub(crate) url: String,
    /// The parsed body, as parsed: later stages record what they find beside it.
    pub(crate) parsed: Arc<Parsed>,
    /// What its links resolved to (filled in by the links stage).
    pub(crate) links: Arc<PageLinks>,
    /// The numbers of its numbered callouts (filled in by the study stage).
    pub(crate) numbers: Arc<PageNumbers>,
    /// The part it belongs to (`None` at the top level).
    pub(crate) parent: Option<usize>,
    /// For parts (and home): the entries inside, in order.
    pub(crate) children: Vec<usize>,
}

impl Page {
    /// The description shown under the page's title: its own, or on the home page the
    /// book's.
    pub(crate) fn description<'a>(&'a self, config: &'a Config) -> Option<&'a str> {
        self.front.description.as_deref().or(match self.kind {
            PageKind::Home => config.book.description.as_deref(),
            _ => None,
        })
    }

    /// The file the page is written to, relative to the site: `apis/rest/index.html`.
    pub(crate) fn output_path(&self) -> String {
        format!("{}index.html", self.url)
    }

    /// The Markdown twin, relative to the site: `apis/rest.md`, or `index.md` for home.
    pub(crate) fn twin_path(&self) -> String {
        crate::site::twin_path(&self.url)
    }

    /// The source path relative to the book folder, for messages.
    pub(crate) fn display_path(&self) -> Option<&Path> {
        self.source.as_ref().map(|s| s.file.display.as_path())
    }
}

/// A file copied into the site as it is.
#[derive(Debug, Clone)]
pub(crate) struct Asset {
    /// Path relative to the content folder.
    pub(crate) rel: PathBuf,
    /// Path relative to the site.
    pub(crate) output: String,
}

/// The whole book.
#[derive(Debug, Clone)]
pub(crate) struct Book {
    /// The configuration.
    pub(crate) config: Arc<Config>,
    /// Every page in navigation order; `pages[0]` is home.
    pub(crate) pages: Vec<Page>,
    /// Assets under the content folder.
    pub(crate) assets: Vec<Asset>,
    /// Content-relative source path of each page read from a file.
    pub(crate) by_source: HashMap<PathBuf, usize>,
    /// Drafts left out of this build, by content-relative path (for link messages).
    pub(crate) left_out: Vec<PathBuf>,
    /// Files that failed to parse (their own error is reported), by content-relative path:
    /// links to them are not reported as well.
    pub(crate) failed: BTreeSet<PathBuf>,
    /// Each part's page (generated or not) by its content-relative folder; `""` is home.
    pub(crate) by_folder: HashMap<PathBuf, usize>,
    /// Every index entry and question (filled in by the study stage).
    pub(crate) study: Arc<Study>,
}

impl Book {
    /// A hash of the book's navigation: every page's kind, URL, title, description, source
    /// file and place among the others. Pages whose navigation, contents lists or neighbours
    /// could change are exactly those of a book whose fingerprint changed.
    pub(crate) fn skeleton_fingerprint(&self) -> u64 {
        use std::hash::{Hash as _, Hasher as _};
        let mut hasher = crate::fingerprint::Fingerprint::new();
        for page in &self.pages {
            (
                page.kind as u8,
                &page.url,
                &page.title,
                &page.front.description,
                page.display_path(),
                page.parent,
                &page.children,
            )
                .hash(&mut hasher);
        }
        hasher.finish()
    }

    /// Top-level entries (parts and chapters) in order.
    pub(crate) fn top_level(&self) -> &[usize] {
        &self.pages[0].children
    }

    /// Number of part pages.
    pub(crate) fn part_count(&self) -> usize {
        self.pages
            .iter()
            .filter(|p| p.kind == PageKind::Part)
            .count()
    }

    /// The page before and after `index` in reading order.
    pub(crate) fn neighbours(&self, index: usize) -> (Option<usize>, Option<usize>) {
        let prev = index.checked_sub(1);
        let next = (index + 1 < self.pages.len()).then_some(index + 1);
        (prev, next)
    }

    /// The part a page belongs to: itself for a part, else its parent (`None` at the top
    /// level).
    pub(crate) fn part_of(&self, index: usize) -> Option<usize> {
        match self.pages[index].kind {
            PageKind::Part => Some(index),
            _ => self.pages[index].parent,
        }
    }

    /// The chain of parts from the top level down to the page's parent.
    pub(crate) fn ancestors(&self, index: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut current = self.pages[index].parent;
        while let Some(p) = current {
            chain.push(p);
            current = self.pages[p].parent;
        }
        chain.reverse();
        chain
    }
}

/// A parsed file, ready to become a page.
#[derive(Debug, Clone)]
pub(crate) struct ParsedFile {
    /// Its front matter.
    pub(crate) front: FrontMatter,
    /// The parsed body.
    pub(crate) parsed: Arc<Parsed>,
}

impl ParsedFile {
    /// The page's title: the front matter's, else the first `#` heading's.
    pub(crate) fn title(&self) -> Option<String> {
        self.front
            .title
            .clone()
            .or_else(|| self.parsed.first_h1().map(str::to_string))
    }
}

/// Options that change which pages are in the book.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AssembleOptions {
    /// Keep pages marked `draft`.
    pub(crate) drafts: bool,
}

/// How deep parts may nest (folders inside folders); the templates' navigation recurses
/// once per level.
pub(crate) const MAX_PART_DEPTH: usize = 16;

/// An entry of a folder before ordering.
struct Entry {
    key: SortKey,
    item: EntryItem,
}

enum EntryItem {
    Page(SourceFile),
    Part(Folder),
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct SortKey {
    no_weight: bool,
    weight: i64,
    no_prefix: bool,
    prefix: u64,
    title: String,
    name: String,
}

/// Builds the book from the folder tree and the parsed files.
pub(crate) fn assemble(
    config: Arc<Config>,
    tree: Folder,
    mut parsed: HashMap<PathBuf, ParsedFile>,
    options: AssembleOptions,
) -> (Book, Diagnostics) {
    let mut assembler = BookAssembly {
        config: Arc::clone(&config),
        parsed: &mut parsed,
        options,
        pages: Vec::new(),
        assets: Vec::new(),
        left_out: Vec::new(),
        failed: BTreeSet::new(),
        by_folder: HashMap::from([(PathBuf::new(), 0)]),
        diagnostics: Diagnostics::new(),
    };
    let home = assembler.home(&tree);
    assembler.pages.push(home);
    let mut children = assembler.folder_entries(tree, None, "");
    children.extend(assembler.study_pages());
    assembler.pages[0].children = children;
    assembler.check_unique_urls();
    let by_source = assembler
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.source.as_ref().map(|s| (s.file.rel.clone(), i)))
        .collect();
    let book = Book {
        config,
        pages: assembler.pages,
        assets: assembler.assets,
        by_source,
        left_out: assembler.left_out,
        failed: assembler.failed,
        by_folder: assembler.by_folder,
        study: Arc::default(),
    };
    (book, assembler.diagnostics)
}

struct BookAssembly<'a> {
    config: Arc<Config>,
    parsed: &'a mut HashMap<PathBuf, ParsedFile>,
    options: AssembleOptions,
    pages: Vec<Page>,
    assets: Vec<Asset>,
    left_out: Vec<PathBuf>,
    failed: BTreeSet<PathBuf>,
    by_folder: HashMap<PathBuf, usize>,
    diagnostics: Diagnostics,
}

impl BookAssembly<'_> {
    fn home(&mut self, tree: &Folder) -> Page {
        match tree
            .index
            .as_ref()
            .and_then(|file| Some((file, self.take_parsed(file)?)))
        {
            Some((file, parsed)) => {
                self.home_warnings(file, &parsed);
                let title = parsed
                    .title()
                    .unwrap_or_else(|| self.config.book.title.clone());
                page_from(
                    file.clone(),
                    parsed,
                    PageKind::Home,
                    title,
                    String::new(),
                    None,
                )
            }
            None => generated(
                PageKind::Home,
                self.config.book.title.clone(),
                String::new(),
                None,
            ),
        }
    }

    /// `slug` and `draft` mean nothing for the home page: say so rather than ignore them.
    fn home_warnings(&mut self, file: &SourceFile, parsed: &ParsedFile) {
        let warn = |key: &str, why: &str| {
            Diagnostic::warning(format!("`{key}` has no effect on the home page"))
                .in_source(file, 0..3)
                .hint(format!("{why}; remove `{key}` from `_index.md`"))
        };
        if parsed.front.slug.is_some() {
            self.diagnostics
                .push(warn("slug", "the home page is always at `/`"));
        }
        if parsed.front.draft {
            self.diagnostics
                .push(warn("draft", "the home page is always built"));
        }
    }

    /// The parsed file; `None` when it failed to parse (its error is already reported, and
    /// the file is remembered so that links to it are not reported too).
    fn take_parsed(&mut self, file: &SourceFile) -> Option<ParsedFile> {
        let parsed = self.parsed.remove(&file.rel);
        if parsed.is_none() {
            self.failed.insert(file.rel.clone());
        }
        parsed
    }

    /// Adds the pages and parts of `folder` (inside the part `parent`, `None` at the top level)
    /// and returns their indices.
    fn folder_entries(&mut self, folder: Folder, parent: Option<usize>, url: &str) -> Vec<usize> {
        for asset in &folder.assets {
            let inside = asset.strip_prefix(&folder.rel).unwrap_or(asset);
            self.assets.push(Asset {
                rel: asset.clone(),
                output: format!("{url}{}", path_to_url(inside)),
            });
        }
        let mut entries: Vec<Entry> = Vec::new();
        for file in folder.pages {
            let key = self.page_key(&file);
            entries.push(Entry {
                key,
                item: EntryItem::Page(file),
            });
        }
        for part in folder.parts {
            let key = self.part_key(&part);
            entries.push(Entry {
                key,
                item: EntryItem::Part(part),
            });
        }
        entries.sort_by(|a, b| a.key.cmp(&b.key));

        let mut children = Vec::new();
        for entry in entries {
            let added = match entry.item {
                EntryItem::Page(file) => self.chapter(file, parent, url),
                EntryItem::Part(part) => self.part(part, parent, url),
            };
            children.extend(added);
        }
        children
    }

    fn page_key(&self, file: &SourceFile) -> SortKey {
        let parsed = self.parsed.get(&file.rel);
        let name = file_stem(&file.rel);
        let title = parsed.and_then(ParsedFile::title).unwrap_or_default();
        sort_key(parsed.and_then(|p| p.front.weight), &name, title)
    }

    fn part_key(&self, part: &Folder) -> SortKey {
        let parsed = part.index.as_ref().and_then(|f| self.parsed.get(&f.rel));
        let name = folder_name(&part.rel);
        let title = parsed
            .and_then(ParsedFile::title)
            .unwrap_or_else(|| humanize(split_prefix(&name).1));
        sort_key(parsed.and_then(|p| p.front.weight), &name, title)
    }

    fn chapter(&mut self, file: SourceFile, parent: Option<usize>, url: &str) -> Option<usize> {
        let parsed = self.take_parsed(&file)?;
        if parsed.front.draft && !self.options.drafts {
            self.left_out.push(file.rel.clone());
            return None;
        }
        let title = match parsed.title() {
            Some(title) => title,
            None => {
                self.missing_title(&file);
                file_stem(&file.rel)
            }
        };
        let slug = match parsed.front.slug.clone() {
            Some(slug) => slug,
            None => self.derived_slug(&file_stem(&file.rel), &file.rel, Some(&file), "file"),
        };
        let page_url = format!("{url}{slug}/");
        let page = page_from(file, parsed, PageKind::Chapter, title, page_url, parent);
        self.pages.push(page);
        Some(self.pages.len() - 1)
    }

    fn part(&mut self, mut folder: Folder, parent: Option<usize>, url: &str) -> Option<usize> {
        let name = folder_name(&folder.rel);
        let index_file = folder.index.take();
        let parsed = index_file.as_ref().and_then(|f| self.take_parsed(f));
        if parsed.as_ref().is_some_and(|p| p.front.draft) && !self.options.drafts {
            self.leave_out_folder(&folder, index_file.as_ref());
            return None;
        }
        let slug = match parsed.as_ref().and_then(|p| p.front.slug.clone()) {
            Some(slug) => slug,
            None => self.derived_slug(&name, &folder.rel, index_file.as_ref(), "folder"),
        };
        let part_url = format!("{url}{slug}/");
        if part_url.matches('/').count() == MAX_PART_DEPTH + 1 {
            self.too_deep(&folder.rel, index_file.as_ref());
        }
        let title = parsed
            .as_ref()
            .and_then(ParsedFile::title)
            .unwrap_or_else(|| humanize(split_prefix(&name).1));
        let page = match (index_file, parsed) {
            (Some(file), Some(parsed)) => page_from(
                file,
                parsed,
                PageKind::Part,
                title,
                part_url.clone(),
                parent,
            ),
            _ => generated(PageKind::Part, title, part_url.clone(), parent),
        };
        self.pages.push(page);
        let index = self.pages.len() - 1;
        self.by_folder.insert(folder.rel.clone(), index);
        let children = self.folder_entries(folder, Some(index), &part_url);
        self.pages[index].children = children;
        Some(index)
    }

    fn leave_out_folder(&mut self, folder: &Folder, index: Option<&SourceFile>) {
        self.left_out.extend(index.map(|f| f.rel.clone()));
        self.left_out
            .extend(folder.pages.iter().map(|f| f.rel.clone()));
        for part in &folder.parts {
            self.leave_out_folder(part, part.index.as_ref());
        }
    }

    /// The slug from a file or folder name (without its number prefix). Characters that
    /// would break a link (`:`, `#`, `?`, `%`, quotes, slashes) are an error: the name must
    /// change, or the front matter must give a `slug`.
    fn derived_slug(
        &mut self,
        name: &str,
        rel: &Path,
        file: Option<&SourceFile>,
        what: &str,
    ) -> String {
        let slug = split_prefix(name).1.to_string();
        if let Some(bad) = slug.chars().find(|&c| breaks_urls(c)) {
            let suggestion: String = slug
                .chars()
                .map(|c| {
                    if breaks_urls(c) || c.is_whitespace() {
                        '-'
                    } else {
                        c
                    }
                })
                .collect();
            let mut diag = Diagnostic::error(format!(
                "the {what} name `{name}` cannot be part of a URL: it contains `{bad}`"
            ))
            .hint(format!(
                "rename the {what}, or set `slug = \"{suggestion}\"` in the front matter of {}",
                if what == "folder" {
                    "its `_index.md`"
                } else {
                    "the page"
                }
            ));
            diag = match file {
                Some(file) => diag.in_source(file, 0..0),
                // A folder without `_index.md`: name the folder itself.
                None => diag.in_file(self.config.display_content_path(rel)),
            };
            self.diagnostics.push(diag);
        } else if slug.len() > MAX_SLUG_BYTES {
            let diag = Diagnostic::error(format!(
                "the {what} name makes a slug of {} bytes; a URL segment can be at most {MAX_SLUG_BYTES}",
                slug.len()
            ))
            .hint(format!(
                "rename the {what}, or set a shorter `slug` in the front matter of {}",
                if what == "folder" {
                    "its `_index.md`"
                } else {
                    "the page"
                }
            ));
            self.diagnostics.push(match file {
                Some(file) => diag.in_source(file, 0..0),
                None => diag.in_file(self.config.display_content_path(rel)),
            });
        }
        slug
    }

    /// Parts nested deeper than [`MAX_PART_DEPTH`]: an error at the first folder too deep.
    fn too_deep(&mut self, rel: &Path, index: Option<&SourceFile>) {
        let shown = self.config.display_content_path(rel);
        let diag = Diagnostic::error(format!(
            "the folder `{}` makes parts nested {} deep; guidebook allows {MAX_PART_DEPTH}",
            crate::paths::printable(&shown.display().to_string()),
            MAX_PART_DEPTH + 1,
        ))
        .hint(
            "move its pages into a folder higher up: readers cannot follow a book nested this deep",
        );
        self.diagnostics.push(match index {
            Some(file) => diag.in_source(file, 0..0),
            None => diag.in_file(shown),
        });
    }

    fn missing_title(&mut self, file: &SourceFile) {
        self.diagnostics.push(
            Diagnostic::error("the page has no title")
                .in_source(file, 0..0)
                .hint(
                    "add `title = \"…\"` to the front matter, or start the page with a `# Heading`",
                ),
        );
    }

    /// The generated pages after the chapters: an index page per kind that asks for one
    /// (in the order of the kinds' names), then the practice page when it is enabled (by
    /// default, when the book has a question).
    fn study_pages(&mut self) -> Vec<usize> {
        let config = Arc::clone(&self.config);
        let mut added = Vec::new();
        for (_, kind) in config.callouts.kinds() {
            if let Some(index) = &kind.index {
                let page = generated(
                    PageKind::Index,
                    index.title.clone(),
                    format!("{}/", index.slug),
                    None,
                );
                self.pages.push(page);
                added.push(self.pages.len() - 1);
            }
        }
        let practice = &config.practice;
        let has_questions = || {
            self.pages.iter().any(|page| {
                page.parsed
                    .anchors
                    .iter()
                    .any(|a| a.target == crate::markdown::headings::AnchorTarget::Question)
            })
        };
        if practice.enabled.unwrap_or_else(has_questions) {
            let page = generated(
                PageKind::Practice,
                practice.title.clone(),
                format!("{}/", practice.slug),
                None,
            );
            self.pages.push(page);
            added.push(self.pages.len() - 1);
        }
        added
    }

    fn check_unique_urls(&mut self) {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (index, page) in self.pages.iter().enumerate() {
            let Some(&first) = seen.get(page.url.as_str()) else {
                seen.insert(&page.url, index);
                continue;
            };
            let describe = |p: &Page| match (p.display_path(), p.kind) {
                (Some(d), _) => format!("`{}`", d.display()),
                (None, PageKind::Index) => format!(
                    "the index page \"{}\" (`index = \"{}\"` in book.toml)",
                    p.title, p.title
                ),
                (None, PageKind::Practice) => {
                    format!(
                        "the practice page \"{}\" (`[practice]` in book.toml)",
                        p.title
                    )
                }
                (None, _) => "a generated page".to_string(),
            };
            let mut diag = Diagnostic::error(format!(
                "two pages have the URL `/{}`: {} and {}",
                page.url,
                describe(&self.pages[first]),
                describe(page)
            ))
            .hint(if page.kind.is_study() || self.pages[first].kind.is_study() {
                "give the chapter another `slug` in its front matter, or the generated page another title in book.toml"
            } else {
                "give one of them another `slug` in its front matter, or rename its file"
            });
            // Generated pages come last: point at the chapter in their way.
            let located = page.source.as_ref().or(self.pages[first].source.as_ref());
            if let Some(source) = located {
                diag = diag.in_source(&source.file, 0..0);
            }
            self.diagnostics.push(diag);
        }
    }
}

fn page_from(
    file: SourceFile,
    parsed: ParsedFile,
    kind: PageKind,
    title: String,
    url: String,
    parent: Option<usize>,
) -> Page {
    Page {
        kind,
        front: parsed.front,
        title,
        url,
        parsed: parsed.parsed,
        links: Arc::default(),
        numbers: Arc::default(),
        parent,
        children: Vec::new(),
        source: Some(PageSource { file }),
    }
}

fn generated(kind: PageKind, title: String, url: String, parent: Option<usize>) -> Page {
    Page {
        kind,
        source: None,
        front: FrontMatter::default(),
        title,
        url,
        parsed: Arc::default(),
        links: Arc::default(),
        numbers: Arc::default(),
        parent,
        children: Vec::new(),
    }
}

fn sort_key(weight: Option<i64>, name: &str, title: String) -> SortKey {
    let (prefix, _) = split_prefix(name);
    SortKey {
        no_weight: weight.is_none(),
        weight: weight.unwrap_or(0),
        no_prefix: prefix.is_none(),
        prefix: prefix.unwrap_or(0),
        title: title.to_lowercase(),
        name: name.to_string(),
    }
}

/// Characters that a URL path segment cannot hold as they are.
fn breaks_urls(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            ':' | '#'
                | '?'
                | '%'
                | '/'
                | '\\'
                | '"'
                | '<'
                | '>'
                | '`'
                | '{'
                | '}'
                | '|'
                | '^'
                | '['
                | ']'
        )
}

/// Splits a numeric ordering prefix off a name: `"01-intro"` → `(Some(1), "intro")`.
pub(crate) fn split_prefix(name: &str) -> (Option<u64>, &str) {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return (None, name);
    }
    let rest = &name[digits..];
    match rest.strip_prefix(['-', '_', '.']) {
        Some(slug) if !slug.is_empty() => (name[..digits].parse().ok(), slug),
        _ => (name[..digits].parse().ok(), name),
    }
}

fn file_stem(rel: &Path) -> String {
    rel.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn folder_name(rel: &Path) -> String {
    rel.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(split_prefix("01-intro"), (Some(1), "intro"));
        assert_eq!(split_prefix("10_apis"), (Some(10), "apis"));
        assert_eq!(split_prefix("intro"), (None, "intro"));
        assert_eq!(split_prefix("42"), (Some(42), "42"));
    }

    #[test]
    fn order_is_weight_then_prefix_then_title() {
        let mut keys = [
            sort_key(None, "02-b", "B".into()),
            sort_key(None, "01-c", "C".into()),
            sort_key(Some(5), "09-z", "Z".into()),
            sort_key(None, "alpha", "Alpha".into()),
            sort_key(Some(-1), "x", "X".into()),
        ];
        keys.sort();
        let names: Vec<&str> = keys.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["x", "09-z", "01-c", "02-b", "alpha"]);
    }
}
