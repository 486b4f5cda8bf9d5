//! Typed template contexts: everything a page template can read, as `Serialize` structs.
//!
//! Input: the book, one page and its rendered body. Output: a [`PageContext`], with every
//! link already made relative to that page. Templates see exactly these fields; a typo in a
//! template is an error, not a silently empty string.

use serde::Serialize;

use super::nav;
use crate::markdown::headings::Anchor;
use crate::model::{Book, Page, PageKind};
use crate::urls::{self, Linker};

/// What every page knows about the book.
#[derive(Debug, Serialize)]
pub(crate) struct BookContext {
    /// The book's title.
    pub(crate) title: String,
    /// Its description.
    pub(crate) description: Option<String>,
    /// `<html lang>`.
    pub(crate) language: String,
    /// Its authors.
    pub(crate) authors: Vec<String>,
    /// Its source repository.
    pub(crate) repository_url: Option<String>,
    /// "guidebook 0.1.0".
    pub(crate) generator: String,
    /// Whether the search box is shown.
    pub(crate) search: bool,
    /// Whether the book has a print page (`print/`), linked from the header.
    pub(crate) print: bool,
}

/// Links to the theme's files, relative to the page.
#[derive(Debug, Serialize)]
pub(crate) struct AssetLinks {
    /// The main stylesheet.
    pub(crate) css: String,
    /// The highlighting stylesheet.
    pub(crate) highlight_css: String,
    /// The main script.
    pub(crate) js: String,
    /// The navigation data.
    pub(crate) nav_js: String,
    /// The search bundle folder (ends with `/`).
    pub(crate) search_dir: String,
}

/// A page's kind as templates see it.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum KindView {
    /// The home page.
    Home,
    /// A part.
    Part,
    /// A chapter.
    Chapter,
    /// A generated index page (`index = "Glossary"`).
    Index,
    /// The generated practice page.
    Practice,
    /// The 404 page.
    #[serde(rename = "404")]
    NotFound,
    /// The print page (the whole book).
    Print,
}

/// The page being rendered.
#[derive(Debug, Serialize)]
pub(crate) struct PageInfo<'a> {
    /// What the page is (templates compare it with "home", "part", "chapter", "404").
    pub(crate) kind: KindView,
    /// The title, plain text (escaped by the template).
    pub(crate) title: &'a str,
    /// The visible heading as HTML (the body's leading `#` heading, or the escaped title).
    pub(crate) heading_html: String,
    /// The id of that heading, when it came from the body.
    pub(crate) heading_id: Option<&'a str>,
    /// The page's own description (front matter; the home page falls back to the book's).
    pub(crate) description: Option<&'a str>,
    /// The description for `<meta>` and OpenGraph: the page's own, else the book's.
    pub(crate) meta_description: Option<&'a str>,
    /// The body as HTML.
    pub(crate) content: String,
    /// The site-relative URL, with a leading `/`.
    pub(crate) url: String,
    /// The absolute URL, when the book has a base URL.
    pub(crate) canonical_url: Option<String>,
    /// "Edit this page", when configured.
    pub(crate) edit_url: Option<String>,
    /// The Markdown twin, relative to the page (when llms exports are on).
    pub(crate) twin_href: Option<String>,
    /// The book's `llms.txt` (when llms exports are on): absolute with a base URL, else
    /// relative to the page.
    pub(crate) llms_href: Option<String>,
    /// "Open in ChatGPT" and "Open in Claude": a prompt naming the twin's absolute URL
    /// (only when the book has a base URL, which an assistant can fetch).
    pub(crate) ask_links: Vec<LinkItem>,
    /// Whether the page has practice questions.
    pub(crate) has_questions: bool,
    /// The practice page, relative to this one, when this page has questions and the book a
    /// practice page.
    pub(crate) practice_href: Option<String>,
    /// The front matter's `extra` table.
    pub(crate) extra: &'a serde_json::Value,
    /// For a page made from the whole book: `index` or `practice` (`<main data-generated>`).
    pub(crate) generated: Option<&'static str>,
}

/// A link with its title.
#[derive(Debug, Serialize)]
pub(crate) struct LinkItem {
    /// Link text.
    pub(crate) title: String,
    /// Relative href.
    pub(crate) href: String,
}

/// An entry of a part's (or the home page's) contents list.
#[derive(Debug, Serialize)]
pub(crate) struct ChildItem {
    /// Title.
    pub(crate) title: String,
    /// Relative href.
    pub(crate) href: String,
    /// Description, if any.
    pub(crate) description: Option<String>,
    /// Whether it is a part.
    pub(crate) part: bool,
    /// Its own entries (parts only).
    pub(crate) children: Vec<ChildItem>,
}

/// One entry of the on-page table of contents.
#[derive(Debug, Serialize)]
pub(crate) struct TocItem {
    /// Heading text.
    pub(crate) title: String,
    /// Section number, when numbered.
    pub(crate) number: Option<String>,
    /// `#id`.
    pub(crate) href: String,
    /// `###` entries under a `##`.
    pub(crate) children: Vec<TocItem>,
}

