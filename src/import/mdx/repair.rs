//! Parsing an MDX body despite what MDX rejects: the `markdown` crate's MDX mode refuses some
//! pages the tools themselves publish (a JavaScript `export` with blank lines inside, an HTML
//! comment, a `{` or `<` meant as text, an attribute expression it cannot delimit). Each
//! failure is repaired where the parser stopped — the region is blanked in a working copy of
//! the same length, so every position still points into the original — and parsing is tried
//! again. What the repair changed is recorded as [`Replacement`]s, which the walker applies
//! when it copies original text.

use std::collections::BTreeMap;

use markdown::mdast::Node;
use markdown::message::Place;
use markdown::{Constructs, MdxSignal as Signal, ParseOptions};

/// How many repairs one body may need before it is read as plain Markdown instead.
const MAX_REPAIRS: usize = 200;

/// What to write instead of a region of the original when copying it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Replacement {
    /// The region's length in bytes.
    pub len: usize,
    /// Its text in the output.
    pub text: String,
}

/// A parsed body and the repairs that made it parse.
#[derive(Debug)]
pub(super) struct Parsed {
    /// The tree; its positions are offsets into the original text.
    pub tree: Node,
    /// Regions of the original to write differently, by start offset.
    pub replacements: BTreeMap<usize, Replacement>,
    /// What was repaired: (offset, message for the report).
    pub repairs: Vec<(usize, String)>,
    /// True when MDX could not be parsed at all and the body was read as plain Markdown.
    pub plain: bool,
    /// How many repairs parsing needed.
    pub count: usize,
}

/// The parse options: MDX plus GitHub's tables, strikethrough, task lists and footnotes.
pub(super) fn mdx_options() -> ParseOptions {
    ParseOptions {
        constructs: Constructs {
            frontmatter: true,
            gfm_table: true,
            gfm_strikethrough: true,
            gfm_task_list_item: true,
            gfm_footnote_definition: true,
            gfm_label_start_footnote: true,
            ..Constructs::mdx()
        },
        mdx_esm_parse: Some(Box::new(esm_parse)),
        ..ParseOptions::mdx()
    }
}

/// Says whether an ESM block is complete: its brackets balance (strings, template literals
/// and comments skipped). An incomplete one goes on past blank lines, as in a real MDX
/// compiler; nothing is executed or checked beyond that.
fn esm_parse(code: &str) -> Signal {
    if brackets_open(code) {
        Signal::Eof(
            "Unexpected end of file in JavaScript".into(),
            Box::new("guidebook".into()),
            Box::new("esm".into()),
        )
    } else {
        Signal::Ok
    }
}

/// Whether `code` leaves a `(`, `[` or `{` open.
fn brackets_open(code: &str) -> bool {
    let mut depth: i64 = 0;
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            '\'' | '"' | '`' => {
                // A string: to its closing quote (a line end ends all but a template).
                let mut escaped = false;
                for s in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if s == '\\' {
                        escaped = true;
                    } else if s == c || (s == '\n' && c != '`') {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'/') => {
                for s in chars.by_ref() {
                    if s == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut star = false;
                for s in chars.by_ref() {
                    if star && s == '/' {
                        break;
                    }
                    star = s == '*';
                }
            }
            _ => {}
        }
    }
    depth > 0
}

/// Parses `text` as MDX, repairing what the parser rejects.
pub(super) fn parse(text: &str) -> Parsed {
    let options = mdx_options();
    let mut work = text.to_string();
    let mut replacements = BTreeMap::new();
    let mut repairs = Vec::new();
    for count in 0..MAX_REPAIRS {
        let error = match markdown::to_mdast(&work, &options) {
            Ok(tree) => {
                return Parsed {
                    tree,
                    replacements,
                    repairs,
                    plain: false,
                    count,
                };
            }
            Err(error) => error,
        };
        let at = match error.place.as_deref() {
            Some(Place::Point(point)) => point.offset,
            Some(Place::Position(position)) => position.start.offset,
            None => work.len(),
        }
        .min(work.len());
        let Some(repair) = repair(&work, at, &error.reason) else {
            break;
        };
        blank(&mut work, repair.start, repair.end);
        if let Some(text) = repair.replacement {
            replacements.insert(
                repair.start,
                Replacement {
                    len: repair.end - repair.start,
                    text,
                },
            );
        }
        if let Some(note) = repair.note {
            repairs.push((repair.start, note));
        }
    }
    // Last resort: plain Markdown, which never fails; the walker drops component tags.
    let options = ParseOptions::gfm();
    let tree = markdown::to_mdast(text, &options).unwrap_or_else(|_| {
        Node::Root(markdown::mdast::Root {
            children: Vec::new(),
            position: None,
        })
    });
    Parsed {
        tree,
        replacements: BTreeMap::new(),
        repairs: vec![(
            0,
            "the page is not valid MDX and could not be repaired: read as plain Markdown, components left out".into(),
        )],
        plain: true,
        count: MAX_REPAIRS,
    }
}

