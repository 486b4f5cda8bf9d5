//! Redirects: old site paths that lead to pages of the book (`[redirects]` in book.toml).
//!
//! Input: the linked [`Book`], whose configuration holds the rules. Output: each rule's target
//! page (an error at the rule's line in book.toml when there is none, with the closest page or
//! id), then a small HTML page per rule and one `_redirects` file for Netlify and Cloudflare
//! Pages.
//!
//! A redirect page works wherever the site is: its links are relative (under any path prefix,
//! and from disk), it refreshes with `<meta>` for browsers without JavaScript, and with
//! JavaScript it keeps the visitor's `#fragment`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::config::Redirect;
use crate::diagnostics::{Diagnostic, Diagnostics, closest};
use crate::discover::INDEX_FILE;
use crate::model::Book;
use crate::render::html::escape;
use crate::site::SiteFile;
use crate::urls;

/// The file listing every redirect for Netlify and Cloudflare Pages.
pub(crate) const REDIRECTS_FILE: &str = "_redirects";

/// A rule whose target is a page of the book.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    /// The rule's index in `config.redirects.rules`.
    pub(crate) rule: usize,
    /// The target page.
    pub(crate) page: usize,
}

/// Finds each rule's target page; a rule whose target is missing is an error.
pub(crate) fn resolve(book: &Book) -> (Vec<Resolved>, Diagnostics) {
    let mut resolved = Vec::new();
    let mut diagnostics = Diagnostics::new();
    for (index, rule) in book.config.redirects.rules.iter().enumerate() {
        match target(book, rule) {
            Ok(Some(page)) => resolved.push(Resolved { rule: index, page }),
            Ok(None) => {}
            Err((message, hint)) => diagnostics.push(
                Diagnostic::error(message)
                    .in_file(crate::config::CONFIG_FILE)
                    .at(&book.config.redirects.text, rule.target_span.clone())
                    .hint(hint),
            ),
        }
    }
    (resolved, diagnostics)
}

/// The page a rule leads to; `None` when that file failed to parse (its own error is
/// reported). The error is a message and a hint.
fn target(book: &Book, rule: &Redirect) -> Result<Option<usize>, (String, String)> {
    let written = rule.target.as_str();
    let path = normalize(written).ok_or_else(|| {
        (
            format!("the redirect target `{written}` is not a path inside the content folder"),
            "write the page's source path relative to the content folder, e.g. \"part/page.md\""
                .to_string(),
        )
    })?;
    if book.failed.contains(&path) {
        return Ok(None);
    }
    let page = book
        .by_source
        .get(&path)
        .or_else(|| {
            // A folder: its `_index.md`, else its generated part page.
            let folder = written.is_empty() || written.ends_with('/') || !path_has_extension(&path);
            folder
                .then(|| {
                    book.by_source
                        .get(&path.join(INDEX_FILE))
                        .or_else(|| book.by_folder.get(&path))
                })
                .flatten()
        })
        .copied();
    let Some(page) = page else {
        if book.left_out.contains(&path) {
            return Err((
                format!("the redirect target `{written}` is a draft, left out of this build"),
                "build with `--drafts`, or point the redirect at another page".into(),
            ));
        }
        let candidates: Vec<String> = book
            .by_source
            .keys()
            .map(|p| crate::model::path_to_url(p))
            .collect();
        let hint = closest(written, candidates.iter().map(String::as_str)).map_or_else(
            || {
                "write the page's source path relative to the content folder, e.g. \"part/page.md\""
                    .to_string()
            },
            |c| format!("did you mean `{c}`?"),
        );
        return Err((
            format!("the redirect target `{written}` is not a page of the book"),
            hint,
        ));
    };
    if let Some(fragment) = &rule.fragment {
        let anchors = &book.pages[page].parsed.anchors;
        if !anchors.iter().any(|a| &a.id == fragment) {
            let hint = closest(fragment, anchors.iter().map(|a| a.id.as_str())).map_or_else(
                || "remove the `#…` part, or give the heading or callout an id".to_string(),
                |id| format!("did you mean `#{id}`?"),
            );
            return Err((format!("`#{fragment}` is not an id on `{written}`"), hint));
        }
    }
    Ok(Some(page))
}