/// Everything a page template receives.
#[derive(Debug, Serialize)]
pub(crate) struct PageContext<'a> {
    /// The book.
    pub(crate) book: &'a BookContext,
    /// The page.
    pub(crate) page: PageInfo<'a>,
    /// The book navigation (near the current page; the script fills in the rest).
    pub(crate) nav: Vec<nav::NavItem>,
    /// The page's table of contents.
    pub(crate) toc: Vec<TocItem>,
    /// The previous page in reading order.
    pub(crate) prev: Option<LinkItem>,
    /// The next page in reading order.
    pub(crate) next: Option<LinkItem>,
    /// The parts above the page.
    pub(crate) breadcrumbs: Vec<LinkItem>,
    /// For home and part pages: what they contain.
    pub(crate) children: Vec<ChildItem>,
    /// The path to the site root ("", "../../").
    pub(crate) root: String,
    /// The home page, relative to this page.
    pub(crate) home_href: String,
    /// Theme files.
    pub(crate) assets: AssetLinks,
    /// On an index page: its entries.
    pub(crate) index: Option<super::study::IndexView>,
    /// On the practice page: its questions.
    pub(crate) practice: Option<super::study::PracticeView>,
}

/// Inputs for building one page's context.
pub(crate) struct PageInputs<'a> {
    /// The book.
    pub(crate) book: &'a Book,
    /// The shared book context.
    pub(crate) book_context: &'a BookContext,
    /// The page's index.
    pub(crate) index: usize,
    /// The rendered body.
    pub(crate) content: String,
    /// The visible heading as HTML.
    pub(crate) heading_html: String,
    /// Whether the page has questions.
    pub(crate) has_questions: bool,
    /// Query string appended to asset links (cache busting).
    pub(crate) asset_version: &'a str,
    /// How the page links to the rest of the site.
    pub(crate) linker: Linker<'a>,
    /// On an index page: its entries.
    pub(crate) index_view: Option<super::study::IndexView>,
    /// On the practice page: its questions.
    pub(crate) practice_view: Option<super::study::PracticeView>,
}

/// The context for one page.
pub(crate) fn page_context<'a>(inputs: PageInputs<'a>) -> PageContext<'a> {
    let book = inputs.book;
    let page = &book.pages[inputs.index];
    let config = &book.config;
    let linker = inputs.linker;
    let link = |target: &Page| LinkItem {
        title: target.title.clone(),
        href: linker.href(&target.url),
    };
    let (prev, next) = book.neighbours(inputs.index);
    let canonical_url = config
        .book
        .base_url
        .as_ref()
        .map(|base| urls::absolute(base, &page.url));
    let edit_url = match (&config.book.edit_url_template, page.display_path()) {
        (Some(template), Some(path)) => Some(template.replace(
            "{path}",
            &urls::encode_path(&crate::model::path_to_url(path)),
        )),
        _ => None,
    };
    PageContext {
        book: inputs.book_context,
        page: PageInfo {
            kind: match page.kind {
                PageKind::Home => KindView::Home,
                PageKind::Part => KindView::Part,
                PageKind::Chapter => KindView::Chapter,
                PageKind::Index => KindView::Index,
                PageKind::Practice => KindView::Practice,
            },
            title: &page.title,
            heading_html: inputs.heading_html,
            heading_id: page.parsed.doc.heading.as_ref().map(|h| h.id.as_str()),
            description: page.description(config),
            meta_description: page
                .front
                .description
                .as_deref()
                .or(config.book.description.as_deref()),
            content: inputs.content,
            url: format!("/{}", page.url),
            canonical_url,
            edit_url,
            twin_href: config.llms.enabled.then(|| linker.href(&page.twin_path())),
            llms_href: llms_href(book, linker),
            ask_links: ask_links(book, page),
            has_questions: inputs.has_questions,
            practice_href: inputs
                .has_questions
                .then(|| book.pages.iter().find(|p| p.kind == PageKind::Practice))
                .flatten()
                .map(|practice| linker.href(&practice.url)),
            extra: &page.front.extra,
            generated: match page.kind {
                PageKind::Index => Some("index"),
                PageKind::Practice => Some("practice"),
                _ => None,
            },
        },
        nav: nav::sidebar(book, inputs.index, linker),
        toc: toc(&page.parsed.anchors),
        prev: prev.map(|i| link(&book.pages[i])),
        next: next.map(|i| link(&book.pages[i])),
        breadcrumbs: book
            .ancestors(inputs.index)
            .into_iter()
            .map(|i| link(&book.pages[i]))
            .collect(),
        children: page
            .children
            .iter()
            .map(|&i| child_item(book, linker, i))
            .collect(),
        root: linker.root(),
        home_href: linker.href(""),
        assets: asset_links(linker, inputs.asset_version),
        index: inputs.index_view,
        practice: inputs.practice_view,
    }
}

