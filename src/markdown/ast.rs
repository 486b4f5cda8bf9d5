//! The owned Markdown tree every later stage works on: HTML, search, Markdown twins, links.
//!
//! Input: built by [`super::builder`] from pulldown-cmark's events. Output: plain data plus
//! two walkers, so a transform is one function over the tree instead of another event loop.

/// One parsed page body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Document {
    /// A `#` heading taken out of the body to be the page's heading (see `markdown::parse`).
    pub heading: Option<Heading>,
    /// The body, in order.
    pub blocks: Vec<Block>,
    /// Footnote definitions, in the order they were written.
    pub footnotes: Vec<Footnote>,
}

/// A footnote definition (`[^label]: ...`).
#[derive(Debug, Clone)]
pub(crate) struct Footnote {
    /// The label between `[^` and `]`.
    pub label: String,
    /// Its content.
    pub blocks: Vec<Block>,
}

/// A block-level node.
#[derive(Debug, Clone)]
pub(crate) enum Block {
    /// A paragraph (`<p>`).
    Paragraph(Vec<Inline>),
    /// The text of a tight list item: a paragraph without `<p>`.
    Plain(Vec<Inline>),
    /// `#` … `######`.
    Heading(Heading),
    /// `>` (a plain quote; GitHub alerts become callouts).
    Quote(Vec<Block>),
    /// A fenced or indented code block.
    Code(CodeBlock),
    /// Raw HTML, passed through.
    Html(String),
    /// An ordered or bullet list.
    List(List),
    /// A GitHub table.
    Table(Table),
    /// `---`.
    Rule,
    /// A callout (`:::tip`, a configured kind, or a GitHub alert).
    Callout(Callout),
    /// `:::steps`.
    Steps(Steps),
    /// `:::details`.
    Details(Details),
    /// `:::question`.
    Question(Question),
    /// `::::tabs`.
    Tabs(Tabs),
    /// `:::tab` found outside `tabs` (already reported; rendered as a plain section).
    Tab(Tab),
    /// A directive fence line before containers are assembled; none survive parsing.
    Fence(FenceMarker),
}

/// A heading with its final id.
#[derive(Debug, Clone)]
pub(crate) struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The id: `{#custom}` or the de-duplicated GitHub slug.
    pub id: String,
    /// Whether the author set the id with `{#id}`.
    pub custom_id: bool,
    /// Classes from `{.class}`.
    pub classes: Vec<String>,
    /// Other attributes from `{key=value}`.
    pub attrs: Vec<(String, Option<String>)>,
    /// The heading text.
    pub content: Vec<Inline>,
    /// "1", "1.2" when the page numbers its sections.
    pub number: Option<String>,
    /// Byte offset in the file.
    pub offset: usize,
}

/// A code block.
#[derive(Debug, Clone)]
pub(crate) struct CodeBlock {
    /// The info string after the opening fence (empty for indented code).
    pub info: String,
    /// The code, ending with a newline.
    pub code: String,
    /// Byte offset in the file.
    pub offset: usize,
}

impl CodeBlock {
    /// The language: the first word of the info string.
    pub(crate) fn lang(&self) -> Option<&str> {
        self.info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .next()
            .filter(|l| !l.is_empty())
    }
}

/// A list.
#[derive(Debug, Clone)]
pub(crate) struct List {
    /// The first number of an ordered list; `None` for bullets.
    pub start: Option<u64>,
    /// The items.
    pub items: Vec<Vec<Block>>,
}

/// Column alignment in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    /// Not specified.
    None,
    /// `:--`.
    Left,
    /// `:-:`.
    Center,
    /// `--:`.
    Right,
}

/// A table.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// One alignment per column.
    pub align: Vec<Align>,
    /// Header cells.
    pub head: Vec<Vec<Inline>>,
    /// Body rows of cells.
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// The id of a callout, question or details block, in the page's one id space.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct BlockId {
    /// The id; empty until the ids pass (`markdown::headings`) gives one, and for a details
    /// block without `{#id}`.
    pub value: String,
    /// Where the author wrote `#id` (a byte range in the file), when they did.
    pub written: Option<std::ops::Range<usize>>,
}

