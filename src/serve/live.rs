//! The live book: the last good build kept in memory and brought up to date change by change.
//!
//! Input: batches of [`Change`]s. Output: an [`Update`] saying which open pages must reload
//! (the new site is already published to the server by then), or the diagnostics of a failed
//! build (the last good site stays served).
//!
//! A full rebuild is always correct and is the default; it reuses every parse whose text did
//! not change. The fast path handles the common case, an edit to the body of existing
//! chapters: only those files are parsed again, only their links (and the links of pages
//! that point at their headings, when the headings changed) are resolved again, and only
//! those pages are rendered. Anything else (a file added, removed or renamed, a changed title
//! or front matter, templates, book.toml, or several kinds of change at once) takes the full
//! rebuild. Every change to the served site happens with this book locked, so the server
//! never sees an older site after a newer one.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use axum::body::Bytes;

use super::site::SiteMap;
use super::watch::Change;
use crate::build::{BuildError, BuildOptions, Compiled, ParseCache, Session, load_config};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::discover::{self, SourceFile};
use crate::links::{self, LinkReport};
use crate::llms;
use crate::markdown::ast::{Inline, Link};
use crate::markdown::headings::Anchor;
use crate::model::{Book, ParsedFile};
use crate::output::{self, Copy};
use crate::render::{self, Renderer, Theme};
use crate::site::{SEARCH_DIR, SiteFile};

/// The served site, shared with the HTTP handlers.
pub(crate) type SiteSlot = Arc<RwLock<Arc<SiteMap>>>;

/// What an update means for the open tabs.
#[derive(Debug)]
pub(crate) enum Update {
    /// Tabs showing these pages (URL paths such as `/apis/rest/`) reload; `None`: all.
    Reload(Option<Vec<String>>),
    /// Only stylesheets changed: open tabs swap them without reloading.
    Styles,
    /// The build failed; the last good site stays served.
    Failed(Diagnostics),
    /// Nothing that matters changed.
    Unchanged,
}

impl Update {
    fn from_error(error: BuildError) -> Self {
        match error {
            BuildError::Book(diagnostics) => Self::Failed(diagnostics),
            BuildError::Usage(error) => {
                Self::from_errors(vec![Diagnostic::error(format!("{error:#}"))])
            }
        }
    }

    fn from_errors(diagnostics: Vec<Diagnostic>) -> Self {
        let mut errors = Diagnostics::new();
        errors.extend(diagnostics);
        Self::Failed(errors)
    }
}

/// The last good build.
struct Current {
    book: Book,
    theme: Theme,
    links: Vec<LinkReport>,
    copies: Vec<Copy>,
    site: SiteMap,
}

impl Current {
    /// Whether a file of `static/` is published at site path `to` (it then replaces what the
    /// build generates there).
    fn replaced_by_static(&self, to: &str) -> bool {
        self.copies.iter().any(|c| c.from_static && c.to == to)
    }

    /// Puts generated files into the site, except where `static/` replaces them, as in a
    /// build.
    fn insert_generated(&mut self, files: Vec<SiteFile>) {
        for file in files {
            if !self.replaced_by_static(&file.path) {
                self.site.insert(file.path, file.contents);
            }
        }
    }
}

/// A book being previewed.
pub(crate) struct LiveBook {
    session: Session,
    options: BuildOptions,
    config: Option<Arc<Config>>,
    cache: ParseCache,
    current: Option<Current>,
    slot: SiteSlot,
    /// Counts successful updates; a search index is only installed into the site it was
    /// built from.
    generation: u64,
    /// The last update failed part-way: the next one rebuilds everything.
    dirty: bool,
    /// Pages changed on the fast path, so llms.txt and llms-full.txt are out of date (a full
    /// rebuild writes them at once).
    exports_stale: bool,
    /// What the last update did, for the terminal.
    pub(crate) summary: String,
    /// Warnings of the last update.
    pub(crate) warnings: Diagnostics,
}

/// The pages to index and the site generation they belong to.
pub(crate) struct SearchJob {
    /// The generation of the site the pages come from.
    pub(crate) generation: u64,
    /// (URL, page HTML).
    pub(crate) pages: Vec<(String, Bytes)>,
    /// The book's language.
    pub(crate) language: String,
}

