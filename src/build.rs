//! The build pipeline: runs the stages in order over one book.
//!
//! Input: [`BuildOptions`] (which book, where to, which extras). Output: a [`BuildReport`]
//! (counts, size, time, warnings) with the site written, or a [`BuildError`]: the book's
//! diagnostics (exit code 1) or a usage or I/O problem (exit code 2).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{self, Config, ConfigError, Overrides};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::discover::{self, Folder, SourceFile};
use crate::frontmatter;
use crate::highlight::Highlighter;
use crate::links;
use crate::markdown::{self, ParseInput};
use crate::model::{self, AssembleOptions, Book, ParsedFile};
use crate::output::{self, Copy};
use crate::render::{self, Rendered, Theme, templates::Templates};
use crate::search::{self, SearchPage};

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
}

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The book has errors (exit code 1).
    #[error("the book has {} error(s)", .0.error_count())]
    Book(Diagnostics),
    /// The command was used wrongly, or reading or writing failed (exit code 2).
    #[error(transparent)]
    Usage(#[from] anyhow::Error),
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
    /// Files and bytes written (zero for `check`).
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Time taken.
    pub elapsed: Duration,
    /// Where the site went (`None` for `check`).
    pub out_dir: Option<PathBuf>,
}

/// State kept between builds of one process (the highlighter is slow to load).
#[derive(Clone)]
pub struct Session {
    highlighter: Arc<Highlighter>,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// Loads what every build needs.
    pub fn new() -> Self {
        Self {
            highlighter: Arc::new(Highlighter::new()),
        }
    }

    /// Builds (or checks) one book.
    pub fn build(&self, options: &BuildOptions) -> Result<BuildReport, BuildError> {
        let started = Instant::now();
        let config = load_config(options)?;
        let mut state = BuiltBook::new(self, config, options)?;
        let rendered = state.render()?;
        let mut report = BuildReport {
            pages: state.book.pages.len(),
            parts: state.book.part_count(),
            diagnostics: Diagnostics::new(),
            files: 0,
            bytes: 0,
            elapsed: Duration::ZERO,
            out_dir: None,
        };
        if options.strict && !state.diagnostics.is_empty() {
            state.diagnostics.promote_warnings();
            return Err(BuildError::Book(state.diagnostics));
        }
        if !options.check_only {
            let target = state.book.config.build.build_dir.clone();
            output::check_target(
                &target,
                &state.book.config.root,
                &state.book.config.build.content_dir,
            )?;
            let copies = copies(&state.book)?;
            let written = output::write_site(&target, &rendered.files, &copies)?;
            report.files = written.files;
            report.bytes = written.bytes;
            report.out_dir = Some(target);
        }
        report.diagnostics = state.diagnostics;
        report.elapsed = started.elapsed();
        Ok(report)
    }
}

fn load_config(options: &BuildOptions) -> Result<Arc<Config>, BuildError> {
    let overrides = Overrides {
        build_dir: options.out_dir.clone(),
        base_url: options.base_url.clone(),
    };
    match config::load(&options.book_dir, &overrides) {
        Ok(mut config) => {
            if options.no_search {
                config.search.enabled = false;
            }
            Ok(Arc::new(config))
        }
        Err(ConfigError::Missing(dir)) => Err(BuildError::Usage(anyhow::anyhow!(
            "`{}` is not a book: it has no {}\n  help: run `guidebook init {}` to start one, or pass the book's folder",
            dir.display(),
            config::CONFIG_FILE,
            dir.display()
        ))),
        Err(ConfigError::Io { path, source }) => Err(BuildError::Usage(
            anyhow::Error::new(source).context(format!("could not read `{}`", path.display())),
        )),
        Err(ConfigError::Invalid(diags)) => Err(BuildError::Book(diags)),
    }
}

/// A book taken through the stages up to linking.
struct BuiltBook<'a> {
    session: &'a Session,
    book: Book,
    diagnostics: Diagnostics,
}

impl<'a> BuiltBook<'a> {
    fn new(
        session: &'a Session,
        config: Arc<Config>,
        options: &BuildOptions,
    ) -> Result<Self, BuildError> {
        let tree = match discover::discover(&config.root, &config.build.content_dir)? {
            Ok(tree) => tree,
            Err(diags) => return Err(BuildError::Book(diags)),
        };
        let mut diagnostics = Diagnostics::new();
        let parsed = parse_all(&config, &tree, &mut diagnostics);
        let (mut book, assembly) = model::assemble(
            config,
            tree,
            parsed,
            AssembleOptions {
                drafts: options.drafts,
            },
        );
        diagnostics.extend(assembly);
        let (link_diagnostics, _) = links::resolve(&mut book);
        diagnostics.extend(link_diagnostics);
        if diagnostics.has_errors() {
            return Err(BuildError::Book(diagnostics));
        }
        Ok(Self {
            session,
            book,
            diagnostics,
        })
    }

