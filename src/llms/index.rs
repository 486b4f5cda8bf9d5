//! The book's index for LLM tools: `llms.txt`, one `llms.txt` per part, and the
//! `/.well-known/llms.txt` mirror.
//!
//! Input: the linked [`Book`]. Output: those files, following llmstxt.org: an H1 title, the
//! description as a quote, an optional intro, then `##` sections of `- [Title](URL): note`
//! entries, and `## Optional` last for pages a tool may skip. The root file stays under
//! [`ROOT_LIMIT`] characters: past that it lists each part's own file instead of its pages.

use std::fmt::Write as _;

use super::{one_line, text};
use crate::frontmatter::LlmsVisibility;
use crate::model::{Book, Page, PageKind};
use crate::site::SiteFile;
use crate::urls;

/// The index's file name, at the root and in every part's folder.
pub(crate) const LLMS_TXT: &str = "llms.txt";

/// Where agents that follow RFC 8615 look for it.
pub(crate) const WELL_KNOWN_LLMS_TXT: &str = ".well-known/llms.txt";

/// The most characters the root `llms.txt` may hold before it links part files instead of
/// pages (tools read it whole; llmstxt.org asks for a file that fits a context window).
pub(crate) const ROOT_LIMIT: usize = 50_000;

/// `llms.txt`, its `.well-known` mirror, and each part's `llms.txt`.
pub(crate) fn files(book: &Book) -> Vec<SiteFile> {
    let root = root_file(book);
    let mut files = vec![
        SiteFile::new(LLMS_TXT, root.clone()),
        SiteFile::new(WELL_KNOWN_LLMS_TXT, root),
    ];
    for (index, page) in book.pages.iter().enumerate() {
        if page.kind == PageKind::Part {
            files.push(SiteFile::new(part_file_path(page), part_file(book, index)));
        }
    }
    files
}

/// The site path of a part's own `llms.txt`.
pub(crate) fn part_file_path(part: &Page) -> String {
    format!("{}{LLMS_TXT}", part.url)
}

/// The root `llms.txt`: every page, or, when that would pass [`ROOT_LIMIT`], the top-level
/// pages and a link to each part's file.
pub(crate) fn root_file(book: &Book) -> String {
    let full = root_listing(book, Listing::Pages);
    if full.chars().count() <= ROOT_LIMIT {
        return full;
    }
    root_listing(book, Listing::PartFiles)
}

#[derive(Clone, Copy, PartialEq)]
enum Listing {
    Pages,
    PartFiles,
}

fn root_listing(book: &Book, listing: Listing) -> String {
    let config = &book.config;
    let mut out = heading(&config.book.title, config.book.description.as_deref());
    if let Some(intro) = &config.llms.intro {
        let _ = writeln!(out, "{}\n", intro.trim());
    }
    let mut lists = Lists::default();
    let home = &book.pages[0];
    if listed(home) {
        lists.push(book, home, false, Section::Overview);
    }
    let mut part_files = String::new();
    for &top in book.top_level() {
        let page = &book.pages[top];
        if page.kind != PageKind::Part {
            lists.push(book, page, false, Section::Overview);
        } else if listing == Listing::PartFiles {
            part_files.push_str(&part_file_entry(book, top));
        } else {
            let title = text(&page.title);
            lists.sections.push((title, String::new()));
            let section = lists.sections.len() - 1;
            lists.push_part(book, top, false, Section::Part(section));
        }
    }
    if !lists.overview.is_empty() {
        let _ = writeln!(out, "## Overview\n\n{}", lists.overview);
    }
    if !part_files.is_empty() {
        let _ = writeln!(out, "## Parts\n\n{part_files}");
    }
    finish(out, lists)
}

/// A part's `llms.txt`: its own page and chapters under `## Chapters`, each nested part as a
/// section of its own.
fn part_file(book: &Book, index: usize) -> String {
    let part = &book.pages[index];
    let mut out = heading(&part.title, part.front.description.as_deref());
    let _ = writeln!(
        out,
        "Part of [{}]({}).\n",
        text(&book.config.book.title),
        urls::absolute(base(book), LLMS_TXT)
    );
    let optional = inherited_optional(book, index);
    let mut lists = Lists::default();
    lists.sections.push(("Chapters".into(), String::new()));
    if listed(part) {
        lists.push(book, part, optional, Section::Part(0));
    }
    for &child in &part.children {
        let page = &book.pages[child];
        if page.kind == PageKind::Part {
            lists.sections.push((text(&page.title), String::new()));
            let section = lists.sections.len() - 1;
            lists.push_part(book, child, optional, Section::Part(section));
        } else {
            lists.push(book, page, optional, Section::Part(0));
        }
    }
    finish(out, lists)
}