/// A callout.
#[derive(Debug, Clone)]
pub(crate) struct Callout {
    /// The kind it renders as (a key of the book's callout registry).
    pub kind: String,
    /// The kind as written (`caution` for an alias, `important` for a `[!IMPORTANT]` alert):
    /// automatic ids start with it.
    pub written_kind: String,
    /// A label that replaces the kind's own (aliases and GitHub alerts: "Caution").
    pub label: Option<String>,
    /// The optional title after the kind.
    pub title: Vec<Inline>,
    /// The content.
    pub body: Vec<Block>,
    /// Byte offset of the opening fence in the file.
    pub offset: usize,
    /// The id (`{#id}`, else automatic).
    pub id: BlockId,
    /// `{open}`: a collapsible callout starts open.
    pub open: bool,
    /// `{icon="…"}`: replaces the kind's icon.
    pub icon: Option<crate::config::Icon>,
}

impl Callout {
    /// The label line's text: the callout's own label, else its kind's.
    pub(crate) fn label<'a>(&'a self, registry: &'a crate::config::CalloutRegistry) -> &'a str {
        self.label
            .as_deref()
            .or_else(|| registry.get(&self.kind).map(|k| k.label.as_str()))
            .unwrap_or(&self.kind)
    }
}

/// `:::steps`.
#[derive(Debug, Clone)]
pub(crate) struct Steps {
    /// An optional title after the kind (`:::steps Set up the cache`).
    pub title: Vec<Inline>,
    /// Anything before the first step heading.
    pub intro: Vec<Block>,
    /// The steps, each opened by a `###` heading.
    pub steps: Vec<Step>,
}

/// One step.
#[derive(Debug, Clone)]
pub(crate) struct Step {
    /// The `###` heading that names the step.
    pub heading: Heading,
    /// What follows it, up to the next step.
    pub body: Vec<Block>,
}

/// `:::details`.
#[derive(Debug, Clone)]
pub(crate) struct Details {
    /// The summary line (empty: a default label is shown).
    pub summary: Vec<Inline>,
    /// The hidden content.
    pub body: Vec<Block>,
    /// The id, only when given with `{#id}`.
    pub id: BlockId,
    /// `{open}`: shown open.
    pub open: bool,
}

/// `:::question`.
#[derive(Debug, Clone)]
pub(crate) struct Question {
    /// The question text.
    pub prompt: Vec<Inline>,
    /// The answer.
    pub answer: Vec<Block>,
    /// The id (`{#id}`, else `question-<slug of the prompt>`).
    pub id: BlockId,
    /// `{open}`: the answer is shown.
    pub open: bool,
}

/// `::::tabs`.
#[derive(Debug, Clone)]
pub(crate) struct Tabs {
    /// The tabs, in order.
    pub tabs: Vec<Tab>,
}

/// `:::tab Label`.
#[derive(Debug, Clone)]
pub(crate) struct Tab {
    /// The label.
    pub label: Vec<Inline>,
    /// The panel's content.
    pub body: Vec<Block>,
    /// Byte offset of the opening fence in the file.
    pub offset: usize,
}

/// A directive fence line, before containers are assembled.
#[derive(Debug, Clone)]
pub(crate) struct FenceMarker {
    /// Index into the page's fence table.
    pub fence: usize,
    /// The title, parsed as inline Markdown.
    pub title: Vec<Inline>,
}

/// An inline node.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Inline {
    /// Text.
    Text(String),
    /// `` `code` ``.
    Code(String),
    /// Inline raw HTML.
    Html(String),
    /// A line break in the source.
    SoftBreak,
    /// Two spaces or a backslash at the end of a line.
    HardBreak,
    /// `*emphasis*`.
    Emphasis(Vec<Inline>),
    /// `**strong**`.
    Strong(Vec<Inline>),
    /// `~~strikethrough~~`.
    Strikethrough(Vec<Inline>),
    /// A link.
    Link(Link),
    /// An image; its content is the alt text.
    Image(Link),
    /// `[^label]`.
    FootnoteRef(String),
    /// `[ ]` or `[x]` at the start of a list item.
    TaskMarker(bool),
}