    fn render(&mut self) -> Result<Rendered, BuildError> {
        let (templates, warnings) =
            Templates::load(&self.book.config.root).map_err(|d| self.fail(d))?;
        self.diagnostics.extend(warnings);
        let theme = Theme {
            templates,
            highlighter: Arc::clone(&self.session.highlighter),
        };
        let (mut rendered, warnings) =
            render::render(&self.book, &theme).map_err(|d| self.fail(d))?;
        self.diagnostics.extend(warnings);
        rendered.files.extend(crate::llms::exports(&self.book));
        if self.book.config.search.enabled {
            let pages: Vec<SearchPage<'_>> = self
                .book
                .pages
                .iter()
                .zip(&rendered.page_files)
                .map(|(page, &file)| SearchPage {
                    url: format!("/{}", page.url),
                    html: &rendered.files[file].contents,
                })
                .collect();
            let index = search::index(&pages, &self.book.config.book.language)?;
            rendered.files.extend(index);
        }
        Ok(rendered)
    }

    /// All diagnostics so far plus `more`, as a failure.
    fn fail(&mut self, more: Diagnostics) -> BuildError {
        let mut all = std::mem::take(&mut self.diagnostics);
        all.extend(more);
        BuildError::Book(all)
    }
}

/// Splits front matter and parses every file, in parallel.
fn parse_all(
    config: &Config,
    tree: &Folder,
    diagnostics: &mut Diagnostics,
) -> HashMap<PathBuf, ParsedFile> {
    let mut files: Vec<&SourceFile> = Vec::new();
    collect_files(tree, &mut files);
    let results: Vec<(PathBuf, Result<ParsedFile, Diagnostic>, Vec<Diagnostic>)> = files
        .par_iter()
        .map(|file| {
            let (parsed, diags) = match parse_file(config, file) {
                Ok((parsed, diags)) => (Ok(parsed), diags),
                Err(diag) => (Err(diag), Vec::new()),
            };
            (file.rel.clone(), parsed, diags)
        })
        .collect();
    let mut parsed = HashMap::with_capacity(results.len());
    for (rel, result, diags) in results {
        diagnostics.extend(diags);
        match result {
            Ok(file) => {
                parsed.insert(rel, file);
            }
            Err(diag) => diagnostics.push(diag),
        }
    }
    parsed
}

fn collect_files<'a>(folder: &'a Folder, out: &mut Vec<&'a SourceFile>) {
    out.extend(folder.index.iter());
    out.extend(folder.pages.iter());
    for part in &folder.parts {
        collect_files(part, out);
    }
}

/// Front matter and body of one file.
pub(crate) fn parse_file(
    config: &Config,
    file: &SourceFile,
) -> Result<(ParsedFile, Vec<Diagnostic>), Diagnostic> {
    let split = frontmatter::split(&file.display, &file.text)?;
    let number_sections = split
        .front
        .number_sections
        .unwrap_or(config.build.number_sections);
    let (parsed, diagnostics) = markdown::parse(&ParseInput {
        file: &file.display,
        text: &file.text,
        body_offset: split.body_offset,
        callouts: &config.callouts,
        number_sections,
        has_title: split.front.title.is_some(),
    });
    Ok((
        ParsedFile {
            front: split.front,
            parsed,
        },
        diagnostics,
    ))
}

/// Content assets, then the book's `static/` (which may replace theme files).
fn copies(book: &Book) -> anyhow::Result<Vec<Copy>> {
    let content = &book.config.build.content_dir;
    let mut copies: Vec<Copy> = book
        .assets
        .iter()
        .map(|asset| Copy {
            from: content.join(&asset.rel),
            to: asset.output.clone(),
        })
        .collect();
    copies.extend(output::folder_copies(&book.config.root.join("static"))?);
    Ok(copies)
}

/// Human-readable size: "812 B", "14.2 KB", "3.1 MB".
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1000.0 && unit < UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}

/// Where a path is shown in messages: relative to the current folder when inside it.
pub fn display_path(path: &Path) -> String {
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    let text = shown.display().to_string();
    if text.is_empty() { ".".into() } else { text }
}
