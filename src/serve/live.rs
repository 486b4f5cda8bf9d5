//! The live book: the last good build kept in memory and brought up to date change by change.
//!
//! Input: batches of [`Change`]s. Output: an [`Update`]: the new site and which open pages
//! must reload, or the diagnostics of a failed build (the last good site stays served).
//!
//! A full rebuild is always correct and is the default; it reuses every parse whose text did
//! not change. The fast path handles the common case, an edit to the body of existing
//! chapters: only those files are parsed again, only their links (and the links of pages that
//! point at their headings, when the headings changed) are resolved again, and only those
//! pages are rendered. Anything else (a new, removed or renamed file, a changed title or front
//! matter, templates, book.toml) takes the full rebuild.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Bytes;

use super::site::SiteMap;
use super::watch::Change;
use crate::build::{BuildError, BuildOptions, Compiled, ParseCache, Session, load_config};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::discover::{self, SourceFile};
use crate::links::{self, LinkReport};
use crate::llms;
use crate::model::Book;
use crate::render::{Renderer, Theme};

/// The outcome of applying changes.
pub(crate) enum Update {
    /// Open tabs showing these pages (URL paths such as `/apis/rest/`) reload; `None`: all.
    Reload {
        /// The pages, or `None` for every page.
        pages: Option<Vec<String>>,
        /// The new site.
        site: SiteMap,
    },
    /// Only stylesheets changed: open tabs swap them without reloading.
    Styles {
        /// The new site.
        site: SiteMap,
    },
    /// The build failed; the last good site stays served.
    Failed(Diagnostics),
    /// Nothing that matters changed.
    Unchanged,
}

/// The last good build.
struct Current {
    book: Book,
    theme: Theme,
    links: Vec<LinkReport>,
    site: SiteMap,
}

/// A book being previewed.
pub(crate) struct LiveBook {
    session: Session,
    options: BuildOptions,
    config: Option<Arc<Config>>,
    cache: ParseCache,
    current: Option<Current>,
    /// The last update failed part-way: the next one rebuilds everything.
    dirty: bool,
    /// What the last update did, for the terminal.
    pub(crate) summary: String,
    /// Warnings of the last update.
    pub(crate) warnings: Diagnostics,
}

impl LiveBook {
    /// A live book that has not been built yet.
    pub(crate) fn new(session: Session, options: BuildOptions) -> Self {
        Self {
            session,
            options,
            config: None,
            cache: ParseCache::default(),
            current: None,
            dirty: true,
            summary: String::new(),
            warnings: Diagnostics::new(),
        }
    }

    /// The book's configuration, once it has been read.
    pub(crate) fn config(&self) -> Option<&Arc<Config>> {
        self.config.as_ref()
    }

    /// The pages' HTML of the current site, for the search index: (URL, HTML).
    pub(crate) fn search_snapshot(&self) -> Option<(Vec<(String, Bytes)>, String)> {
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
        Some((pages, current.book.config.book.language.clone()))
    }

    /// Builds everything from scratch (reusing unchanged parses).
    pub(crate) fn rebuild(&mut self) -> Update {
        self.warnings = Diagnostics::new();
        let config = match load_config(&self.options) {
            Ok(config) => config,
            Err(error) => return self.fail(error),
        };
        if self
            .config
            .as_ref()
            .is_some_and(|old| !same_parse_settings(old, &config))
        {
            self.cache = ParseCache::default();
        }
        self.config = Some(Arc::clone(&config));
        let compiled = match self.session.compile(config, &self.options, &mut self.cache) {
            Ok(compiled) => compiled,
            Err(error) => return self.fail(error),
        };
        let Compiled {
            book,
            theme,
            rendered,
            links,
            diagnostics,
        } = compiled;
        let mut site = SiteMap::default();
        for file in rendered.files {
            site.insert(file.path, file.contents);
        }
        let mut warnings = diagnostics;
        load_copies(&book, &mut site, &mut warnings);
        for file in llms::exports(&book) {
            site.insert(file.path, file.contents);
        }
        self.summary = format!("built {} pages", book.pages.len());
        self.warnings = warnings;
        self.dirty = false;
        self.current = Some(Current {
            book,
            theme,
            links,
            site: site.clone(),
        });
        Update::Reload { pages: None, site }
    }

