//! Links between pages: checked and resolved, never rewritten.
//!
//! Input: the assembled [`Book`]. Output: for every page, a [`PageLinks`] record of what each
//! of its links and images leads to ([`Target`]: a page and an id on it, or a file of the
//! site) and, for empty link text, what fills it (the target's title, heading or callout
//! title, numbered when the target numbers its sections; an external link's address), plus a
//! diagnostic for every link to a missing page, id or file, with the closest target: an
//! error, or a warning with `[build] broken-links = "warn"` (the link is then left as
//! written). The trees stay as parsed: the HTML and the twins both build their hrefs and
//! texts from these records, each in its own way.

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash as _, Hasher as _};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::config::{BrokenLinks, CalloutRegistry};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity, closest};
use crate::discover::INDEX_FILE;
use crate::markdown::Parsed;
use crate::markdown::ast::{Inline, Link, walk_inlines};
use crate::markdown::headings::{Anchor, AnchorTarget};
pub(crate) use crate::model::links::{PageLinks, Resolution, Target};
use crate::model::{Book, Page};
use crate::urls;

/// Resolves every link in the book, recording the results on each page.
/// With a memo (the preview), a page whose tree is unchanged, in a book whose link targets
/// (pages, their ids and texts, files) are unchanged, keeps its earlier results.
pub(crate) fn resolve(book: &mut Book, memo: Option<&mut LinkMemo>) -> Diagnostics {
    let environment = memo.is_some().then(|| environment(book));
    let remembered = memo
        .as_deref()
        .filter(|memo| Some(memo.environment) == environment);
    let reused: Vec<Option<Resolved>> = book
        .pages
        .iter()
        .map(|page| remembered.and_then(|memo| memo.get(page)))
        .collect();
    let results: Vec<Resolved> = if reused.iter().all(Option::is_some) {
        reused.into_iter().flatten().collect()
    } else {
        let resolver = Resolver::new(book);
        reused
            .into_par_iter()
            .enumerate()
            .map(|(index, reused)| {
                reused.unwrap_or_else(|| {
                    let (diagnostics, links) = resolver.resolve_page(index);
                    (diagnostics, Arc::new(links))
                })
            })
            .collect()
    };
    if let (Some(memo), Some(environment)) = (memo, environment) {
        memo.environment = environment;
        memo.pages = book
            .pages
            .iter()
            .zip(&results)
            .map(|(page, result)| (page.url.clone(), (Arc::clone(&page.parsed), result.clone())))
            .collect();
    }
    let mut diagnostics = Diagnostics::new();
    for (page, (diags, links)) in book.pages.iter_mut().zip(results) {
        diagnostics.extend(diags);
        page.links = links;
    }
    diagnostics
}

/// The results of an earlier run, by page URL, and the book they were found in.
#[derive(Debug, Default)]
pub(crate) struct LinkMemo {
    environment: u64,
    pages: HashMap<String, (Arc<Parsed>, Resolved)>,
}

/// One page's links resolved: its problems and its links.
type Resolved = (Vec<Diagnostic>, Arc<PageLinks>);

impl LinkMemo {
    fn get(&self, page: &Page) -> Option<Resolved> {
        let (parsed, result) = self.pages.get(&page.url)?;
        Arc::ptr_eq(parsed, &page.parsed).then(|| result.clone())
    }
}

/// A hash of everything links resolve against: the configuration, every page's place, URL,
/// title and ids with their texts, the book's files, drafts and pages that failed.
fn environment(book: &Book) -> u64 {
    let mut hasher = crate::fingerprint::Fingerprint::new();
    book.config.fingerprint().hash(&mut hasher);
    for page in &book.pages {
        (
            &page.url,
            &page.title,
            page.source.as_ref().map(|s| &s.file.rel),
            page.parsed.anchors_fingerprint,
            page.numbers.fingerprint(),
        )
            .hash(&mut hasher);
    }
    for asset in &book.assets {
        (&asset.rel, &asset.output).hash(&mut hasher);
    }
    (&book.left_out, &book.failed).hash(&mut hasher);
    let mut folders: Vec<_> = book.by_folder.iter().collect();
    folders.sort();
    folders.hash(&mut hasher);
    hasher.finish()
}

struct Resolver<'a> {
    book: &'a Book,
    assets: HashMap<&'a Path, &'a str>,
    left_out: BTreeSet<&'a Path>,
    /// Each page's anchors by id (pages with thousands of headings and links to them must
    /// not cost quadratic time).
    anchors: Vec<std::sync::OnceLock<HashMap<&'a str, &'a Anchor>>>,
    /// How many more "did you mean" searches may run: each compares a broken target with
    /// every page or heading, so a book with thousands of broken links stops suggesting
    /// rather than take quadratic time.
    suggestions_left: AtomicUsize,
    /// How bad a broken link is (`[build] broken-links`).
    severity: Severity,
}

