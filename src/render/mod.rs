//! The render stage: every page of the book as a finished HTML file, plus the site's own files.
//!
//! Input: the linked [`Book`] and the loaded [`Theme`]. Output: the files of the site in
//! memory ([`SiteFile`]s: pages, `404.html`, the theme's assets, the highlighting stylesheet,
//! the navigation script, and `sitemap.xml`/`robots.txt` when the book has a base URL), and
//! diagnostics. Pages render in parallel.

pub(crate) mod assets;
pub(crate) mod context;
pub(crate) mod html;
pub(crate) mod nav;
pub(crate) mod templates;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;

use self::context::{BookContext, PageInputs, page_context};
use self::html::{HtmlRenderer, RenderedBody, escape};
use self::templates::Templates;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::highlight::Highlighter;
use crate::model::{Book, PageKind};
use crate::urls::{self, Linker};

/// The loaded theme: templates and highlighting, shared by every page.
pub(crate) struct Theme {
    /// Tera templates (built-in and the book's).
    pub(crate) templates: Templates,
    /// Syntax highlighting.
    pub(crate) highlighter: Arc<Highlighter>,
}

/// One file of the site, in memory.
#[derive(Debug, Clone)]
pub(crate) struct SiteFile {
    /// Path relative to the site root, with `/`.
    pub(crate) path: String,
    /// Contents.
    pub(crate) contents: Vec<u8>,
}

impl SiteFile {
    /// A file at `path` (site-relative, with `/`) holding `contents`.
    pub(crate) fn new(path: impl Into<String>, contents: impl Into<Vec<u8>>) -> Self {
        Self {
            path: path.into(),
            contents: contents.into(),
        }
    }
}

/// The rendered site.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    /// Every generated file: first the pages, in book order (page `i` is `files[i]`), then
    /// the site's own files.
    pub(crate) files: Vec<SiteFile>,
}

/// Renders pages of one book with one theme; reusable for re-rendering single pages.
pub(crate) struct Renderer<'a> {
    book: &'a Book,
    theme: &'a Theme,
    body: HtmlRenderer<'a>,
    book_context: BookContext,
    version: String,
    assets: assets::Assets,
}

impl<'a> Renderer<'a> {
    /// Prepares rendering `book` with `theme`.
    pub(crate) fn new(book: &'a Book, theme: &'a Theme) -> Self {
        let static_assets = assets::Assets::load(&book.config.root);
        Self {
            book,
            theme,
            body: HtmlRenderer {
                highlighter: &theme.highlighter,
                callouts: &book.config.callouts,
                templates: &theme.templates,
            },
            book_context: BookContext {
                title: book.config.book.title.clone(),
                description: book.config.book.description.clone(),
                language: book.config.book.language.clone(),
                authors: book.config.book.authors.clone(),
                repository_url: book.config.book.repository_url.clone(),
                generator: format!("guidebook {}", env!("CARGO_PKG_VERSION")),
                search: book.config.search.enabled,
            },
            version: static_assets.version(theme.highlighter.stylesheet()),
            assets: static_assets,
        }
    }

    /// The pages at `indices`, in parallel: each page's HTML file, plus warnings; errors
    /// (template failures) fail the whole call.
    pub(crate) fn pages(
        &self,
        indices: &[usize],
    ) -> Result<(Vec<SiteFile>, Diagnostics), Diagnostics> {
        let results: Vec<(RenderedBody, Result<String, Diagnostic>)> =
            indices.par_iter().map(|&index| self.page(index)).collect();
        let mut bodies = Vec::with_capacity(results.len());
        let mut files = Vec::with_capacity(results.len());
        let mut failures = Diagnostics::new();
        for (&index, (body, html)) in indices.iter().zip(results) {
            match html {
                Ok(html) => files.push(SiteFile::new(self.book.pages[index].output_path(), html)),
                Err(diag) => failures.push(diag),
            }
            bodies.push((index, body));
        }
        let mut diagnostics = body_diagnostics(self.book, &bodies);
        diagnostics.extend(failures);
        if diagnostics.has_errors() {
            return Err(diagnostics);
        }
        Ok((files, diagnostics))
    }

