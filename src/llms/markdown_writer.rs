//! Writes standard Markdown blocks and inlines back out as text.
//!
//! Input: CommonMark/GFM nodes of the owned tree (the twin lowers our dialect into these
//! first). Output: tidy Markdown: `>` quotes, `-` bullets, tight lists kept tight, fences
//! longer than any run inside the code, and text escaped only where it would otherwise turn
//! into markup.

use std::fmt::Write as _;

use crate::markdown::ast::{Align, Inline};

/// A block of the twin, already lowered to standard Markdown.
#[derive(Debug, Clone)]
pub(crate) enum MdBlock {
    /// A paragraph.
    Paragraph(Vec<MdInline>),
    /// `#`…`######` (level, content).
    Heading(u8, Vec<MdInline>),
    /// `>`.
    Quote(Vec<MdBlock>),
    /// A fenced code block (info string, code).
    Code(String, String),
    /// Raw HTML.
    Html(String),
    /// A list: first number (`None` for bullets), tight, items.
    List(Option<u64>, bool, Vec<Vec<MdBlock>>),
    /// A table: alignments, header cells, rows.
    Table(Vec<Align>, Vec<Vec<MdInline>>, Vec<Vec<Vec<MdInline>>>),
    /// `---`.
    Rule,
    /// The text of a tight list item.
    Plain(Vec<MdInline>),
    /// A footnote definition.
    Footnote(String, Vec<MdBlock>),
}

/// Inline content: the tree's own nodes, with link destinations already final.
pub(crate) type MdInline = Inline;

/// Writes blocks separated by blank lines.
pub(crate) fn write_blocks(blocks: &[MdBlock]) -> String {
    let rendered: Vec<String> = blocks
        .iter()
        .map(write_block)
        .filter(|b| !b.is_empty())
        .collect();
    rendered.join("\n\n")
}

fn write_block(block: &MdBlock) -> String {
    match block {
        MdBlock::Paragraph(inlines) | MdBlock::Plain(inlines) => {
            escape_line_starts(&write_inlines(inlines))
        }
        MdBlock::Heading(level, inlines) => {
            let text = write_inlines(inlines).replace('\n', " ");
            format!("{} {}", "#".repeat(usize::from(*level)), text.trim())
        }
        MdBlock::Quote(blocks) => prefix_lines(&write_blocks(blocks), "> ", ">"),
        MdBlock::Code(info, code) => {
            let fence_char = if info.contains('`') { '~' } else { '`' };
            let longest = longest_run(code, fence_char);
            let fence: String = std::iter::repeat_n(fence_char, (longest + 1).max(3)).collect();
            let code = code.strip_suffix('\n').unwrap_or(code);
            format!("{fence}{info}\n{code}\n{fence}")
        }
        MdBlock::Html(html) => html.trim_end().to_string(),
        MdBlock::List(start, tight, items) => write_list(*start, *tight, items),
        MdBlock::Table(align, head, rows) => write_table(align, head, rows),
        MdBlock::Rule => "---".into(),
        MdBlock::Footnote(label, blocks) => {
            let body = write_blocks(blocks);
            let mut lines = body.lines();
            let mut out = format!("[^{label}]: {}", lines.next().unwrap_or(""));
            for line in lines {
                out.push('\n');
                if !line.is_empty() {
                    out.push_str("    ");
                    out.push_str(line);
                }
            }
            out
        }
    }
}

fn write_list(start: Option<u64>, tight: bool, items: &[Vec<MdBlock>]) -> String {
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let marker = match start {
            Some(first) => format!("{}. ", first + i as u64),
            None => "- ".into(),
        };
        let separator = if tight { "\n" } else { "\n\n" };
        let body = item
            .iter()
            .map(write_block)
            .filter(|b| !b.is_empty())
            .collect::<Vec<_>>()
            .join(separator);
        let indent = " ".repeat(marker.len());
        let mut lines = body.lines();
        let mut text = format!("{marker}{}", lines.next().unwrap_or(""));
        for line in lines {
            text.push('\n');
            if !line.is_empty() {
                text.push_str(&indent);
                text.push_str(line);
            }
        }
        out.push(text.trim_end().to_string());
    }
    out.join(if tight { "\n" } else { "\n\n" })
}

fn write_table(align: &[Align], head: &[Vec<MdInline>], rows: &[Vec<Vec<MdInline>>]) -> String {
    let cell = |inlines: &Vec<MdInline>| {
        write_inlines(inlines)
            .replace('\n', " ")
            .replace('|', "\\|")
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| {} |",
        head.iter().map(cell).collect::<Vec<_>>().join(" | ")
    );
    let marks: Vec<&str> = (0..head.len())
        .map(|i| match align.get(i) {
            Some(Align::Left) => ":---",
            Some(Align::Center) => ":---:",
            Some(Align::Right) => "---:",
            _ => "---",
        })
        .collect();
    let _ = write!(out, "| {} |", marks.join(" | "));
    for row in rows {
        let _ = write!(
            out,
            "\n| {} |",
            row.iter().map(cell).collect::<Vec<_>>().join(" | ")
        );
    }
    out
}

