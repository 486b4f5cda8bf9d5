//! The book being previewed: the pipeline run again on every change, its output diffed
//! against what is served.
//!
//! Input: "something changed" (the watcher's batches). Output: an [`Update`] saying which
//! open pages must reload (the new site is already published to the server by then), or the
//! diagnostics of a failed run (the last good site stays served). There is no other rebuild
//! path: every update is a full [`Pipeline::run`], which its memos make cheap when little
//! changed, and the tabs hear about exactly the files whose bytes changed.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use super::diff::{Update, changed, classify};
use super::site::SiteMap;
use crate::config::{Config, Overrides};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pipeline::{self, Failure, Pipeline, PipelineOptions, Site};
use crate::search::SearchInput;
use crate::site::{SEARCH_DIR, SiteFile};

/// The served site, shared with the HTTP handlers.
pub(crate) type SiteSlot = Arc<RwLock<Arc<SiteMap>>>;

/// The pages to index and the site generation they belong to.
pub(crate) struct SearchJob {
    /// The generation of the site the pages come from.
    pub(crate) generation: u64,
    /// Each page's URL and HTML.
    pub(crate) pages: SearchInput,
    /// The book's language.
    pub(crate) language: String,
}

/// A book being previewed.
pub(crate) struct Preview {
    pipeline: Pipeline,
    book_dir: PathBuf,
    config: Option<Arc<Config>>,
    /// The last good site (without its search index, which `served` carries).
    current: Option<Site>,
    /// What the server sends: `current`'s files and the search index.
    served: Arc<SiteMap>,
    slot: SiteSlot,
    /// Counts sites whose pages changed; a search index is only installed into the site it
    /// was built from.
    generation: u64,
    /// What the last update did, for the terminal.
    pub(crate) summary: String,
    /// Warnings of the last update.
    pub(crate) warnings: Diagnostics,
}

impl Preview {
    /// A preview of the book in `book_dir` that has not been built yet, publishing into `slot`.
    pub(crate) fn new(book_dir: PathBuf, drafts: bool, slot: SiteSlot) -> Self {
        Self {
            pipeline: Pipeline::remembering(PipelineOptions {
                drafts,
                served_at_root: true,
                copies_in_memory: true,
            }),
            book_dir,
            config: None,
            current: None,
            served: Arc::default(),
            slot,
            generation: 0,
            summary: String::new(),
            warnings: Diagnostics::new(),
        }
    }

    /// The book's configuration, once it has been read.
    pub(crate) fn config(&self) -> Option<&Arc<Config>> {
        self.config.as_ref()
    }

    /// Whether a good site has ever been served.
    pub(crate) fn has_site(&self) -> bool {
        self.current.is_some()
    }

    /// Runs the pipeline again and publishes the result if it succeeded.
    pub(crate) fn update(&mut self) -> Update {
        self.warnings = Diagnostics::new();
        let config = match pipeline::load_config(&self.book_dir, &Overrides::default()) {
            Ok(config) => config,
            Err(failure) => return failed(failure),
        };
        self.config = Some(Arc::clone(&config));
        let site = match self.pipeline.run(&config) {
            Ok(site) => site,
            Err(failure) => return failed(failure),
        };
        let mut served = SiteMap::from_site(&site.files);
        // Until the new index is built, the old one answers searches.
        served.copy_prefix(&self.served, &format!("{SEARCH_DIR}/"));
        let first = self.current.is_none();
        let changed = changed(&self.served, &served);
        let update = classify(&changed, first);
        self.summary = format!(
            "built {} pages{}",
            site.book.pages.len(),
            match &update {
                Update::Reload(Some(pages)) => format!(", {} changed", pages.len()),
                Update::Unchanged => ", nothing changed".into(),
                _ => String::new(),
            }
        );
        self.warnings = site.warnings.clone();
        self.current = Some(site);
        if matches!(update, Update::Reload(_) | Update::Styles) {
            // The pages (may) have changed: a search index of the earlier ones is stale.
            self.generation += 1;
        }
        if first || !changed.is_empty() {
            self.publish(served);
        }
        update
    }

    fn publish(&mut self, served: SiteMap) {
        self.served = Arc::new(served);
        *self.slot.write().unwrap_or_else(|e| e.into_inner()) = Arc::clone(&self.served);
    }

    /// The pages to index, when search is on.
    pub(crate) fn search_job(&self) -> Option<SearchJob> {
        let site = self.current.as_ref()?;
        site.book.config.search.enabled.then(|| SearchJob {
            generation: self.generation,
            pages: site.search_input(),
            language: site.book.config.book.language.clone(),
        })
    }

    /// Installs a search index built from `generation`; an index of an older site is dropped
    /// (the newer one is being indexed). Returns whether it was installed.
    pub(crate) fn install_search(&mut self, generation: u64, files: Vec<SiteFile>) -> bool {
        if generation != self.generation || self.current.is_none() {
            return false;
        }
        let mut served = (*self.served).clone();
        served.remove_prefix(&format!("{SEARCH_DIR}/"));
        for file in files {
            served.insert(file.path, file.contents);
        }
        // The same site with its index: no tab needs to know.
        self.served = Arc::new(served);
        *self.slot.write().unwrap_or_else(|e| e.into_inner()) = Arc::clone(&self.served);
        true
    }
}

/// The update for a run that made no site.
fn failed(failure: Failure) -> Update {
    match failure {
        Failure::Book(diagnostics) => Update::Failed(diagnostics),
        Failure::Usage(error) => {
            let mut diagnostics = Diagnostics::new();
            diagnostics.push(crate::diagnostics::from_error(&error));
            Update::Failed(diagnostics)
        }
    }
}

impl SiteMap {
    /// The files of a site as the server holds them (every file in memory).
    fn from_site(files: &crate::site::SiteFiles) -> Self {
        let mut map = SiteMap::default();
        // The preview's pipeline reads copies into memory; a copy left on disk is a file
        // that could not be read (already warned about), and is not served.
        for (path, data) in files {
            map.insert_data(path.clone(), data.clone());
        }
        map
    }
}

/// An internal error as an update (a panic while rebuilding).
pub(crate) fn internal_error(what: impl std::fmt::Display) -> Update {
    let mut diagnostics = Diagnostics::new();
    diagnostics.push(Diagnostic::error(format!(
        "internal error while rebuilding: {what}; this is a bug in guidebook, please report it"
    )));
    Update::Failed(diagnostics)
}
