//! The build pipeline: runs the stages in order over one book.
//!
//! Input: [`BuildOptions`] (which book, where to, which extras). Output: a [`BuildReport`]
//! (counts, size, time, warnings) with the site written, or a [`BuildError`]: the book's
//! diagnostics (exit code 1) or a usage or I/O problem (exit code 2).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{self, Config, ConfigError, Overrides};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::discover::{self, Folder, SourceFile};
use crate::frontmatter;
use crate::highlight::Highlighter;
use crate::links::{self, LinkReport};
use crate::markdown::{self, ParseInput};
use crate::model::{self, AssembleOptions, Book, ParsedFile};
use crate::output::{self, Copy};
use crate::redirects::{self, Resolved};
use crate::render::{self, Rendered, Theme, templates::Templates};
use crate::search::{self, SearchPage};
use crate::site::{SiteFile, reserved_folder};

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
    /// The site is served at `/` whatever its base URL (the live preview).
    pub served_at_root: bool,
    /// Lets Ctrl+C or SIGTERM stop the write cleanly.
    pub cancel: output::Cancel,
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

/// A book compiled in memory: every stage run, nothing written.
pub(crate) struct Compiled {
    /// The linked book.
    pub(crate) book: Book,
    /// The theme it was rendered with.
    pub(crate) theme: Theme,
    /// The pages and the site's own files.
    pub(crate) rendered: Rendered,
    /// Per page: what its links point at.
    pub(crate) links: Vec<LinkReport>,
    /// Files copied as they are (content assets, then `static/`).
    pub(crate) copies: Vec<Copy>,
    /// Warnings.
    pub(crate) diagnostics: Diagnostics,
}

impl Session {
    /// Loads what every build needs.
    pub fn new() -> Self {
        Self {
            highlighter: Arc::new(Highlighter::new()),
        }
    }

    /// A session for a long-lived process (the live preview) that also remembers highlighted
    /// code between builds.
    pub(crate) fn remembering() -> Self {
        Self {
            highlighter: Arc::new(Highlighter::remembering()),
        }
    }

    /// Builds (or checks) one book.
    pub fn build(&self, options: &BuildOptions) -> Result<BuildReport, BuildError> {
        let started = Instant::now();
        let config = load_config(options)?;
        if !options.check_only {
            // Before any work: a refused folder is a usage error, whatever the book holds.
            output::check_target(
                &config.build.build_dir,
                &config.root,
                &config.build.content_dir,
                &config.build.configured_build_dir,
            )?;
        }
        let mut compiled = self.compile(config, options, &mut ParseCache::default())?;
        if options.strict && !compiled.diagnostics.is_empty() {
            compiled.diagnostics.promote_warnings();
            return Err(BuildError::Book(compiled.diagnostics));
        }
        let mut report = BuildReport {
            pages: compiled.book.pages.len(),
            parts: compiled.book.part_count(),
            diagnostics: Diagnostics::new(),
            files: 0,
            bytes: 0,
            elapsed: Duration::ZERO,
            out_dir: None,
        };
        if !options.check_only {
            let mut files = std::mem::take(&mut compiled.rendered.files);
            files.extend(extras(&compiled.book, &files)?);
            let target = compiled.book.config.build.build_dir.clone();
            let written = output::write_site(&target, &files, &compiled.copies, &options.cancel)?;
            report.files = written.files;
            report.bytes = written.bytes;
            report.out_dir = Some(target);
        }
        report.diagnostics = compiled.diagnostics;
        report.elapsed = started.elapsed();
        Ok(report)
    }