    fn fail(&mut self, error: BuildError) -> Update {
        self.dirty = true;
        match error {
            BuildError::Book(diagnostics) => Update::Failed(diagnostics),
            BuildError::Usage(error) => {
                let mut diagnostics = Diagnostics::new();
                diagnostics.push(Diagnostic::error(format!("{error:#}")));
                Update::Failed(diagnostics)
            }
        }
    }

    /// Applies a batch of changes.
    pub(crate) fn apply(&mut self, changes: &[Change]) -> Update {
        if changes.is_empty() {
            return Update::Unchanged;
        }
        if self.dirty
            || self.current.is_none()
            || changes.iter().any(|c| matches!(c, Change::Config))
        {
            return self.rebuild();
        }
        if changes.iter().any(|c| matches!(c, Change::Templates)) {
            return self.rerender_all();
        }
        let statics: Vec<&PathBuf> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Static(path) => Some(path),
                _ => None,
            })
            .collect();
        let content: Vec<&PathBuf> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Content(path) => Some(path),
                _ => None,
            })
            .collect();
        if !content.is_empty() {
            return match self.content_changed(&content) {
                Some(update) => update,
                None => self.rebuild(),
            };
        }
        match self.statics_changed(&statics) {
            Some(update) => update,
            None => self.rebuild(),
        }
    }

    /// Templates changed: load them again and render every page (no parsing, no linking).
    fn rerender_all(&mut self) -> Update {
        self.warnings = Diagnostics::new();
        let Some(current) = self.current.as_mut() else {
            return self.rebuild();
        };
        let mut warnings = Diagnostics::new();
        let theme = match self.session.theme(&current.book.config.root, &mut warnings) {
            Ok(theme) => theme,
            Err(error) => return self.fail(error),
        };
        let renderer = Renderer::new(&current.book, &theme);
        let all: Vec<usize> = (0..current.book.pages.len()).collect();
        let files = match renderer.pages(&all) {
            Ok((files, page_warnings)) => {
                warnings.extend(page_warnings);
                files
            }
            Err(errors) => return self.fail(BuildError::Book(errors)),
        };
        let site_files = match renderer.site_files() {
            Ok(files) => files,
            Err(error) => {
                let mut errors = Diagnostics::new();
                errors.push(error);
                return self.fail(BuildError::Book(errors));
            }
        };
        drop(renderer);
        let current = self.current.as_mut().expect("checked above");
        for file in files.into_iter().chain(site_files) {
            current.site.insert(file.path, file.contents);
        }
        current.theme = theme;
        self.summary = format!(
            "templates changed: rendered {} pages again",
            current.book.pages.len()
        );
        self.warnings = warnings;
        Update::Reload {
            pages: None,
            site: current.site.clone(),
        }
    }

    /// Static files changed: replace them in the site. `None` when a file went away (a theme
    /// file may have to come back from the built-in set: rebuild).
    fn statics_changed(&mut self, paths: &[&PathBuf]) -> Option<Update> {
        let current = self.current.as_mut()?;
        let statics = current.book.config.root.join("static");
        for path in paths {
            if !path.is_file() {
                return None;
            }
            let rel = path.strip_prefix(&statics).ok()?;
            let bytes = std::fs::read(path).ok()?;
            current.site.insert(crate::model::path_to_url(rel), bytes);
        }
        let styles_only = paths
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "css"));
        self.summary = format!("{} static file(s) changed", paths.len());
        let site = current.site.clone();
        Some(if styles_only {
            Update::Styles { site }
        } else {
            Update::Reload { pages: None, site }
        })
    }

    /// Content changed. `None` asks for a full rebuild; otherwise the fast path's result.
    fn content_changed(&mut self, paths: &[&PathBuf]) -> Option<Update> {
        self.warnings = Diagnostics::new();
        let config = Arc::clone(self.config.as_ref()?);
        let content_dir = &config.build.content_dir;
        let current = self.current.as_mut()?;
        let mut edited: Vec<(usize, SourceFile)> = Vec::new();
        let mut assets: Vec<(String, PathBuf)> = Vec::new();
        for path in paths {
            if *path == content_dir || !path.is_file() {
                return None;
            }
            let rel = path.strip_prefix(content_dir).ok()?.to_path_buf();
            if rel
                .components()
                .any(|c| discover::is_hidden(&c.as_os_str().to_string_lossy()))
            {
                continue;
            }
            if rel
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md"))
            {
                let index = *current.book.by_source.get(&rel)?;
                let bytes = std::fs::read(path).ok()?;
                let display = current.book.pages[index].display_path()?.to_path_buf();
                let text = match String::from_utf8(bytes) {
                    Ok(text) => text,
                    Err(e) => {
                        let mut errors = Diagnostics::new();
                        errors.push(discover::not_utf8(&display, e.as_bytes()));
                        self.dirty = true;
                        return Some(Update::Failed(errors));
                    }
                };
                edited.push((
                    index,
                    SourceFile {
                        rel,
                        display,
                        text: Arc::from(text),
                    },
                ));
            } else {
                let output = current
                    .book
                    .assets
                    .iter()
                    .find(|a| a.rel == rel)?
                    .output
                    .clone();
                assets.push((output, path.to_path_buf()));
            }
        }
        let update = self.edit_pages(&config, edited, &assets);
        if let Some(Update::Reload { pages, .. }) = &update {
            let count = pages.as_ref().map_or(0, Vec::len);
            self.summary = format!("updated {count} page(s)");
        }
        update
    }

    /// The fast path: parse, link and render only the edited pages and those that depend on
    /// their headings.
    fn edit_pages(
        &mut self,
        config: &Config,
        edited: Vec<(usize, SourceFile)>,
        assets: &[(String, PathBuf)],
    ) -> Option<Update> {
        let current = self.current.as_mut()?;
        let mut changed: BTreeSet<usize> = BTreeSet::new();
        let mut dependents: BTreeSet<usize> = BTreeSet::new();
        for (index, file) in edited {
            let page = &current.book.pages[index];
            if page
                .source
                .as_ref()
                .is_some_and(|s| *s.file.text == *file.text)
            {
                continue;
            }
            let (parsed, diagnostics) = match self.cache.parse_one(config, &file) {
                Ok(result) => result.clone(),
                Err(diag) => {
                    self.dirty = true;
                    let mut errors = Diagnostics::new();
                    errors.push(diag.clone());
                    return Some(Update::Failed(errors));
                }
            };
            if diagnostics.iter().any(Diagnostic::is_error) {
                self.dirty = true;
                let mut errors = Diagnostics::new();
                errors.extend(diagnostics);
                return Some(Update::Failed(errors));
            }
            self.warnings.extend(diagnostics);
            let title = parsed
                .front
                .title
                .clone()
                .or_else(|| parsed.parsed.first_h1.clone());
            if parsed.front != page.front || title.as_deref() != Some(page.title.as_str()) {
                // Title, order, slug or description: the navigation and other pages change.
                return None;
            }
            let anchors_changed = !same_anchors(&page.parsed.anchors, &parsed.parsed.anchors);
            let page = &mut current.book.pages[index];
            if let Some(source) = page.source.as_mut() {
                source.file = file;
            }
            page.parsed = parsed.parsed;
            changed.insert(index);
            if anchors_changed {
                dependents.extend(
                    current
                        .links
                        .iter()
                        .enumerate()
                        .filter(|(_, report)| report.targets.contains(&index))
                        .map(|(j, _)| j),
                );
            }
        }
        // Pages that link to changed headings start again from their unresolved trees.
        for &j in dependents.difference(&changed) {
            let source = current.book.pages[j].source.as_ref()?;
            let Ok((parsed, _)) = self.cache.get(&source.file.rel, &source.file.text)? else {
                return None;
            };
            current.book.pages[j].parsed.doc = parsed.parsed.doc.clone();
        }
        let pages: Vec<usize> = changed.union(&dependents).copied().collect();
        if pages.is_empty() && assets.is_empty() {
            return Some(Update::Unchanged);
        }
        let (link_diagnostics, reports) = links::resolve_pages(&mut current.book, &pages);
        if link_diagnostics.has_errors() {
            self.dirty = true;
            return Some(Update::Failed(link_diagnostics));
        }
        for (&j, report) in pages.iter().zip(reports) {
            current.links[j] = report;
        }
        let renderer = Renderer::new(&current.book, &current.theme);
        let files = match renderer.pages(&pages) {
            Ok((files, warnings)) => {
                self.warnings.extend(warnings);
                files
            }
            Err(errors) => {
                self.dirty = true;
                return Some(Update::Failed(errors));
            }
        };
        drop(renderer);
        for file in files {
            current.site.insert(file.path, file.contents);
        }
        for (output, path) in assets {
            current
                .site
                .insert(output.clone(), std::fs::read(path).ok()?);
        }
        let urls = if assets.is_empty() {
            Some(
                pages
                    .iter()
                    .map(|&j| format!("/{}", current.book.pages[j].url))
                    .collect(),
            )
        } else {
            None
        };
        Some(Update::Reload {
            pages: urls,
            site: current.site.clone(),
        })
    }

    /// After the reload was sent: the LLM exports of the current book (twins, llms.txt,
    /// llms-full.txt), written into the current site. Returns the updated site.
    pub(crate) fn refresh_exports(&mut self) -> Option<SiteMap> {
        let current = self.current.as_mut()?;
        if !current.book.config.llms.enabled {
            return None;
        }
        for file in llms::exports(&current.book) {
            current.site.insert(file.path, file.contents);
        }
        Some(current.site.clone())
    }

    /// Puts a freshly built search index into the current site.
    pub(crate) fn install_search(
        &mut self,
        files: Vec<crate::render::SiteFile>,
    ) -> Option<SiteMap> {
        let current = self.current.as_mut()?;
        current
            .site
            .remove_prefix(&format!("{}/", crate::search::BUNDLE_DIR));
        for file in files {
            current.site.insert(file.path, file.contents);
        }
        Some(current.site.clone())
    }
}

/// Whether two configurations parse pages the same way (else cached parses are stale).
fn same_parse_settings(a: &Config, b: &Config) -> bool {
    let kinds = |c: &Config| c.callouts.names().map(str::to_string).collect::<Vec<_>>();
    a.build.number_sections == b.build.number_sections && kinds(a) == kinds(b)
}

fn same_anchors(
    a: &[crate::markdown::headings::Anchor],
    b: &[crate::markdown::headings::Anchor],
) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.id == y.id && x.text == y.text && x.number == y.number && x.level == y.level
        })
}

/// Content assets and the book's `static/` files, read into the site. Files reached through
/// links that lead outside the book folder are left out, with a warning.
fn load_copies(book: &Book, site: &mut SiteMap, warnings: &mut Diagnostics) {
    let Ok(copies) = crate::build::copies(book, warnings) else {
        return;
    };
    for copy in copies {
        match std::fs::read(&copy.from) {
            Ok(bytes) => site.insert(copy.to, bytes),
            Err(error) => warnings.push(Diagnostic::warning(format!(
                "could not read `{}`: {error}",
                copy.from.display()
            ))),
        }
    }
}