/// The most "did you mean" searches one build runs.
const SUGGESTION_BUDGET: usize = 2_000;

struct Problem {
    message: String,
    label: String,
    hint: Option<String>,
    /// The path is fine; the `#fragment` is not.
    in_fragment: bool,
}

impl<'a> Resolver<'a> {
    fn new(book: &'a Book) -> Self {
        Self {
            book,
            assets: book
                .assets
                .iter()
                .map(|a| (a.rel.as_path(), a.output.as_str()))
                .collect(),
            left_out: book.left_out.iter().map(PathBuf::as_path).collect(),
            anchors: (0..book.pages.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            suggestions_left: AtomicUsize::new(SUGGESTION_BUDGET),
            severity: match book.config.build.broken_links {
                BrokenLinks::Error => Severity::Error,
                BrokenLinks::Warn => Severity::Warning,
            },
        }
    }

    /// The anchors of page `index` by id (the first of each id), indexed when first needed.
    fn anchors_of(&self, index: usize) -> &HashMap<&'a str, &'a Anchor> {
        self.anchors[index].get_or_init(|| {
            let mut ids = HashMap::new();
            for anchor in &self.book.pages[index].parsed.anchors {
                ids.entry(anchor.id.as_str()).or_insert(anchor);
            }
            ids
        })
    }

    /// The closest of `candidates` to `word`, while the suggestion budget lasts.
    fn closest(&self, word: &str, candidates: impl FnOnce() -> Vec<String>) -> Option<String> {
        let spent =
            self.suggestions_left
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                    left.checked_sub(1)
                });
        if spent.is_err() {
            return None;
        }
        let candidates = candidates();
        closest(word, candidates.iter().map(String::as_str)).map(str::to_string)
    }

    fn resolve_page(&self, index: usize) -> (Vec<Diagnostic>, PageLinks) {
        let page = &self.book.pages[index];
        let mut diagnostics = Vec::new();
        let mut resolved = HashMap::new();
        let Some(source) = &page.source else {
            return (diagnostics, PageLinks::default());
        };
        let dir = source
            .file
            .rel
            .parent()
            .unwrap_or(Path::new(""))
            .to_path_buf();
        walk_inlines(&page.parsed.doc, &mut |inline| {
            let (link, is_image) = match inline {
                Inline::Link(link) => (link, false),
                Inline::Image(link) => (link, true),
                _ => return,
            };
            let empty = !is_image && link.content.iter().all(is_blank);
            let mut resolution = Resolution::default();
            match self.resolve_link(index, &dir, link, is_image) {
                Ok(Some(target)) => {
                    if empty && !link.autolink {
                        resolution.fill = self.fill_text(&target);
                    }
                    if !is_image {
                        resolution.preview = self.preview(&target);
                    }
                    resolution.target = Some(target);
                }
                // An external link with no text shows its address; so does a broken one
                // left as written (`broken-links = "warn"`).
                Ok(None) => {
                    if empty && !link.dest.is_empty() {
                        resolution.fill = Some(vec![Inline::Text(link.dest.clone())]);
                    }
                }
                Err(problem) => {
                    diagnostics.push(self.diagnostic(page, link, problem));
                    if empty {
                        resolution.fill = Some(vec![Inline::Text(link.dest.clone())]);
                    }
                }
            }
            if resolution != Resolution::default() {
                resolved.insert(link.span.start, resolution);
            }
        });
        (diagnostics, PageLinks::new(resolved))
    }

    fn diagnostic(&self, page: &Page, link: &Link, problem: Problem) -> Diagnostic {
        let source = page
            .source
            .as_ref()
            .expect("only pages with sources have links");
        let text = &source.file.text;
        // Point at the part of the destination that is wrong: the path, or the `#fragment`.
        let (path, fragment) = match link.dest.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (link.dest.as_str(), None),
        };
        let wrong = match fragment {
            Some(fragment) if problem.in_fragment || path.is_empty() => format!("#{fragment}"),
            _ => path.to_string(),
        };
        let span = text
            .get(link.span.clone())
            .and_then(|written| written.rfind(&wrong))
            .map(|i| link.span.start + i..link.span.start + i + wrong.len())
            .unwrap_or_else(|| link.span.clone());
        Diagnostic {
            severity: self.severity,
            ..Diagnostic::error(problem.message)
        }
        .in_file(&source.file.display)
        .at(text, span)
        .label(problem.label)
        .maybe_hint(problem.hint)
    }

    /// Resolves one link; `Ok(None)` leaves it as written (external, empty, root-relative).
    fn resolve_link(
        &self,
        index: usize,
        dir: &Path,
        link: &Link,
        is_image: bool,
    ) -> Result<Option<Target>, Problem> {
        let dest = link.dest.trim();
        if dest.is_empty() || urls::is_external(dest) || dest.starts_with('/') {
            return Ok(None);
        }
        // `#` alone (and `page.md#`) means the top of the page.
        let (path, fragment) = match dest.split_once('#') {
            Some((path, "")) => (path, None),
            Some((path, fragment)) => (path, Some(urls::decode(fragment))),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or("");
        if path.is_empty() {
            if let Some(fragment) = &fragment {
                self.check_fragment(index, fragment, None)?;
            }
            return Ok(Some(self.page_target(index, index, fragment)));
        }
        let decoded = urls::decode(path);
        let Some(resolved) = normalize(&dir.join(&decoded)) else {
            return Err(Problem {
                message: format!("`{decoded}` points outside the content folder"),
                label: "outside the book".into(),
                hint: Some(
                    "link to files inside the content folder, or use a full https:// URL".into(),
                ),
                in_fragment: false,
            });
        };
        if self.book.failed.contains(&resolved) {
            // That file's own error is reported; a second one here would only be noise.
            return Ok(None);
        }
        if crate::discover::is_markdown(&resolved) && !is_image {
            let target = self.page_for(index, &resolved, dir, &decoded)?;
            if let Some(fragment) = &fragment {
                self.check_fragment(target, fragment, Some(&decoded))?;
            }
            return Ok(Some(self.page_target(index, target, fragment)));
        }
        if decoded.ends_with('/') || resolved.as_os_str().is_empty() {
            // A folder: its `_index.md`, else the part page generated for it.
            let target = self
                .book
                .by_source
                .get(&resolved.join(INDEX_FILE))
                .or_else(|| self.book.by_folder.get(&resolved));
            if let Some(&target) = target {
                if let Some(fragment) = &fragment {
                    self.check_fragment(target, fragment, Some(&decoded))?;
                }
                return Ok(Some(self.page_target(index, target, fragment)));
            }
        }
        match self.assets.get(resolved.as_path()) {
            Some(output) => Ok(Some(Target::File((*output).to_string()))),
            None => Err(self.missing_asset(&resolved, dir, &decoded, is_image)),
        }
    }

    fn page_for(
        &self,
        from: usize,
        resolved: &Path,
        dir: &Path,
        written: &str,
    ) -> Result<usize, Problem> {
        if let Some(&index) = self.book.by_source.get(resolved) {
            return Ok(index);
        }
        if self.left_out.contains(resolved) {
            return Err(Problem {
                message: format!("`{written}` is a draft, left out of this build"),
                label: "links to a draft".into(),
                hint: Some("build with `--drafts`, or remove `draft = true` from that page".into()),
                in_fragment: false,
            });
        }
        let hint = self
            .closest_page(from, dir, written)
            .map(|c| format!("did you mean `{c}`?"))
            .unwrap_or_else(|| {
                "write the path of a `.md` file in the content folder, relative to this file"
                    .to_string()
            });
        Err(Problem {
            message: format!("link to a missing page `{written}`"),
            label: "no such file in the content folder".into(),
            hint: Some(hint),
            in_fragment: false,
        })
    }

    /// The page closest to what was `written` (never the linking page itself), as a path
    /// relative to `dir`.
    fn closest_page(&self, from: usize, dir: &Path, written: &str) -> Option<String> {
        let own = self.book.pages[from].source.as_ref().map(|s| &s.file.rel);
        self.closest(written, || {
            self.book
                .by_source
                .keys()
                .filter(|p| Some(*p) != own)
                .map(|p| crate::paths::relative(dir, p))
                .collect()
        })
    }

    /// What another tool's link form would be here: `./routing` or `routing.mdx` when
    /// `routing.md` exists, `routing/` when `routing.md` exists but no such folder, `routing`
    /// when `routing/` is a part.
    fn foreign_form(&self, resolved: &Path, written: &str) -> Option<String> {
        let bare = written.trim_end_matches('/');
        let stem = resolved.to_string_lossy();
        let stem = stem.strip_suffix(".mdx").unwrap_or(&stem);
        let written_stem = bare.strip_suffix(".mdx").unwrap_or(bare);
        let with_md = PathBuf::from(format!("{stem}.md"));
        if self.book.by_source.contains_key(&with_md) || self.book.failed.contains(&with_md) {
            return Some(format!("{written_stem}.md"));
        }
        if !written.ends_with('/') && self.book.by_folder.contains_key(resolved) {
            return Some(format!("{written}/"));
        }
        None
    }

    fn missing_asset(&self, resolved: &Path, dir: &Path, written: &str, is_image: bool) -> Problem {
        let foreign = (!is_image)
            .then(|| self.foreign_form(resolved, written))
            .flatten();
        let candidates = || {
            self.assets
                .keys()
                .map(|p| crate::paths::relative(dir, p))
                .collect()
        };
        let hint = foreign
            .or_else(|| self.closest(written, candidates))
            .map(|c| format!("did you mean `{c}`?"))
            .or_else(|| {
                Some(format!(
                    "put the file at `{}` in the content folder, or fix the path",
                    resolved.display()
                ))
            });
        Problem {
            message: if is_image {
                format!("image `{written}` not found")
            } else {
                format!("link to a missing file `{written}`")
            },
            label: "no such file in the content folder".into(),
            hint,
            in_fragment: false,
        }
    }

    fn check_fragment(
        &self,
        target: usize,
        fragment: &str,
        written_page: Option<&str>,
    ) -> Result<(), Problem> {
        let anchors = &self.book.pages[target].parsed.anchors;
        if self.anchors_of(target).contains_key(fragment) {
            return Ok(());
        }
        let on = match written_page {
            Some(page) => format!("`{page}`"),
            None => "this page".into(),
        };
        let ids: Vec<&str> = anchors.iter().map(|a| a.id.as_str()).collect();
        let hint = match self.closest(fragment, || ids.iter().map(|id| id.to_string()).collect()) {
            Some(id) => Some(format!("did you mean `#{id}`?")),
            None if ids.is_empty() => Some(format!("{on} has no headings or callouts to link to")),
            None => Some(format!("ids on {on}: {}", list_ids(&ids))),
        };
        Err(Problem {
            message: format!("`#{fragment}` is not an id on {on}"),
            label: "no heading, callout or question with this id".into(),
            hint,
            in_fragment: true,
        })
    }

    /// The text an empty link to `target` shows: the target's anchor text, else its title
    /// (nothing for a file).
    fn fill_text(&self, target: &Target) -> Option<Vec<Inline>> {
        let Target::Page { page, fragment, .. } = target else {
            return None;
        };
        Some(
            match fragment
                .as_deref()
                .and_then(|f| self.anchors_of(*page).get(f).copied())
            {
                Some(anchor) => anchor_text(
                    anchor,
                    self.book.pages[*page].numbers.get(&anchor.id),
                    &self.book.config.callouts,
                ),
                None => vec![Inline::Text(self.book.pages[*page].title.clone())],
            },
        )
    }

    /// What a link to a callout previews: the callout's first paragraph.
    fn preview(&self, target: &Target) -> Option<String> {
        let Target::Page {
            page,
            fragment: Some(fragment),
            ..
        } = target
        else {
            return None;
        };
        let anchor = self.anchors_of(*page).get(fragment.as_str())?;
        if !matches!(anchor.target, AnchorTarget::Callout { .. }) || anchor.summary.is_empty() {
            return None;
        }
        let mut text = String::new();
        self.preview_text(*page, &anchor.summary_content, &mut text);
        Some(shorten(
            &crate::markdown::headings::one_line(&text),
            PREVIEW_CHARS,
        ))
    }

    /// Plain text of inlines of page `page`, its empty links filled in as they are there.
    fn preview_text(&self, page: usize, inlines: &[Inline], out: &mut String) {
        for inline in inlines {
            match inline {
                Inline::Link(link) if link.content.iter().all(is_blank) => {
                    let dir = self.book.pages[page]
                        .source
                        .as_ref()
                        .and_then(|s| s.file.rel.parent())
                        .unwrap_or(Path::new(""))
                        .to_path_buf();
                    let fill = match self.resolve_link(page, &dir, link, false) {
                        Ok(Some(target)) => self.fill_text(&target),
                        _ => None,
                    };
                    match fill {
                        Some(fill) => out.push_str(&crate::markdown::ast::plain_text(&fill)),
                        None => out.push_str(&link.dest),
                    }
                }
                Inline::Link(link) => self.preview_text(page, &link.content, out),
                Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => {
                    self.preview_text(page, c, out);
                }
                other => out.push_str(&crate::markdown::ast::plain_text(std::slice::from_ref(
                    other,
                ))),
            }
        }
    }

    /// A link to page `to` (and an id on it) from page `from`.
    fn page_target(&self, from: usize, to: usize, fragment: Option<String>) -> Target {
        let page = &self.book.pages[to];
        Target::Page {
            page: to,
            url: page.url.clone(),
            twin: page.twin_path(),
            fragment,
            same_page: from == to,
        }
    }
}

