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
    write_sequence(blocks, "\n\n", Place::Top)
}

/// Where a block sits, for the few forms that read differently inside a list item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// At the top, in a quote or in a footnote: blocks are apart by blank lines.
    Top,
    /// Inside a list item, where a tight item puts its blocks on consecutive lines.
    Item,
}

/// Writes blocks joined by `separator`. Two lists in a row would read as one list, so each
/// list after a list of the same kind takes the other marker (`-`/`+`, `.`/`)`).
fn write_sequence(blocks: &[MdBlock], separator: &str, place: Place) -> String {
    let mut rendered = Vec::with_capacity(blocks.len());
    let mut previous_list: Option<(bool, bool)> = None;
    for block in blocks {
        let text = match block {
            MdBlock::List(start, tight, items) => {
                let ordered = start.is_some();
                let other = matches!(previous_list, Some((o, alt)) if o == ordered && !alt);
                previous_list = Some((ordered, other));
                write_list(*start, *tight, items, other)
            }
            MdBlock::Rule if place == Place::Item => {
                previous_list = None;
                // `---` under an item's text would make it a setext heading, and `- ---` is
                // itself a rule.
                "***".into()
            }
            other => {
                previous_list = None;
                write_block(other)
            }
        };
        if !text.is_empty() {
            rendered.push(text);
        }
    }
    rendered.join(separator)
}

