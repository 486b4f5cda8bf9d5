//! LLM exports: `llms.txt`, `llms-full.txt` and a Markdown twin of every page.
//!
//! Input: the linked [`Book`] (the same trees the HTML was rendered from; nothing is read or
//! parsed again). Output: site files. `llms.txt` follows llmstxt.org: the book's title, its
//! description as a quote, an optional intro, then one `##` section per part listing each
//! page's twin, and `## Optional` for pages marked `llms = "optional"`.

mod markdown_writer;
mod memo;
mod twin;

use std::fmt::Write as _;

use rayon::prelude::*;

pub(crate) use self::memo::ExportMemo;
use self::memo::PageExports;
use self::twin::{LinkStyle, twin, twin_body};
use crate::frontmatter::LlmsVisibility;
use crate::model::{Book, Page, PageKind};
use crate::site::{Bytes, Joined, SiteFile};
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
    let llms_txt = match memo {
        Some(memo) => {
            memo.keep(book, &keys, &pages);
            memo.llms_txt(book, || Bytes::from(llms_txt(book)))
        }
        None => Bytes::from(llms_txt(book)),
    };
    let mut files: Vec<SiteFile> = book
        .pages
        .iter()
        .zip(&pages)
        .map(|(page, exports)| SiteFile::new(page.twin_path(), exports.twin.clone()))
        .collect();
    files.push(SiteFile::new(LLMS_TXT, llms_txt));
    let full = book.config.llms.full.then(|| {
        let parts = pages.iter().map(|p| p.full_chunk.clone()).collect();
        (LLMS_FULL_TXT, Joined::new(parts, b"\n"))
    });
    Exports { files, full }
}

/// The LLM exports of a book.
#[derive(Debug, Default)]
pub(crate) struct Exports {
    /// Each page's twin, then `llms.txt`.
    pub(crate) files: Vec<SiteFile>,
    /// `llms-full.txt` (when configured), kept in one piece per page.
    pub(crate) full: Option<(&'static str, Joined)>,
}

/// A page's twin and its part of `llms-full.txt`.
fn page_exports(book: &Book, index: usize) -> PageExports {
    PageExports {
        twin: Bytes::from(twin(book, index, LinkStyle::Relative)),
        full_chunk: Bytes::from(full_chunk(book, index)),
    }
}

const LLMS_TXT: &str = "llms.txt";
const LLMS_FULL_TXT: &str = "llms-full.txt";

/// Where site paths point from llms.txt: the base URL, else the site root.
fn base(book: &Book) -> &str {
    book.config.book.base_or_root()
}

/// A page as an llms.txt entry: `- [Title](URL): description`.
fn entry(book: &Book, page: &Page) -> String {
    let url = urls::absolute(base(book), &page.twin_path());
    let title = text(&page.title);
    match &page.front.description {
        Some(description) => format!("- [{title}]({url}): {}\n", text(description)),
        None => format!("- [{title}]({url})\n"),
    }
}

/// Titles and descriptions as Markdown text: one line, markup characters escaped.
fn text(value: &str) -> String {
    markdown_writer::escape_text(&one_line(value))
}

/// A page goes into llms.txt when it says something of its own (generated part pages only
/// list their chapters, which are listed anyway).
fn listed(page: &Page) -> bool {
    page.kind == PageKind::Chapter || page.source.is_some()
}

/// `llms.txt`.
pub(crate) fn llms_txt(book: &Book) -> String {
    let config = &book.config;
    let mut out = format!("# {}\n\n", text(&config.book.title));
    if let Some(description) = &config.book.description {
        let _ = writeln!(out, "> {}\n", text(description));
    }
    if let Some(intro) = &config.llms.intro {
        let _ = writeln!(out, "{}\n", intro.trim());
    }
    let mut optional = String::new();
    let mut overview = String::new();
    let home = &book.pages[0];
    if listed(home) {
        push_entry(book, home, false, &mut overview, &mut optional);
    }
    let mut sections: Vec<(String, String)> = Vec::new();
    for &top in book.top_level() {
        let page = &book.pages[top];
        if page.kind == PageKind::Part {
            let part_optional = page.front.llms == LlmsVisibility::Optional;
            let mut list = String::new();
            push_part(book, top, part_optional, &mut list, &mut optional);
            if !list.is_empty() {
                sections.push((text(&page.title), list));
            }
        } else {
            push_entry(book, page, false, &mut overview, &mut optional);
        }
    }
    if !overview.is_empty() {
        let _ = writeln!(out, "## Overview\n\n{overview}");
    }
    for (title, list) in sections {
        let _ = writeln!(out, "## {title}\n\n{list}");
    }
    if !optional.is_empty() {
        let _ = writeln!(out, "## Optional\n\n{optional}");
    }
    let mut out = out.trim_end().to_string();
    out.push('\n');
    out
}

fn push_entry(
    book: &Book,
    page: &Page,
    inherited_optional: bool,
    list: &mut String,
    optional: &mut String,
) {
    // Pages made from the whole book repeat what the chapters say: optional reading.
    if inherited_optional || page.front.llms == LlmsVisibility::Optional || page.kind.is_study() {
        optional.push_str(&entry(book, page));
    } else {
        list.push_str(&entry(book, page));
    }
}

/// A part's own page and everything under it, flattened in reading order.
fn push_part(
    book: &Book,
    index: usize,
    part_optional: bool,
    list: &mut String,
    optional: &mut String,
) {
    let page = &book.pages[index];
    let part_optional = part_optional || page.front.llms == LlmsVisibility::Optional;
    if listed(page) {
        push_entry(book, page, part_optional, list, optional);
    }
    for &child in &page.children {
        if book.pages[child].kind == PageKind::Part {
            push_part(book, child, part_optional, list, optional);
        } else {
            push_entry(book, &book.pages[child], part_optional, list, optional);
        }
    }
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
