//! Front matter: splits the TOML (`+++`) or YAML (`---`) block off the top of a page.
//!
//! Input: the text of one Markdown file. Output: the validated [`FrontMatter`] and the byte
//! offset where the Markdown body starts, or diagnostics pointing into the block.
//!
//! The block is only recognised at byte 0 (after an optional byte-order mark): a `---` further
//! down is a thematic break, never metadata.
//!
//! Unknown keys are all reported at once, each at its line, with a hint naming our equivalent
//! when the key belongs to another docs tool (`sidebar_position` → `weight`). They do not stop
//! the page: the rest of the front matter is read without them, so the page keeps its title
//! and stays a link target while the author fixes the keys.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, did_you_mean, offset_of};
use crate::diagnostics::{explain_serde_message, toml_error, value_hint};

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

/// The keys a page's front matter may have.
const KNOWN_KEYS: [&str; 8] = [
    "title",
    "description",
    "weight",
    "slug",
    "draft",
    "number-sections",
    "extra",
    "llms",
];

/// The result of splitting a page.
#[derive(Debug)]
pub(crate) struct Split {
    /// The front matter (default when the page has none).
    pub front: FrontMatter,
    /// Byte offset in the file text where the Markdown body starts.
    pub body_offset: usize,
    /// Errors that did not stop the page from being read (unknown keys).
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Copy)]
enum Format {
    Toml,
    Yaml,
}

/// Splits and validates the front matter of `text`, the content of `file`.
pub(crate) fn split(file: &Path, text: &Arc<str>) -> Result<Split, Vec<Diagnostic>> {
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
            diagnostics: Vec::new(),
        });
    };
    let open_end = start + line_end(rest);
    let Some((close_start, close_end)) = find_closing(text, open_end, delimiter) else {
        return Err(vec![
            Diagnostic::error("the front matter is never closed")
                .in_file(file)
                .at(text, start..start + 3)
                .label("opened here")
                .hint(format!(
                    "add a line with only `{delimiter}` after the last front-matter line"
                )),
        ]);
    };
    let block = Span {
        start: open_end,
        text: &text[open_end..close_start],
        format,
    };
    let (raw, diagnostics) = match without_unknown_keys(file, text, start, block) {
        Some((unknown, Ok(raw))) => (raw, unknown),
        Some((mut unknown, Err(other))) => {
            // The other keys have a problem too: report it with the unknown ones.
            unknown.push(other);
            return Err(unknown);
        }
        None => {
            let raw = match format {
                Format::Toml => parse_toml(file, text, block.start, block.text),
                Format::Yaml => parse_yaml(file, text, block.start, block.text),
            };
            (raw.map_err(|d| vec![d])?, Vec::new())
        }
    };
    let front = validate(file, text, start, block, raw).map_err(|d| {
        let mut all = diagnostics.clone();
        all.push(d);
        all
    })?;
    Ok(Split {
        front,
        body_offset: close_end,
        diagnostics,
    })
}