impl LiveBook {
    /// A live book that has not been built yet, publishing its site into `slot`.
    pub(crate) fn new(session: Session, options: BuildOptions, slot: SiteSlot) -> Self {
        Self {
            session,
            options,
            config: None,
            cache: ParseCache::remembering(),
            current: None,
            slot,
            generation: 0,
            dirty: true,
            exports_stale: false,
            summary: String::new(),
            warnings: Diagnostics::new(),
        }
    }

    /// The book's configuration, once it has been read.
    pub(crate) fn config(&self) -> Option<&Arc<Config>> {
        self.config.as_ref()
    }

    /// Whether a good build has ever been served.
    pub(crate) fn has_site(&self) -> bool {
        self.current.is_some()
    }

    /// Serves the current site.
    fn publish(&mut self) {
        if let Some(current) = &self.current {
            *self.slot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(current.site.clone());
        }
    }

    /// Marks the state as unreliable (after a panic): the next change rebuilds everything.
    pub(crate) fn mark_dirty(&mut self) {
        self.dirty = true;
    }

    /// Applies a batch of changes and publishes the result.
    pub(crate) fn apply(&mut self, changes: &[Change]) -> Update {
        self.warnings = Diagnostics::new();
        let update = self.decide(changes);
        self.finish(update)
    }

    /// Builds everything (reusing unchanged parses) and publishes it.
    pub(crate) fn rebuild(&mut self) -> Update {
        self.warnings = Diagnostics::new();
        let update = self.rebuild_inner();
        self.finish(update)
    }

    /// Publishes a new site, or after a failure (which may have stopped part-way) makes the
    /// next change rebuild everything.
    fn finish(&mut self, update: Update) -> Update {
        match update {
            Update::Failed(_) => self.dirty = true,
            Update::Unchanged => {}
            Update::Reload(_) | Update::Styles => {
                self.generation += 1;
                self.publish();
            }
        }
        update
    }