/// One repair: blank `start..end` in the working copy; write `replacement` (or nothing)
/// there in the output.
#[derive(Debug, PartialEq, Eq)]
struct Repair {
    start: usize,
    end: usize,
    replacement: Option<String>,
    note: Option<String>,
}

/// Replaces every character of `start..end` but line ends with spaces (same length).
fn blank(work: &mut String, start: usize, end: usize) {
    let blanked: String = work[start..end]
        .chars()
        .map(|c| {
            if c == '\n' {
                "\n".to_string()
            } else {
                " ".repeat(c.len_utf8())
            }
        })
        .collect();
    work.replace_range(start..end, &blanked);
}

/// The start of the line holding `at`.
fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line holding `at` (the offset of its `\n`, or the end).
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i)
}

/// Finds what to repair for an error at `at`.
fn repair(work: &str, at: usize, reason: &str) -> Option<Repair> {
    // An ESM block left open runs to the end of the file: the error is reported there.
    let in_esm = reason.contains("JavaScript");
    esm_statement(work, at, in_esm)
        .or_else(|| html_comment(work, at))
        .or_else(|| brace_or_tag(work, at))
        .or_else(|| whole_line(work, at))
}

/// A JavaScript `export`/`import` statement that covers `at`: from its line to the first
/// line at the left margin that closes it (`}`, `)`, `];`) or starts something else.
fn esm_statement(work: &str, at: usize, in_esm: bool) -> Option<Repair> {
    let mut start = line_start(work, at);
    loop {
        let line = &work[start..line_end(work, start)];
        if line.starts_with("export ") || line.starts_with("import ") {
            break;
        }
        if start == 0 {
            return None;
        }
        start = line_start(work, start - 1);
    }
    // Where the statement ends.
    let mut end = line_end(work, start);
    let mut next = end + 1;
    while next < work.len() {
        let line_stop = line_end(work, next);
        let line = &work[next..line_stop];
        let first = line.chars().next();
        match first {
            None | Some(' ' | '\t') => {}
            Some('}' | ')' | ']') => {
                end = line_stop;
                break;
            }
            Some(_) => break,
        }
        end = line_stop;
        next = line_stop + 1;
    }
    if at > end && !in_esm {
        return None;
    }
    let head: String = work[start..line_end(work, start)]
        .chars()
        .take(40)
        .collect();
    Some(Repair {
        start,
        end,
        replacement: Some(String::new()),
        note: Some(format!(
            "JavaScript `{}…` could not be read: left out",
            head.trim_end()
        )),
    })
}

/// An HTML comment (`<!-- … -->`, which MDX rejects) at or around `at`.
fn html_comment(work: &str, at: usize) -> Option<Repair> {
    let window = at.saturating_sub(2000);
    let from = (at + 4).min(work.len());
    let from = (0..=from).rev().find(|&i| work.is_char_boundary(i))?;
    let open = work[window..from].rfind("<!--")? + window;
    let close = work[open..]
        .find("-->")
        .map_or(work.len(), |i| open + i + 3);
    if close < at {
        return None;
    }
    Some(Repair {
        start: open,
        end: close,
        replacement: Some(String::new()),
        note: None,
    })
}