/// A link or image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Link {
    /// Where it points, as written (the links stage records what it resolves to).
    pub dest: String,
    /// The optional title attribute.
    pub title: String,
    /// The link text (or alt text).
    pub content: Vec<Inline>,
    /// `<https://...>` written as an autolink.
    pub autolink: bool,
    /// Byte range of the whole link in the file.
    pub span: std::ops::Range<usize>,
}

/// The plain text of inline content: what a screen reader or a slug sees.
pub(crate) fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain_text(inlines, &mut out);
    out
}

fn push_plain_text(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::SoftBreak | Inline::HardBreak => out.push(' '),
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => {
                push_plain_text(c, out);
            }
            Inline::Link(l) | Inline::Image(l) => push_plain_text(&l.content, out),
            Inline::Html(_) | Inline::FootnoteRef(_) | Inline::TaskMarker(_) => {}
        }
    }
}

/// Footnote labels match like link labels: without regard to case or runs of spaces.
pub(crate) fn footnote_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Calls `f` on every block, depth first, parents before children (footnotes included).
pub(crate) fn walk_blocks_mut(doc: &mut Document, f: &mut impl FnMut(&mut Block)) {
    walk_block_list_mut(&mut doc.blocks, f);
    for footnote in &mut doc.footnotes {
        walk_block_list_mut(&mut footnote.blocks, f);
    }
}

fn walk_block_list_mut(blocks: &mut [Block], f: &mut impl FnMut(&mut Block)) {
    for block in blocks {
        f(block);
        for children in child_block_lists_mut(block) {
            walk_block_list_mut(children, f);
        }
    }
}

/// The block lists directly inside a block.
pub(crate) fn child_block_lists_mut(block: &mut Block) -> Vec<&mut Vec<Block>> {
    match block {
        Block::Quote(blocks) => vec![blocks],
        Block::List(list) => list.items.iter_mut().collect(),
        Block::Callout(c) => vec![&mut c.body],
        Block::Steps(s) => std::iter::once(&mut s.intro)
            .chain(s.steps.iter_mut().map(|step| &mut step.body))
            .collect(),
        Block::Details(d) => vec![&mut d.body],
        Block::Question(q) => vec![&mut q.answer],
        Block::Tabs(t) => t.tabs.iter_mut().map(|tab| &mut tab.body).collect(),
        Block::Tab(t) => vec![&mut t.body],
        Block::Paragraph(_)
        | Block::Plain(_)
        | Block::Heading(_)
        | Block::Code(_)
        | Block::Html(_)
        | Block::Table(_)
        | Block::Rule
        | Block::Fence(_) => Vec::new(),
    }
}

/// The block lists directly inside a block, to read.
pub(crate) fn child_block_lists(block: &Block) -> Vec<&Vec<Block>> {
    match block {
        Block::Quote(blocks) => vec![blocks],
        Block::List(list) => list.items.iter().collect(),
        Block::Callout(c) => vec![&c.body],
        Block::Steps(s) => std::iter::once(&s.intro)
            .chain(s.steps.iter().map(|step| &step.body))
            .collect(),
        Block::Details(d) => vec![&d.body],
        Block::Question(q) => vec![&q.answer],
        Block::Tabs(t) => t.tabs.iter().map(|tab| &tab.body).collect(),
        Block::Tab(t) => vec![&t.body],
        Block::Paragraph(_)
        | Block::Plain(_)
        | Block::Heading(_)
        | Block::Code(_)
        | Block::Html(_)
        | Block::Table(_)
        | Block::Rule
        | Block::Fence(_) => Vec::new(),
    }
}