    fn decide(&mut self, changes: &[Change]) -> Update {
        if changes.is_empty() {
            return Update::Unchanged;
        }
        let kinds: BTreeSet<u8> = changes
            .iter()
            .map(|c| match c {
                Change::Config => 0,
                Change::Templates => 1,
                Change::Static(_) => 2,
                Change::Content(_) => 3,
            })
            .collect();
        // Several kinds at once (a checkout, "save all"): rebuild rather than combine paths.
        if self.dirty || self.current.is_none() || kinds.len() > 1 || kinds.contains(&0) {
            return self.rebuild_inner();
        }
        let paths: Vec<&PathBuf> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Static(path) | Change::Content(path) => Some(path),
                _ => None,
            })
            .collect();
        let fast = match changes[0] {
            Change::Templates => self.rerender_all(),
            Change::Static(_) => self.statics_changed(&paths),
            _ => self.content_changed(&paths),
        };
        fast.unwrap_or_else(|| self.rebuild_inner())
    }

    fn rebuild_inner(&mut self) -> Update {
        let config = match load_config(&self.options) {
            Ok(config) => config,
            Err(error) => return Update::from_error(error),
        };
        if self
            .config
            .as_ref()
            .is_some_and(|old| !same_parse_settings(old, &config))
        {
            self.cache = ParseCache::remembering();
        }
        self.config = Some(Arc::clone(&config));
        let compiled = match self.session.compile(config, &self.options, &mut self.cache) {
            Ok(compiled) => compiled,
            Err(error) => return Update::from_error(error),
        };
        let Compiled {
            book,
            theme,
            rendered,
            links,
            copies,
            diagnostics,
        } = compiled;
        let mut site = SiteMap::default();
        // Until the new index is built, the old one answers searches.
        if let Some(old) = &self.current {
            site.copy_prefix(&old.site, &format!("{}/", SEARCH_DIR));
        }
        for file in rendered.files {
            site.insert(file.path, file.contents);
        }
        let mut warnings = diagnostics;
        for file in llms::exports(&book) {
            site.insert(file.path, file.contents);
        }
        // After the generated files: `static/` may replace them, as in a build.
        load_copies(&copies, &mut site, &mut warnings);
        self.summary = format!("built {} pages", book.pages.len());
        self.warnings = warnings;
        self.dirty = false;
        self.exports_stale = false;
        self.current = Some(Current {
            book,
            theme,
            links,
            copies,
            site,
        });
        Update::Reload(None)
    }

    /// Templates changed: load them again and render every page (no parsing, no linking).
    fn rerender_all(&mut self) -> Option<Update> {
        let current = self.current.as_mut()?;
        let mut warnings = Diagnostics::new();
        let theme = match self.session.theme(&current.book.config.root, &mut warnings) {
            Ok(theme) => theme,
            Err(error) => return Some(Update::from_error(error)),
        };
        let (rendered, render_warnings) = match render::render(&current.book, &theme, true) {
            Ok(result) => result,
            Err(errors) => return Some(Update::Failed(errors)),
        };
        let current = self.current.as_mut()?;
        current.insert_generated(rendered.files);
        current.theme = theme;
        warnings.extend(render_warnings);
        self.summary = format!(
            "templates changed: rendered {} pages again",
            current.book.pages.len()
        );
        self.warnings = warnings;
        Some(Update::Reload(None))
    }

    /// Static files changed: replace them in the site. `None` (a rebuild) when a file went
    /// away, appeared, or is not one the build would copy.
    fn statics_changed(&mut self, paths: &[&PathBuf]) -> Option<Update> {
        let current = self.current.as_mut()?;
        let root = current.book.config.root.clone();
        let statics = root.join("static");
        for path in paths {
            let rel = path.strip_prefix(&statics).ok()?;
            let to = crate::model::path_to_url(rel);
            let known = current.copies.iter().any(|c| c.from_static && c.to == to);
            if !known || !path.is_file() || !output::Bounds::new(&[&root]).contains(path) {
                return None;
            }
            current.site.insert(to, std::fs::read(path).ok()?);
        }
        let styles_only = paths
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "css"));
        self.summary = format!("{} static file(s) changed", paths.len());
        Some(if styles_only {
            Update::Styles
        } else {
            Update::Reload(None)
        })
    }

    /// Content changed. `None` asks for a full rebuild; otherwise the fast path's result.
    fn content_changed(&mut self, paths: &[&PathBuf]) -> Option<Update> {
        let config = Arc::clone(self.config.as_ref()?);
        let (edited, assets) = match self.classify_content(&config, paths)? {
            Ok(found) => found,
            Err(failure) => return Some(failure),
        };
        let update = self.edit_pages(&config, edited, &assets);
        if let Some(Update::Reload(pages)) = &update {
            let count = pages.as_ref().map_or(0, Vec::len);
            self.summary = format!("updated {count} page(s)");
        }
        update
    }

    /// The edited pages (read) and changed assets, or `None` when something needs a rebuild.
    #[allow(
        clippy::type_complexity,
        reason = "a private two-way split, named at the call"
    )]
    fn classify_content(
        &mut self,
        config: &Config,
        paths: &[&PathBuf],
    ) -> Option<Result<(Vec<(usize, SourceFile)>, Vec<(String, PathBuf)>), Update>> {
        let current = self.current.as_ref()?;
        let content_dir = &config.build.content_dir;
        let mut edited = Vec::new();
        let mut assets = Vec::new();
        let allowed = output::Bounds::new(&[&config.root, content_dir]);
        for path in paths {
            if *path == content_dir || !path.is_file() || !allowed.contains(path) {
                return None;
            }
            let rel = path.strip_prefix(content_dir).ok()?.to_path_buf();
            if discover::is_hidden_path(&rel) {
                continue;
            }
            if !discover::is_markdown(&rel) {
                let output = current
                    .book
                    .assets
                    .iter()
                    .find(|a| a.rel == rel)?
                    .output
                    .clone();
                // A `static/` file at the same place wins in a build: let the rebuild decide.
                if current.replaced_by_static(&output) {
                    return None;
                }
                assets.push((output, path.to_path_buf()));
                continue;
            }
            let index = *current.book.by_source.get(&rel)?;
            match discover::read_page(content_dir, config.display_content_dir(), &rel).ok()? {
                Ok(file) => edited.push((index, file)),
                Err(not_utf8) => {
                    let mut errors = Diagnostics::new();
                    errors.push(not_utf8);
                    return Some(Err(Update::Failed(errors)));
                }
            }
        }
        Some(Ok((edited, assets)))
    }

    /// The fast path: parse, link and render only the edited pages and those that depend on
    /// their headings.
    fn edit_pages(
        &mut self,
        config: &Config,
        edited: Vec<(usize, SourceFile)>,
        assets: &[(String, PathBuf)],
    ) -> Option<Update> {
        let mut changed = BTreeSet::new();
        let mut headings_changed = BTreeSet::new();
        for (index, file) in edited {
            match self.reparse(config, index, file)? {
                Ok(Reparsed::Same) => {}
                Ok(Reparsed::Body { headings }) => {
                    changed.insert(index);
                    if headings {
                        headings_changed.insert(index);
                    }
                }
                Err(failure) => return Some(failure),
            }
        }
        let current = self.current.as_mut()?;
        let dependents = pages_linking_to(&current.links, &headings_changed);
        let pages: Vec<usize> = changed.union(&dependents).copied().collect();
        if pages.is_empty() && assets.is_empty() {
            return Some(Update::Unchanged);
        }
        match self.relink(&dependents, &changed, &pages)? {
            Ok(()) => {}
            Err(failure) => return Some(failure),
        }
        if let Err(failure) = self.rerender(&pages) {
            return Some(failure);
        }
        self.exports_stale |= !changed.is_empty();
        let current = self.current.as_mut()?;
        for (output, path) in assets {
            current
                .site
                .insert(output.clone(), std::fs::read(path).ok()?);
        }
        if !assets.is_empty() {
            return Some(Update::Reload(None));
        }
        let urls = pages
            .iter()
            .map(|&j| format!("/{}", current.book.pages[j].url))
            .collect();
        Some(Update::Reload(Some(urls)))
    }

    /// Parses an edited page and puts its new (unresolved) tree in the book.
    fn reparse(
        &mut self,
        config: &Config,
        index: usize,
        file: SourceFile,
    ) -> Option<Result<Reparsed, Update>> {
        let current = self.current.as_ref()?;
        let page = &current.book.pages[index];
        let old_text = Arc::clone(&page.source.as_ref()?.file.text);
        if *old_text == *file.text {
            return Some(Ok(Reparsed::Same));
        }
        let old: ParsedFile = match self.cache.get(&file.rel, &old_text)? {
            Ok((parsed, _)) => parsed.clone(),
            Err(_) => return None,
        };
        let (parsed, diagnostics) = match self.cache.parse_one(config, &file).clone() {
            Ok(result) => result,
            Err(diags) => return Some(Err(Update::from_errors(diags))),
        };
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Some(Err(Update::from_errors(diagnostics)));
        }
        self.warnings.extend(diagnostics);
        // Title, order, slug or description: the navigation and other pages change.
        if parsed.front != old.front || parsed.title() != old.title() {
            return None;
        }
        let headings = !same_anchors(&old.parsed.anchors, &parsed.parsed.anchors);
        let page = &mut self.current.as_mut()?.book.pages[index];
        page.source.as_mut()?.file = file;
        page.parsed = parsed.parsed;
        Some(Ok(Reparsed::Body { headings }))
    }

    /// Resolves the links of `pages`; dependents start again from their unresolved trees.
    /// `None` asks for a rebuild (a dependent's parse is not cached).
    fn relink(
        &mut self,
        dependents: &BTreeSet<usize>,
        changed: &BTreeSet<usize>,
        pages: &[usize],
    ) -> Option<Result<(), Update>> {
        let current = self.current.as_mut()?;
        for &j in dependents.difference(changed) {
            let source = current.book.pages[j].source.as_ref()?;
            let Ok((parsed, _)) = self.cache.get(&source.file.rel, &source.file.text)? else {
                return None;
            };
            current.book.pages[j].parsed.doc = parsed.parsed.doc.clone();
        }
        let (diagnostics, reports) = links::resolve_pages(&mut current.book, pages);
        if diagnostics.has_errors() {
            return Some(Err(Update::Failed(diagnostics)));
        }
        for (&j, report) in pages.iter().zip(reports) {
            current.links[j] = report;
        }
        Some(Ok(()))
    }

    /// Renders `pages` (and their twins) into the site.
    fn rerender(&mut self, pages: &[usize]) -> Result<(), Update> {
        let Some(current) = self.current.as_mut() else {
            return Ok(());
        };
        let renderer = Renderer::new(&current.book, &current.theme);
        let files = match renderer.pages(pages) {
            Ok((files, warnings)) => {
                self.warnings.extend(warnings);
                files
            }
            Err(errors) => {
                return Err(Update::Failed(errors));
            }
        };
        drop(renderer);
        for file in files {
            current.site.insert(file.path, file.contents);
        }
        if current.book.config.llms.enabled {
            for &j in pages {
                let twin = llms::twin_of(&current.book, j);
                current.site.insert(twin.path, twin.contents);
            }
        }
        Ok(())
    }

    /// After the reload went out: the book-wide LLM files (llms.txt, llms-full.txt) of the
    /// current book, written into the site (where `static/` does not replace them).
    pub(crate) fn refresh_exports(&mut self) {
        let Some(current) = self.current.as_mut() else {
            return;
        };
        if !std::mem::take(&mut self.exports_stale) || !current.book.config.llms.enabled {
            return;
        }
        let files = llms::book_files(&current.book);
        current.insert_generated(files);
        self.publish();
    }

    /// The pages to index, when search is on.
    pub(crate) fn search_job(&self) -> Option<SearchJob> {
        let current = self.current.as_ref()?;
        if !current.book.config.search.enabled {
            return None;
        }
        let pages = current
            .book
            .pages
            .iter()
            .filter_map(|page| {
                let html = current.site.get(&page.output_path())?.clone();
                Some((format!("/{}", page.url), html))
            })
            .collect();
        Some(SearchJob {
            generation: self.generation,
            pages,
            language: current.book.config.book.language.clone(),
        })
    }

    /// Installs a search index built from `generation`; an index of an older site is dropped
    /// (the newer one is being indexed). Returns whether it was installed.
    pub(crate) fn install_search(&mut self, generation: u64, files: Vec<SiteFile>) -> bool {
        if generation != self.generation {
            return false;
        }
        let Some(current) = self.current.as_mut() else {
            return false;
        };
        current.site.remove_prefix(&format!("{}/", SEARCH_DIR));
        for file in files {
            current.site.insert(file.path, file.contents);
        }
        self.publish();
        true
    }
}