/// Where a page finds the book's `llms.txt`.
fn llms_href(book: &Book, linker: Linker<'_>) -> Option<String> {
    let config = &book.config;
    config.llms.enabled.then(|| match &config.book.base_url {
        Some(base) => urls::absolute(base, crate::llms::LLMS_TXT),
        None => linker.href(crate::llms::LLMS_TXT),
    })
}

/// The context of the print page (`print/index.html`): its contents list every page.
pub(crate) fn print_context<'a>(
    book: &'a Book,
    book_context: &'a BookContext,
    version: &str,
    linker: Linker<'_>,
    toc: Vec<TocItem>,
) -> PageContext<'a> {
    let mut context = not_found_context(book, book_context, version, linker);
    context.page.kind = KindView::Print;
    context.page.title = "The whole book";
    context.page.heading_html = escape_text(&book.config.book.title);
    context.page.description = Some("Every page on one page, answers shown, ready to print.");
    context.page.meta_description = book.config.book.description.as_deref();
    context.page.url = format!("/{}", super::html::PRINT_URL);
    context.toc = toc;
    context
}

fn escape_text(text: &str) -> String {
    super::html::escape(text)
}

/// Assistants that take a prompt in their URL, and where.
const ASSISTANTS: [(&str, &str); 2] = [
    ("Open in ChatGPT", "https://chatgpt.com/?q="),
    ("Open in Claude", "https://claude.ai/new?q="),
];

fn ask_links(book: &Book, page: &Page) -> Vec<LinkItem> {
    let config = &book.config;
    let Some(base) = config
        .book
        .base_url
        .as_deref()
        .filter(|_| config.llms.enabled)
    else {
        return Vec::new();
    };
    let twin = urls::absolute(base, &page.twin_path());
    let prompt = format!("Read {twin} so I can ask questions about it.");
    ASSISTANTS
        .iter()
        .map(|(title, url)| LinkItem {
            title: (*title).to_string(),
            href: format!("{url}{}", urls::encode_query_value(&prompt)),
        })
        .collect()
}

/// The context of `404.html`: a page of its own, linked from `linker`'s base.
pub(crate) fn not_found_context<'a>(
    book: &'a Book,
    book_context: &'a BookContext,
    version: &str,
    linker: Linker<'_>,
) -> PageContext<'a> {
    PageContext {
        book: book_context,
        page: PageInfo {
            kind: KindView::NotFound,
            title: "Page not found",
            heading_html: "Page not found".into(),
            heading_id: None,
            description: Some("This page does not exist."),
            meta_description: Some("This page does not exist."),
            content: String::new(),
            url: "/404.html".into(),
            canonical_url: None,
            edit_url: None,
            twin_href: None,
            llms_href: llms_href(book, linker),
            ask_links: Vec::new(),
            has_questions: false,
            practice_href: None,
            extra: &serde_json::Value::Null,
            generated: None,
        },
        nav: nav::sidebar(book, 0, linker),
        toc: Vec::new(),
        prev: None,
        next: None,
        breadcrumbs: Vec::new(),
        children: Vec::new(),
        root: linker.root(),
        home_href: linker.href(""),
        assets: asset_links(linker, version),
        index: None,
        practice: None,
    }
}

/// Theme file links from a page at `url`.
pub(crate) fn asset_links(linker: Linker<'_>, version: &str) -> AssetLinks {
    let link = |path: &str| format!("{}?v={version}", linker.href(path));
    AssetLinks {
        css: link("assets/guidebook.css"),
        highlight_css: link("assets/highlight.css"),
        js: link("assets/guidebook.js"),
        nav_js: link("assets/nav.js"),
        search_dir: format!("{}{}/", linker.root(), crate::site::SEARCH_DIR),
    }
}

fn child_item(book: &Book, linker: Linker<'_>, index: usize) -> ChildItem {
    let target = &book.pages[index];
    ChildItem {
        title: target.title.clone(),
        href: linker.href(&target.url),
        description: target.front.description.clone(),
        part: target.kind == PageKind::Part,
        children: target
            .children
            .iter()
            .map(|&i| child_item(book, linker, i))
            .collect(),
    }
}

/// The table of contents: top-level `##` with their `###`.
fn toc(anchors: &[Anchor]) -> Vec<TocItem> {
    let mut items: Vec<TocItem> = Vec::new();
    for anchor in anchors.iter().filter(|a| a.in_toc) {
        let item = TocItem {
            title: anchor.text.clone(),
            number: anchor.number.clone(),
            href: format!("#{}", urls::encode_fragment(&anchor.id)),
            children: Vec::new(),
        };
        match (anchor.heading_level(), items.last_mut()) {
            (Some(3), Some(parent)) => parent.children.push(item),
            _ => items.push(item),
        }
    }
    items
}