/// Whether a part, or one of the parts around it, asks to be listed as optional.
fn inherited_optional(book: &Book, index: usize) -> bool {
    book.ancestors(index)
        .into_iter()
        .chain([index])
        .any(|i| book.pages[i].front.llms == LlmsVisibility::Optional)
}

/// `# Title` and the `> description` line.
fn heading(title: &str, description: Option<&str>) -> String {
    let mut out = format!("# {}\n\n", text(title));
    if let Some(description) = description {
        let _ = writeln!(out, "> {}\n", text(description));
    }
    out
}

/// The sections, then `## Optional`, with one newline at the end.
fn finish(mut out: String, lists: Lists) -> String {
    for (title, list) in lists.sections {
        if !list.is_empty() {
            let _ = writeln!(out, "## {title}\n\n{list}");
        }
    }
    if !lists.optional.is_empty() {
        let _ = writeln!(out, "## Optional\n\n{}", lists.optional);
    }
    let mut out = out.trim_end().to_string();
    out.push('\n');
    out
}

/// Which list an entry goes to.
#[derive(Clone, Copy)]
enum Section {
    Overview,
    Part(usize),
}

/// The entries of one file, by section.
#[derive(Default)]
struct Lists {
    overview: String,
    sections: Vec<(String, String)>,
    optional: String,
}

impl Lists {
    fn push(&mut self, book: &Book, page: &Page, inherited_optional: bool, section: Section) {
        let line = entry(book, page);
        // Pages made from the whole book repeat what the chapters say: optional reading.
        if inherited_optional || page.front.llms == LlmsVisibility::Optional || page.kind.is_study()
        {
            self.optional.push_str(&line);
        } else {
            match section {
                Section::Overview => self.overview.push_str(&line),
                Section::Part(i) => self.sections[i].1.push_str(&line),
            }
        }
    }

    /// A part's own page and everything under it, flattened in reading order.
    fn push_part(&mut self, book: &Book, index: usize, optional: bool, section: Section) {
        let page = &book.pages[index];
        let optional = optional || page.front.llms == LlmsVisibility::Optional;
        if listed(page) {
            self.push(book, page, optional, section);
        }
        for &child in &page.children {
            if book.pages[child].kind == PageKind::Part {
                self.push_part(book, child, optional, section);
            } else {
                self.push(book, &book.pages[child], optional, section);
            }
        }
    }
}

/// Where site paths point from llms.txt: the base URL, else the site root.
fn base(book: &Book) -> &str {
    book.config.book.base_or_root()
}

/// A page as an entry: `- [Title](URL): description`.
fn entry(book: &Book, page: &Page) -> String {
    let url = urls::absolute(base(book), &page.twin_path());
    line(&page.title, &url, page.front.description.as_deref())
}

/// A part's file as an entry of the root file, with how many pages it lists.
fn part_file_entry(book: &Book, index: usize) -> String {
    let part = &book.pages[index];
    let url = urls::absolute(base(book), &part_file_path(part));
    let pages = count_pages(book, index);
    let count = if pages == 1 {
        "1 page".to_string()
    } else {
        format!("{pages} pages")
    };
    let note = match &part.front.description {
        Some(description) => format!("{} ({count})", one_line(description)),
        None => count,
    };
    line(&part.title, &url, Some(&note))
}

fn count_pages(book: &Book, index: usize) -> usize {
    let page = &book.pages[index];
    usize::from(listed(page))
        + page
            .children
            .iter()
            .map(|&child| match book.pages[child].kind {
                PageKind::Part => count_pages(book, child),
                _ => 1,
            })
            .sum::<usize>()
}

fn line(title: &str, url: &str, note: Option<&str>) -> String {
    match note {
        Some(note) => format!("- [{}]({url}): {}\n", text(title), text(note)),
        None => format!("- [{}]({url})\n", text(title)),
    }
}

/// A page goes into llms.txt when it says something of its own (generated part pages only
/// list their chapters, which are listed anyway).
fn listed(page: &Page) -> bool {
    page.kind == PageKind::Chapter || page.source.is_some()
}
