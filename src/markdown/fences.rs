//! Directive fence lines (`:::kind Title` … `:::`), found before the Markdown parse.
//!
//! Input: a page body. Output: the body prepared for pulldown-cmark, where every fence line
//! stands in a block of its own, plus a table of the fences with their source positions.
//!
//! CommonMark has no block syntax for `:::`, so a fence line written right under a paragraph,
//! a list item or a table row would be swallowed by it (lazy continuation). We insert an empty
//! line (carrying the line's `>` quote markers) before and after each fence line that lacks one,
//! which makes the line a paragraph of its own wherever it stands; the builder then recognises
//! that paragraph by its offset. Bracketed titles (`:::tip[Title]`) have their outer brackets
//! replaced by spaces, byte for byte, so they cannot form a link, and a trailing attribute
//! block (`{#id open}`, see [`crate::attributes`]) is blanked the same way, so the title never
//! holds it. Nothing else changes, so offsets map back to the original text by subtracting
//! the inserted bytes.

use std::collections::HashSet;
use std::ops::Range;

use crate::attributes;

/// One fence line as written.
#[derive(Debug, Clone)]
pub(crate) struct FenceLine {
    /// Number of colons.
    pub colons: usize,
    /// The kind and its byte range in the body; `None` for a closing fence.
    pub kind: Option<(String, Range<usize>)>,
    /// Byte range of the line's first colon up to the end of the line, in the body.
    pub span: Range<usize>,
    /// Where the line starts in the body (before any indentation or `>`).
    pub line_start: usize,
    /// Offset of the first colon in the prepared text.
    pub prepared_start: usize,
    /// Where the title starts in the prepared text (the end of the line when there is none).
    pub prepared_title_start: usize,
    /// A problem with the line itself, with its byte range in the body and a hint.
    pub problem: Option<(String, Range<usize>, String)>,
    /// The trailing attribute block (`{#id open}`), in body offsets.
    pub attributes: Option<attributes::Block>,
}

/// The body as pulldown-cmark will read it.
#[derive(Debug, Clone)]
pub(super) struct Prepared<'a> {
    /// The original body.
    body: &'a str,
    /// The prepared text.
    pub text: String,
    /// Every insertion: (offset in the prepared text, length).
    inserts: Vec<(usize, usize)>,
    /// The fence lines, in source order.
    pub fences: Vec<FenceLine>,
}

impl Prepared<'_> {
    /// The original body.
    pub(super) fn original_body(&self) -> &str {
        self.body
    }

    /// Maps an offset in the prepared text back to the original body.
    pub(super) fn to_original(&self, prepared: usize) -> usize {
        let mut shift = 0;
        for &(at, len) in &self.inserts {
            if at + len <= prepared {
                shift += len;
            } else if at <= prepared {
                // Inside an inserted line: point at where it was inserted.
                return at - shift;
            } else {
                break;
            }
        }
        prepared - shift
    }

    /// The fence whose first colon is at `prepared` offset, if any.
    pub(super) fn fence_starting_at(&self, prepared: usize) -> Option<usize> {
        self.fences
            .binary_search_by_key(&prepared, |f| f.prepared_start)
            .ok()
    }
}

/// Which lines the parser found to be different from what the scan guessed.
#[derive(Debug, Default)]
pub(super) struct Corrections {
    /// Line starts (body offsets) of fence-like lines that are not fences (inside raw HTML or
    /// indented code).
    pub(super) not_fences: HashSet<usize>,
    /// Line starts of fence lines that are not inside a code block after all (a code block
    /// that its quote or list item closed).
    pub(super) fences: HashSet<usize>,
}

