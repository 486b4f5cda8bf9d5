//! Front matter: splits the TOML (`+++`) or YAML (`---`) block off the top of a page.
//!
//! Input: the text of one Markdown file. Output: the validated [`FrontMatter`] and the byte
//! offset where the Markdown body starts, or a diagnostic pointing into the block.
//!
//! The block is only recognised at byte 0 (after an optional byte-order mark): a `---` further
//! down is a thematic break, never metadata.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::config::{explain_serde_message, toml_error, value_hint};
use crate::diagnostics::{Diagnostic, did_you_mean, offset_of};

/// Whether a page (or part) goes into llms.txt's main list or under `## Optional`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LlmsVisibility {
    /// Listed with its part.
    #[default]
    Required,
    /// Listed under `## Optional`.
    Optional,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawFrontMatter {
    title: Option<String>,
    description: Option<String>,
    weight: Option<i64>,
    slug: Option<String>,
    #[serde(default)]
    draft: bool,
    number_sections: Option<bool>,
    extra: Option<serde_json::Value>,
    llms: Option<LlmsVisibility>,
}

/// The validated front matter of one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FrontMatter {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `weight`: order key inside the folder.
    pub weight: Option<i64>,
    /// `slug`: the URL segment.
    pub slug: Option<String>,
    /// `draft`: left out unless building with `--drafts`.
    pub draft: bool,
    /// `number-sections`: overrides the book's default.
    pub number_sections: Option<bool>,
    /// `extra`: free-form data for templates (a JSON object, or null).
    pub extra: serde_json::Value,
    /// `llms`: where llms.txt lists the page.
    pub llms: LlmsVisibility,
}

/// The result of splitting a page.
#[derive(Debug)]
pub(crate) struct Split {
    /// The front matter (default when the page has none).
    pub front: FrontMatter,
    /// Byte offset in the file text where the Markdown body starts.
    pub body_offset: usize,
}

#[derive(Clone, Copy)]
enum Format {
    Toml,
    Yaml,
}

/// Splits and validates the front matter of `text`, the content of `file`.
pub(crate) fn split(file: &Path, text: &Arc<str>) -> Result<Split, Diagnostic> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let (format, delimiter) = if is_delimiter_line(rest, "+++") {
        (Format::Toml, "+++")
    } else if is_delimiter_line(rest, "---") {
        (Format::Yaml, "---")
    } else {
        return Ok(Split {
            front: FrontMatter::default(),
            body_offset: start,
        });
    };
    let open_end = start + line_end(rest);
    let Some((close_start, close_end)) = find_closing(text, open_end, delimiter) else {
        return Err(Diagnostic::error("the front matter is never closed")
            .in_file(file)
            .at(text, start..start + 3)
            .label("opened here")
            .hint(format!(
                "add a line with only `{delimiter}` after the last front-matter line"
            )));
    };
    let block = &text[open_end..close_start];
    let raw = match format {
        Format::Toml => parse_toml(file, text, open_end, block)?,
        Format::Yaml => parse_yaml(file, text, open_end, block)?,
    };
    let block_span = Span {
        start: open_end,
        text: block,
        format,
    };
    let front = validate(file, text, start, block_span, raw)?;
    Ok(Split {
        front,
        body_offset: close_end,
    })
}

fn is_delimiter_line(text: &str, delimiter: &str) -> bool {
    text.strip_prefix(delimiter).is_some_and(|after| {
        let line = after.split('\n').next().unwrap_or("");
        line.trim().is_empty()
    })
}

fn line_end(text: &str) -> usize {
    text.find('\n').map_or(text.len(), |i| i + 1)
}

/// Finds the closing delimiter line at or after `from`: its start and the end of its line.
fn find_closing(text: &str, from: usize, delimiter: &str) -> Option<(usize, usize)> {
    let mut pos = from;
    while pos < text.len() {
        let end = pos + line_end(&text[pos..]);
        let line = text[pos..end].trim_end();
        if line == delimiter || (delimiter == "---" && line == "...") {
            return Some((pos, end));
        }
        pos = end;
    }
    None
}

fn parse_toml(
    file: &Path,
    text: &Arc<str>,
    offset: usize,
    block: &str,
) -> Result<RawFrontMatter, Diagnostic> {
    toml::from_str(block).map_err(|e| {
        let d = toml_error(file, text, offset, &e);
        Diagnostic {
            message: format!("invalid TOML front matter: {}", d.message),
            ..d
        }
    })
}