/// What re-parsing an edited page found.
enum Reparsed {
    /// The text did not change.
    Same,
    /// The body changed; `headings` when its headings (ids, text, markup) changed too.
    Body { headings: bool },
}

/// Pages whose links point at any of `targets`.
fn pages_linking_to(links: &[LinkReport], targets: &BTreeSet<usize>) -> BTreeSet<usize> {
    if targets.is_empty() {
        return BTreeSet::new();
    }
    links
        .iter()
        .enumerate()
        .filter(|(_, report)| report.targets.iter().any(|t| targets.contains(t)))
        .map(|(j, _)| j)
        .collect()
}

/// Whether two configurations parse pages the same way (else cached parses are stale).
fn same_parse_settings(a: &Config, b: &Config) -> bool {
    // Kinds, aliases and `collapsible` (which `{open}` is checked against) all shape a parse.
    a.build.number_sections == b.build.number_sections && a.callouts == b.callouts
}

/// Whether headings are the same for the pages that link to them: ids, numbers, levels, and
/// the text and markup that filled-in link text copies.
fn same_anchors(a: &[Anchor], b: &[Anchor]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.id == y.id
                && x.number == y.number
                && x.target == y.target
                && same_inlines(&x.content, &y.content)
        })
}

/// Inline content compared by what it shows (source positions ignored).
fn same_inlines(a: &[Inline], b: &[Inline]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_inline(x, y))
}

