//! The print page, `/print/`: every page of the book on one page, in reading order, with
//! answers and folded blocks open, links between pages pointing at their place on it, and a
//! page break before each chapter when printed.
//!
//! Input: each page's body written a second time for the print page (ids prefixed with the
//! page's path, see [`print_id`]), made while the page itself renders so that its code is
//! highlighted once. Output: the page, as the template's opening, one section per page and
//! the template's closing.

use super::Renderer;
use super::context::{self, TocItem};
use super::html::{LinkScope, PRINT_URL, RenderedBody, escape, print_id};
use super::memo::RenderedPage;
use crate::diagnostics::Diagnostic;
use crate::model::{Book, PageKind};
use crate::site::{Bytes, Joined};
use crate::urls::{self, Linker};

/// Stands for the sections in the rendered template, which is cut in two around it.
const BODY_MARK: &str = "<!--guidebook:print-body-->";

/// Whether the book gets a print page: not when one of its own pages has that URL.
pub(super) fn wanted(book: &Book) -> bool {
    !book.pages.iter().any(|page| page.url == PRINT_URL)
}

/// The warning when a page of the book is at `/print/`.
pub(super) fn taken_warning(book: &Book) -> Diagnostic {
    let mut warning = Diagnostic::warning(
        "this page is at /print/, where guidebook puts the whole book on one page; \
         the book gets no print page",
    )
    .hint("rename the file (or set its `slug`) to keep both");
    if let Some(file) = book
        .pages
        .iter()
        .find(|page| page.url == PRINT_URL)
        .and_then(|page| page.display_path())
    {
        warning = warning.in_file(file);
    }
    warning
}

impl Renderer<'_> {
    /// Page `index`'s section of the print page.
    pub(super) fn print_section(
        &self,
        index: usize,
        page_scope: LinkScope<'_>,
        body: &mut RenderedBody,
    ) -> String {
        let page = &self.book.pages[index];
        let scope = LinkScope {
            print: Some(&page.url),
            ..page_scope
        };
        let content = self.body.render_for_print(&page.parsed.doc, scope, body);
        let (heading_html, heading_id) = match &page.parsed.doc.heading {
            Some(heading) => (
                self.body.inline_html(&heading.content, scope),
                print_id(&page.url, Some(&heading.id)),
            ),
            None => (escape(&page.title), print_id(&page.url, Some("title"))),
        };
        let part = self
            .book
            .ancestors(index)
            .into_iter()
            .filter(|&i| self.book.pages[i].kind == PageKind::Part)
            .map(|i| escape(&self.book.pages[i].title))
            .collect::<Vec<_>>()
            .join(" · ");
        let mut section = format!(
            "<section class=\"print-section print-{}\" id=\"{}\" aria-labelledby=\"{}\">\n<header class=\"print-section-header\">\n",
            kind_class(page.kind),
            escape(&print_id(&page.url, None)),
            escape(&heading_id),
        );
        if !part.is_empty() {
            section.push_str(&format!("<p class=\"print-part\">{part}</p>\n"));
        }
        section.push_str(&format!(
            "<h1 id=\"{}\">{heading_html}</h1>\n",
            escape(&heading_id)
        ));
        if let Some(description) = page.description(&self.book.config) {
            section.push_str(&format!(
                "<p class=\"page-description\">{}</p>\n",
                escape(description)
            ));
        }
        section.push_str("</header>\n");
        section.push_str(&content);
        section.push_str("</section>\n");
        section
    }

    /// The print page from every page's section, or `None` when the book has none.
    pub(super) fn print_page(
        &self,
        pages: &[RenderedPage],
    ) -> Result<Option<(String, Joined)>, Diagnostic> {
        if !self.print {
            return Ok(None);
        }
        let linker = Linker::From(PRINT_URL);
        let toc = contents(self.book, self.book.top_level());
        let mut context =
            context::print_context(self.book, &self.book_context, &self.version, linker, toc);
        context.page.content = BODY_MARK.to_string();
        let html = self.theme.templates.render("print.html", &context)?;
        let mut parts: Vec<Bytes> = Vec::with_capacity(pages.len() + 2);
        match html.split_once(BODY_MARK) {
            Some((opening, closing)) => {
                parts.push(Bytes::from(opening.to_string()));
                parts.extend(pages.iter().filter_map(|page| page.print.clone()));
                parts.push(Bytes::from(closing.to_string()));
            }
            // A template of the book's own that leaves the sections out.
            None => parts.push(Bytes::from(html)),
        }
        Ok(Some((
            format!("{PRINT_URL}index.html"),
            Joined::new(parts, b""),
        )))
    }
}

fn kind_class(kind: PageKind) -> &'static str {
    match kind {
        PageKind::Home => "home",
        PageKind::Part => "part",
        PageKind::Chapter | PageKind::Index | PageKind::Practice => "chapter",
    }
}

/// The print page's contents: every page, parts holding theirs.
fn contents(book: &Book, pages: &[usize]) -> Vec<TocItem> {
    pages
        .iter()
        .filter(|&&index| !book.pages[index].kind.is_study())
        .map(|&index| {
            let page = &book.pages[index];
            TocItem {
                title: page.title.clone(),
                number: None,
                href: format!("#{}", urls::encode_fragment(&print_id(&page.url, None))),
                children: contents(book, &page.children),
            }
        })
        .collect()
}