/// Finds fence lines in `body` and prepares it, applying what an earlier parse corrected.
///
/// The scan only tracks fenced code blocks, so that fence lines inside them stay text; where
/// that guess is wrong, the builder notices and the caller prepares the body again with
/// `corrections`.
pub(super) fn prepare<'a>(body: &'a str, corrections: &Corrections) -> Prepared<'a> {
    let lines = split_lines(body);
    // An open code fence: its character, length and quote depth.
    let mut code: Option<(u8, usize, usize)> = None;
    let mut candidates: Vec<(usize, Scanned)> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let text = &body[line.clone()];
        let prefix = container_prefix(text);
        let rest = &text[prefix.len..];
        let depth = text[..prefix.quote_len].matches('>').count();
        let forced = corrections.fences.contains(&line.start);
        if let Some((ch, len, open_depth)) = code {
            // A code block ends with its fence, or with the quote that holds it.
            let quote_closed = depth < open_depth && !is_blank(text);
            if closes_code_fence(rest, ch, len) {
                code = None;
                continue;
            }
            if !quote_closed && !forced {
                continue;
            }
            code = None;
        }
        if let Some((ch, len)) = opens_code_fence(rest) {
            code = Some((ch, len, depth));
            continue;
        }
        let skip = &corrections.not_fences;
        if prefix.list_marker || skip.contains(&line.start) {
            continue;
        }
        let colon_at = line.start + prefix.len;
        if let Some(scanned) = scan_fence(body, colon_at, line.end) {
            candidates.push((index, scanned));
        }
    }
    build(body, &lines, candidates)
}

struct Prefix {
    /// Bytes of indentation, `>` markers and (if any) a list marker.
    len: usize,
    /// Bytes of indentation and `>` markers only.
    quote_len: usize,
    list_marker: bool,
}

/// Leading spaces, tabs and `>` markers, then an optional list marker (`-`, `*`, `+`, `1.`, `1)`).
fn container_prefix(line: &str) -> Prefix {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'>') {
        i += 1;
    }
    let quote_len = i;
    let mut j = i;
    let marker = if j < bytes.len() && matches!(bytes[j], b'-' | b'*' | b'+') {
        j += 1;
        true
    } else {
        let digits = bytes[j..].iter().take_while(|b| b.is_ascii_digit()).count();
        if (1..=9).contains(&digits) && matches!(bytes.get(j + digits), Some(b'.' | b')')) {
            j += digits + 1;
            true
        } else {
            false
        }
    };
    if marker && matches!(bytes.get(j), Some(b' ' | b'\t')) {
        while j < bytes.len() && matches!(bytes[j], b' ' | b'\t') {
            j += 1;
        }
        Prefix {
            len: j,
            quote_len,
            list_marker: true,
        }
    } else {
        Prefix {
            len: quote_len,
            quote_len,
            list_marker: false,
        }
    }
}

fn opens_code_fence(rest: &str) -> Option<(u8, usize)> {
    let ch = *rest.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = rest.bytes().take_while(|&b| b == ch).count();
    if len < 3 {
        return None;
    }
    // A backtick fence's info string cannot contain backticks.
    if ch == b'`' && rest[len..].contains('`') {
        return None;
    }
    Some((ch, len))
}

fn closes_code_fence(rest: &str, ch: u8, len: usize) -> bool {
    let run = rest.bytes().take_while(|&b| b == ch).count();
    run >= len && rest[run..].trim().is_empty()
}

