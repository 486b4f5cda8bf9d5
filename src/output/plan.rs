//! Output planning: which file of the site each source writes, and the checks that every
//! file has exactly one.
//!
//! Input: the book and the list of (site path, writer) pairs a run produces. Output: the
//! copies a site needs (content assets, then the book's `static/`), and diagnostics for two
//! writers of one path, a file where a folder must be, names that clash on macOS and
//! Windows, and files in the folders the site reserves.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::{Copy, SITE_MARKER};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Book;
use crate::site::reserved_folder;

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
    copies.extend(super::folder_copies(
        &book.config.build.static_dir,
        Path::new("static"),
        warnings,
    )?);
    let root = &book.config.root;
    let book_folder = crate::paths::Bounds::new(&[root]);
    copies.retain(|copy| {
        let inside = book_folder.contains(&copy.from);
        if !inside {
            let shown = copy.from.strip_prefix(root).unwrap_or(&copy.from);
            warnings.push(crate::discover::outside_the_book(shown));
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
            let folded = if prefix.is_ascii() {
                prefix.to_ascii_lowercase()
            } else {
                prefix.nfc().collect::<String>().to_lowercase()
            };
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
#[derive(Debug, Clone, Copy)]
pub(crate) enum Writer<'a> {
    /// A page (its HTML or its twin), by index in the book.
    Page(usize),
    /// A file guidebook makes (the 404 page, theme assets, llms.txt, …).
    Generated,
    /// A file of the content folder (path from the book folder).
    Content(&'a Path),
    /// A file of `static/` (path from the book folder).
    Static(&'a Path),
    /// A `[redirects]` rule, by its index in the configuration.
    Redirect(usize),
}

/// Every file of the site must have one writer: two pages (or a page and a content file)
/// writing the same path, a file where another needs a folder, or a page inside a folder
/// the site reserves, is an error naming both. Files in `static/` may replace generated
/// files (the theme's stylesheet, robots.txt, `_redirects`, …) but not pages or redirect
/// pages.
pub(crate) fn check_outputs(book: &Book, writers: &[(String, Writer<'_>)]) -> Diagnostics {
    let rules = &book.config.redirects.rules;
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
                diag.in_file(crate::config::CONFIG_FILE)
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
    for (path, writer) in writers {
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
    for (path, writer) in writers {
        let rel = match writer {
            Writer::Content(rel) | Writer::Static(rel) => rel,
            _ => continue,
        };
        if path == SITE_MARKER {
            diagnostics.push(
                Diagnostic::error(format!(
                    "`{}` would replace `{}`, the file by which guidebook knows the site folder is its own",
                    rel.display(),
                    SITE_MARKER
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
                .in_file(crate::config::CONFIG_FILE)
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