/// When the block (opened at byte `opening`) has keys we do not know: an error for each (in
/// the order written), and the rest of the block read without them (or why that failed). `None` when every key is known
/// or the block does not parse as a table (the typed parse then says why).
fn without_unknown_keys(
    file: &Path,
    text: &Arc<str>,
    opening: usize,
    block: Span<'_>,
) -> Option<(Vec<Diagnostic>, Result<RawFrontMatter, Diagnostic>)> {
    let is_unknown = |key: &str| !KNOWN_KEYS.contains(&key);
    let (unknown, rest): (Vec<String>, Result<RawFrontMatter, Diagnostic>) = match block.format {
        Format::Toml => {
            let mut table: toml::Table = toml::from_str(block.text).ok()?;
            let unknown: Vec<String> = table
                .keys()
                .filter(|k| is_unknown(k.as_str()))
                .cloned()
                .collect();
            if unknown.is_empty() {
                return None;
            }
            table.retain(|k, _| !is_unknown(k));
            let rest = toml::Value::Table(table)
                .try_into()
                .map_err(|e: toml::de::Error| {
                    let message = e.message().trim().to_string();
                    Diagnostic::error(format!("invalid TOML front matter: {message}"))
                        .in_file(file)
                        .at(text, opening..opening + 3)
                        .hint(value_hint(&message, "check the values of the other keys"))
                });
            (unknown, rest)
        }
        Format::Yaml => {
            if block.text.trim().is_empty() {
                return None;
            }
            let map: BTreeMap<String, serde::de::IgnoredAny> =
                serde_saphyr::from_str(block.text).ok()?;
            let unknown: Vec<String> = map
                .keys()
                .filter(|k| is_unknown(k.as_str()))
                .cloned()
                .collect();
            if unknown.is_empty() {
                return None;
            }
            // Blank the unknown keys' lines (offsets stay put) and read the rest as usual, so
            // values keep YAML's own typing.
            let blanked = blank_yaml_keys(block.text, &unknown)?;
            let rest = parse_yaml(file, text, block.start, &blanked);
            (unknown, rest)
        }
    };
    let mut located: Vec<(usize, Diagnostic)> = unknown
        .iter()
        .map(|key| {
            let range = key_range(block.text, key, block.format)
                .map_or(block.start..block.start, |r| {
                    block.start + r.start..block.start + r.end
                });
            let message = match block.format {
                Format::Toml => format!("invalid TOML front matter: unknown key `{key}`"),
                Format::Yaml => format!("unknown key `{key}`"),
            };
            let diagnostic = Diagnostic::error(message)
                .in_file(file)
                .at(text, range.clone())
                .hint(unknown_key_hint(key, block.format));
            (range.start, diagnostic)
        })
        .collect();
    located.sort_by_key(|(at, _)| *at);
    Some((located.into_iter().map(|(_, d)| d).collect(), rest))
}

/// `block` with the lines of each top-level `keys` entry (the key's line, then its indented
/// or `- ` continuation lines) turned into spaces; `None` when a key cannot be found.
fn blank_yaml_keys(block: &str, keys: &[String]) -> Option<String> {
    let mut bytes = block.as_bytes().to_vec();
    for key in keys {
        let start = key_range(block, key, Format::Yaml)?.start;
        let mut at = start;
        let mut first = true;
        for line in block[start..].split_inclusive('\n') {
            let continues = line.starts_with([' ', '\t', '#', '\n', '\r'])
                || line.starts_with("- ")
                || line.trim_end() == "-";
            if !first && !continues {
                break;
            }
            first = false;
            for b in &mut bytes[at..at + line.len()] {
                if *b != b'\n' && *b != b'\r' {
                    *b = b' ';
                }
            }
            at += line.len();
        }
    }
    // Whole lines became spaces (every byte of every character): still UTF-8.
    String::from_utf8(bytes).ok()
}