fn is_blank(inline: &Inline) -> bool {
    matches!(inline, Inline::Text(t) if t.trim().is_empty())
}

/// How long a link's preview may be, in characters.
const PREVIEW_CHARS: usize = 280;

/// `text` cut after at most `max` characters, at a space, with `…`.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':', ' ']))
}

/// How many ids a hint lists before it says how many more there are.
const LISTED_IDS: usize = 6;

/// `` `#a`, `#b`, … and 3 more ``.
fn list_ids(ids: &[&str]) -> String {
    let mut listed: Vec<String> = ids
        .iter()
        .take(LISTED_IDS)
        .map(|id| format!("`#{id}`"))
        .collect();
    if ids.len() > LISTED_IDS {
        listed.push(format!("… and {} more", ids.len() - LISTED_IDS));
    }
    listed.join(", ")
}

/// The inline content of an anchor as link text: a heading's number and text, a callout's
/// title (its label when it has none; "War Story 3: Title" when its kind is numbered), a
/// question's prompt; without links.
fn anchor_text(anchor: &Anchor, numbered: Option<u32>, callouts: &CalloutRegistry) -> Vec<Inline> {
    let mut content = Vec::new();
    if let Some(number) = &anchor.number {
        content.push(Inline::Text(format!("{number} ")));
    }
    let label = || match &anchor.target {
        AnchorTarget::Callout { kind, label } => label
            .clone()
            .or_else(|| callouts.get(kind).map(|k| k.label.clone()))
            .unwrap_or_else(|| kind.clone()),
        _ => String::new(),
    };
    if let Some(number) = numbered {
        if anchor.content.is_empty() {
            content.push(Inline::Text(format!("{} {number}", label())));
        } else {
            content.push(Inline::Text(format!("{} {number}: ", label())));
            content.extend(unlink(anchor.content.clone()));
        }
        return content;
    }
    if anchor.content.is_empty() {
        let fallback = match &anchor.target {
            AnchorTarget::Callout { .. } => label(),
            AnchorTarget::Details => "Details".into(),
            AnchorTarget::Heading { .. } | AnchorTarget::Question => anchor.text.clone(),
        };
        content.push(Inline::Text(fallback));
        return content;
    }
    content.extend(unlink(anchor.content.clone()));
    content
}

