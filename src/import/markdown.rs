//! Line-level helpers the tools' body converters share: which lines are inside code fences,
//! directive fences, fence info strings, and slugs.

/// A line of a body with where it starts and whether it lies inside a code fence (the fence
/// lines themselves count as inside).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    /// Byte offset of the line in the text.
    pub start: usize,
    /// The line, with its line end.
    pub text: &'a str,
    /// Inside a fenced code block (or one of its fence lines).
    pub in_code: bool,
}

/// An opening code fence: its marker character, length and info string.
pub(crate) fn code_fence(line: &str) -> Option<(char, usize, &str)> {
    let trimmed = line.trim_start_matches([' ', '\t', '>']).trim_start();
    let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = trimmed.chars().take_while(|c| *c == marker).count();
    if len < 3 {
        return None;
    }
    let info = trimmed[len..].trim();
    if marker == '`' && info.contains('`') {
        return None;
    }
    Some((marker, len, info))
}

/// The lines of `text`, each marked as inside a code fence or not.
pub(crate) fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut open: Option<(char, usize)> = None;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let in_code = match (open, code_fence(line)) {
            (None, Some((marker, len, _))) => {
                open = Some((marker, len));
                true
            }
            (Some((marker, len)), Some((m, l, info)))
                if m == marker && l >= len && info.is_empty() =>
            {
                open = None;
                true
            }
            (Some(_), _) => true,
            (None, None) => false,
        };
        out.push(Line {
            start,
            text: line,
            in_code,
        });
        start += line.len();
    }
    out
}

/// A directive fence line: its colons, kind (possibly empty for a closing fence) and the
/// rest of the line, as in `::: tip Title` or `:::note[Title]`.
pub(crate) fn directive(line: &str) -> Option<(usize, &str, &str)> {
    let trimmed = line.trim_start();
    let colons = trimmed.chars().take_while(|c| *c == ':').count();
    if colons < 3 {
        return None;
    }
    let after = trimmed[colons..].trim_start();
    let kind_len = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(after.len());
    let (kind, rest) = after.split_at(kind_len);
    Some((colons, kind, rest.trim()))
}

/// The kinds every book knows: built-in callouts, aliases and containers.
pub(crate) const KNOWN_KINDS: &[&str] = &[
    "note",
    "tip",
    "info",
    "warning",
    "danger",
    "caution",
    "important",
    "steps",
    "details",
    "question",
    "tabs",
    "tab",
];

/// The directive kinds `text` opens that are not known, in order of first use, with the
/// byte offset of the first use.
pub(crate) fn unknown_kinds(text: &str) -> Vec<(String, usize)> {
    let mut found: Vec<(String, usize)> = Vec::new();
    for line in lines(text).into_iter().filter(|l| !l.in_code) {
        if let Some((_, kind, _)) = directive(line.text)
            && !kind.is_empty()
            && !KNOWN_KINDS.contains(&kind)
            && crate::config::is_kind_name(kind)
            && !found.iter().any(|(k, _)| k == kind)
        {
            found.push((kind.to_string(), line.start));
        }
    }
    found
}

/// Directive fences with attributes our containers do not take (VitePress `{no-title}`,
/// classes, unknown keys) lose them: a fence keeps `#id`, `icon="…"`, and `open` on
/// `details` and `question`.
pub(crate) fn tidy_directives(text: &str, report: &mut super::Report) -> String {
    let mut out = String::with_capacity(text.len());
    for line in lines(text) {
        let Some((_, kind, _)) = directive(line.text).filter(|_| !line.in_code) else {
            out.push_str(line.text);
            continue;
        };
        let content = line.text.trim_end_matches(['\n', '\r']);
        let Some(block) = crate::attributes::trailing(content).filter(|_| !kind.is_empty()) else {
            out.push_str(line.text);
            continue;
        };
        let mut kept = Vec::new();
        for item in &block.items {
            use crate::attributes::Attribute;
            let keep = match &item.attribute {
                Attribute::Id(_) => true,
                Attribute::Flag(flag) => flag == "open" && matches!(kind, "details" | "question"),
                Attribute::Pair { key, .. } => key == "icon",
                Attribute::Class(_) => false,
            };
            if keep {
                kept.push(&content[item.range.clone()]);
            } else {
                report.mapped(
                    format!("container attribute `{}`", item.attribute.name()),
                    "left out",
                );
            }
        }
        let before = content[..block.range.start].trim_end();
        out.push_str(before);
        if !kept.is_empty() {
            out.push_str(&format!(" {{{}}}", kept.join(" ")));
        }
        out.push_str(line_end(line.text));
    }
    out
}

