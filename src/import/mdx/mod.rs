//! MDX page bodies → our Markdown dialect.
//!
//! Input: the body of an `.mdx` page (Mintlify, Docusaurus, Starlight), the page's file and
//! the folders imports resolve against. Output: [`Converted`]: Markdown in our dialect, the
//! constructs mapped, the snippet files inlined, and a [`Note`] for everything that could not
//! be mapped, each at its file, line and column.
//!
//! The body is parsed once with the `markdown` crate's MDX mode ([`repair`] gets it past what
//! that parser rejects). Plain Markdown is copied from the original text by position, so
//! prose stays exactly as written; only JSX elements ([`components`], [`html`]), ESM and
//! expressions ([`esm`]) are rewritten, and their children are converted the same way.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use markdown::mdast::{AttributeContent, Node};

mod components;
mod esm;
pub(super) mod html;
mod repair;
#[cfg(test)]
mod tests;

use repair::Replacement;

/// How deep snippets may include snippets.
const MAX_SNIPPET_DEPTH: usize = 8;

/// Where a page's imports resolve.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    /// The page file (absolute).
    pub file: PathBuf,
    /// The docs root: imports from `/` (Mintlify's `/snippets/…`) start there.
    pub docs_root: PathBuf,
    /// The site folder: Docusaurus's `@site/…` starts there.
    pub site_root: PathBuf,
}

/// Something that could not be mapped, at a place in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Note {
    /// The file: the page, or a snippet it includes (absolute).
    pub file: PathBuf,
    /// 1-based line in the text converted (the body for a page, the file for a snippet).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What happened.
    pub message: String,
}

/// A converted body.
#[derive(Debug, Default)]
pub(crate) struct Converted {
    /// The Markdown, in our dialect.
    pub markdown: String,
    /// What could not be mapped.
    pub notes: Vec<Note>,
    /// Construct of the source → our construct → how many times.
    pub mapped: BTreeMap<(String, String), usize>,
    /// Snippet files inlined (absolute); they are not pages of their own.
    pub included: Vec<PathBuf>,
    /// How many times the parser needed a repair, and whether it fell back to plain Markdown.
    pub repairs: usize,
    /// True when the body was read as plain Markdown (MDX could not be parsed).
    pub plain: bool,
}

/// Converts an MDX body.
pub(crate) fn convert(body: &str, options: &Options) -> Converted {
    let mut out = Converted::default();
    let markdown = convert_file(body, &options.file, options, HashMap::new(), 0, &mut out);
    let (markdown, fixes) = balance_fences(&tidy(&markdown));
    for message in fixes {
        out.notes.push(Note {
            file: options.file.clone(),
            line: 0,
            column: 0,
            message,
        });
    }
    out.markdown = markdown;
    out
}

/// Closes the directive containers a page leaves open (Docusaurus closes an admonition at
/// the end of the page; our build calls it an error) and drops closing fences that close
/// nothing, saying so.
fn balance_fences(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut open: Vec<(usize, String)> = Vec::new();
    let mut fixes = Vec::new();
    for line in super::markdown::lines(text) {
        if !line.in_code
            && let Some((colons, kind, _)) = super::markdown::directive(line.text)
        {
            let only_colons = line.text.trim().chars().all(|c| c == ':');
            if !kind.is_empty() && kind.starts_with(|c: char| c.is_ascii_lowercase()) {
                open.push((colons, kind.to_string()));
            } else if only_colons && open.pop().is_none() {
                fixes.push("a closing `:::` that closes nothing was left out".to_string());
                continue;
            }
        }
        out.push_str(line.text);
    }
    if !open.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    while let Some((colons, kind)) = open.pop() {
        fixes.push(format!(
            "`:::{kind}` is never closed: closed at the end of the page"
        ));
        out.push_str(&":".repeat(colons));
        out.push('\n');
    }
    (out, fixes)
}

/// Converts the body of an `.mdx` page of an import, recording what it mapped and what it
/// could not in the report.
pub(crate) fn convert_page(
    page: &mut super::PageBody<'_>,
    body: &str,
    report: &mut super::Report,
) -> String {
    let project = page.project;
    let options = Options {
        file: project.docs_root.join(page.path),
        docs_root: project.docs_root.clone(),
        site_root: project.source.clone(),
    };
    let converted = convert(body, &options);
    for ((from, to), n) in &converted.mapped {
        report.mapped_n(from.clone(), to.clone(), *n);
    }
    for note in &converted.notes {
        if note.file == options.file {
            // Line 0: about the page as a whole.
            let line = if note.line == 0 {
                0
            } else {
                note.line + page.first_line - 1
            };
            report.not_mapped(&page.report_path, (line, note.column), note.message.clone());
        } else {
            let shown = project.source_relative(&note.file);
            report.not_mapped(&shown, (note.line, note.column), note.message.clone());
        }
    }
    if converted.plain {
        report.mapped("MDX page that is not valid MDX", "read as plain Markdown");
    } else if converted.repairs > 0 {
        report.mapped_n(
            "MDX the parser rejected",
            "repaired and read",
            converted.repairs,
        );
    }
    page.included.extend(converted.included);
    converted.markdown
}

