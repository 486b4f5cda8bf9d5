//! The render stage: every page of the book as a finished HTML file, plus the site's own files.
//!
//! Input: the linked [`Book`] and the loaded [`Theme`]. Output: [`Rendered`]: each page's HTML
//! file (by page), and the site's own files (`404.html`, the theme's assets, the highlighting
//! stylesheet, the navigation script, and `sitemap.xml`/`robots.txt` when the book has a base
//! URL), with diagnostics. Pages render in parallel. With a [`RenderMemo`] (the preview), a
//! page whose inputs are unchanged — its tree, what its links resolved to, the book's
//! navigation and configuration, the theme — is not rendered again.

pub(crate) mod assets;
pub(crate) mod context;
pub(crate) mod html;
mod memo;
pub(crate) mod nav;
mod print;
pub(crate) mod study;
pub(crate) mod templates;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

use rayon::prelude::*;

use self::context::{BookContext, PageInputs, page_context};
use self::html::{HtmlRenderer, LinkScope, escape};
pub(crate) use self::memo::RenderMemo;
use self::memo::{BodyNotes, RenderedPage};
use self::templates::Templates;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::highlight::{Highlighter, LineMemo};
use crate::model::{Book, PageKind};
use crate::site::{Joined, SiteFile, shrunk};
use crate::urls::{self, Linker};

/// The loaded theme: templates and highlighting, shared by every page.
pub(crate) struct Theme {
    /// Tera templates (built-in and the book's).
    pub(crate) templates: Arc<Templates>,
    /// Syntax highlighting.
    pub(crate) highlighter: Arc<Highlighter>,
}

/// The rendered site.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    /// Each page's HTML file, in book order (page `i` is `pages[i]`).
    pub(crate) pages: Vec<SiteFile>,
    /// Whether each page's HTML marks what search reads (in book order).
    pub(crate) searchable: Vec<bool>,
    /// The site's own files.
    pub(crate) site: Vec<SiteFile>,
    /// The print page (`print/index.html`): the template's opening, every page's section,
    /// its closing, kept in pieces so a run that changed one page copies little.
    pub(crate) print: Option<(String, Joined)>,
}

/// Renders pages of one book with one theme.
struct Renderer<'a> {
    book: &'a Book,
    theme: &'a Theme,
    body: HtmlRenderer<'a>,
    book_context: BookContext,
    version: String,
    assets: assets::Assets,
    /// Whether the book gets a print page.
    print: bool,
}

impl<'a> Renderer<'a> {
    /// Prepares rendering `book` with `theme`.
    fn new(book: &'a Book, theme: &'a Theme) -> Self {
        let static_assets = assets::Assets::load(&book.config.build.static_dir);
        Self {
            book,
            theme,
            body: HtmlRenderer {
                highlighter: &theme.highlighter,
                callouts: &book.config.callouts,
                templates: &*theme.templates,
            },
            book_context: BookContext {
                title: book.config.book.title.clone(),
                description: book.config.book.description.clone(),
                language: book.config.book.language.clone(),
                authors: book.config.book.authors.clone(),
                repository_url: book.config.book.repository_url.clone(),
                generator: format!("guidebook {}", env!("CARGO_PKG_VERSION")),
                search: book.config.search.enabled,
                print: print::wanted(book),
            },
            version: static_assets.version(theme.highlighter.stylesheet()),
            assets: static_assets,
            print: print::wanted(book),
        }
    }

