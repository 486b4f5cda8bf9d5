//! Search: a chunked full-text index of the rendered pages, built in-process by Pagefind.
//!
//! Input: each page's rendered HTML (the `<article data-pagefind-body>` is what gets indexed;
//! navigation, table of contents and page chrome are outside it or marked
//! `data-pagefind-ignore`). Output: the `pagefind/` folder of the site: the browser library,
//! its WebAssembly, and the index split into small chunks, so a first query downloads a few
//! hundred kilobytes whatever the size of the book. Every `##`/`###` with an id becomes a
//! sub-result that links to its anchor.

use anyhow::{Context as _, anyhow};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostics::Diagnostic;
use crate::model::Book;
use crate::site::{Bytes, SEARCH_DIR, SiteData, SiteFile, SiteFiles};

/// One page to index.
#[derive(Debug, Clone)]
pub(crate) struct SearchPage {
    /// The site-relative URL with a leading `/` (`/apis/rest/`).
    pub(crate) url: String,
    /// The page's HTML.
    pub(crate) html: Bytes,
}

/// One result that is not a page of its own: an entry of an index page.
#[derive(Debug, Clone)]
pub(crate) struct SearchRecord {
    /// Where the result leads, with a leading `/` (`/glossary/#cargo-culting`).
    pub(crate) url: String,
    /// The result's title.
    pub(crate) title: String,
    /// Its text.
    pub(crate) content: String,
}

/// Everything the search index holds: whole pages, and single entries of index pages.
#[derive(Debug, Clone, Default)]
pub(crate) struct SearchInput {
    /// Pages indexed from their HTML.
    pub(crate) pages: Vec<SearchPage>,
    /// One result each.
    pub(crate) records: Vec<SearchRecord>,
}

impl SearchInput {
    /// What the search index holds of a built site: each page's URL and HTML, and a
    /// record per entry of the index pages (which are not indexed whole, nor is the
    /// practice page: its questions are found on their chapters). It shares the pages'
    /// HTML with `files` (each page is let go once indexed).
    pub(crate) fn of(book: &Book, files: &SiteFiles) -> Self {
        let pages = book
            .pages
            .iter()
            .filter(|page| !page.kind.is_study())
            .filter_map(|page| match files.get(&page.output_path()) {
                Some(SiteData::Bytes(html)) => Some(SearchPage {
                    url: format!("/{}", page.url),
                    html: html.clone(),
                }),
                _ => None,
            })
            .collect();
        Self {
            pages,
            records: index_records(book),
        }
    }
}

/// The search records of the book's index pages: one per entry, at its place on the index
/// page, titled with its term and holding its first sentence and chapter.
pub(crate) fn index_records(book: &Book) -> Vec<SearchRecord> {
    let mut records = Vec::new();
    for list in &book.study.indexes {
        let page = &book.pages[list.page];
        for entry in &list.entries {
            records.push(SearchRecord {
                url: format!(
                    "/{}#{}",
                    crate::urls::encode_path(&page.url),
                    crate::urls::encode_fragment(&entry.anchor)
                ),
                title: entry.heading_text(),
                content: format!(
                    "{} {} ({}: {})",
                    entry.heading_text(),
                    entry.sentence(&book.pages[entry.page].links),
                    page.title,
                    book.pages[entry.page].title
                ),
            });
        }
    }
    records
}

/// Builds the index for `input`; returns the files of `pagefind/`, or `None` when `stop`
/// said so (it is asked before each page: the preview stops indexing a version of the book
/// that an edit has already replaced).
pub(crate) fn index(
    input: SearchInput,
    language: &str,
    stop: &dyn Fn() -> bool,
) -> anyhow::Result<Option<Vec<SiteFile>>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("could not start the search indexer")?;
    runtime.block_on(build(input, language, stop))
}

