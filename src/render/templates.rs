//! The template engine: built-in Tera templates, overridable by the book's own.
//!
//! Input: the book's `templates/` folder (optional). Output: a [`Templates`] that renders
//! typed contexts. Built-in templates are compiled into the binary and registered under the
//! `builtin/` prefix; Tera looks a name up in the book first and falls back to the built-in
//! one, so a book replaces a whole template by giving a file the same name, or overrides a
//! single block with `{% extends "builtin/page.html" %}`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, ErrorKind, Tera};
use walkdir::WalkDir;

use super::html::{CalloutContext, CalloutTemplates};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// The prefix of built-in template names.
const BUILTIN_PREFIX: &str = "builtin/";

/// The built-in templates, embedded at compile time.
const BUILTIN: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("home.html", include_str!("../../templates/home.html")),
    ("part.html", include_str!("../../templates/part.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("print.html", include_str!("../../templates/print.html")),
    (
        "index-page.html",
        include_str!("../../templates/index-page.html"),
    ),
    (
        "practice.html",
        include_str!("../../templates/practice.html"),
    ),
    ("callout.html", include_str!("../../templates/callout.html")),
    (
        "partials/header.html",
        include_str!("../../templates/partials/header.html"),
    ),
    (
        "partials/sidebar.html",
        include_str!("../../templates/partials/sidebar.html"),
    ),
    (
        "partials/breadcrumbs.html",
        include_str!("../../templates/partials/breadcrumbs.html"),
    ),
    (
        "partials/page-header.html",
        include_str!("../../templates/partials/page-header.html"),
    ),
    (
        "partials/toc.html",
        include_str!("../../templates/partials/toc.html"),
    ),
    (
        "partials/toc-list.html",
        include_str!("../../templates/partials/toc-list.html"),
    ),
    (
        "partials/toc-inline.html",
        include_str!("../../templates/partials/toc-inline.html"),
    ),
    (
        "partials/pager.html",
        include_str!("../../templates/partials/pager.html"),
    ),
    (
        "partials/actions.html",
        include_str!("../../templates/partials/actions.html"),
    ),
    (
        "partials/practice-toggle.html",
        include_str!("../../templates/partials/practice-toggle.html"),
    ),
    (
        "partials/footer.html",
        include_str!("../../templates/partials/footer.html"),
    ),
    (
        "partials/components.html",
        include_str!("../../templates/partials/components.html"),
    ),
];

/// The names of the built-in templates a book can override.
pub(crate) fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTIN.iter().map(|(name, _)| *name)
}

/// Where a template came from.
#[derive(Debug, Clone)]
enum Origin {
    Builtin,
    Book(PathBuf),
}

/// The loaded templates.
pub(crate) struct Templates {
    tera: Tera,
    sources: HashMap<String, (Origin, Arc<str>)>,
    /// A hash of the book's templates (names and texts): equal means the same templates.
    fingerprint: u64,
}

impl Templates {
    /// Loads the built-in templates and the book's `templates/` folder; also returns warnings
    /// (a book template that overrides nothing). When the book's templates are the ones
    /// `previous` was made from, `previous` is returned instead of compiling them again.
    pub(crate) fn load(
        book_root: &Path,
        templates_dir: &Path,
        previous: Option<&Arc<Templates>>,
    ) -> Result<(Arc<Self>, Diagnostics), Diagnostics> {
        let mut diags = Diagnostics::new();
        let book = book_templates(book_root, templates_dir, &mut diags);
        let fingerprint = {
            let mut hasher = crate::fingerprint::Fingerprint::new();
            for (name, _, text) in &book {
                std::hash::Hash::hash(&(name, text), &mut hasher);
            }
            std::hash::Hasher::finish(&hasher)
        };
        for (name, path, _) in &book {
            let display = path.strip_prefix(book_root).unwrap_or(path);
            if name.ends_with(".html")
                && !is_known_name(name)
                && let Some(hint) = near_miss(name)
            {
                diags.push(
                    Diagnostic::warning(format!(
                        "`{}` does not override a built-in template",
                        display.display()
                    ))
                    .in_file(display)
                    .hint(hint),
                );
            }
        }
        if diags.has_errors() {
            return Err(diags);
        }
        if let Some(previous) = previous.filter(|p| p.fingerprint == fingerprint) {
            return Ok((Arc::clone(previous), diags));
        }
        match Self::compile(book_root, book, fingerprint) {
            Ok(templates) => Ok((Arc::new(templates), diags)),
            Err(error) => {
                diags.push(error);
                Err(diags)
            }
        }
    }

    /// A hash of the book's templates.
    pub(crate) fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    fn compile(
        book_root: &Path,
        book: Vec<(String, PathBuf, String)>,
        fingerprint: u64,
    ) -> Result<Self, Diagnostic> {
        let mut tera = Tera::new();
        tera.set_fallback_prefixes([BUILTIN_PREFIX])
            .expect("set before any template is added");
        tera.autoescape_on([".html", ".xml"]);
        let mut sources = HashMap::new();
        let mut raw: Vec<(String, String)> = Vec::new();
        for (name, text) in BUILTIN {
            let full = format!("{BUILTIN_PREFIX}{name}");
            sources.insert(full.clone(), (Origin::Builtin, Arc::from(*text)));
            raw.push((full, (*text).to_string()));
        }
        for (name, path, text) in book {
            let display = path.strip_prefix(book_root).unwrap_or(&path).to_path_buf();
            sources.insert(
                name.clone(),
                (Origin::Book(display), Arc::from(text.as_str())),
            );
            raw.push((name, text));
        }
        if let Err(error) = tera.add_raw_templates(raw) {
            return Err(template_diagnostic(&sources, &error));
        }
        Ok(Self {
            tera,
            sources,
            fingerprint,
        })
    }