/// The language of a fence info string, without other tools' extras: `ts{4}` → `ts`,
/// `js:line-numbers` → `js`, `rust,ignore` → `rust`, `js title="a.js"` → `js`.
pub(crate) fn fence_language(info: &str) -> &str {
    let word = info.split_whitespace().next().unwrap_or("");
    let end = word.find(['{', ':', ',', '[', '=']).unwrap_or(word.len());
    &word[..end]
}

/// A GitHub-style slug of a title: lower case, letters and digits, `-` between words.
pub(crate) fn slugify(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// The text of the first level-1 heading of `text`, as CommonMark reads it.
pub(crate) fn first_heading(text: &str) -> Option<String> {
    use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
    let mut heading: Option<String> = None;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(HeadingLevel::H1)) => return heading,
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
            }
            _ => {}
        }
    }
    None
}

/// Where a component tag (`<MyThing`, `<my-thing`: Vue, MDX or a preprocessor's) starts on a
/// line, outside inline code.
pub(crate) fn component_at(line: &str) -> Option<usize> {
    let mut in_code = false;
    for (i, c) in line.char_indices() {
        if c == '`' {
            in_code = !in_code;
        }
        if in_code || c != '<' {
            continue;
        }
        let name: String = line[i + 1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '-')
            .collect();
        if name.starts_with(|c: char| c.is_ascii_uppercase())
            || (name.contains('-') && name.starts_with(|c: char| c.is_ascii_lowercase()))
        {
            return Some(i);
        }
    }
    None
}

/// The line end a replacement line needs: none when `line` (the replaced one) had none.
pub(crate) fn line_end(line: &str) -> &'static str {
    if line.ends_with('\n') { "\n" } else { "" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_lines_are_marked() {
        let text = "a\n```js\n:::tip\n```\n::: tip\n~~~~\n````\n~~~~\n";
        let marks: Vec<bool> = lines(text).iter().map(|l| l.in_code).collect();
        assert_eq!(marks, [false, true, true, true, false, true, true, true]);
    }

    #[test]
    fn directives_and_unknown_kinds() {
        assert_eq!(directive("::: tip Title\n"), Some((3, "tip", "Title")));
        assert_eq!(directive(":::note[Hi]"), Some((3, "note", "[Hi]")));
        assert_eq!(directive("::::"), Some((4, "", "")));
        assert_eq!(directive(":: x"), None);
        let found = unknown_kinds(
            ":::tip\n:::\n:::war-story X\n:::\n```\n:::other\n```\n:::war-story\n:::\n",
        );
        assert_eq!(found, [("war-story".to_string(), 11)]);
    }

    #[test]
    fn directive_attributes_we_do_not_take_go() {
        let mut report = super::super::Report::default();
        let out = tidy_directives(
            "::: tip {no-title}\n:::details Why {open .x}\n:::tip[T]{icon=\"heart\"}\n```\n::: tip {x}\n```\n",
            &mut report,
        );
        assert_eq!(
            out,
            "::: tip\n:::details Why {open}\n:::tip[T]{icon=\"heart\"}\n```\n::: tip {x}\n```\n"
        );
    }

    #[test]
    fn fence_languages() {
        for (info, lang) in [
            ("ts{4}", "ts"),
            ("js:line-numbers {1}", "js"),
            ("rust,ignore", "rust"),
            ("js title=\"a.js\" {2}", "js"),
            ("sh [npm]", "sh"),
            ("", ""),
        ] {
            assert_eq!(fence_language(info), lang, "{info}");
        }
    }

    #[test]
    fn first_headings() {
        assert_eq!(
            first_heading("## Not\n# Yes `x`\n").as_deref(),
            Some("Yes x")
        );
        assert_eq!(first_heading("```\n# no\n```\n    # no\n"), None);
        assert_eq!(first_heading("Title\n=====\n").as_deref(), Some("Title"));
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Getting Started!"), "getting-started");
        assert_eq!(slugify("  API  / Reference "), "api-reference");
        assert_eq!(slugify("Über"), "über");
    }
}