/// Whether a line (from its first non-container character) reads as a directive fence.
pub(super) fn looks_like_fence(line: &str) -> bool {
    let colons = line.bytes().take_while(|&b| b == b':').count();
    if colons < 3 {
        return false;
    }
    let rest = line[colons..].trim_start_matches([' ', '\t']);
    rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// A fence line found by the scanner, in body offsets.
struct Scanned {
    colons: usize,
    kind: Option<Range<usize>>,
    title: Option<Range<usize>>,
    /// The `[` and `]` of a bracketed title, replaced by spaces in the prepared text.
    brackets: Option<(usize, usize)>,
    span: Range<usize>,
    problem: Option<(String, Range<usize>, String)>,
    /// The trailing attribute block, in body offsets (blanked in the prepared text).
    attributes: Option<attributes::Block>,
}

/// Reads a fence at `start` (the first non-container byte of a line ending at `end`).
fn scan_fence(body: &str, start: usize, end: usize) -> Option<Scanned> {
    let line = &body[start..end];
    let colons = line.bytes().take_while(|&b| b == b':').count();
    if colons < 3 {
        return None;
    }
    let after_colons = start + colons;
    let spaces = body[after_colons..end]
        .bytes()
        .take_while(|b| matches!(b, b' ' | b'\t'))
        .count();
    let kind_start = after_colons + spaces;
    let rest = &body[kind_start..end];
    let mut scanned = Scanned {
        colons,
        kind: None,
        title: None,
        brackets: None,
        span: start..end,
        problem: None,
        attributes: None,
    };
    if rest.trim().is_empty() {
        return Some(scanned); // a closing fence
    }
    if !rest.as_bytes()[0].is_ascii_alphabetic() {
        return None; // `:::)` and the like are text
    }
    let kind_len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
        .count();
    let kind_end = kind_start + kind_len;
    scanned.kind = Some(kind_start..kind_end);
    let after_kind = &body[kind_end..end];
    // The attribute block that ends the line, if any: the title is what comes before it.
    let block = attributes::trailing(after_kind).map(|b| b.shifted(kind_end));
    let before_block = block.as_ref().map_or(end, |b| b.range.start);
    match after_kind.as_bytes().first() {
        None => {}
        Some(b'[') => {
            let open = kind_end;
            match matching_bracket(body, open, end) {
                Some(close) => {
                    scanned.brackets = Some((open, close));
                    scanned.title = Some(open + 1..close);
                    // After the brackets, only an attribute block (which may touch the `]`).
                    let after = &body[close + 1..end];
                    let block = attributes::trailing(after).map(|b| b.shifted(close + 1));
                    let before_block = block.as_ref().map_or(end, |b| b.range.start);
                    if !body[close + 1..before_block].trim().is_empty() {
                        scanned.problem = Some(text_after_brackets(close + 1..before_block));
                    } else {
                        scanned.attributes = block;
                    }
                }
                None => {
                    scanned.title = Some(open + 1..end);
                    scanned.problem = Some((
                        "the title's `[` is never closed".into(),
                        open..open + 1,
                        "end the title with `]`".into(),
                    ));
                }
            }
        }
        Some(b'{') if block.as_ref().is_some_and(|b| b.range.start == kind_end) => {
            scanned.attributes = block;
        }
        Some(b' ' | b'\t') => {
            let title = body[kind_end..before_block].trim();
            if !title.is_empty() {
                let lead = after_kind.len() - after_kind.trim_start().len();
                scanned.title = Some(kind_end + lead..kind_end + lead + title.len());
            }
            scanned.attributes = block;
        }
        Some(_) => {
            let bad = after_kind.chars().next().unwrap_or(' ');
            scanned.problem = Some((
                format!("unexpected `{bad}` after the directive kind"),
                kind_end..kind_end + bad.len_utf8(),
                "separate the title from the kind with a space, or write it in brackets: `:::tip[Title]`"
                    .into(),
            ));
            scanned.title = Some(kind_end..end);
        }
    }
    Some(scanned)
}

fn text_after_brackets(range: Range<usize>) -> (String, Range<usize>, String) {
    (
        "unexpected text after the bracketed title".into(),
        range,
        "put the whole title inside the brackets (an attribute block `{…}` may follow them), or drop the brackets".into(),
    )
}

/// The offset of the `]` matching the `[` at `open`, honouring nesting and backslash escapes.
fn matching_bracket(body: &str, open: usize, end: usize) -> Option<usize> {
    let bytes = body.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < end {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Line ranges without their line terminators.
fn split_lines(body: &str) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (i, b) in body.bytes().enumerate() {
        if b == b'\n' {
            let end = if i > start && body.as_bytes()[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            lines.push(start..end);
            start = i + 1;
        }
    }
    if start < body.len() {
        lines.push(start..body.len());
    }
    lines
}

fn is_blank(line: &str) -> bool {
    line.bytes().all(|b| matches!(b, b' ' | b'\t' | b'>'))
}

fn build<'a>(
    body: &'a str,
    lines: &[Range<usize>],
    candidates: Vec<(usize, Scanned)>,
) -> Prepared<'a> {
    // Where blank lines go: before line `index`, carrying that fence line's quote markers.
    let mut insert_before: Vec<(usize, String)> = Vec::new();
    for (index, _) in &candidates {
        let line = &lines[*index];
        let text = &body[line.clone()];
        let quote = text[..container_prefix(text).quote_len]
            .trim_end()
            .to_string();
        if *index > 0 && !is_blank(&body[lines[index - 1].clone()]) {
            insert_before.push((*index, quote.clone()));
        }
        if index + 1 < lines.len() && !is_blank(&body[lines[index + 1].clone()]) {
            insert_before.push((index + 1, quote));
        }
    }
    insert_before.sort_by_key(|(index, _)| *index);
    insert_before.dedup_by_key(|(index, _)| *index);

    let mut text = String::with_capacity(body.len() + insert_before.len() * 2);
    let mut inserts = Vec::with_capacity(insert_before.len());
    let mut next_insert = insert_before.iter().peekable();
    let mut shift_at = Vec::with_capacity(lines.len());
    let mut copied = 0;
    for (index, line) in lines.iter().enumerate() {
        if let Some((_, quote)) = next_insert.next_if(|(i, _)| *i == index) {
            text.push_str(&body[copied..line.start]);
            copied = line.start;
            let inserted = format!("{quote}\n");
            inserts.push((text.len(), inserted.len()));
            text.push_str(&inserted);
        }
        // Bytes inserted so far: the shift from body offsets to prepared offsets on this line.
        shift_at.push(text.len() - copied);
    }
    text.push_str(&body[copied..]);

    let fences = candidates
        .into_iter()
        .map(|(index, scanned)| {
            let shift = shift_at[index];
            if let Some((open, close)) = scanned.brackets {
                text.replace_range(open + shift..open + shift + 1, " ");
                text.replace_range(close + shift..close + shift + 1, " ");
            }
            if let Some(block) = &scanned.attributes {
                let range = block.range.start + shift..block.range.end + shift;
                text.replace_range(range.clone(), &" ".repeat(range.len()));
            }
            FenceLine {
                colons: scanned.colons,
                kind: scanned
                    .kind
                    .map(|range| (body[range.clone()].to_string(), range)),
                prepared_start: scanned.span.start + shift,
                prepared_title_start: scanned.title.as_ref().map_or(scanned.span.end, |t| t.start)
                    + shift,
                line_start: lines[index].start,
                span: scanned.span,
                problem: scanned.problem,
                attributes: scanned.attributes,
            }
        })
        .collect();
    Prepared {
        body,
        text,
        inserts,
        fences,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prep(body: &str) -> Prepared<'_> {
        prepare(body, &Corrections::default())
    }

    #[test]
    fn fence_lines_get_blank_lines_around_them() {
        let p = prep(":::tip Title\nBody\n:::\nAfter\n");
        assert_eq!(p.text, ":::tip Title\n\nBody\n\n:::\n\nAfter\n");
        assert_eq!(p.fences.len(), 2);
        assert_eq!(p.fences[0].kind.as_ref().unwrap().0, "tip");
        assert!(p.fences[1].kind.is_none());
        assert_eq!(p.to_original(p.fences[1].prepared_start), 18);
    }

    #[test]
    fn title_forms() {
        let p = prep(":::tip Plain title\n\n:::tip[Bracket *title*]\n\n::: tip  Spaced\n");
        let titles: Vec<&str> = p
            .fences
            .iter()
            .map(|f| p.text[f.prepared_title_start..].lines().next().unwrap())
            .collect();
        assert_eq!(titles, ["Plain title", "Bracket *title* ", "Spaced"]);
        assert!(p.fences.iter().all(|f| f.problem.is_none()));
    }

    #[test]
    fn attribute_blocks_are_read_and_blanked() {
        let p = prep(":::tip Title {#t open}\n\n:::tip[Title]{icon=\"x\"}\n\n:::details{open}\n");
        let spaces = |n| " ".repeat(n);
        assert_eq!(
            p.text,
            format!(
                ":::tip Title{}\n\n:::tip Title{}\n\n:::details{}\n",
                spaces(10),
                spaces(11),
                spaces(6)
            )
        );
        let items: Vec<usize> = p
            .fences
            .iter()
            .map(|f| f.attributes.as_ref().map_or(0, |b| b.items.len()))
            .collect();
        assert_eq!(items, [2, 1, 1]);
        assert!(p.fences.iter().all(|f| f.problem.is_none()));
        // Body offsets: the `#t` of the first line.
        let first = p.fences[0].attributes.as_ref().unwrap();
        assert_eq!(first.items[0].range, 14..16);
    }

    #[test]
    fn only_an_attribute_block_may_follow_a_bracketed_title() {
        let p = prep(":::tip[Title] extra {#x}\n");
        assert!(p.fences[0].problem.is_some());
        assert!(p.fences[0].attributes.is_none());
        let p = prep(":::tip{#x} title\n");
        assert!(p.fences[0].problem.is_some(), "a block must end the line");
    }

    #[test]
    fn fences_in_code_blocks_are_text() {
        let p = prep("```md\n:::tip\n:::\n```\n\n~~~~\n:::\n~~~~\n");
        assert!(p.fences.is_empty());
        assert_eq!(p.text, "```md\n:::tip\n:::\n```\n\n~~~~\n:::\n~~~~\n");
    }

    #[test]
    fn quoted_fences_keep_their_markers() {
        let p = prep("> text\n> :::note\n> inside\n> :::\n");
        assert_eq!(p.text, "> text\n>\n> :::note\n>\n> inside\n>\n> :::\n");
    }

    #[test]
    fn list_markers_do_not_start_fences() {
        assert!(prep("- :::tip\n").fences.is_empty());
        assert_eq!(prep("- item\n\n  :::tip\n  body\n  :::\n").fences.len(), 2);
    }

    #[test]
    fn colons_not_followed_by_a_kind_are_text() {
        assert!(prep(":::)\n::: 42\n").fences.is_empty());
    }

    #[test]
    fn malformed_titles_are_reported() {
        let p = prep(":::tip[Unclosed\n:::tip! x\n");
        assert_eq!(p.fences.len(), 2);
        assert!(p.fences.iter().all(|f| f.problem.is_some()));
    }

    #[test]
    fn offsets_map_back_through_insertions() {
        let body = "a\n:::tip\nb\n";
        let p = prep(body);
        assert_eq!(p.text, "a\n\n:::tip\n\nb\n");
        let b_prepared = p.text.rfind('b').unwrap();
        assert_eq!(p.to_original(b_prepared), body.rfind('b').unwrap());
    }

    #[test]
    fn a_quote_that_ends_closes_its_code_block() {
        let p = prep("> ```\n> code\n\n:::tip Hello\nbody\n:::\n");
        assert_eq!(p.fences.len(), 2, "the fences after the quote are found");
    }

    #[test]
    fn fence_like_lines() {
        assert!(looks_like_fence(":::tip Title"));
        assert!(looks_like_fence("::::"));
        assert!(looks_like_fence("::: tip"));
        assert!(!looks_like_fence("::"));
        assert!(!looks_like_fence(":::)"));
    }

    #[test]
    fn crlf_line_endings() {
        let p = prep(":::tip\r\nBody\r\n:::\r\n");
        assert_eq!(p.fences.len(), 2);
        assert_eq!(p.fences[0].kind.as_ref().unwrap().0, "tip");
    }
}