    /// One page: its HTML, and what its body noticed (for diagnostics).
    fn page(&self, index: usize, lines: &mut LineMemo) -> RenderedPage {
        let book = self.book;
        let page = &book.pages[index];
        let scope = LinkScope {
            links: &page.links,
            linker: Linker::From(&page.url),
            numbers: &page.numbers,
            print: None,
            excerpt: None,
        };
        let mut body = self.body.render_with_lines(&page.parsed.doc, scope, lines);
        let heading_html = match &page.parsed.doc.heading {
            Some(heading) => self.body.inline_html(&heading.content, scope),
            None => escape(&page.title),
        };
        // A generated home page would only repeat the book's title on the print page, and
        // pages made from the whole book (glossary, practice) would repeat the chapters.
        let on_print_page =
            !(page.kind.is_study() || (page.kind == PageKind::Home && page.source.is_none()));
        let print = (self.print && on_print_page)
            .then(|| shrunk(self.print_section(index, scope, &mut body)));
        let context = page_context(PageInputs {
            book,
            book_context: &self.book_context,
            index,
            content: std::mem::take(&mut body.html),
            heading_html,
            has_questions: body.has_questions,
            asset_version: &self.version,
            linker: Linker::From(&page.url),
            index_view: (page.kind == PageKind::Index)
                .then(|| study::index_view(book, &self.body, index))
                .flatten(),
            practice_view: (page.kind == PageKind::Practice)
                .then(|| study::practice_view(book, &self.body, index)),
        });
        let template = match page.kind {
            PageKind::Home => "home.html",
            PageKind::Part => "part.html",
            PageKind::Chapter => "page.html",
            PageKind::Index => "index-page.html",
            PageKind::Practice => "practice.html",
        };
        let html = self
            .theme
            .templates
            .render(template, &context)
            .map(shrunk)
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
        let searchable = html
            .as_ref()
            .is_ok_and(|html| memchr::memmem::find(html, crate::site::SEARCH_BODY).is_some());
        RenderedPage {
            html,
            searchable,
            notes: BodyNotes {
                unknown_languages: body.unknown_languages,
                template_errors: body.template_errors,
            },
            print,
        }
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

/// The fewest pages a rendering job takes: an eighth of each thread's share.
fn min_job(pages: usize) -> usize {
    (pages / (8 * rayon::current_num_threads())).max(1)
}

/// Renders the whole book, reusing what `memo` holds of an earlier run. `served_at_root`:
/// the site is served at `/` whatever its base URL (the live preview), which is where the
/// 404 page's links then start.
pub(crate) fn render(
    book: &Book,
    theme: &Theme,
    served_at_root: bool,
    memo: Option<&mut RenderMemo>,
) -> Result<(Rendered, Diagnostics), Diagnostics> {
    let renderer = Renderer::new(book, theme);
    let keys = memo::page_keys(book, &renderer.version, theme);
    let reused: Vec<Option<RenderedPage>> = (0..book.pages.len())
        .map(|index| {
            memo.as_deref()
                .and_then(|memo| memo.get(&book.pages[index], keys[index]))
        })
        .collect();
    let results: Vec<RenderedPage> = reused
        .into_par_iter()
        .enumerate()
        // A line memo per rendering job (parse states may not cross threads): jobs of a
        // few dozen pages at least, so that each memo serves many pages, yet enough of them
        // to keep every core busy to the end.
        .with_min_len(min_job(book.pages.len()))
        .map_init(LineMemo::default, |lines, (index, reused)| {
            reused.unwrap_or_else(|| renderer.page(index, lines))
        })
        .collect();
    if let Some(memo) = memo {
        memo.keep(book, &keys, &results);
    }
    let mut pages = Vec::with_capacity(results.len());
    let mut failures = Diagnostics::new();
    for (page, result) in book.pages.iter().zip(&results) {
        match &result.html {
            Ok(html) => pages.push(SiteFile::new(page.output_path(), html.clone())),
            Err(diag) => failures.push(diag.clone()),
        }
    }
    let mut diagnostics = body_diagnostics(book, &results);
    diagnostics.extend(failures);
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    let not_found_root = if served_at_root {
        "/"
    } else {
        book.config.book.base_or_root()
    };
    if book.pages.iter().any(|page| page.url == html::PRINT_URL) {
        diagnostics.push(print::taken_warning(book));
    }
    let print = match renderer.print_page(&results) {
        Ok(print) => print,
        Err(diag) => {
            diagnostics.push(diag);
            return Err(diagnostics);
        }
    };
    match renderer.site_files(not_found_root) {
        Ok(site) => Ok((
            Rendered {
                pages,
                searchable: results.iter().map(|page| page.searchable).collect(),
                site,
                print,
            },
            diagnostics,
        )),
        Err(diag) => {
            diagnostics.push(diag);
            Err(diagnostics)
        }
    }
}

/// Warnings for unknown code languages (one per language) and errors from callout templates.
fn body_diagnostics(book: &Book, pages: &[RenderedPage]) -> Diagnostics {
    let mut diagnostics = Diagnostics::new();
    let mut languages: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for (index, page) in pages.iter().enumerate() {
        let body = &page.notes;
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