fn parse_yaml(
    file: &Path,
    text: &Arc<str>,
    offset: usize,
    block: &str,
) -> Result<RawFrontMatter, Diagnostic> {
    if block.trim().is_empty() {
        return Ok(RawFrontMatter::default());
    }
    serde_saphyr::from_str::<RawFrontMatter>(block).map_err(|e| {
        let (message, hint) = match e.without_snippet() {
            serde_saphyr::Error::SerdeUnknownField {
                field, expected, ..
            } => (
                format!("unknown key `{field}`"),
                did_you_mean(field, expected.iter().copied()),
            ),
            other => {
                let rendered = other.render_with_options(serde_saphyr::render_options! {
                    snippets: serde_saphyr::SnippetMode::Off,
                });
                let message = strip_yaml_location(&rendered);
                let (message, hint) = explain_serde_message(&message);
                let hint = hint.or_else(|| {
                    Some(value_hint(&message, "quote values that contain `:`, `#`, `[`, `]`, `{` or `}`, e.g. `description: \"Caching: the basics\"`"))
                });
                (format!("invalid YAML front matter: {message}"), hint)
            }
        };
        let mut diag = Diagnostic::error(message).in_file(file).maybe_hint(hint);
        if let Some(loc) = e.location() {
            let line = usize::try_from(loc.line()).unwrap_or(1).max(1);
            let col = usize::try_from(loc.column()).unwrap_or(1).max(1);
            let at = offset + offset_of(block, line, col);
            diag = diag.at(text, at..at + 1);
        }
        diag
    })
}

/// serde-saphyr's plain message ends with " at line L, column C": we print our own location.
fn strip_yaml_location(message: &str) -> String {
    let first_line = message.lines().next().unwrap_or(message).trim();
    match first_line.rfind(" at line ") {
        Some(i) => first_line[..i].to_string(),
        None => first_line.to_string(),
    }
}

/// The front-matter block: its text, its format and where it starts in the file.
#[derive(Clone, Copy)]
struct Span<'a> {
    start: usize,
    text: &'a str,
    format: Format,
}

fn validate(
    file: &Path,
    text: &Arc<str>,
    start: usize,
    block: Span<'_>,
    raw: RawFrontMatter,
) -> Result<FrontMatter, Diagnostic> {
    // Point at the key's line when it can be found, else at the opening delimiter.
    let error = |key: &str, message: String, hint: &str| {
        let at = key_range(block.text, key, block.format).map_or(start..start + 3, |r| {
            block.start + r.start..block.start + r.end
        });
        Diagnostic::error(message)
            .in_file(file)
            .at(text, at)
            .hint(hint.to_string())
    };
    if let Some(slug) = &raw.slug
        && !is_valid_slug(slug)
    {
        return Err(error(
            "slug",
            format!("`slug = \"{slug}\"` cannot be a URL segment"),
            "use letters, digits, `-`, `_` or `.`, with no `/` and not only dots",
        ));
    }
    if let Some(slug) = &raw.slug
        && slug.len() > MAX_SLUG_BYTES
    {
        return Err(error(
            "slug",
            format!(
                "the slug is {} bytes long; a URL segment can be at most {MAX_SLUG_BYTES}",
                slug.len()
            ),
            "shorten it: file systems allow 255 bytes per name, and the page's Markdown twin adds `.md`",
        ));
    }
    let extra = match raw.extra {
        None => serde_json::Value::Null,
        Some(value @ serde_json::Value::Object(_)) => value,
        Some(_) => {
            return Err(error(
                "extra",
                "`extra` must be a table of keys and values".into(),
                "write `[extra]` (TOML) or `extra:` followed by indented keys (YAML)",
            ));
        }
    };
    Ok(FrontMatter {
        title: raw
            .title
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty()),
        description: raw.description.map(|d| d.trim().to_string()),
        weight: raw.weight,
        slug: raw.slug,
        draft: raw.draft,
        number_sections: raw.number_sections,
        extra,
        llms: raw.llms.unwrap_or_default(),
    })
}

/// Where a top-level `key` is written in a front-matter block (TOML `key = …`, `key.x = …`,
/// `[key]`, `"key" = …`; YAML `key: …`): the range of the key on its line. Indented lines
/// (nested YAML) and lines inside TOML multi-line strings are not keys.
fn key_range(block: &str, key: &str, format: Format) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    let mut open_string: Option<&str> = None;
    for line in block.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        if let Format::Toml = format {
            let was_open = open_string.is_some();
            for quotes in [r#"""""#, "'''"] {
                if open_string.is_none_or(|q| q == quotes) && line.matches(quotes).count() % 2 == 1
                {
                    open_string = if open_string.is_some() {
                        None
                    } else {
                        Some(quotes)
                    };
                }
            }
            if was_open {
                continue;
            }
        }
        let table = matches!(format, Format::Toml) && line.starts_with('[');
        let rest = &line[usize::from(table)..];
        let quoted = rest
            .strip_prefix('"')
            .and_then(|r| r.strip_prefix(key)?.strip_prefix('"'));
        let Some(after) = quoted.or_else(|| rest.strip_prefix(key)) else {
            continue;
        };
        let follows = after.trim_start();
        let matched = match format {
            Format::Toml if table => follows.starts_with(']') || follows.starts_with('.'),
            Format::Toml => follows.starts_with('=') || follows.starts_with('.'),
            Format::Yaml => follows.starts_with(':'),
        };
        if matched {
            let start = here + usize::from(table);
            return Some(start..start + rest.len() - after.len());
        }
    }
    None
}