/// How to fix an unknown key: our name for another tool's key, a near miss of ours, or where
/// free-form data goes.
fn unknown_key_hint(key: &str, format: Format) -> String {
    let assign = |key: &str, value: &str| match format {
        Format::Toml => format!("`{key} = {value}`"),
        Format::Yaml => format!("`{key}: {value}`"),
    };
    let extra = match format {
        Format::Toml => "move it into an `[extra]` table at the end of the front matter",
        Format::Yaml => "move it under `extra:`, indented",
    };
    match key {
        "sidebar_position" | "sidebar-position" | "sidebarPosition" | "order" | "nav_order"
        | "position" | "sidebar_order" => format!(
            "guidebook calls this `weight`: an integer, lower first ({})",
            assign("weight", "2")
        ),
        "summary" | "excerpt" => "guidebook calls this `description`".to_string(),
        "permalink" | "url" => format!(
            "guidebook sets the URL segment with `slug` ({}); to keep an old address working, add it to `[redirects]` in book.toml",
            assign("slug", "\"my-page\"")
        ),
        "aliases" | "redirect_from" | "redirect-from" => {
            "list old addresses in book.toml instead: `[redirects]` with `\"/old/path/\" = \"part/page.md\"`".into()
        }
        "published" => format!(
            "guidebook calls this `draft`, the other way round ({} leaves the page out)",
            assign("draft", "true")
        ),
        "sidebar_label" | "sidebarTitle" | "sidebar-label" | "nav_title" | "linkTitle"
        | "navigation_title" | "short_title" => format!(
            "the sidebar shows the page's `title`; to keep this label for your templates, {extra}"
        ),
        "id" => format!(
            "guidebook knows a page by its file path, and its URL segment by the file name or `slug`; to keep this id for your templates, {extra}"
        ),
        _ if FOREIGN_KEYS.contains(&key) => format!(
            "`{key}` belongs to another docs tool and means nothing here: to keep it for your templates, {extra}; or delete it"
        ),
        _ => did_you_mean(key, KNOWN_KEYS).unwrap_or_else(|| {
            format!(
                "front matter may have {}; {extra} to keep other data for your templates",
                KNOWN_KEYS.map(|k| format!("`{k}`")).join(", ")
            )
        }),
    }
}