fn path_has_extension(path: &Path) -> bool {
    path.extension().is_some()
}

/// A content-relative path with `.` and `..` resolved; `None` when it is absolute or climbs
/// out of the content folder.
fn normalize(written: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in written.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if !out.pop() {
                    return None;
                }
            }
            part => out.push(part),
        }
    }
    (!written.starts_with('/') && !written.contains('\\')).then_some(out)
}

/// The redirect pages and the `_redirects` file (nothing when there are no rules).
pub(crate) fn files(book: &Book, resolved: &[Resolved]) -> Vec<SiteFile> {
    if resolved.is_empty() {
        return Vec::new();
    }
    let rules = &book.config.redirects.rules;
    let mut files: Vec<SiteFile> = resolved
        .iter()
        .map(|r| SiteFile::new(rules[r.rule].output.clone(), page(book, r)))
        .collect();
    files.push(SiteFile::new(REDIRECTS_FILE, netlify_file(book, resolved)));
    files
}

/// The folder URL a redirect page is served from: `old/path/` for `old/path/index.html`,
/// `` for `old.html`.
fn folder_url(output: &str) -> &str {
    output.rfind('/').map_or("", |i| &output[..=i])
}

/// One redirect page.
fn page(book: &Book, resolved: &Resolved) -> String {
    let rule = &book.config.redirects.rules[resolved.rule];
    let target = &book.pages[resolved.page];
    let href = urls::relative(folder_url(&rule.output), &target.url);
    let fragment = rule
        .fragment
        .as_ref()
        .map(|f| format!("#{}", urls::encode_fragment(f)))
        .unwrap_or_default();
    let canonical = match &book.config.book.base_url {
        Some(base) => urls::absolute(base, &target.url),
        None => href.clone(),
    };
    let title = escape(&target.title);
    let full = escape(&format!("{href}{fragment}"));
    let mut html = String::with_capacity(640);
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta http-equiv=\"refresh\" content=\"0; url={full}\">\n<script>location.replace({js_href} + (location.hash || {js_fragment}));</script>\n</head>\n<body>\n<p>This page has moved to <a href=\"{full}\">{title}</a>.</p>\n</body>\n</html>\n",
        lang = escape(&book.config.book.language),
        canonical = escape(&canonical),
        js_href = script_string(&href),
        js_fragment = script_string(&fragment),
    );
    html
}

/// A JavaScript string literal that is safe inside `<script>`.
fn script_string(text: &str) -> String {
    serde_json::Value::from(text)
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// `_redirects`: one `old new 301` line per rule, under the base URL's path prefix.
fn netlify_file(book: &Book, resolved: &[Resolved]) -> String {
    let prefix = book
        .config
        .book
        .base_url
        .as_deref()
        .and_then(|url| url.split_once("://"))
        .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
        .unwrap_or("/");
    let prefix = prefix.trim_end_matches('/');
    let mut out = String::from(
        "# Written by guidebook from [redirects] in book.toml (Netlify and Cloudflare Pages).\n",
    );
    for r in resolved {
        let rule = &book.config.redirects.rules[r.rule];
        let target = &book.pages[r.page];
        let fragment = rule
            .fragment
            .as_ref()
            .map(|f| format!("#{}", urls::encode_fragment(f)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{prefix}{} {prefix}/{}{fragment} 301",
            urls::encode_path(&rule.from),
            urls::encode_path(&target.url)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_urls_of_outputs() {
        assert_eq!(folder_url("old/path/index.html"), "old/path/");
        assert_eq!(folder_url("old.html"), "");
        assert_eq!(folder_url("a/old.html"), "a/");
    }

    #[test]
    fn targets_are_content_relative() {
        assert_eq!(normalize("part/./page.md"), Some("part/page.md".into()));
        assert_eq!(normalize("part/../page.md"), Some("page.md".into()));
        assert_eq!(normalize("../page.md"), None);
        assert_eq!(normalize("/part/page.md"), None);
        assert_eq!(normalize(r"part\page.md"), None);
    }

    #[test]
    fn script_strings_cannot_close_the_script() {
        assert_eq!(script_string("a</script>"), r#""a\u003c/script\u003e""#);
        assert_eq!(script_string("it\"s"), r#""it\"s""#);
    }
}