/// A `{` or `<` that opened what failed: an expression written as text, an attribute value
/// the parser cannot delimit, a tag that is not JSX (`<br>`, `<https://…>`, `<your-key>`).
fn brace_or_tag(work: &str, at: usize) -> Option<Repair> {
    let at = at.min(work.len());
    let upto = (at + 1).min(work.len());
    let upto = (0..=upto).rev().find(|&i| work.is_char_boundary(i))?;
    // The block holding `at`: back to the last blank line.
    let block_start = work[..line_start(work, at)]
        .rfind("\n\n")
        .map_or(0, |i| i + 2);
    let segment = &work[block_start..upto];
    // An HTML void tag written without `/>` (`<br>`, `<img src="a.png">`) comes first.
    let open = void_tag(segment)
        .or_else(|| segment.rfind(['{', '<']))
        .map(|i| block_start + i)?;
    if work[open..].starts_with('{') {
        let before = work[..open].trim_end_matches([' ', '\t']);
        if before.ends_with('=') || inside_tag(work, open) {
            // An attribute value or a spread: blank it (its closing brace too).
            let end = matching_brace(work, open).unwrap_or_else(|| line_end(work, open));
            return Some(Repair {
                start: open,
                end,
                replacement: None,
                note: Some("a JavaScript attribute could not be read: left out".into()),
            });
        }
        // A brace written as text.
        return Some(Repair {
            start: open,
            end: open + 1,
            replacement: Some("\\{".into()),
            note: None,
        });
    }
    // A `<`: up to the `>` on the same line.
    let stop = line_end(work, open);
    let end = work[open..stop]
        .find('>')
        .map_or(open + 1, |i| open + i + 1);
    let tag = &work[open..end];
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let is_autolink = inner.contains(':') && !inner.contains(' ') || inner.contains('@');
    let name: String = inner
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let is_component = name.starts_with(|c: char| c.is_ascii_uppercase());
    let (replacement, note) = if is_autolink || super::html::is_void(&name) {
        (tag.to_string(), None)
    } else if is_component {
        // A component's tag MDX cannot pair (a stray `</Tabs>`): never shown as text.
        (
            String::new(),
            Some(format!("a `{tag}` that MDX cannot pair was left out")),
        )
    } else {
        // Written as text, such as a placeholder `<your-key>`.
        (format!("\\{tag}"), None)
    };
    Some(Repair {
        start: open,
        end,
        replacement: Some(replacement),
        note,
    })
}

/// The offset of the last HTML void tag in `text` not closed with `/>`.
fn void_tag(text: &str) -> Option<usize> {
    let mut found = None;
    for (i, _) in text.match_indices('<') {
        let rest = &text[i + 1..];
        let name: String = rest
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        if name.is_empty() || !super::html::is_void(&name) {
            continue;
        }
        let Some(close) = rest.find('>') else {
            continue;
        };
        if !rest[..close].ends_with('/') && !rest[..close].contains('\n') {
            found = Some(i);
        }
    }
    found
}

/// Whether `at` lies inside a tag opened on its line (`<Card title="a" {…}`).
fn inside_tag(work: &str, at: usize) -> bool {
    let start = line_start(work, at);
    let before = &work[start..at];
    match (before.rfind('<'), before.rfind('>')) {
        (Some(open), Some(close)) => open > close,
        (Some(_), None) => true,
        _ => false,
    }
}

/// The offset after the `}` that closes the `{` at `open` (strings skipped), if any.
fn matching_brace(work: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in work[open..].char_indices() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(open + i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The whole line at `at`, when nothing narrower helps; `None` when it is blank already.
fn whole_line(work: &str, at: usize) -> Option<Repair> {
    let start = line_start(work, at.min(work.len()));
    let end = line_end(work, start);
    if work[start..end].trim().is_empty() {
        return None;
    }
    Some(Repair {
        start,
        end,
        replacement: Some(String::new()),
        note: Some("a line that is not valid MDX was left out".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_with_blank_lines_parses() {
        let parsed =
            parse("# A\n\nexport const X = () => {\n  const a = 1\n\n  return a\n}\n\nText.\n");
        assert!(parsed.repairs.is_empty(), "{:?}", parsed.repairs);
    }

    #[test]
    fn an_export_never_closed_is_blanked_whole() {
        let text = "# A\n\nexport const X = () => {\n  const a = 1\n\n  return a\n\nText.\n";
        let parsed = parse(text);
        assert!(!parsed.plain);
        assert_eq!(parsed.repairs.len(), 1, "{:?}", parsed.repairs);
        let replaced = parsed.replacements.values().next().unwrap();
        assert_eq!(
            &text[5..5 + replaced.len],
            "export const X = () => {\n  const a = 1\n\n  return a\n"
        );
    }

    #[test]
    fn html_comments_are_dropped() {
        let parsed = parse("Text\n\n<!-- hidden\nstill -->\n\nMore\n");
        assert!(!parsed.plain);
        assert_eq!(parsed.replacements.len(), 1);
    }

    #[test]
    fn a_lone_brace_becomes_text() {
        let parsed = parse("Use { to open.\n");
        assert!(!parsed.plain);
        assert_eq!(
            parsed.replacements.get(&4),
            Some(&Replacement {
                len: 1,
                text: "\\{".into()
            })
        );
    }

    #[test]
    fn void_tags_and_autolinks_stay() {
        let parsed = parse("Line<br>\n\nSee <https://example.com> now.\n");
        assert!(!parsed.plain);
        let texts: Vec<&str> = parsed
            .replacements
            .values()
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(texts, ["<br>", "<https://example.com>"]);
    }
}