fn write_block(block: &MdBlock) -> String {
    match block {
        MdBlock::Paragraph(inlines) | MdBlock::Plain(inlines) => write_text(inlines),
        MdBlock::Heading(level, inlines) => write_heading(*level, inlines),
        MdBlock::Quote(blocks) if blocks.is_empty() => ">".into(),
        MdBlock::Quote(blocks) => prefix_lines(&write_blocks(blocks), "> ", ">"),
        MdBlock::Code(info, code) => {
            let fence_char = if info.contains('`') { '~' } else { '`' };
            let longest = longest_run(code, fence_char);
            let fence: String = std::iter::repeat_n(fence_char, (longest + 1).max(3)).collect();
            let info = escape_info(info);
            if code.is_empty() {
                format!("{fence}{info}\n{fence}")
            } else {
                let code = code.strip_suffix('\n').unwrap_or(code);
                format!("{fence}{info}\n{code}\n{fence}")
            }
        }
        MdBlock::Html(html) => html.trim_end().to_string(),
        MdBlock::List(start, tight, items) => write_list(*start, *tight, items, false),
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

/// A heading: `#` form, or the underlined form for a level 1 or 2 heading whose text spans
/// lines (only that form can hold a line break).
fn write_heading(level: u8, inlines: &[MdInline]) -> String {
    if has_break(inlines) && level <= 2 {
        let underline = if level == 1 { "===" } else { "---" };
        return format!("{}\n{underline}", write_text(inlines));
    }
    let text = write_inlines(&without_breaks(inlines));
    let hashes = "#".repeat(usize::from(level));
    if text.is_empty() {
        return hashes;
    }
    // A run of `#` at the end, after a space (or alone), would close the heading.
    let body = text.trim_end_matches('#');
    let text = if body.len() < text.len() && (body.is_empty() || body.ends_with([' ', '\t'])) {
        format!("{body}\\{}", &text[body.len()..])
    } else {
        text
    };
    format!("{hashes} {text}")
}

/// Whether inline content holds a line break, at any depth.
fn has_break(inlines: &[MdInline]) -> bool {
    inlines.iter().any(|inline| match inline {
        Inline::SoftBreak | Inline::HardBreak => true,
        Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => has_break(c),
        Inline::Link(l) | Inline::Image(l) => has_break(&l.content),
        _ => false,
    })
}

/// Inline content with its line breaks as spaces (a `#` heading is one line).
fn without_breaks(inlines: &[MdInline]) -> Vec<MdInline> {
    inlines
        .iter()
        .map(|inline| match inline {
            Inline::SoftBreak | Inline::HardBreak => Inline::Text(" ".into()),
            Inline::Emphasis(c) => Inline::Emphasis(without_breaks(c)),
            Inline::Strong(c) => Inline::Strong(without_breaks(c)),
            Inline::Strikethrough(c) => Inline::Strikethrough(without_breaks(c)),
            Inline::Link(l) => Inline::Link(crate::markdown::ast::Link {
                content: without_breaks(&l.content),
                ..l.clone()
            }),
            other => other.clone(),
        })
        .collect()
}

/// An info string as written after a fence: backslashes and entities would be read.
fn escape_info(info: &str) -> String {
    let mut out = String::with_capacity(info.len());
    let chars: Vec<char> = info.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '\\' || (c == '&' && starts_reference(&chars[i + 1..])) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn write_list(start: Option<u64>, tight: bool, items: &[Vec<MdBlock>], other: bool) -> String {
    let mut out = Vec::with_capacity(items.len());
    let separator = if tight { "\n" } else { "\n\n" };
    for (i, item) in items.iter().enumerate() {
        let marker = match (start, other) {
            (Some(first), false) => format!("{}. ", first + i as u64),
            (Some(first), true) => format!("{}) ", first + i as u64),
            (None, false) => "- ".into(),
            (None, true) => "+ ".into(),
        };
        let body = write_sequence(item, separator, Place::Item);
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
    out.join(separator)
}

fn write_table(align: &[Align], head: &[Vec<MdInline>], rows: &[Vec<Vec<MdInline>>]) -> String {
    let cell = |inlines: &Vec<MdInline>| write_inlines(inlines).replace('|', "\\|");
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

/// Inline content as Markdown (one heading or table cell: its text starts and ends a line).
pub(crate) fn write_inlines(inlines: &[MdInline]) -> String {
    write_inline_block(inlines, false)
}

/// The text of a paragraph (or an underlined heading): lines that would start a block are
/// escaped.
fn write_text(inlines: &[MdInline]) -> String {
    write_inline_block(inlines, true)
}

fn write_inline_block(inlines: &[MdInline], line_starts: bool) -> String {
    let merged = merge_text(inlines);
    let mut writer = InlineWriter {
        out: String::new(),
        escape_tildes: count_tildes(&merged) > 1,
        line_starts,
    };
    writer.sequence(&merged, Edge::Line, Edge::Line, Span::TOP);
    writer.out
}

/// What is on the other side of a text's first or last character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// The start or end of a line: whitespace there is dropped by a parser.
    Line,
    /// An emphasis delimiter: whitespace there stops it from opening or closing.
    Delimiter,
    /// Other content.
    Inline,
}

/// The delimiter of the emphasis being written, so a span directly inside it takes the
/// other one (`*_foo_*` must not read as `**foo**`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Delimiter {
    None,
    Star,
    Underscore,
}

struct InlineWriter {
    out: String,
    /// Whether `~` must be escaped: a lone tilde cannot strike anything through.
    escape_tildes: bool,
    /// Whether text that opens a line must not read as the start of a block (paragraphs;
    /// a table cell's text cannot start a block).
    line_starts: bool,
}

/// The span a run of inlines sits in.
#[derive(Debug, Clone, Copy)]
struct Span {
    /// The delimiter of the emphasis around it, if any.
    inside: Delimiter,
    /// Whether a letter or digit touches the span's opening delimiter (or its start) from
    /// outside: `_` cannot open there.
    word_before: bool,
    /// Whether one touches its closing delimiter (or its end): `_` cannot close there.
    word_after: bool,
}

impl Span {
    const TOP: Span = Span {
        inside: Delimiter::None,
        word_before: false,
        word_after: false,
    };
}

impl InlineWriter {
    fn sequence(&mut self, inlines: &[MdInline], start: Edge, end: Edge, span: Span) {
        for (i, inline) in inlines.iter().enumerate() {
            let previous = i.checked_sub(1).map(|j| &inlines[j]);
            let next = inlines.get(i + 1);
            let before = match previous {
                None => start,
                Some(Inline::SoftBreak | Inline::HardBreak) => Edge::Line,
                Some(_) => Edge::Inline,
            };
            let after = match next {
                None => end,
                Some(Inline::SoftBreak | Inline::HardBreak) => Edge::Line,
                Some(_) => Edge::Inline,
            };
            self.inline(inline, previous, next, (before, after), span);
        }
    }

    fn inline(
        &mut self,
        inline: &MdInline,
        previous: Option<&MdInline>,
        next: Option<&MdInline>,
        (before, after): (Edge, Edge),
        span: Span,
    ) {
        match inline {
            Inline::Text(text) => {
                let mut escaped = escape_text_with(text, self.escape_tildes);
                escaped = encode_edge_whitespace(&escaped, before, after);
                if before == Edge::Line && self.line_starts {
                    escaped = escape_line_start(&escaped);
                }
                // `[^1]:` at a line start would define the footnote.
                if matches!(previous, Some(Inline::FootnoteRef(_))) && escaped.starts_with(':') {
                    escaped.insert(0, '\\');
                }
                // A `!` right before a link would turn the link into an image.
                if escaped.ends_with('!') && matches!(next, Some(Inline::Link(_))) {
                    escaped.insert(escaped.len() - 1, '\\');
                }
                self.out.push_str(&escaped);
            }
            Inline::Code(code) => self.out.push_str(&code_span(code)),
            Inline::Html(html) => self.out.push_str(html),
            Inline::SoftBreak => self.out.push('\n'),
            Inline::HardBreak => self.out.push_str("\\\n"),
            Inline::Emphasis(c) | Inline::Strong(c) => {
                let (first, last) = (previous.is_none(), next.is_none());
                let word_before = if first {
                    span.word_before
                } else {
                    self.out.ends_with(char::is_alphanumeric)
                };
                let word_after = if last {
                    span.word_after
                } else {
                    matches!(next, Some(Inline::Text(t)) if t.starts_with(char::is_alphanumeric))
                };
                // `*` inside `*` can close the outer span (`*:*-*&*`), and two `*` runs side
                // by side read as one (`*_foo_*` is not `**foo**`, `*a*` then `*b*` is not
                // `*a**b*`): such a span takes `_`, where `_` can open and close (not inside
                // a word).
                let clash = self.out.ends_with('*') || span.inside == Delimiter::Star;
                let (inside, char) = if clash && !word_before && !word_after {
                    (Delimiter::Underscore, "_")
                } else {
                    (Delimiter::Star, "*")
                };
                let marker = if matches!(inline, Inline::Strong(_)) {
                    char.repeat(2)
                } else {
                    char.to_string()
                };
                self.out.push_str(&marker);
                let inner = Span {
                    inside,
                    word_before,
                    word_after,
                };
                self.sequence(c, Edge::Delimiter, Edge::Delimiter, inner);
                self.out.push_str(&marker);
            }
            Inline::Strikethrough(c) => {
                self.out.push_str("~~");
                // Emphasis inside still sits in any emphasis around the `~~`.
                self.sequence(c, Edge::Delimiter, Edge::Delimiter, span);
                self.out.push_str("~~");
            }
            Inline::Link(link) if link.autolink && autolink_text(link).is_some() => {
                let _ = write!(self.out, "<{}>", autolink_text(link).unwrap_or_default());
            }
            Inline::Link(link) => {
                self.out.push('[');
                self.sequence(
                    &merge_text(&link.content),
                    Edge::Inline,
                    Edge::Inline,
                    Span::TOP,
                );
                let _ = write!(self.out, "]({})", destination(&link.dest, &link.title));
            }
            Inline::Image(image) => {
                let alt = escape_text_with(
                    &crate::markdown::ast::plain_text(&image.content),
                    self.escape_tildes,
                );
                let _ = write!(
                    self.out,
                    "![{alt}]({})",
                    destination(&image.dest, &image.title)
                );
            }
            Inline::FootnoteRef(label) => {
                let _ = write!(self.out, "[^{label}]");
            }
            Inline::TaskMarker(checked) => {
                self.out.push_str(if *checked { "[x] " } else { "[ ] " });
            }
        }
    }
}

/// The text an autolink is written with, when `<text>` still points where the link does.
fn autolink_text(link: &crate::markdown::ast::Link) -> Option<String> {
    let text = crate::markdown::ast::plain_text(&link.content);
    let same = link.dest == text || link.dest.strip_prefix("mailto:") == Some(text.as_str());
    (same && !text.is_empty() && !text.contains(['<', '>', ' ', '\n'])).then_some(text)
}

/// Adjacent text nodes joined: the parser splits text at escapes and entities, and what a
/// character means depends on its neighbours (`&` + `copy;`, `<` + `script>`).
fn merge_text(inlines: &[MdInline]) -> Vec<MdInline> {
    let mut merged: Vec<MdInline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        match (merged.last_mut(), inline) {
            (Some(Inline::Text(last)), Inline::Text(text)) => last.push_str(text),
            _ => merged.push(inline.clone()),
        }
    }
    merged
}

fn count_tildes(inlines: &[MdInline]) -> usize {
    inlines
        .iter()
        .map(|inline| match inline {
            Inline::Text(t) => t.matches('~').count(),
            Inline::Emphasis(c) | Inline::Strong(c) => count_tildes(c),
            // Its own `~~` pair, plus whatever is inside.
            Inline::Strikethrough(c) => 2 + count_tildes(c),
            Inline::Link(l) | Inline::Image(l) => count_tildes(&l.content),
            _ => 0,
        })
        .sum()
}

/// Whitespace a parser would drop (at a line's start or end) or that would stop emphasis
/// (next to a delimiter), and line ends inside text, written as character references.
fn encode_edge_whitespace(text: &str, before: Edge, after: Edge) -> String {
    let is_space = |c: char| c == ' ' || c == '\t';
    let leading = if before == Edge::Inline {
        0
    } else {
        text.len() - text.trim_start_matches(is_space).len()
    };
    let trailing = if after == Edge::Inline || leading == text.len() {
        0
    } else {
        text.len() - text.trim_end_matches(is_space).len()
    };
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let edge = i < leading || i >= text.len() - trailing;
        match c {
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            ' ' if edge => out.push_str("&#32;"),
            '\t' if edge => out.push_str("&#9;"),
            // Inside text, a line end from a reference starts a new line: its indent counts.
            _ => out.push(c),
        }
    }
    out
}

fn destination(dest: &str, title: &str) -> String {
    let escaped = escape_link_text(dest);
    let dest = if dest.is_empty() || dest.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", escaped.replace('<', "%3C").replace('>', "%3E"))
    } else {
        escaped
    };
    if title.is_empty() {
        dest
    } else {
        format!(
            "{dest} \"{}\"",
            escape_link_text(title).replace('"', "\\\"")
        )
    }
}

