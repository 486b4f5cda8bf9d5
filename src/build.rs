//! `guidebook build` and `guidebook check`: the pipeline, then the search index and the
//! output.
//!
//! Input: [`BuildOptions`] (which book, where to, which extras). Output: a [`BuildReport`]
//! (counts, size, time, warnings) with the site written, or a [`Failure`]: the book's
//! diagnostics (exit code 1) or a usage or I/O problem (exit code 2).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::Overrides;
use crate::diagnostics::Diagnostics;
use crate::model::Book;
use crate::output;
pub use crate::pipeline::Failure;
use crate::pipeline::{self, Pipeline, PipelineOptions};
use crate::search;
use crate::site::{SiteData, SiteFiles};

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The book folder.
    pub book_dir: PathBuf,
    /// Overrides `[build] build-dir`.
    pub out_dir: Option<PathBuf>,
    /// Include pages marked `draft`.
    pub drafts: bool,
    /// Overrides `[book] base-url`.
    pub base_url: Option<String>,
    /// Treat warnings as errors.
    pub strict: bool,
    /// Skip the search index.
    pub no_search: bool,
    /// Validate only; write nothing.
    pub check_only: bool,
    /// Lets Ctrl+C or SIGTERM stop the write cleanly.
    pub cancel: output::Cancel,
}

/// The outcome of a successful build.
#[derive(Debug)]
pub struct BuildReport {
    /// Number of pages.
    pub pages: usize,
    /// Number of parts.
    pub parts: usize,
    /// Warnings (the build succeeded).
    pub diagnostics: Diagnostics,
    /// Files written (zero for `check`).
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Time taken.
    pub elapsed: Duration,
    /// Where the site went (`None` for `check`).
    pub out_dir: Option<PathBuf>,
}

/// Writes the site into `target`, then its search index: the site goes to disk first and is
/// freed (with the book) before Pagefind starts, but for each page's HTML, which is let go
/// once Pagefind has read it, so the two never take memory together.
fn write(
    target: &Path,
    book: Book,
    files: SiteFiles,
    options: &BuildOptions,
) -> Result<output::Written, Failure> {
    let config = Arc::clone(&book.config);
    let search_input = config
        .search
        .enabled
        .then(|| search::SearchInput::of(&book, &files));
    drop(book);
    let written = output::write_site(target, &options.cancel, move |out| {
        let mut written = out.write(&files)?;
        drop(files);
        if let Some(input) = search_input {
            let stop = || options.cancel.cancelled();
            let Some(index) = search::index(input, &config.book.language, &stop)? else {
                return Err(output::Interrupted.into());
            };
            let index: SiteFiles = index
                .into_iter()
                .map(|file| (file.path, SiteData::Bytes(file.contents)))
                .collect();
            written += out.write(&index)?;
        }
        Ok(written)
    })?;
    Ok(written)
}

/// Builds (or checks) one book.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Failure> {
    let started = Instant::now();
    let overrides = Overrides {
        build_dir: options.out_dir.clone(),
        base_url: options.base_url.clone(),
        no_search: options.no_search,
    };
    let config = pipeline::load_config(&options.book_dir, &overrides)?;
    if !options.check_only {
        // Before any work: a refused folder is a usage error, whatever the book holds.
        output::check_target(
            &config.build.build_dir,
            &config.root,
            &config.build.content_dir,
            &config.build.configured_build_dir,
        )?;
    }
    let mut site = Pipeline::new(PipelineOptions {
        drafts: options.drafts,
        ..PipelineOptions::default()
    })
    .run(&config)?;
    if options.strict && !site.warnings.is_empty() {
        site.warnings.promote_warnings();
        return Err(Failure::Book(site.warnings));
    }
    let mut report = BuildReport {
        pages: site.book.pages.len(),
        parts: site.book.part_count(),
        diagnostics: Diagnostics::new(),
        files: 0,
        bytes: 0,
        elapsed: Duration::ZERO,
        out_dir: None,
    };
    report.diagnostics = site.warnings;
    if !options.check_only {
        let target = config.build.build_dir.clone();
        let written = write(&target, site.book, site.files, options)?;
        report.files = written.files;
        report.bytes = written.bytes;
        report.out_dir = Some(target);
    }
    report.elapsed = started.elapsed();
    Ok(report)
}