fn same_inline(a: &Inline, b: &Inline) -> bool {
    match (a, b) {
        (Inline::Text(x), Inline::Text(y))
        | (Inline::Code(x), Inline::Code(y))
        | (Inline::Html(x), Inline::Html(y)) => x == y,
        (Inline::FootnoteRef(x), Inline::FootnoteRef(y)) => x == y,
        (Inline::SoftBreak, Inline::SoftBreak) | (Inline::HardBreak, Inline::HardBreak) => true,
        (Inline::TaskMarker(x), Inline::TaskMarker(y)) => x == y,
        (Inline::Emphasis(x), Inline::Emphasis(y))
        | (Inline::Strong(x), Inline::Strong(y))
        | (Inline::Strikethrough(x), Inline::Strikethrough(y)) => same_inlines(x, y),
        (Inline::Link(x), Inline::Link(y)) | (Inline::Image(x), Inline::Image(y)) => {
            same_link(x, y)
        }
        _ => false,
    }
}

fn same_link(a: &Link, b: &Link) -> bool {
    a.dest == b.dest
        && a.title == b.title
        && a.autolink == b.autolink
        && same_inlines(&a.content, &b.content)
}

/// Content assets and the book's `static/` files, read into the site.
fn load_copies(copies: &[Copy], site: &mut SiteMap, warnings: &mut Diagnostics) {
    for copy in copies {
        match std::fs::read(&copy.from) {
            Ok(bytes) => site.insert(copy.to.clone(), bytes),
            Err(error) => warnings.push(Diagnostic::warning(format!(
                "could not read `{}`: {error}",
                copy.from.display()
            ))),
        }
    }
}