/// Converts one text (a page body or a snippet) into `out`.
fn convert_file(
    text: &str,
    file: &Path,
    options: &Options,
    vars: HashMap<String, String>,
    depth: usize,
    out: &mut Converted,
) -> String {
    let parsed = repair::parse(text);
    let mut walker = Walker {
        src: text,
        replacements: parsed.replacements,
        options,
        file: file.to_path_buf(),
        depth,
        vars,
        snippets: HashMap::new(),
        scripts: HashMap::new(),
        out,
        step_depth: 0,
        plain: parsed.plain,
    };
    walker.out.repairs += parsed.count;
    walker.out.plain |= parsed.plain;
    for (offset, message) in parsed.repairs {
        walker.note(offset, message);
    }
    // Imports and exports first: a component may be used above the line that imports it.
    if let Node::Root(root) = &parsed.tree {
        for child in &root.children {
            if let Node::MdxjsEsm(esm) = child {
                let at = span(child).0;
                walker.esm(&esm.value, at);
            }
        }
    }
    let (start, end) = (0, text.len());
    match parsed.tree.children() {
        Some(children) => walker.splice(start, end, children),
        None => text.to_string(),
    }
}

/// Blank-line runs of more than one collapsed, trailing spaces of blank lines removed, one
/// newline at the end.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 || out.is_empty() {
                continue;
            }
            out.push('\n');
        } else {
            blank = 0;
            out.push_str(line.trim_end_matches([' ', '\t']).trim_end_matches('\r'));
            if line.ends_with("  ") && !line.trim().is_empty() {
                // A hard break written as two trailing spaces stays one.
                out.push_str("  ");
            }
            out.push('\n');
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// The byte span of a node.
fn span(node: &Node) -> (usize, usize) {
    node.position()
        .map_or((0, 0), |p| (p.start.offset, p.end.offset))
}

/// Whether a node or any node below it is MDX (JSX, ESM, an expression) or raw HTML.
fn has_mdx(node: &Node) -> bool {
    match node {
        Node::MdxjsEsm(_)
        | Node::MdxFlowExpression(_)
        | Node::MdxTextExpression(_)
        | Node::MdxJsxFlowElement(_)
        | Node::MdxJsxTextElement(_)
        | Node::Html(_)
        | Node::Yaml(_)
        | Node::Toml(_) => true,
        _ => node.children().is_some_and(|c| c.iter().any(has_mdx)),
    }
}

/// A JSX element, flow or text.
#[derive(Clone, Copy)]
pub(super) struct Element<'n> {
    /// Its name (`Note`, `Tree.Folder`, `div`); empty for a fragment.
    pub name: &'n str,
    /// Its attributes.
    pub attributes: &'n [AttributeContent],
    /// Its children.
    pub children: &'n [Node],
    /// Where it starts in the text.
    pub start: usize,
    /// Whether it stands as a block (its own lines) rather than inside a paragraph.
    pub flow: bool,
}

/// The walk over one text.
struct Walker<'a> {
    /// The original text.
    src: &'a str,
    /// Regions written differently (see [`repair`]).
    replacements: BTreeMap<usize, Replacement>,
    options: &'a Options,
    /// The file being converted.
    file: PathBuf,
    /// How deep in snippets this text is.
    depth: usize,
    /// Values of names used in expressions: a snippet's props, exported constants.
    vars: HashMap<String, String>,
    /// Imported snippet files, by the component name they are imported as.
    snippets: HashMap<String, PathBuf>,
    /// Names imported from JavaScript or defined by an `export`, with where they come from.
    scripts: HashMap<String, String>,
    out: &'a mut Converted,
    /// How many `<Step>`s enclose the current node.
    step_depth: usize,
    /// Whether the text was read as plain Markdown (component tags are `Html` nodes).
    plain: bool,
}