    /// Renders template `name` with a typed context.
    pub(crate) fn render(
        &self,
        name: &str,
        context: &impl Serialize,
    ) -> Result<String, Diagnostic> {
        let context =
            Context::from_serialize(context).map_err(|e| template_diagnostic(&self.sources, &e))?;
        self.tera
            .render(name, &context)
            .map_err(|e| template_diagnostic(&self.sources, &e))
    }

    /// Whether the book or the built-in set has a template with this name.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }
}

/// A diagnostic naming the template file and line.
fn template_diagnostic(
    sources: &HashMap<String, (Origin, Arc<str>)>,
    error: &tera::Error,
) -> Diagnostic {
    if let ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) = error.kind() {
        let at = sources
            .get(report.filename())
            .map(|(_, text)| (report.filename(), text, report.span().range.clone()));
        return located(sources, report.message(), at);
    }
    let mut message = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        cause = inner.source();
    }
    // Tera reports missing filters, tests and functions as text shaped like
    // "error: <message>\n --> <template>:<line>:<column>": point at that place ourselves.
    if let Some((first, name, line, column)) = parse_report(&message)
        && let Some((_, text)) = sources.get(name)
    {
        let start = crate::diagnostics::offset_of(text, line, column);
        let end = text[start..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(text.len(), |i| start + i.max(1));
        return located(sources, first, Some((name, text, start..end)));
    }
    Diagnostic::error(format!("template error: {message}"))
}

/// A template diagnostic at `at` = (template name, its text, byte range).
fn located(
    sources: &HashMap<String, (Origin, Arc<str>)>,
    message: &str,
    at: Option<(&str, &Arc<str>, std::ops::Range<usize>)>,
) -> Diagnostic {
    let hint = if message.starts_with("Unknown") {
        "check the name: docs/templates.md lists the filters, functions and fields templates can use"
    } else {
        "docs/templates.md describes the template syntax and the fields each template receives"
    };
    let diag = Diagnostic::error(format!("template error: {message}")).hint(hint);
    let Some((name, text, range)) = at else {
        return diag;
    };
    let file = match sources.get(name).map(|(origin, _)| origin) {
        Some(Origin::Book(path)) => path.clone(),
        _ => PathBuf::from(format!(
            "(built-in) {}",
            name.trim_start_matches(BUILTIN_PREFIX)
        )),
    };
    diag.in_file(file).at(text, range)
}

/// The first "error: …" and its "--> name:line:col" from a report Tera rendered as text.
fn parse_report(report: &str) -> Option<(&str, &str, usize, usize)> {
    let mut lines = report.lines();
    let message = lines.find_map(|l| l.trim().strip_prefix("error: "))?;
    let location = lines.find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = location.rsplitn(3, ':');
    let column = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.trim().parse().ok()?;
    let name = parts.next()?.trim();
    Some((message.trim(), name, line, column))
}

impl CalloutTemplates for Templates {
    fn render_callout(&self, context: &CalloutContext<'_>) -> Result<String, String> {
        let specific = format!("callouts/{}.html", context.kind);
        let name = if self.has(&specific) {
            specific.as_str()
        } else {
            "callout.html"
        };
        self.render(name, context).map_err(|d| match d.location() {
            Some(location) => format!("{} ({location})", d.message),
            None => d.message,
        })
    }
}

/// "did you mean `page.html`?" for a name one or two typos away from a built-in template
/// (a helper template with its own name is not a typo).
fn near_miss(name: &str) -> Option<String> {
    let stem = name.trim_end_matches(".html");
    builtin_names()
        .map(|builtin| {
            (
                strsim::osa_distance(stem, builtin.trim_end_matches(".html")),
                builtin,
            )
        })
        .filter(|(distance, _)| *distance > 0 && distance * 4 <= stem.chars().count())
        .min()
        .map(|(_, builtin)| format!("did you mean `{builtin}`?"))
}

fn is_known_name(name: &str) -> bool {
    builtin_names().any(|n| n == name)
        || name.starts_with("callouts/")
        || name.starts_with("partials/")
}

/// The `.html` and `.xml` files under the book's `templates/` (hidden ones skipped), as
/// (name, path, text).
fn book_templates(
    root: &Path,
    dir: &Path,
    diags: &mut Diagnostics,
) -> Vec<(String, PathBuf, String)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for entry in WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let Ok(rel) = path.strip_prefix(dir) else {
            continue;
        };
        let is_template = rel
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("xml"));
        if !is_template || crate::discover::is_hidden_path(rel) {
            continue;
        }
        let name = crate::model::path_to_url(rel);
        match std::fs::read(path).map(String::from_utf8) {
            Ok(Ok(text)) => found.push((name, path.to_path_buf(), text)),
            Ok(Err(e)) => diags.push(crate::text::not_utf8(
                path.strip_prefix(root).unwrap_or(path),
                e.as_bytes(),
            )),
            Err(e) => diags.push(
                Diagnostic::error(format!("could not read the template: {e}"))
                    .in_file(path.strip_prefix(root).unwrap_or(path)),
            ),
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::near_miss;

    #[test]
    fn only_near_misses_are_warned_about() {
        assert_eq!(
            near_miss("pages.html").as_deref(),
            Some("did you mean `page.html`?")
        );
        assert_eq!(
            near_miss("callot.html").as_deref(),
            Some("did you mean `callout.html`?")
        );
        // Swapped letters count as one edit (regression: `pgae.html` went unnoticed).
        assert_eq!(
            near_miss("pgae.html").as_deref(),
            Some("did you mean `page.html`?")
        );
        assert_eq!(near_miss("mine.html"), None);
        assert_eq!(near_miss("glossary.html"), None);
    }
}