async fn build(
    input: SearchInput,
    language: &str,
    stop: &dyn Fn() -> bool,
) -> anyhow::Result<Option<Vec<SiteFile>>> {
    let SearchInput { pages, records } = input;
    let options = PagefindServiceConfig::builder()
        .force_language(primary_language(language))
        .keep_index_url(false)
        .build();
    let mut index = PagefindIndex::new(Some(options)).map_err(|e| anyhow!("search index: {e}"))?;
    for page in pages {
        if stop() {
            return Ok(None);
        }
        let html = without_code_markup(&String::from_utf8_lossy(&page.html));
        drop(page.html);
        index
            .add_html_file(None, Some(page.url.clone()), html)
            .await
            .map_err(|e| anyhow!("could not index `{}`: {e}", page.url))?;
    }
    for record in &records {
        let meta = std::collections::BTreeMap::from([("title".to_string(), record.title.clone())]);
        index
            .add_custom_record(
                record.url.clone(),
                record.content.clone(),
                primary_language(language),
                Some(meta),
                None,
                None,
            )
            .await
            .map_err(|e| anyhow!("could not index `{}`: {e}", record.url))?;
    }
    let files = index
        .get_files()
        .await
        .map_err(|e| anyhow!("could not build the search index: {e}"))?;
    let mut out: Vec<SiteFile> = files
        .into_iter()
        .filter(|file| needed(&file.filename.to_string_lossy()))
        .map(|file| SiteFile {
            path: format!("{SEARCH_DIR}/{}", crate::paths::path_to_url(&file.filename)),
            contents: file.contents.into(),
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Some(out))
}

/// A warning when pages carry no `data-pagefind-body` (a template that dropped it). Once
/// any page has it, Pagefind leaves the others out of the index; when none has it, it
/// indexes every page whole, so the navigation and the page chrome match every query.
pub(crate) fn unindexed(book: &Book, searchable: &[bool]) -> Option<Diagnostic> {
    // Pages made from the whole book are left out on purpose: their entries are indexed
    // one by one, and the practice page repeats the chapters' questions.
    let missing: Vec<&str> = book
        .pages
        .iter()
        .zip(searchable)
        .filter(|(page, _)| !page.kind.is_study())
        .filter(|(_, searchable)| !**searchable)
        .map(|(page, _)| page.url.as_str())
        .collect();
    let first = missing.first()?;
    if missing.len() == book.pages.iter().filter(|p| !p.kind.is_study()).count() {
        return Some(
            Diagnostic::warning(
                "no page's HTML has `data-pagefind-body`, so search indexes every page whole: its navigation and header match queries too",
            )
            .hint("put `data-pagefind-body` on the element that holds the page's text in your templates (the built-in ones put it on `<article>`)"),
        );
    }
    Some(
        Diagnostic::warning(format!(
            "{} page(s) cannot be found by search (`/{first}` among them): their HTML has no `data-pagefind-body`",
            missing.len()
        ))
        .hint("put `data-pagefind-body` on the element that holds the page's text in your templates (the built-in ones put it on `<article>`)"),
    )
}

/// `html` with the tags inside each `<pre>` left out and their text kept: highlighted code
/// is mostly `<span>`s, which Pagefind would parse one by one (most of a code-heavy page's
/// elements) only to keep their text.
fn without_code_markup(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = find_tag(rest, "<pre") {
        let Some(open_end) = rest[start..].find('>').map(|i| start + i + 1) else {
            break;
        };
        out.push_str(&rest[..open_end]);
        rest = &rest[open_end..];
        let end = rest.find("</pre>").unwrap_or(rest.len());
        push_text_only(&mut out, &rest[..end]);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The first `tag` (such as `<pre`) in `html` that is the whole tag name.
fn find_tag(html: &str, tag: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = html[from..].find(tag) {
        let at = from + found;
        match html.as_bytes().get(at + tag.len()) {
            Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/') => return Some(at),
            _ => from = at + tag.len(),
        }
    }
    None
}

/// Appends `html`'s text: everything outside `<…>`.
fn push_text_only(out: &mut String, html: &str) {
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        match rest[open..].find('>') {
            Some(close) => rest = &rest[open + close + 1..],
            None => return,
        }
    }
    out.push_str(rest);
}

/// Pagefind also ships ready-made search interfaces; guidebook has its own, so only the
/// library and the index are written.
fn needed(name: &str) -> bool {
    !(name.contains("-ui") || name.contains("highlight") || name.starts_with("playground"))
}

/// `en-GB` → `en`: Pagefind stems by ISO 639-1 language.
fn primary_language(language: &str) -> String {
    language
        .split(['-', '_'])
        .next()
        .filter(|l| !l.is_empty())
        .unwrap_or("en")
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_keep_their_text_and_lose_their_markup() {
        let html = r#"<p>a <b>b</b></p><pre class="code"><code><span class="hl-k">fn</span> f() -&gt; <span>u8</span></code></pre><preview><i>x</i></preview><pre>2</pre>"#;
        assert_eq!(
            without_code_markup(html),
            r#"<p>a <b>b</b></p><pre class="code">fn f() -&gt; u8</pre><preview><i>x</i></preview><pre>2</pre>"#
        );
        assert_eq!(without_code_markup("<pre"), "<pre");
        assert_eq!(without_code_markup("<pre>a<b"), "<pre>a");
    }

    #[test]
    fn indexing_stops_when_asked() {
        let input = SearchInput {
            pages: vec![SearchPage {
                url: "/a/".into(),
                html: Bytes::from_static(b"<html><body><article data-pagefind-body>A</article>"),
            }],
            records: Vec::new(),
        };
        let asked = std::cell::Cell::new(0);
        let stop = || {
            asked.set(asked.get() + 1);
            true
        };
        assert!(index(input, "en", &stop).unwrap().is_none());
        assert_eq!(asked.get(), 1);
    }

    #[test]
    fn languages() {
        assert_eq!(primary_language("en-GB"), "en");
        assert_eq!(primary_language("pt_BR"), "pt");
        assert_eq!(primary_language(""), "en");
    }

    #[test]
    fn indexes_sections_and_writes_only_the_library_and_index() {
        let html = r##"<html lang="en"><body><nav>Navigation words</nav><article data-pagefind-body>
<h1 data-pagefind-meta="title">Caching</h1><p>Intro.</p>
<h2 id="stampedes">Stampedes <a href="#stampedes" data-pagefind-ignore>#</a></h2><p>Thundering herd of requests.</p>
</article></body></html>"##;
        let files = index(
            SearchInput {
                pages: vec![SearchPage {
                    url: "/systems/caching/".into(),
                    html: Bytes::from_static(html.as_bytes()),
                }],
                records: vec![SearchRecord {
                    url: "/glossary/#idempotence".into(),
                    title: "Idempotence".into(),
                    content: "Idempotence Doing it twice changes nothing.".into(),
                }],
            },
            "en",
            &|| false,
        )
        .unwrap()
        .unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
        assert!(names.contains(&"pagefind/pagefind-entry.json"), "{names:?}");
        assert!(
            names.iter().any(|n| n.starts_with("pagefind/index/")),
            "{names:?}"
        );
        assert!(
            names.iter().any(|n| n.starts_with("pagefind/fragment/")),
            "{names:?}"
        );
        assert!(!names.iter().any(|n| n.contains("-ui")), "{names:?}");
        // The page's text is stored in its fragment; navigation and ignored parts are not.
        let fragments: String = files
            .iter()
            .filter(|f| f.path.starts_with("pagefind/fragment/"))
            .map(|f| {
                let mut text = String::new();
                let mut decoder = flate2::read::GzDecoder::new(&f.contents[..]);
                std::io::Read::read_to_string(&mut decoder, &mut text).unwrap_or_default();
                text
            })
            .collect();
        assert!(fragments.contains("Thundering herd"), "{fragments}");
        assert!(fragments.contains("twice changes nothing"), "{fragments}");
        assert!(fragments.contains("/glossary/#idempotence"), "{fragments}");
        assert!(!fragments.contains("Navigation words"), "{fragments}");
        assert!(
            fragments.contains("Stampedes Thundering"),
            "the heading anchor is ignored: {fragments}"
        );
    }
}
