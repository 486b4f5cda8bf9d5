//! Diagnostics: every problem found in a book, from any stage, as one type and one printer.
//!
//! Input: problems reported by the stages (a message, a file, a byte span, a hint).
//! Output: text for the terminal, in the compiler style of annotate-snippets: the file,
//! `line:column`, the source line with a marker under the problem, and a `help:` line.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};

use crate::paths::{printable, printable_lines};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The book cannot be built.
    Error,
    /// The book builds, but something is probably not what the author meant.
    Warning,
}

/// Where in a source file a diagnostic points.
#[derive(Debug, Clone)]
pub struct SourceSpan {
    /// The whole text of the file (shared, so many diagnostics can point into it).
    pub text: Arc<str>,
    /// Byte range of the problem inside `text`.
    pub range: Range<usize>,
}

impl SourceSpan {
    /// 1-based line and column (in characters) of the start of the span.
    pub fn line_col(&self) -> (usize, usize) {
        line_col(&self.text, self.range.start)
    }
}

/// One problem in a book.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file, relative to the book folder when it is inside it.
    pub file: Option<PathBuf>,
    /// The place in the file, when there is one.
    pub span: Option<SourceSpan>,
    /// A short label printed under the marked source.
    pub label: Option<String>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A new error with a message and nothing else.
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            file: None,
            span: None,
            label: None,
            hint: None,
        }
    }

    /// A new warning with a message and nothing else.
    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(message)
        }
    }

    /// Names the file the diagnostic is about.
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Points at a byte range of the file's text.
    pub fn at(mut self, text: &Arc<str>, range: Range<usize>) -> Self {
        let end = ceil_char_boundary(text, range.end.min(text.len()));
        let start = floor_char_boundary(text, range.start.min(end));
        self.span = Some(SourceSpan {
            text: Arc::clone(text),
            range: start..end,
        });
        self
    }

    /// Adds a label shown under the marked source.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a hint on how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a hint only when there is one.
    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        if hint.is_some() {
            self.hint = hint;
        }
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col`, or as much of it as is known.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?.display().to_string();
        Some(match &self.span {
            Some(span) => {
                let (line, col) = span.line_col();
                format!("{file}:{line}:{col}")
            }
            None => file,
        })
    }

    /// A sort key that orders diagnostics by file, then position, then message.
    fn sort_key(&self) -> (Option<&Path>, usize, &str) {
        (
            self.file.as_deref(),
            self.span.as_ref().map_or(0, |s| s.range.start),
            &self.message,
        )
    }
}

/// Why a command refused to run, and the way out: a usage error (exit code 2) that the
/// printer shows with a `help:` line.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub(crate) struct Refusal {
    message: String,
    hint: Option<String>,
}

impl Refusal {
    /// A refusal saying `message`.
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: None,
        }
    }

    /// Adds the way out.
    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The diagnostic for an error that stopped a command: its chain of messages, with the hint
/// of a [`Refusal`] in it.
pub(crate) fn from_error(error: &anyhow::Error) -> Diagnostic {
    let hint = error
        .chain()
        .find_map(|cause| cause.downcast_ref::<Refusal>())
        .and_then(|refusal| refusal.hint.clone());
    Diagnostic {
        hint,
        ..Diagnostic::error(format!("{error:#}"))
    }
}

/// 1-based line and 1-based column in characters of a byte offset in `text`. Scans the
/// text up to `offset`: for many positions in one text, use a [`LineIndex`].
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Where each line of a text starts, for finding the line of many offsets in one text in
/// logarithmic time each (many diagnostics in one file must not cost quadratic time).
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self { starts }
    }

    /// The 0-based line of `offset` and the byte range of that line (without its `\n`).
    pub(crate) fn line(&self, text: &str, offset: usize) -> (usize, Range<usize>) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let start = self.starts[line];
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |next| next - 1);
        (line, start..end.max(start))
    }

    /// 1-based line and column (in characters) of `offset`, as [`line_col`] gives them.
    pub(crate) fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let (line, range) = self.line(text, offset);
        (line + 1, text[range.start..offset].chars().count() + 1)
    }
}

/// Byte offset of the start of 1-based `line` (and 1-based byte `col`) in `text`.
pub(crate) fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match text[offset..].find('\n') {
            Some(i) => offset += i + 1,
            None => return text.len(),
        }
    }
    floor_char_boundary(text, (offset + col.saturating_sub(1)).min(text.len()))
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn ceil_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset < text.len() && !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

/// All the diagnostics of one build, kept in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds many diagnostics.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// The diagnostics, sorted by file and position.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        items
    }

    /// Iterates over the diagnostics in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Turns every warning into an error (for `--strict`).
    pub fn promote_warnings(&mut self) {
        for item in &mut self.items {
            item.severity = Severity::Error;
        }
    }

    /// Whether there are no diagnostics at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// Prints diagnostics in the compiler style.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Printer {
    color: bool,
}

impl Printer {
    /// A printer that colours its output or not.
    pub(crate) fn new(color: bool) -> Self {
        Self { color }
    }

    /// Renders one diagnostic as text (ending without a newline).
    pub(crate) fn render(&self, diagnostic: &Diagnostic) -> String {
        let index = diagnostic
            .span
            .as_ref()
            .map(|span| LineIndex::new(&span.text));
        self.render_with(diagnostic, index.as_ref())
    }

    /// Renders one diagnostic, finding its line with `index` (built for its span's text).
    fn render_with(&self, diagnostic: &Diagnostic, index: Option<&LineIndex>) -> String {
        let renderer = if self.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
        .decor_style(DecorStyle::Ascii);

        let level = match diagnostic.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = diagnostic
            .file
            .as_ref()
            .map(|p| printable(&p.display().to_string().replace('\\', "/")).into_owned());
        let message = printable_lines(&diagnostic.message);
        let label = diagnostic.label.as_deref().map(printable_lines);
        let hint = diagnostic.hint.as_deref().map(printable_lines);
        let title = level.primary_title(message.as_str());
        let mut group = match (&diagnostic.span, &path, index) {
            (Some(span), Some(path), Some(index)) => {
                // Only the marked line is handed over: the whole file per diagnostic would
                // make a file with thousands of errors take quadratic time.
                let range = display_range(span);
                let (line, line_range) = index.line(&span.text, range.start);
                let source = printable_source(&span.text[line_range.clone()]);
                let marked = range.start - line_range.start..range.end - line_range.start;
                let mut annotation = AnnotationKind::Primary.span(marked);
                if let Some(label) = &label {
                    annotation = annotation.label(label.as_str());
                }
                title.element(
                    Snippet::source(source)
                        .path(path.as_str())
                        .line_start(line + 1)
                        .annotation(annotation),
                )
            }
            (_, Some(path), _) => title.element(Origin::path(path.as_str())),
            _ => Group::with_title(title),
        };
        if diagnostic.span.is_none()
            && let Some(label) = &label
        {
            group = group.element(Level::NOTE.message(label.as_str()));
        }
        if let Some(hint) = &hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        let rendered = renderer.render(&[group]);
        if diagnostic.file.is_some() {
            return rendered;
        }
        // With nothing to point at, the gutter line before the notes has nothing to separate.
        rendered
            .lines()
            .filter(|line| strip_ansi(line).trim() != "|")
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Renders every diagnostic, sorted, separated by blank lines (each file's lines are
    /// indexed once).
    pub(crate) fn render_all(&self, diagnostics: &Diagnostics) -> String {
        let mut indexes: HashMap<*const u8, LineIndex> = HashMap::new();
        let mut out = String::new();
        for diagnostic in diagnostics.sorted() {
            let index = diagnostic.span.as_ref().map(|span| {
                &*indexes
                    .entry(span.text.as_ptr())
                    .or_insert_with(|| LineIndex::new(&span.text))
            });
            out.push_str(&self.render_with(diagnostic, index));
            out.push_str("\n\n");
        }
        out
    }
}

/// A source line fit for a terminal: control characters (other than tabs) become `?`,
/// byte for byte, so the marked range still fits.
fn printable_source(line: &str) -> String {
    line.chars()
        .map(|c| {
            if c.is_control() && c != '\t' {
                "?".repeat(c.len_utf8())
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// `line` without terminal colour codes.
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A span that annotate-snippets can draw: never empty, never past the end of a line.
fn display_range(span: &SourceSpan) -> Range<usize> {
    let text = &*span.text;
    let start = span.range.start.min(text.len());
    let mut end = span.range.end.max(start);
    if let Some(nl) = text[start..].find('\n') {
        end = end.min(start + nl);
    }
    if end == start {
        end = text[start..]
            .chars()
            .next()
            .filter(|c| *c != '\n')
            .map_or(start, |c| start + c.len_utf8());
    }
    start..end
}

/// The closest candidate to `word`, if one is close enough to be a plausible typo.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word_lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// "did you mean `x`?" for the closest candidate, if any.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}

// Errors from the TOML and YAML parsers, in our words.

/// Turns a TOML error into a diagnostic; `offset` is where the TOML starts inside `text`.
pub(crate) fn toml_error(
    file: &Path,
    text: &Arc<str>,
    offset: usize,
    error: &toml::de::Error,
) -> Diagnostic {
    let message = error.message().trim().to_string();
    let (message, hint) = explain_serde_message(&message);
    let hint = hint.or_else(|| Some(value_hint(&message, "check the TOML syntax here: text in double quotes, tables as `[name]`, one `key = value` per line")));
    let mut diag = Diagnostic::error(message).in_file(file);
    if let Some(span) = error.span() {
        diag = diag.at(text, offset + span.start..offset + span.end);
    }
    diag.maybe_hint(hint)
}

/// The hint for a parse error: about types when the value has the wrong type, else `syntax`.
pub(crate) fn value_hint(message: &str, syntax: &str) -> String {
    let wrong_type = [
        "invalid type",
        "invalid value",
        "invalid bool",
        "invalid i",
        "invalid u",
        "invalid f",
    ]
    .iter()
    .any(|prefix| message.starts_with(prefix))
        && !message.starts_with("invalid basic string");
    if wrong_type {
        "this value has the wrong type: text goes in quotes, numbers and true/false do not"
            .to_string()
    } else {
        syntax.to_string()
    }
}

/// Rewrites serde's "unknown field" message into ours, with a suggestion.
pub(crate) fn explain_serde_message(message: &str) -> (String, Option<String>) {
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((field, expected)) = rest.split_once('`')
    {
        let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = did_you_mean(field, known.iter().copied()).or_else(|| {
            (!known.is_empty()).then(|| {
                let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
                format!("known keys here: {}", list.join(", "))
            })
        });
        return (format!("unknown key `{field}`"), hint);
    }
    (message.to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\ncé:x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(line_col(text, 6), (2, 3));
    }

    #[test]
    fn the_line_index_agrees_with_line_col() {
        let text = "ab\ncé:x\n\nlast";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() {
            assert_eq!(
                index.line_col(text, offset),
                line_col(text, offset),
                "{offset}"
            );
        }
        assert_eq!(index.line(text, 4), (1, 3..8));
        assert_eq!(index.line(text, text.len()), (3, 10..14));
    }

    #[test]
    fn control_characters_cannot_reach_the_terminal() {
        let text: Arc<str> = Arc::from("bad \u{1b}]0;pwned\u{7} line\n");
        let d = Diagnostic::error("unknown kind `\u{1b}[31m`")
            .in_file("content/\u{1b}[2Jx.md")
            .at(&text, 4..5)
            .hint("rename `\u{1b}[0m`");
        let out = Printer::new(false).render(&d);
        assert!(!out.contains('\u{1b}'), "{out:?}");
        assert!(!out.contains('\u{7}'), "{out:?}");
        assert!(out.contains("content/\\u{1b}[2Jx.md:1:5"), "{out}");
    }

    #[test]
    fn offset_of_inverts_line_col() {
        let text = "one\ntwo\nthree";
        assert_eq!(offset_of(text, 3, 2), 9);
        assert_eq!(line_col(text, 9), (3, 2));
    }

    #[test]
    fn closest_finds_typos_only() {
        let kinds = ["big-word-alert", "war-story", "tip"];
        assert_eq!(closest("big-word-alrt", kinds), Some("big-word-alert"));
        assert_eq!(closest("zzzzzz", kinds), None);
    }

    #[test]
    fn renders_file_line_column_and_hint() {
        let text: Arc<str> = Arc::from("line one\n:::tipp Hello\n");
        let d = Diagnostic::error("unknown callout kind `tipp`")
            .in_file("content/a.md")
            .at(&text, 12..16)
            .label("not defined")
            .hint("did you mean `tip`?");
        let out = Printer::new(false).render(&d);
        assert!(out.contains("content/a.md:2:4"), "{out}");
        assert!(out.contains(":::tipp Hello"), "{out}");
        assert!(out.contains("help: did you mean `tip`?"), "{out}");
    }

    #[test]
    fn without_a_location_there_is_no_empty_gutter() {
        let d = Diagnostic::error("something about the whole book").hint("do this");
        for color in [false, true] {
            let out = Printer::new(color).render(&d);
            assert_eq!(out.lines().count(), 2, "{out:?}");
            assert!(strip_ansi(&out).contains("= help: do this"), "{out:?}");
        }
    }
}

#[cfg(test)]
mod hint_tests {
    use super::value_hint;

    #[test]
    fn type_errors_get_a_type_hint() {
        assert!(
            value_hint("invalid type: string \"x\", expected i64", "syntax").contains("wrong type")
        );
        assert!(value_hint("invalid i64", "syntax").contains("wrong type"));
        assert_eq!(
            value_hint("invalid basic string, expected `\"`", "syntax"),
            "syntax"
        );
        assert_eq!(value_hint("unclosed table", "syntax"), "syntax");
    }
}