impl Walker<'_> {
    /// Records a note at `offset` of the text.
    fn note(&mut self, offset: usize, message: impl Into<String>) {
        let (line, column) = crate::diagnostics::line_col(self.src, offset);
        self.out.notes.push(Note {
            file: self.file.clone(),
            line,
            column,
            message: message.into(),
        });
    }

    /// Counts one mapping.
    fn mapped(&mut self, from: impl Into<String>, to: impl Into<String>) {
        *self.out.mapped.entry((from.into(), to.into())).or_default() += 1;
    }

    /// The original text of `start..end`, with the repairs' replacements applied.
    fn copy(&self, start: usize, end: usize) -> String {
        let mut out = String::new();
        let mut at = start;
        for (&offset, replacement) in self.replacements.range(start..end) {
            if offset < at {
                continue;
            }
            out.push_str(&self.src[at..offset]);
            out.push_str(&replacement.text);
            at = (offset + replacement.len).min(end);
        }
        if at < end {
            out.push_str(&self.src[at..end]);
        }
        out
    }

    /// `start..end` of the text with `children` (which lie inside it) converted: the text
    /// between them is copied.
    fn splice(&mut self, start: usize, end: usize, children: &[Node]) -> String {
        let mut out = String::new();
        let mut at = start;
        for child in children {
            let (child_start, child_end) = span(child);
            if child_start < at || child_end > end {
                continue;
            }
            out.push_str(&self.copy(at, child_start));
            let (text, generated) = self.node(child);
            if generated {
                out.push_str(&self.reindent(&text, child_start));
            } else {
                out.push_str(&text);
            }
            at = child_end;
        }
        if at < end {
            out.push_str(&self.copy(at, end));
        }
        out
    }

    /// Text generated for a node at `at`, its later lines given the prefix of `at`'s line
    /// (the indentation of a list item, the `>` of a quote).
    fn reindent(&self, text: &str, at: usize) -> String {
        if !text.contains('\n') {
            return text.to_string();
        }
        let prefix = line_prefix(self.src, at);
        if prefix.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
                if line.trim().is_empty() {
                    out.push_str(prefix.trim_end());
                } else {
                    out.push_str(&prefix);
                }
            }
            out.push_str(line);
        }
        out
    }

    /// Converts a node; the flag says whether the text is generated (lines start at the
    /// left margin) rather than copied (lines carry their original indentation).
    fn node(&mut self, node: &Node) -> (String, bool) {
        let (start, end) = span(node);
        match node {
            Node::MdxjsEsm(_) | Node::Yaml(_) | Node::Toml(_) => (String::new(), true),
            Node::MdxFlowExpression(e) => (self.expression(&e.value, start), true),
            Node::MdxTextExpression(e) => (self.expression(&e.value, start), true),
            Node::MdxJsxFlowElement(e) => {
                let element = Element {
                    name: e.name.as_deref().unwrap_or(""),
                    attributes: &e.attributes,
                    children: &e.children,
                    start,
                    flow: true,
                };
                (self.element(element), true)
            }
            Node::MdxJsxTextElement(e) => {
                let element = Element {
                    name: e.name.as_deref().unwrap_or(""),
                    attributes: &e.attributes,
                    children: &e.children,
                    start,
                    flow: false,
                };
                (self.element(element), true)
            }
            Node::Html(h) if self.plain => (html::plain_tag(&h.value), true),
            Node::Code(code) if !self.plain => {
                // Written anew from the tree, with a fence longer than any run of backticks
                // inside: MDX closes a fence on a line indented any amount, CommonMark only
                // up to three spaces, so a copy could end elsewhere in our build.
                let mut info = code.lang.clone().unwrap_or_default();
                if let Some(meta) = &code.meta {
                    info.push(' ');
                    info.push_str(meta);
                }
                (code_fence(&info, &code.value), true)
            }
            Node::Heading(h) if self.step_depth > 0 && h.depth >= 3 => {
                // A heading inside a step would start a step of its own: one level down.
                let text = self.children_or_copy(node, start, end);
                let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
                if text[indent..].starts_with('#') {
                    (format!("{}#{}", &text[..indent], &text[indent..]), false)
                } else {
                    (text, false)
                }
            }
            _ => (self.children_or_copy(node, start, end), false),
        }
    }

    /// A node copied, or spliced when something inside it needs converting.
    fn children_or_copy(&mut self, node: &Node, start: usize, end: usize) -> String {
        match node.children() {
            Some(children) if children.iter().any(has_mdx) => self.splice(start, end, children),
            _ => self.copy(start, end),
        }
    }

    /// The children of a flow element as a block of Markdown at the left margin.
    fn block(&mut self, children: &[Node]) -> String {
        let Some(first) = children.first() else {
            return String::new();
        };
        let first_start = span(first).0;
        let last_end = children
            .iter()
            .map(|c| span(c).1)
            .max()
            .unwrap_or(first_start);
        let line = self.src[..first_start].rfind('\n').map_or(0, |i| i + 1);
        let start = if self.src[line..first_start].trim().is_empty() {
            line
        } else {
            first_start
        };
        let text = self.splice(start, last_end, children);
        dedent(&text).trim_matches('\n').to_string()
    }

    /// The children of an element: a block for a flow element, inline text otherwise.
    fn inner(&mut self, element: Element<'_>) -> String {
        if element.flow {
            return self.block(element.children);
        }
        let (Some(first), Some(last)) = (element.children.first(), element.children.last()) else {
            return String::new();
        };
        let text = self.splice(span(first).0, span(last).1, element.children);
        text.trim().to_string()
    }

    /// The children as one line of inline text (titles, labels).
    fn inline(&mut self, element: Element<'_>) -> String {
        let text = self.inner(Element {
            flow: false,
            ..element
        });
        one_line(&text)
    }

    /// Converts a JSX element (see [`components`]).
    fn element(&mut self, element: Element<'_>) -> String {
        let text = self.component(element);
        if element.flow || !text.contains('\n') {
            text
        } else {
            // A block found inside a paragraph: give it lines of its own.
            format!("\n\n{}\n\n", text.trim_matches('\n'))
        }
    }

    /// Includes a snippet file with `props` as its variables.
    fn snippet(&mut self, path: &Path, props: HashMap<String, String>, at: usize) -> String {
        if self.depth >= MAX_SNIPPET_DEPTH {
            self.note(
                at,
                format!(
                    "snippets nest deeper than {MAX_SNIPPET_DEPTH}: `{}` left out",
                    path.display()
                ),
            );
            return String::new();
        }
        let Ok(text) = std::fs::read_to_string(path) else {
            self.note(
                at,
                format!(
                    "the snippet `{}` could not be read: left out",
                    path.display()
                ),
            );
            return String::new();
        };
        let text = crate::text::normalize(text);
        if !self.out.included.iter().any(|p| p == path) {
            self.out.included.push(path.to_path_buf());
        }
        let markdown = convert_file(&text, path, self.options, props, self.depth + 1, self.out);
        markdown.trim_matches('\n').to_string()
    }
}