    /// Runs every stage up to rendering, reusing unchanged parses from `cache`. The LLM
    /// exports and the search index ([`extras`]) are left out: they need every page
    /// rendered, and the live preview builds them after the reload.
    pub(crate) fn compile(
        &self,
        config: Arc<Config>,
        options: &BuildOptions,
        cache: &mut ParseCache,
    ) -> Result<Compiled, BuildError> {
        let (tree, mut diagnostics) = match discover::discover(&config)? {
            Ok(found) => (found.tree, found.warnings),
            Err(diags) => return Err(BuildError::Book(diags)),
        };
        let parsed = cache.parse_all(&config, &tree, &mut diagnostics);
        let (mut book, assembly) = model::assemble(
            config,
            tree,
            parsed,
            AssembleOptions {
                drafts: options.drafts,
            },
        );
        diagnostics.extend(assembly);
        let (link_diagnostics, links) = links::resolve(&mut book);
        diagnostics.extend(link_diagnostics);
        let (redirects, redirect_diagnostics) = redirects::resolve(&book);
        diagnostics.extend(redirect_diagnostics);
        if diagnostics.has_errors() {
            return Err(BuildError::Book(diagnostics));
        }
        let theme = self.theme(&book.config.root, &mut diagnostics)?;
        let mut rendered = match render::render(&book, &theme, options.served_at_root) {
            Ok((rendered, warnings)) => {
                diagnostics.extend(warnings);
                rendered
            }
            Err(errors) => {
                diagnostics.extend(errors);
                return Err(BuildError::Book(diagnostics));
            }
        };
        let copies = copies(&book, &mut diagnostics)?;
        diagnostics.extend(check_outputs(&book, &rendered, &copies, &redirects));
        rendered.files.extend(redirects::files(&book, &redirects));
        if book.config.search.enabled {
            diagnostics.extend(search::unindexed(&book, &rendered.files));
        }
        if diagnostics.has_errors() {
            return Err(BuildError::Book(diagnostics));
        }
        Ok(Compiled {
            book,
            theme,
            rendered,
            links,
            copies,
            diagnostics,
        })
    }

    /// Loads the book's templates with the shared highlighter.
    pub(crate) fn theme(
        &self,
        root: &Path,
        diagnostics: &mut Diagnostics,
    ) -> Result<Theme, BuildError> {
        match Templates::load(root) {
            Ok((templates, warnings)) => {
                diagnostics.extend(warnings);
                Ok(Theme {
                    templates,
                    highlighter: Arc::clone(&self.highlighter),
                })
            }
            Err(errors) => {
                let mut all = std::mem::take(diagnostics);
                all.extend(errors);
                Err(BuildError::Book(all))
            }
        }
    }
}

/// The files that need every page rendered (`files` starts with the pages, as
/// [`Rendered::files`] does): LLM exports and the search index.
pub(crate) fn extras(book: &Book, files: &[SiteFile]) -> anyhow::Result<Vec<SiteFile>> {
    let mut out = crate::llms::exports(book);
    if book.config.search.enabled {
        let pages: Vec<SearchPage<'_>> = book
            .pages
            .iter()
            .zip(files)
            .map(|(page, file)| SearchPage {
                url: format!("/{}", page.url),
                html: &file.contents,
            })
            .collect();
        out.extend(search::index(&pages, &book.config.book.language)?);
    }
    Ok(out)
}