/// The longest slug, in bytes: a file name holds at most 255, and the Markdown twin of the
/// page is the slug plus `.md`.
pub(crate) const MAX_SLUG_BYTES: usize = 250;

/// A slug is one URL segment of safe characters.
pub(crate) fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.chars().any(|c| c != '.')
        && slug
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Result<Split, Diagnostic> {
        split(Path::new("content/a.md"), &Arc::from(text))
    }

    #[test]
    fn no_front_matter() {
        let split = run("# Title\n").unwrap();
        assert_eq!(split.body_offset, 0);
        assert_eq!(split.front, FrontMatter::default());
    }

    #[test]
    fn toml_front_matter() {
        let text =
            "+++\ntitle = \"Hi\"\nweight = 2\ndraft = true\n[extra]\nlevel = \"easy\"\n+++\nBody";
        let split = run(text).unwrap();
        assert_eq!(split.front.title.as_deref(), Some("Hi"));
        assert_eq!(split.front.weight, Some(2));
        assert!(split.front.draft);
        assert_eq!(split.front.extra["level"], "easy");
        assert_eq!(&text[split.body_offset..], "Body");
    }

    #[test]
    fn yaml_front_matter() {
        let text = "---\ntitle: Hi there\nnumber-sections: true\nllms: optional\n---\nBody";
        let split = run(text).unwrap();
        assert_eq!(split.front.title.as_deref(), Some("Hi there"));
        assert_eq!(split.front.number_sections, Some(true));
        assert_eq!(split.front.llms, LlmsVisibility::Optional);
    }

    #[test]
    fn dashes_later_in_the_file_are_not_front_matter() {
        let split = run("Intro\n\n---\ntitle: no\n---\n").unwrap();
        assert_eq!(split.body_offset, 0);
    }

    #[test]
    fn unknown_key_in_yaml_points_at_it() {
        let d = run("---\ntitle: A\ntitel: B\n---\n").unwrap_err();
        assert_eq!(d.message, "unknown key `titel`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
        assert_eq!(d.span.unwrap().line_col().0, 3);
    }

    #[test]
    fn unknown_key_in_toml_points_at_it() {
        let d = run("+++\ntitle = \"A\"\nwieght = 1\n+++\n").unwrap_err();
        assert_eq!(d.message, "invalid TOML front matter: unknown key `wieght`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `weight`?"));
        assert_eq!(d.span.unwrap().line_col(), (3, 1));
    }

    #[test]
    fn unclosed_block_is_an_error() {
        let d = run("+++\ntitle = \"A\"\n").unwrap_err();
        assert_eq!(d.message, "the front matter is never closed");
    }

    #[test]
    fn value_errors_point_at_their_key() {
        let text: Arc<str> = Arc::from("+++\ntitle = \"T\"\nslug = \"a/b\"\n+++\n");
        let error = split(Path::new("a.md"), &text).unwrap_err();
        assert_eq!(error.span.unwrap().line_col(), (3, 1));
        let text: Arc<str> = Arc::from("---\ntitle: T\nextra: 3\n---\n");
        let error = split(Path::new("a.md"), &text).unwrap_err();
        assert_eq!(error.span.unwrap().line_col(), (3, 1));
        let toml = Format::Toml;
        let yaml = Format::Yaml;
        assert_eq!(key_range("[extra]\nslug = 1\n", "extra", toml), Some(1..6));
        assert_eq!(key_range("\"slug\" = 1\n", "slug", toml), Some(0..6));
        // An indented (nested) key, a word inside a value, a line inside a multi-line
        // string, or the other format's separator is not the key.
        assert_eq!(
            key_range("extra:\n  slug: x\nslug: y\n", "slug", yaml),
            Some(17..21)
        );
        assert_eq!(key_range("title = \"slug: x\"\n", "slug", toml), None);
        assert_eq!(
            key_range(
                "description = \"\"\"\nslug = in the text\n\"\"\"\nslug = \"a/b\"\n",
                "slug",
                toml
            ),
            Some(41..45)
        );
        assert_eq!(key_range("slug: x\n", "slug", toml), None);
        assert_eq!(key_range("slug = x\n", "slug", yaml), None);
    }

    #[test]
    fn bad_slug_is_an_error() {
        assert!(run("+++\nslug = \"a/b\"\n+++\n").is_err());
        assert!(run("+++\nslug = \"ok-slug\"\n+++\n").is_ok());
    }

    #[test]
    fn a_slug_too_long_for_a_file_name_is_an_error_at_its_line() {
        // Regression: `check` passed it and `build` failed with "File name too long".
        let long = "a".repeat(300);
        let d = run(&format!("+++\ntitle = \"T\"\nslug = \"{long}\"\n+++\n")).unwrap_err();
        assert!(d.message.contains("at most 250"), "{}", d.message);
        assert_eq!(d.span.unwrap().line_col(), (3, 1));
        assert!(run(&format!("+++\nslug = \"{}\"\n+++\n", "a".repeat(250))).is_ok());
    }
}