/// The container prefix of the line holding `at`: spaces for list markers and indentation,
/// `>` for quotes.
fn line_prefix(src: &str, at: usize) -> String {
    let line = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let head = &src[line..at];
    let mut prefix = String::new();
    let mut rest = head;
    loop {
        if let Some(r) = rest.strip_prefix(' ') {
            prefix.push(' ');
            rest = r;
        } else if let Some(r) = rest.strip_prefix('\t') {
            prefix.push('\t');
            rest = r;
        } else if let Some(r) = rest.strip_prefix('>') {
            prefix.push('>');
            rest = r;
        } else if let Some(r) = rest
            .strip_prefix(['-', '*', '+'])
            .filter(|r| r.starts_with(' '))
        {
            prefix.push(' ');
            rest = r;
        } else {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            match rest[digits..].strip_prefix(['.', ')']) {
                Some(r) if digits > 0 && r.starts_with(' ') => {
                    prefix.push_str(&" ".repeat(digits + 1));
                    rest = r;
                }
                _ => break,
            }
        }
    }
    prefix
}

/// Removes the indentation of the first non-blank line from every line (lines indented
/// less lose what they have).
fn dedent(text: &str) -> String {
    let width = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .map_or(0, |l| l.len() - l.trim_start_matches([' ', '\t']).len());
    if width == 0 {
        return text.to_string();
    }
    text.split('\n')
        .map(|line| {
            let strip = line.len() - line.trim_start_matches([' ', '\t']).len();
            &line[strip.min(width)..]
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text on one line: line ends and runs of spaces become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A directive container: `kind_line` after the colons, then `body`, closed; the fence has
/// more colons than any fence inside.
fn container(kind_line: &str, body: &str) -> String {
    let colons = ":".repeat(fence_length(body));
    let body = body.trim_matches('\n');
    if body.is_empty() {
        format!("{colons}{kind_line}\n{colons}")
    } else {
        format!("{colons}{kind_line}\n{body}\n{colons}")
    }
}

/// How many colons a fence around `body` needs: 3, or one more than any fence inside.
fn fence_length(body: &str) -> usize {
    let inner = body
        .lines()
        .map(|l| {
            l.trim_start_matches([' ', '\t', '>'])
                .chars()
                .take_while(|&c| c == ':')
                .count()
        })
        .filter(|&n| n >= 3)
        .max()
        .unwrap_or(0);
    (inner + 1).max(3)
}

/// A fenced code block with a fence longer than any backtick run in `code`.
fn code_fence(lang: &str, code: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat((longest + 1).max(3));
    let code = code.trim_end_matches('\n');
    format!("{fence}{lang}\n{code}\n{fence}")
}