/// Reads and validates book.toml, applying command-line overrides.
pub(crate) fn load_config(options: &BuildOptions) -> Result<Arc<Config>, BuildError> {
    let overrides = Overrides {
        build_dir: options.out_dir.clone(),
        base_url: options.base_url.clone(),
        no_search: options.no_search,
    };
    match config::load(&options.book_dir, &overrides) {
        Ok(config) => Ok(Arc::new(config)),
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

/// Parses kept between builds: a file is parsed again only when its text changed. A
/// one-shot build uses [`ParseCache::default`], which keeps nothing (so nothing is copied
/// into it); the live preview uses [`ParseCache::remembering`].
#[derive(Default)]
pub(crate) struct ParseCache {
    entries: HashMap<PathBuf, CachedParse>,
    remember: bool,
}

/// One file's parse: the page and its diagnostics, or the errors that stopped it.
pub(crate) type FileParse = Result<(ParsedFile, Vec<Diagnostic>), Vec<Diagnostic>>;

struct CachedParse {
    text: Arc<str>,
    result: FileParse,
}

impl ParseCache {
    /// A cache that keeps every parse for the next build.
    pub(crate) fn remembering() -> Self {
        Self {
            entries: HashMap::new(),
            remember: true,
        }
    }

    /// Splits front matter and parses every file of `tree`, in parallel, reusing entries
    /// whose text is unchanged; forgets files that are gone.
    pub(crate) fn parse_all(
        &mut self,
        config: &Config,
        tree: &Folder,
        diagnostics: &mut Diagnostics,
    ) -> HashMap<PathBuf, ParsedFile> {
        let mut files: Vec<&SourceFile> = Vec::new();
        collect_files(tree, &mut files);
        let mut previous = std::mem::take(&mut self.entries);
        // `None`: the previous parse still holds.
        let fresh: Vec<Option<CachedParse>> = files
            .par_iter()
            .map(|file| match previous.get(&file.rel) {
                Some(cached) if *cached.text == *file.text => None,
                _ => Some(CachedParse {
                    text: Arc::clone(&file.text),
                    result: parse_file(config, file),
                }),
            })
            .collect();
        let mut parsed = HashMap::with_capacity(files.len());
        for (file, fresh) in files.iter().zip(fresh) {
            let cached = fresh
                .or_else(|| previous.remove(&file.rel))
                .expect("an unchanged file has a previous parse");
            if !self.remember {
                match cached.result {
                    Ok((page, diags)) => {
                        diagnostics.extend(diags);
                        parsed.insert(file.rel.clone(), page);
                    }
                    Err(diags) => diagnostics.extend(diags),
                }
                continue;
            }
            match &cached.result {
                Ok((page, diags)) => {
                    diagnostics.extend(diags.iter().cloned());
                    parsed.insert(file.rel.clone(), page.clone());
                }
                Err(diags) => diagnostics.extend(diags.iter().cloned()),
            }
            self.entries.insert(file.rel.clone(), cached);
        }
        parsed
    }

    /// The cached parse of one file, when its text is `text`.
    pub(crate) fn get(&self, rel: &Path, text: &str) -> Option<&FileParse> {
        self.entries
            .get(rel)
            .filter(|cached| &*cached.text == text)
            .map(|cached| &cached.result)
    }

    /// Parses one file and remembers the result.
    pub(crate) fn parse_one(&mut self, config: &Config, file: &SourceFile) -> &FileParse {
        let cached = CachedParse {
            text: Arc::clone(&file.text),
            result: parse_file(config, file),
        };
        let entry = self.entries.entry(file.rel.clone()).insert_entry(cached);
        &entry.into_mut().result
    }
}

fn collect_files<'a>(folder: &'a Folder, out: &mut Vec<&'a SourceFile>) {
    out.extend(folder.index.iter());
    out.extend(folder.pages.iter());
    for part in &folder.parts {
        collect_files(part, out);
    }
}

/// Front matter and body of one file.
pub(crate) fn parse_file(config: &Config, file: &SourceFile) -> FileParse {
    let mut split = frontmatter::split(&file.display, &file.text)?;
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
    let mut all = std::mem::take(&mut split.diagnostics);
    all.extend(diagnostics);
    Ok((
        ParsedFile {
            front: split.front,
            parsed,
        },
        all,
    ))
}

/// Content assets, then the book's `static/` (which may replace theme files). A file that is a
/// link to something outside the book folder is left out, with a warning: a site never
/// publishes files from elsewhere on the machine.
pub(crate) fn copies(book: &Book, warnings: &mut Diagnostics) -> anyhow::Result<Vec<Copy>> {
    let content = &book.config.build.content_dir;
    let mut copies: Vec<Copy> = book
        .assets
        .iter()
        .map(|asset| Copy {
            from: content.join(&asset.rel),
            to: asset.output.clone(),
            from_static: false,
        })
        .collect();
    copies.extend(output::folder_copies(
        &book.config.root.join("static"),
        Path::new("static"),
        warnings,
    )?);
    let root = &book.config.root;
    let book_folder = output::Bounds::new(&[root]);
    copies.retain(|copy| {
        let inside = book_folder.contains(&copy.from);
        if !inside {
            let shown = copy.from.strip_prefix(root).unwrap_or(&copy.from);
            warnings.push(discover::outside_the_book(shown));
        }
        inside
    });
    Ok(copies)
}

/// Site paths (files, or the folders on the way to them) that are different names on Linux
/// but one name on a case-insensitive or normalising file system (macOS, Windows): pairs of
/// written paths, each clash reported once, with the two spellings as a message shows them.
fn case_clashes<'a, W>(written: &BTreeMap<&'a str, W>) -> Vec<(&'a str, &'a str, String)> {
    use unicode_normalization::UnicodeNormalization as _;
    let mut first_spelling: HashMap<String, (&str, &'a str)> = HashMap::new();
    let mut clashes = Vec::new();
    let mut reported = std::collections::HashSet::new();
    for &path in written.keys() {
        let mut end = 0;
        for segment in path.split('/') {
            end += segment.len();
            let prefix = &path[..end];
            end += 1;
            let folded: String = prefix.nfc().collect::<String>().to_lowercase();
            match first_spelling.get(&folded) {
                None => {
                    first_spelling.insert(folded, (prefix, path));
                }
                Some(&(spelling, first_path)) if spelling != prefix => {
                    // `FAQ.md` against `faq.md` and `FAQ/` against `faq/` are one clash (a
                    // page and its twin): one report per name without its extension.
                    let stem = folded
                        .rsplit_once('.')
                        .filter(|(stem, _)| !stem.ends_with('/') && !stem.is_empty())
                        .map_or(folded.as_str(), |(stem, _)| stem);
                    if reported.insert(stem.to_string()) {
                        clashes.push((
                            first_path,
                            path,
                            format!("/{}` and `/{}", show_marks(spelling), show_marks(prefix)),
                        ));
                    }
                }
                Some(_) => {}
            }
        }
    }
    clashes
}

/// A name with its combining marks written as `\u{…}`, so `café` (one character) and
/// `cafe\u{301}` (an `e` and an accent) look different in a message.
fn show_marks(name: &str) -> String {
    name.chars()
        .map(|c| {
            if unicode_normalization::char::is_combining_mark(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Who writes a file of the site.
#[derive(Clone, Copy)]
enum Writer<'a> {
    Page(usize),
    Generated,
    Content(&'a Path),
    Static(&'a Path),
    /// A `[redirects]` rule, by its index in the configuration.
    Redirect(usize),
}

/// Every file of the site must have one writer: two pages (or a page and a content file)
/// writing the same path, a file where another needs a folder, or a page inside a folder
/// the site reserves, is an error naming both. Files in `static/` may replace generated
/// files (the theme's stylesheet, robots.txt, `_redirects`, …) but not pages or redirect
/// pages.
fn check_outputs(
    book: &Book,
    rendered: &Rendered,
    copies: &[Copy],
    redirects: &[Resolved],
) -> Diagnostics {
    let mut writers: Vec<(String, Writer<'_>)> = Vec::new();
    for (file, site_file) in rendered.files.iter().enumerate() {
        let writer = if file < book.pages.len() {
            Writer::Page(file)
        } else {
            Writer::Generated
        };
        writers.push((site_file.path.clone(), writer));
    }
    if book.config.llms.enabled {
        for (index, page) in book.pages.iter().enumerate() {
            writers.push((page.twin_path(), Writer::Page(index)));
        }
        for path in crate::llms::book_file_paths(book) {
            writers.push((path.into(), Writer::Generated));
        }
    }
    let rules = &book.config.redirects.rules;
    for redirect in redirects {
        writers.push((
            rules[redirect.rule].output.clone(),
            Writer::Redirect(redirect.rule),
        ));
    }
    if !redirects.is_empty() {
        writers.push((redirects::REDIRECTS_FILE.into(), Writer::Generated));
    }
    for copy in copies {
        let rel = copy
            .from
            .strip_prefix(&book.config.root)
            .unwrap_or(&copy.from);
        let writer = if copy.from_static {
            Writer::Static(rel)
        } else {
            Writer::Content(rel)
        };
        writers.push((copy.to.clone(), writer));
    }
    let mut diagnostics = Diagnostics::new();
    let describe = |writer: Writer<'_>| match writer {
        Writer::Page(p) => book.pages[p].display_path().map_or_else(
            || format!("the generated page `/{}`", show_marks(&book.pages[p].url)),
            |d| format!("`{}`", show_marks(&d.display().to_string())),
        ),
        Writer::Generated => "a file guidebook generates".into(),
        Writer::Content(path) | Writer::Static(path) => {
            format!("`{}`", show_marks(&path.display().to_string()))
        }
        Writer::Redirect(rule) => format!("the redirect `{}` in book.toml", rules[rule].from),
    };
    let mut report = |path: &str, first: Writer<'_>, second: Writer<'_>, why: &str| {
        let page = [second, first].into_iter().find_map(|w| match w {
            Writer::Page(p) => book.pages[p].source.as_ref(),
            _ => None,
        });
        let file = [second, first].into_iter().find_map(|w| match w {
            Writer::Content(path) | Writer::Static(path) => Some(path),
            _ => None,
        });
        let redirect = [second, first].into_iter().find_map(|w| match w {
            Writer::Redirect(rule) => Some(&rules[rule]),
            _ => None,
        });
        let diag = Diagnostic::error(format!(
            "{why} `{path}`: {} and {}",
            describe(first),
            describe(second)
        ));
        if let Some(rule) = redirect {
            // The redirect is the easier one to move: point at its old path in book.toml.
            let both = matches!((first, second), (Writer::Redirect(_), Writer::Redirect(_)));
            diagnostics.push(
                diag.in_file(config::CONFIG_FILE)
                    .at(&book.config.redirects.text, rule.from_span.clone())
                    .hint(if both {
                        "both old paths are written as the same file: keep one of the two redirects"
                    } else {
                        "remove this redirect: the site already has that path"
                    }),
            );
            return;
        }
        diagnostics.push(match (page, file) {
            (Some(source), _) => diag.in_source(&source.file, 0..0).hint(
                "give the page another `slug` in its front matter, or rename one of the files",
            ),
            (None, Some(file)) => {
                // A part page without `_index.md` is generated too: there is no file to rename.
                let generated = [first, second].iter().any(|w| match w {
                    Writer::Generated => true,
                    Writer::Page(p) => book.pages[*p].source.is_none(),
                    _ => false,
                });
                diag.in_file(file).hint(if generated {
                    format!(
                        "rename or move `{}`: guidebook writes that path itself",
                        file.display()
                    )
                } else {
                    "rename or move one of the two files".to_string()
                })
            }
            (None, None) => diag,
        });
    };
    let mut seen: BTreeMap<&str, Writer<'_>> = BTreeMap::new();
    for (path, writer) in &writers {
        match seen.get(path.as_str()) {
            None => {
                seen.insert(path, *writer);
            }
            Some(Writer::Generated) if matches!(writer, Writer::Static(_)) => {
                seen.insert(path, *writer);
            }
            Some(first) => report(path, *first, *writer, "two files are written to"),
        }
    }
    // A file and a folder cannot have the same path; pages cannot live in reserved folders.
    let paths: Vec<&str> = seen.keys().copied().collect();
    for (i, path) in paths.iter().enumerate() {
        let folder = format!("{path}/");
        if let Some(inside) = paths[i + 1..]
            .iter()
            .take_while(|p| p.starts_with(path))
            .find(|p| p.starts_with(&folder))
        {
            report(
                inside,
                seen[path],
                seen[inside],
                "a file and a folder clash at",
            );
        }
    }
    let mut clashing_writers = std::collections::HashSet::new();
    for (a, b, names) in case_clashes(&seen) {
        let pair = (describe(seen[a]), describe(seen[b]));
        if pair.0 != pair.1 && clashing_writers.insert(pair) {
            report(
                &names,
                seen[a],
                seen[b],
                "names that differ only in letter case or Unicode normalisation are one name on macOS and Windows:",
            );
        }
    }
    for (path, writer) in &writers {
        let rel = match writer {
            Writer::Content(rel) | Writer::Static(rel) => rel,
            _ => continue,
        };
        if path == output::SITE_MARKER {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` would replace `{}`, the file by which guidebook knows the site folder is its own",
                    rel.display(),
                    output::SITE_MARKER
                ))
                .in_file(rel)
                .hint("rename or remove that file"),
            );
        }
        if let Some((folder, purpose)) = reserved_folder(path) {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` would be written inside `/{folder}/`, which the site reserves for {purpose}",
                    rel.display(),
                ))
                .in_file(rel)
                .hint(format!("move it out of a folder named `{folder}`")),
            );
        }
    }
    for rule in &book.config.redirects.rules {
        if let Some((folder, purpose)) = reserved_folder(&rule.output) {
            diagnostics.push(
                Diagnostic::error(format!(
                    "the redirect `{}` is inside `/{folder}/`, which the site reserves for {purpose}",
                    rule.from
                ))
                .in_file(config::CONFIG_FILE)
                .at(&book.config.redirects.text, rule.from_span.clone())
                .hint("remove this redirect"),
            );
        }
    }
    for page in &book.pages {
        if let Some((folder, purpose)) = reserved_folder(&page.url) {
            let mut diag = Diagnostic::error(format!(
                "the page `/{}` is inside `/{folder}/`, which the site reserves for {purpose}",
                page.url,
            ))
            .hint("give the page or its part another `slug`");
            if let Some(source) = &page.source {
                diag = diag.in_source(&source.file, 0..0);
            }
            diagnostics.push(diag);
        }
    }
    diagnostics
}