    /// One page: its body (for diagnostics) and its HTML.
    fn page(&self, index: usize) -> (RenderedBody, Result<String, Diagnostic>) {
        let book = self.book;
        let page = &book.pages[index];
        let mut body = self.body.render(&page.parsed.doc);
        let heading_html = match &page.parsed.doc.heading {
            Some(heading) => self.body.inline_html(&heading.content),
            None => escape(&page.title),
        };
        let context = page_context(PageInputs {
            book,
            book_context: &self.book_context,
            index,
            content: std::mem::take(&mut body.html),
            heading_html,
            has_questions: body.has_questions,
            asset_version: &self.version,
            linker: Linker::From(&page.url),
        });
        let template = match page.kind {
            PageKind::Home => "home.html",
            PageKind::Part => "part.html",
            PageKind::Chapter => "page.html",
        };
        let html = self
            .theme
            .templates
            .render(template, &context)
            .map_err(|d| {
                let page_name = page.display_path().map_or_else(
                    || format!("`/{}`", page.url),
                    |p| format!("`{}`", p.display()),
                );
                Diagnostic {
                    message: format!("{} (while rendering {page_name})", d.message),
                    ..d
                }
            });
        (body, html)
    }

    /// `404.html`, served at any missing path: its links start from `root` (the site root,
    /// `/` or the base URL).
    fn not_found_page(&self, root: &str) -> Result<String, Diagnostic> {
        let context = context::not_found_context(
            self.book,
            &self.book_context,
            &self.version,
            Linker::Base(root),
        );
        self.theme.templates.render("404.html", &context)
    }

    /// The site's own files: `404.html` (its links starting from `not_found_root`), theme
    /// assets, highlighting CSS, navigation script, and `sitemap.xml`/`robots.txt` when the
    /// book has a base URL.
    fn site_files(&self, not_found_root: &str) -> Result<Vec<SiteFile>, Diagnostic> {
        let book = self.book;
        let mut files = vec![SiteFile::new(
            "404.html",
            self.not_found_page(not_found_root)?,
        )];
        files.extend(self.assets.files());
        files.push(SiteFile::new(
            "assets/highlight.css",
            self.theme.highlighter.stylesheet().to_string(),
        ));
        files.push(SiteFile::new("assets/nav.js", nav::script(book)));
        if let Some(base) = &book.config.book.base_url {
            files.push(SiteFile::new("sitemap.xml", sitemap(book, base)));
            files.push(SiteFile::new(
                "robots.txt",
                format!("User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n"),
            ));
        }
        Ok(files)
    }
}

/// Renders the whole book. `served_at_root`: the site is served at `/` whatever its base
/// URL (the live preview), which is where the 404 page's links then start.
pub(crate) fn render(
    book: &Book,
    theme: &Theme,
    served_at_root: bool,
) -> Result<(Rendered, Diagnostics), Diagnostics> {
    let renderer = Renderer::new(book, theme);
    let all: Vec<usize> = (0..book.pages.len()).collect();
    let (files, mut diagnostics) = renderer.pages(&all)?;
    let mut rendered = Rendered { files };
    let not_found_root = if served_at_root {
        "/"
    } else {
        book.config.book.base_or_root()
    };
    match renderer.site_files(not_found_root) {
        Ok(files) => rendered.files.extend(files),
        Err(diag) => {
            diagnostics.push(diag);
            return Err(diagnostics);
        }
    }
    Ok((rendered, diagnostics))
}

/// Warnings for unknown code languages (one per language) and errors from callout templates.
fn body_diagnostics(book: &Book, bodies: &[(usize, RenderedBody)]) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    let mut languages: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for &(index, ref body) in bodies {
        for (lang, offset) in &body.unknown_languages {
            languages
                .entry(lang.as_str())
                .and_modify(|(_, _, count)| *count += 1)
                .or_insert((index, *offset, 1));
        }
        for (message, offset) in &body.template_errors {
            diagnostics.push(at_page(
                book,
                index,
                *offset,
                Diagnostic::error(message.clone()),
            ));
        }
    }
    for (lang, (index, offset, count)) in languages {
        let also = if count > 1 {
            format!(" (and {} more blocks)", count - 1)
        } else {
            String::new()
        };
        let diag = Diagnostic::warning(format!(
            "no syntax highlighting for `{lang}`{also}; shown as plain text"
        ))
        .label("unknown language")
        .hint("check the language name after the opening fence, or write `text` for plain text");
        diagnostics.push(at_page(book, index, offset, diag));
    }
    diagnostics
}

fn at_page(book: &Book, index: usize, offset: usize, diag: Diagnostic) -> Diagnostic {
    match &book.pages[index].source {
        Some(source) => diag.in_source(&source.file, offset..offset + 3),
        None => diag,
    }
}

fn sitemap(book: &Book, base: &str) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in &book.pages {
        let _ = writeln!(
            xml,
            "  <url><loc>{}</loc></url>",
            escape(&urls::absolute(base, &page.url))
        );
    }
    xml.push_str("</urlset>\n");
    xml
}
