//! LLM exports: `llms.txt`, `llms-full.txt` and a Markdown twin of every page.
//!
//! Input: the linked [`Book`] (the same trees the HTML was rendered from; nothing is read or
//! parsed again). Output: site files. `llms.txt` follows llmstxt.org: the book's title, its
//! description as a quote, an optional intro, then one `##` section per part listing each
//! page's twin, and `## Optional` for pages marked `llms = "optional"`.

mod index;
mod markdown_writer;
mod memo;
mod twin;

#[cfg(test)]
mod tests;

use rayon::prelude::*;

pub(crate) use self::index::LLMS_TXT;
pub(crate) use self::memo::ExportMemo;
use self::memo::PageExports;
use self::twin::{LinkStyle, twin, twin_body};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Book;
use crate::site::{Joined, SiteFile, shrunk};
use crate::urls;

/// Blocks of page `source` as Markdown for the generated page `at`, with links from `base`.
pub(crate) fn blocks_markdown(
    book: &Book,
    at: usize,
    source: usize,
    blocks: &[crate::markdown::ast::Block],
    base: &str,
) -> String {
    twin::blocks_markdown(book, at, source, blocks, base)
}

/// Descriptions are one line in llms.txt and twins.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every LLM export of the book, as configured in `[llms]`, reusing what `memo` holds of an
/// earlier run for pages made from the same inputs.
pub(crate) fn exports(book: &Book, memo: Option<&mut ExportMemo>) -> Exports {
    let settings = &book.config.llms;
    if !settings.enabled {
        return Exports::default();
    }
    let keys = memo::page_keys(book);
    let reused: Vec<Option<PageExports>> = (0..book.pages.len())
        .map(|index| {
            memo.as_deref()
                .and_then(|memo| memo.get(&book.pages[index], keys[index]))
        })
        .collect();
    let pages: Vec<PageExports> = reused
        .into_par_iter()
        .enumerate()
        .map(|(index, reused)| reused.unwrap_or_else(|| page_exports(book, index)))
        .collect();
    let index_files = match memo {
        Some(memo) => {
            memo.keep(book, &keys, &pages);
            memo.index_files(book, || index::files(book))
        }
        None => index::files(book),
    };
    let warnings = oversized_twins(book, &pages);
    let mut files: Vec<SiteFile> = book
        .pages
        .iter()
        .zip(&pages)
        .map(|(page, exports)| SiteFile::new(page.twin_path(), exports.twin.clone()))
        .collect();
    files.extend(index_files);
    files.push(SiteFile::new(HEADERS_FILE, headers_file(book)));
    let full = book.config.llms.full.then(|| {
        let parts = pages.iter().map(|p| p.full_chunk.clone()).collect();
        (LLMS_FULL_TXT, Joined::new(parts, b"\n"))
    });
    Exports {
        files,
        full,
        warnings,
    }
}

/// The LLM exports of a book.
#[derive(Debug, Default)]
pub(crate) struct Exports {
    /// Each page's twin (in page order, first), then the `llms.txt` files and `_headers`.
    pub(crate) files: Vec<SiteFile>,
    /// `llms-full.txt` (when configured), kept in one piece per page.
    pub(crate) full: Option<(&'static str, Joined)>,
    /// Twins too long for most tools to read whole.
    pub(crate) warnings: Diagnostics,
}

/// A page's twin and its part of `llms-full.txt`.
fn page_exports(book: &Book, index: usize) -> PageExports {
    PageExports {
        twin: shrunk(twin(book, index, LinkStyle::Relative)),
        full_chunk: shrunk(full_chunk(book, index)),
    }
}

const LLMS_FULL_TXT: &str = "llms-full.txt";

/// Where site paths point from llms.txt: the base URL, else the site root.
fn base(book: &Book) -> &str {
    book.config.book.base_or_root()
}

/// Past this many characters a twin is too long for many tools to read in one go.
pub(crate) const TWIN_LIMIT: usize = 100_000;

/// A warning for each page whose twin passes [`TWIN_LIMIT`].
fn oversized_twins(book: &Book, pages: &[PageExports]) -> Diagnostics {
    let mut warnings = Diagnostics::new();
    for (page, exports) in book.pages.iter().zip(pages) {
        if exports.twin.len() <= TWIN_LIMIT {
            continue;
        }
        let chars = String::from_utf8_lossy(&exports.twin).chars().count();
        if chars <= TWIN_LIMIT {
            continue;
        }
        let mut warning = Diagnostic::warning(format!(
            "the Markdown twin of this page is {chars} characters long, more than the \
             {TWIN_LIMIT} that LLM tools can be expected to read whole"
        ))
        .hint("split the chapter into smaller pages, or mark it `llms = \"optional\"`");
        if let Some(source) = &page.source {
            warning = warning.in_file(&source.file.display);
        }
        warnings.push(warning);
    }
    warnings
}

/// The `_headers` file (Netlify, Cloudflare Pages): every response names the book's
/// `llms.txt` in a `Link: <…>; rel="describedby"` header, as the preview does.
const HEADERS_FILE: &str = "_headers";

fn headers_file(book: &Book) -> String {
    let path_prefix = book
        .config
        .book
        .base_url
        .as_deref()
        .and_then(|base| base.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|slash| &rest[slash..]))
        .unwrap_or("/");
    format!(
        "{path_prefix}*\n  Link: <{}>; rel=\"describedby\"; type=\"text/plain\"\n",
        urls::absolute(base(book), index::LLMS_TXT)
    )
}

/// Titles and descriptions as Markdown text: one line, markup characters escaped.
fn text(value: &str) -> String {
    markdown_writer::escape_text(&one_line(value))
}

/// A page's part of `llms-full.txt` (every twin in reading order, each opened by its title
/// and source URL).
fn full_chunk(book: &Book, index: usize) -> String {
    let base = base(book);
    let page = &book.pages[index];
    let title = match &page.parsed.doc.heading {
        Some(heading) => text(&crate::markdown::ast::plain_text(&heading.content)),
        None => text(&page.title),
    };
    format!(
        "# {title}\n\nSource: {}\n\n{}",
        urls::absolute(base, &page.url),
        twin_body(book, index, LinkStyle::Based(base))
    )
}