/// The inline lists directly inside a block (not those of its child blocks).
pub(crate) fn own_inline_lists(block: &Block) -> Vec<&Vec<Inline>> {
    match block {
        Block::Paragraph(i) | Block::Plain(i) => vec![i],
        Block::Heading(h) => vec![&h.content],
        Block::Table(t) => t.head.iter().chain(t.rows.iter().flatten()).collect(),
        Block::Callout(c) => vec![&c.title],
        Block::Steps(s) => std::iter::once(&s.title)
            .chain(s.steps.iter().map(|st| &st.heading.content))
            .collect(),
        Block::Details(d) => vec![&d.summary],
        Block::Question(q) => vec![&q.prompt],
        Block::Tabs(t) => t.tabs.iter().map(|tab| &tab.label).collect(),
        Block::Tab(t) => vec![&t.label],
        Block::Fence(f) => vec![&f.title],
        Block::Quote(_) | Block::Code(_) | Block::Html(_) | Block::List(_) | Block::Rule => {
            Vec::new()
        }
    }
}

/// Calls `f` on every inline node of the document (the page heading and footnotes
/// included), outer nodes before the nodes inside them.
pub(crate) fn walk_inlines<'d>(doc: &'d Document, f: &mut impl FnMut(&'d Inline)) {
    if let Some(heading) = &doc.heading {
        walk_inline_list(&heading.content, f);
    }
    walk_block_inlines(&doc.blocks, f);
    for footnote in &doc.footnotes {
        walk_block_inlines(&footnote.blocks, f);
    }
}

/// Calls `f` on every inline node of `blocks` and the blocks inside them, in order, outer
/// nodes before the nodes inside them.
pub(crate) fn walk_block_inlines<'d>(list: &'d [Block], f: &mut impl FnMut(&'d Inline)) {
    for block in list {
        for inlines in own_inline_lists(block) {
            walk_inline_list(inlines, f);
        }
        for children in child_block_lists(block) {
            walk_block_inlines(children, f);
        }
    }
}

/// Calls `f` on every inline node of `inlines`, outer nodes before the nodes inside them.
pub(crate) fn walk_inline_list<'d>(inlines: &'d [Inline], f: &mut impl FnMut(&'d Inline)) {
    for inline in inlines {
        f(inline);
        match inline {
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => {
                walk_inline_list(c, f);
            }
            Inline::Link(l) | Inline::Image(l) => walk_inline_list(&l.content, f),
            _ => {}
        }
    }
}

/// Calls `f` on every heading, in document order, with whether it sits at the top level.
pub(crate) fn walk_headings_mut(doc: &mut Document, f: &mut impl FnMut(&mut Heading, bool)) {
    if let Some(heading) = &mut doc.heading {
        f(heading, false);
    }
    for block in &mut doc.blocks {
        visit_headings(block, true, f);
    }
    for footnote in &mut doc.footnotes {
        for block in &mut footnote.blocks {
            visit_headings(block, false, f);
        }
    }
}

fn visit_headings(block: &mut Block, top_level: bool, f: &mut impl FnMut(&mut Heading, bool)) {
    match block {
        Block::Heading(h) => f(h, top_level),
        Block::Steps(steps) => {
            for b in &mut steps.intro {
                visit_headings(b, false, f);
            }
            for step in &mut steps.steps {
                f(&mut step.heading, false);
                for b in &mut step.body {
                    visit_headings(b, false, f);
                }
            }
        }
        other => {
            for children in child_block_lists_mut(other) {
                for b in children {
                    visit_headings(b, false, f);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_flattens_markup() {
        let inlines = vec![
            Inline::Text("Use ".into()),
            Inline::Code("Arc".into()),
            Inline::Strong(vec![Inline::Text(" wisely".into())]),
            Inline::Html("<br>".into()),
        ];
        assert_eq!(plain_text(&inlines), "Use Arc wisely");
    }

    #[test]
    fn code_lang_is_first_word() {
        let block = CodeBlock {
            info: "rust,ignore title=x".into(),
            code: String::new(),
            offset: 0,
        };
        assert_eq!(block.lang(), Some("rust"));
    }
}