/// Keys of Docusaurus, Starlight, VitePress, Mintlify, Jekyll and Hugo pages with nothing to
/// map to: they belong under `extra`.
const FOREIGN_KEYS: &[&str] = &[
    "tags",
    "tag",
    "keywords",
    "categories",
    "category",
    "hide_title",
    "hide_table_of_contents",
    "toc_min_heading_level",
    "toc_max_heading_level",
    "sidebar",
    "sidebar_class_name",
    "sidebar_custom_props",
    "displayed_sidebar",
    "pagination_label",
    "pagination_next",
    "pagination_prev",
    "custom_edit_url",
    "unlisted",
    "layout",
    "hero",
    "features",
    "template",
    "tableOfContents",
    "outline",
    "aside",
    "prev",
    "next",
    "editLink",
    "lastUpdated",
    "footer",
    "head",
    "banner",
    "pageClass",
    "navbar",
    "icon",
    "iconType",
    "mode",
    "api",
    "openapi",
    "public",
    "noindex",
    "hidden",
    "date",
    "lastmod",
    "author",
    "authors",
    "image",
    "og:title",
    "og:description",
    "og:image",
    "toc",
    "menu",
    "type",
];

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
        split(Path::new("content/a.md"), &Arc::from(text)).map_err(|mut all| all.remove(0))
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

    /// An error's message, hint and line and column.
    type Found = (String, String, (usize, usize));

    /// The unknown-key errors of a front matter that is otherwise fine.
    fn unknown_keys(text: &str) -> (Split, Vec<Found>) {
        let split = run(text).unwrap();
        let found = split
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.message.clone(),
                    d.hint.clone().unwrap_or_default(),
                    d.span.as_ref().unwrap().line_col(),
                )
            })
            .collect();
        (split, found)
    }

    #[test]
    fn unknown_key_in_yaml_points_at_it() {
        let (split, found) = unknown_keys("---\ntitle: A\ntitel: B\n---\n");
        assert_eq!(
            found,
            [(
                "unknown key `titel`".into(),
                "did you mean `title`?".into(),
                (3, 1)
            )]
        );
        assert_eq!(split.front.title.as_deref(), Some("A"));
    }

    #[test]
    fn unknown_key_in_toml_points_at_it() {
        let (split, found) = unknown_keys("+++\ntitle = \"A\"\nwieght = 1\n+++\n");
        assert_eq!(
            found,
            [(
                "invalid TOML front matter: unknown key `wieght`".into(),
                "did you mean `weight`?".into(),
                (3, 1)
            )]
        );
        assert_eq!(split.front.title.as_deref(), Some("A"));
    }

    #[test]
    fn every_unknown_key_is_reported_in_order_and_the_rest_is_read() {
        let yaml = "---\nsidebar_label: Routing\ntitle: 2024\ntags:\n- a\n- b\nid: routing\nsidebar_position: 3\ndescription: D\n---\n";
        let (split, found) = unknown_keys(yaml);
        let at: Vec<_> = found.iter().map(|(m, _, at)| (m.as_str(), *at)).collect();
        assert_eq!(
            at,
            [
                ("unknown key `sidebar_label`", (2, 1)),
                ("unknown key `tags`", (4, 1)),
                ("unknown key `id`", (7, 1)),
                ("unknown key `sidebar_position`", (8, 1)),
            ]
        );
        assert!(
            found[3].1.contains("guidebook calls this `weight`"),
            "{:?}",
            found[3]
        );
        assert!(found[3].1.contains("`weight: 2`"), "{:?}", found[3]);
        assert!(found[1].1.contains("under `extra:`"), "{:?}", found[1]);
        // YAML's own typing still applies to the known keys.
        assert_eq!(split.front.title.as_deref(), Some("2024"));
        assert_eq!(split.front.description.as_deref(), Some("D"));

        let toml = "+++\norder = 2\ntitle = \"T\"\n[sidebar]\nlabel = \"x\"\n+++\n";
        let (split, found) = unknown_keys(toml);
        let at: Vec<_> = found
            .iter()
            .map(|(_, hint, at)| (hint.as_str(), *at))
            .collect();
        assert_eq!(at.len(), 2);
        assert_eq!(at[0].1, (2, 1));
        assert!(at[0].0.contains("`weight = 2`"));
        assert_eq!(at[1].1, (4, 2));
        assert!(at[1].0.contains("`[extra]` table"));
        assert_eq!(split.front.title.as_deref(), Some("T"));
    }

    #[test]
    fn unknown_keys_and_a_bad_value_are_reported_together() {
        let text: Arc<str> = Arc::from("+++\ntags = [\"a\"]\nweight = \"x\"\n+++\n");
        let all = split(Path::new("a.md"), &text).unwrap_err();
        assert_eq!(all.len(), 2, "{all:?}");
        assert_eq!(
            all[0].message,
            "invalid TOML front matter: unknown key `tags`"
        );
        let text: Arc<str> = Arc::from("---\ntags: [a]\nweight: x\n---\n");
        let all = split(Path::new("a.md"), &text).unwrap_err();
        assert_eq!(all.len(), 2, "{all:?}");
        assert_eq!(all[1].span.as_ref().unwrap().line_col().0, 3, "{all:?}");
    }

    #[test]
    fn foreign_keys_name_our_equivalent() {
        let hint = |key| unknown_key_hint(key, Format::Yaml);
        assert!(hint("sidebar_position").contains("`weight`"));
        assert!(hint("order").contains("`weight`"));
        assert!(hint("permalink").contains("`slug`"));
        assert!(hint("published").contains("`draft`"));
        for key in [
            "sidebarTitle",
            "id",
            "hide_title",
            "layout",
            "hero",
            "tableOfContents",
            "mode",
            "icon",
            "date",
            "author",
            "keywords",
        ] {
            assert!(hint(key).contains("`extra:`"), "{key}: {}", hint(key));
        }
        assert!(hint("zzz").contains("`number-sections`"));
    }

    #[test]
    fn unclosed_block_is_an_error() {
        let d = run("+++\ntitle = \"A\"\n").unwrap_err();
        assert_eq!(d.message, "the front matter is never closed");
    }

    #[test]
    fn value_errors_point_at_their_key() {
        let text: Arc<str> = Arc::from("+++\ntitle = \"T\"\nslug = \"a/b\"\n+++\n");
        let error = split(Path::new("a.md"), &text).unwrap_err().remove(0);
        assert_eq!(error.span.unwrap().line_col(), (3, 1));
        let text: Arc<str> = Arc::from("---\ntitle: T\nextra: 3\n---\n");
        let error = split(Path::new("a.md"), &text).unwrap_err().remove(0);
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