/// A destination or title: backslash escapes and entities are read there too.
fn escape_link_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' => next.is_none_or(|n| n.is_ascii_punctuation()),
            '&' => starts_reference(&chars[i + 1..]),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether the text after a `&` reads as a character reference (`copy;`, `#10;`, `#x41;`),
/// so the `&` must be escaped to stay an ampersand (`Q&A` needs nothing).
fn starts_reference(rest: &[char]) -> bool {
    let (digits, rest): (fn(&char) -> bool, &[char]) = match rest {
        ['#', 'x' | 'X', rest @ ..] => (char::is_ascii_hexdigit, rest),
        ['#', rest @ ..] => (char::is_ascii_digit, rest),
        _ => (char::is_ascii_alphanumeric, rest),
    };
    let run = rest.iter().take_while(|c| digits(c)).count();
    run > 0 && rest.get(run) == Some(&';')
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

/// Escapes characters that would start inline markup (titles and descriptions in llms.txt).
pub(super) fn escape_text(text: &str) -> String {
    escape_text_with(text, text.matches('~').count() > 1)
}

/// Escapes characters that would start inline markup; `~` only when `tildes` says the block
/// has more than one (a lone tilde strikes nothing through).
fn escape_text_with(text: &str, tildes: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' => true,
            '~' => tildes,
            // Inside a word, `_` cannot open or close emphasis.
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            // `<` only matters before something that could be a tag or an autolink.
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            // `&` only matters when it starts a character reference.
            '&' => starts_reference(&chars[i + 1..]),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes what would start a block when `line` opens a line of paragraph text.
fn escape_line_start(line: &str) -> String {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    // A `-` opens a list item, or the line is a rule or a heading's underline.
    let dash = trimmed.starts_with('-')
        && (matches!(trimmed[1..].chars().next(), None | Some(' ' | '\t'))
            || trimmed.chars().all(|c| matches!(c, '-' | ' ' | '\t')));
    let needs = trimmed.starts_with(['#', '>', '+', '=', '|']) || dash || ordered_marker(trimmed);
    if !needs {
        return line.to_string();
    }
    match trimmed.find(['.', ')']).filter(|_| ordered_marker(trimmed)) {
        Some(dot) => format!("{indent}{}\\{}", &trimmed[..dot], &trimmed[dot..]),
        None => format!("{indent}\\{trimmed}"),
    }
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
        assert_eq!(escape_text("~$45/month"), "~$45/month");
        assert_eq!(escape_text("~a~"), "\\~a\\~");
        assert_eq!(
            escape_text("Q&A, &copy; &#10; &#x41; &x;"),
            "Q&A, \\&copy; \\&#10; \\&#x41; \\&x;"
        );
        assert_eq!(escape_text("&#; &#xZ; & ;"), "&#; &#xZ; & ;");
        assert_eq!(
            [
                "# not a heading",
                "1. not a list",
                "- nor this",
                "-- nor this",
                "-x",
                "2x"
            ]
            .map(escape_line_start),
            [
                "\\# not a heading",
                "1\\. not a list",
                "\\- nor this",
                "-- nor this",
                "-x",
                "2x"
            ]
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
        fn escaped_text_round_trips(text in "[a-z0-9_*`<>&#;\\[\\]()!~|\\\\.=+-][a-z0-9 _*`<>&#;\\[\\]()!~|\\\\.=+-]{0,39}") {
            let markdown = escape_line_start(&escape_text(&text));
            prop_assert_eq!(parsed_text(&markdown), text.trim().to_string());
        }
    }
}