fn prefix_lines(text: &str, prefix: &str, empty: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                empty.to_string()
            } else {
                format!("{prefix}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        if ch == c {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    longest
}

/// Inline content as Markdown.
pub(crate) fn write_inlines(inlines: &[MdInline]) -> String {
    let mut out = String::new();
    for (i, inline) in inlines.iter().enumerate() {
        write_inline(inline, inlines.get(i + 1), &mut out);
    }
    out
}

fn write_inline(inline: &MdInline, next: Option<&MdInline>, out: &mut String) {
    match inline {
        Inline::Text(text) => {
            let escaped = escape_text(text);
            // A `!` right before a link would turn the link into an image.
            if escaped.ends_with('!') && matches!(next, Some(Inline::Link(_))) {
                out.push_str(&escaped[..escaped.len() - 1]);
                out.push_str("\\!");
            } else {
                out.push_str(&escaped);
            }
        }
        Inline::Code(code) => out.push_str(&code_span(code)),
        Inline::Html(html) => out.push_str(html),
        Inline::SoftBreak => out.push('\n'),
        Inline::HardBreak => out.push_str("\\\n"),
        Inline::Emphasis(c) => wrap(out, "*", c),
        Inline::Strong(c) => wrap(out, "**", c),
        Inline::Strikethrough(c) => wrap(out, "~~", c),
        Inline::Link(link) if link.autolink => {
            let _ = write!(out, "<{}>", link.dest.trim_start_matches("mailto:"));
        }
        Inline::Link(link) => {
            let _ = write!(
                out,
                "[{}]({})",
                write_inlines(&link.content),
                destination(&link.dest, &link.title)
            );
        }
        Inline::Image(image) => {
            let alt = escape_text(&crate::markdown::ast::plain_text(&image.content));
            let _ = write!(out, "![{alt}]({})", destination(&image.dest, &image.title));
        }
        Inline::FootnoteRef(label) => {
            let _ = write!(out, "[^{label}]");
        }
        Inline::TaskMarker(checked) => out.push_str(if *checked { "[x] " } else { "[ ] " }),
    }
}

fn wrap(out: &mut String, marker: &str, content: &[MdInline]) {
    out.push_str(marker);
    out.push_str(&write_inlines(content));
    out.push_str(marker);
}

fn destination(dest: &str, title: &str) -> String {
    let dest = if dest.is_empty() || dest.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", dest.replace('<', "%3C").replace('>', "%3E"))
    } else {
        dest.to_string()
    };
    if title.is_empty() {
        dest
    } else {
        format!("{dest} \"{}\"", title.replace('"', "\\\""))
    }
}

fn code_span(code: &str) -> String {
    let fence = "`".repeat(longest_run(code, '`') + 1);
    if code.starts_with('`')
        || code.ends_with('`')
        || (code.starts_with(' ') && code.ends_with(' ') && !code.trim().is_empty())
    {
        format!("{fence} {code} {fence}")
    } else {
        format!("{fence}{code}{fence}")
    }
}

/// Escapes characters that would start inline markup.
pub(super) fn escape_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '~' => true,
            // Inside a word, `_` cannot open or close emphasis.
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            // `<` only matters before something that could be a tag or an autolink.
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            // `&` only matters when it could start an entity.
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes what would start a block at the beginning of a line of paragraph text.
fn escape_line_starts(text: &str) -> String {
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            let indent = &line[..line.len() - trimmed.len()];
            let needs = trimmed.starts_with(['#', '>', '+', '=', '|'])
                || trimmed.starts_with("- ")
                || trimmed == "-"
                || trimmed.starts_with("---")
                || ordered_marker(trimmed);
            if !needs {
                return line.to_string();
            }
            match trimmed.find(['.', ')']).filter(|_| ordered_marker(trimmed)) {
                Some(dot) => format!("{indent}{}\\{}", &trimmed[..dot], &trimmed[dot..]),
                None => format!("{indent}\\{trimmed}"),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn ordered_marker(line: &str) -> bool {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    (1..=9).contains(&digits)
        && matches!(line.as_bytes().get(digits), Some(b'.' | b')'))
        && matches!(line.as_bytes().get(digits + 1), None | Some(b' ' | b'\t'))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Parser};

    use super::*;

    /// The text of a Markdown snippet after parsing, with breaks as newlines.
    fn parsed_text(markdown: &str) -> String {
        let mut out = String::new();
        for event in Parser::new_ext(markdown, crate::markdown::parser_options()) {
            match event {
                Event::Text(t) | Event::Code(t) => out.push_str(&t),
                Event::SoftBreak | Event::HardBreak => out.push('\n'),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn escapes_only_what_would_be_markup() {
        assert_eq!(escape_text("snake_case and _x_"), "snake_case and \\_x\\_");
        assert_eq!(escape_text("2 * 3 < 4 <b>"), "2 \\* 3 < 4 \\<b>");
        assert_eq!(escape_text("$45/month"), "$45/month");
        assert_eq!(
            escape_line_starts("# not a heading\n1. not a list\n- nor this"),
            "\\# not a heading\n1\\. not a list\n\\- nor this"
        );
    }

    #[test]
    fn lists_quotes_and_code() {
        let blocks = vec![
            MdBlock::Quote(vec![
                MdBlock::Paragraph(vec![Inline::Strong(vec![Inline::Text("Label".into())])]),
                MdBlock::Paragraph(vec![Inline::Text("Body".into())]),
            ]),
            MdBlock::List(
                Some(1),
                true,
                vec![
                    vec![MdBlock::Plain(vec![Inline::Text("one".into())])],
                    vec![MdBlock::Plain(vec![Inline::Text("two".into())])],
                ],
            ),
            MdBlock::Code("rust".into(), "let s = \"```\";\n".into()),
        ];
        assert_eq!(
            write_blocks(&blocks),
            "> **Label**\n>\n> Body\n\n1. one\n2. two\n\n````rust\nlet s = \"```\";\n````"
        );
    }

    proptest! {
        /// Escaped text reads back as the same text.
        #[test]
        fn escaped_text_round_trips(text in "[a-z0-9_*`<>&#\\[\\]()!~|\\\\.=+-][a-z0-9 _*`<>&#\\[\\]()!~|\\\\.=+-]{0,39}") {
            let markdown = escape_line_starts(&escape_text(&text));
            prop_assert_eq!(parsed_text(&markdown), text.trim().to_string());
        }
    }
}