/// Links cannot nest: links inside copied heading text give way to their content, and
/// footnote references are dropped. Images keep their address as written, without their
/// place in the other page's file.
fn unlink(inlines: Vec<Inline>) -> Vec<Inline> {
    inlines
        .into_iter()
        .flat_map(|inline| match inline {
            Inline::Link(link) => unlink(link.content),
            Inline::Image(image) => vec![Inline::Image(Link {
                span: 0..0,
                content: unlink(image.content),
                ..image
            })],
            Inline::FootnoteRef(_) => Vec::new(),
            Inline::Emphasis(c) => vec![Inline::Emphasis(unlink(c))],
            Inline::Strong(c) => vec![Inline::Strong(unlink(c))],
            Inline::Strikethrough(c) => vec![Inline::Strikethrough(unlink(c))],
            other => vec![other],
        })
        .collect()
}

/// Resolves `.` and `..` without touching the disk; `None` when it climbs above the root.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(part) => out.push(part),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_previews_are_cut_at_a_space() {
        assert_eq!(shorten("short text", 280), "short text");
        assert_eq!(shorten("one two three", 9), "one two…");
        assert_eq!(shorten("one, two", 6), "one…");
    }

    #[test]
    fn normalizing_paths() {
        assert_eq!(
            normalize(Path::new("a/../b/./c.md")),
            Some(PathBuf::from("b/c.md"))
        );
        assert_eq!(normalize(Path::new("../x.md")), None);
    }

    #[test]
    fn relative_paths_between_folders() {
        assert_eq!(
            crate::paths::relative(Path::new("02-apis"), Path::new("01-intro.md")),
            "../01-intro.md"
        );
        assert_eq!(
            crate::paths::relative(Path::new(""), Path::new("02-apis/01-rest.md")),
            "02-apis/01-rest.md"
        );
        assert_eq!(
            crate::paths::relative(Path::new("02-apis"), Path::new("02-apis/img/a.png")),
            "img/a.png"
        );
    }
}
