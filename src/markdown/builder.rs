//! Builds the owned tree from pulldown-cmark's events: the one parse of each page.
//!
//! Input: the prepared body (see [`super::fences`]). Output: a [`Document`] whose block lists
//! have been handed to the directive assembler as they closed, so fences are already
//! containers, plus the fence lines that did not come out as paragraphs of their own (they sat
//! inside raw HTML or indented code, and the caller prepares the body again without them).

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options,
    Parser, Tag, TagEnd,
};

use super::ast::{
    Align, Block, CodeBlock, Document, FenceMarker, Footnote, Heading, Inline, Link, List, Table,
};
use super::directives::Assembler;
use super::fences::{Prepared, looks_like_fence};

/// The Markdown extensions of the dialect: GitHub tables, footnotes, strikethrough, task
/// lists, heading attributes and alerts. Math and definition lists stay off (`$45/month`
/// stays text, and a closing `:::` is never read as a definition).
pub(super) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// How deep quotes, lists and emphasis may nest: deeper structure is kept as text of the
/// level above, with an error (every later stage walks the tree recursively).
const MAX_DEPTH: usize = 64;

/// The result of one parse.
pub(super) struct Built {
    /// The tree.
    pub doc: Document,
    /// Indices of fence lines that were not paragraphs of their own.
    pub unseen_fences: Vec<usize>,
    /// Line starts (body offsets) of paragraphs that read as fence lines but were not
    /// prepared as such (the scan thought they were code).
    pub missed_fences: Vec<usize>,
}

enum Container {
    Document,
    Quote(Option<BlockQuoteKind>, usize),
    Item,
    Footnote(String),
}

enum InlineKind {
    Paragraph { fence: Option<usize> },
    Heading(Heading),
    Emphasis,
    Strong,
    Strikethrough,
    Link(Link),
    Image(Link),
    Cell,
}

enum Frame {
    Blocks {
        container: Container,
        blocks: Vec<Block>,
        /// Text of a tight list item, which comes without paragraph events.
        plain: Vec<Inline>,
    },
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Inlines {
        kind: InlineKind,
        inlines: Vec<Inline>,
    },
    Table {
        table: Table,
        row: Vec<Vec<Inline>>,
    },
    Code(CodeBlock),
    Html(String),
}

struct Builder<'a, 'b> {
    prepared: &'a Prepared<'a>,
    body_offset: usize,
    assembler: &'a mut Assembler<'b>,
    stack: Vec<Frame>,
    footnotes: Vec<Footnote>,
    seen: Vec<bool>,
    /// Containers opened past `MAX_DEPTH` and not yet closed.
    skipped: usize,
    /// Fence-like paragraphs the scan missed (body line starts).
    missed: Vec<usize>,
}

/// Parses the prepared body once and builds the tree.
pub(super) fn build(
    prepared: &Prepared,
    body_offset: usize,
    assembler: &mut Assembler<'_>,
) -> Built {
    let mut builder = Builder {
        prepared,
        body_offset,
        assembler,
        stack: vec![Frame::Blocks {
            container: Container::Document,
            blocks: Vec::new(),
            plain: Vec::new(),
        }],
        footnotes: Vec::new(),
        seen: vec![false; prepared.fences.len()],
        skipped: 0,
        missed: Vec::new(),
    };
    for (event, range) in Parser::new_ext(&prepared.text, options()).into_offset_iter() {
        builder.event(event, range);
    }
    let blocks = match builder.stack.pop() {
        Some(Frame::Blocks { blocks, plain, .. }) => {
            let blocks = flush_plain(blocks, plain);
            builder.assembler.group(blocks)
        }
        _ => Vec::new(),
    };
    let unseen_fences = builder
        .seen
        .iter()
        .enumerate()
        .filter(|(_, seen)| !**seen)
        .map(|(i, _)| i)
        .collect();
    Built {
        doc: Document {
            blocks,
            footnotes: builder.footnotes,
            ..Document::default()
        },
        unseen_fences,
        missed_fences: builder.missed,
    }
}

fn flush_plain(mut blocks: Vec<Block>, plain: Vec<Inline>) -> Vec<Block> {
    if !plain.is_empty() {
        blocks.push(Block::Plain(plain));
    }
    blocks
}

impl Builder<'_, '_> {
    /// Offset in the page file of an offset in the prepared text.
    fn file_offset(&self, prepared: usize) -> usize {
        self.body_offset + self.prepared.to_original(prepared)
    }

    fn event(&mut self, event: Event<'_>, range: std::ops::Range<usize>) {
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag, range),
            Event::Text(text) => self.text(text, range),
            Event::Code(code) => self.inline(Inline::Code(code.into_string())),
            Event::Html(html) => match self.stack.last_mut() {
                Some(Frame::Html(buffer)) => buffer.push_str(&html),
                _ => self.block(Block::Html(html.into_string())),
            },
            Event::InlineHtml(html) => self.inline(Inline::Html(html.into_string())),
            Event::FootnoteReference(label) => {
                self.inline(Inline::FootnoteRef(label.into_string()))
            }
            Event::SoftBreak => self.inline(Inline::SoftBreak),
            Event::HardBreak => self.inline(Inline::HardBreak),
            Event::Rule => self.block(Block::Rule),
            Event::TaskListMarker(checked) => self.inline(Inline::TaskMarker(checked)),
            // Math is not enabled: these never arrive.
            Event::InlineMath(text) | Event::DisplayMath(text) => {
                self.inline(Inline::Text(text.into_string()));
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: std::ops::Range<usize>) {
        let opens_frame = !matches!(
            tag,
            Tag::TableHead
                | Tag::TableRow
                | Tag::DefinitionList
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition
                | Tag::Superscript
                | Tag::Subscript
                | Tag::MetadataBlock(_)
        );
        if opens_frame && (self.skipped > 0 || self.stack.len() > MAX_DEPTH) {
            if self.skipped == 0 {
                self.too_deep(range.start);
            }
            self.skipped += 1;
            return;
        }
        let frame = match tag {
            Tag::Paragraph => {
                let fence = self.prepared.fence_starting_at(range.start);
                if fence.is_none() {
                    self.check_missed_fence(range.start);
                }
                Frame::Inlines {
                    kind: InlineKind::Paragraph { fence },
                    inlines: Vec::new(),
                }
            }
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => Frame::Inlines {
                kind: InlineKind::Heading(Heading {
                    level: heading_level(level),
                    custom_id: id.is_some(),
                    id: id.map(CowStr::into_string).unwrap_or_default(),
                    classes: classes.into_iter().map(CowStr::into_string).collect(),
                    attrs: attrs
                        .into_iter()
                        .map(|(k, v)| (k.into_string(), v.map(CowStr::into_string)))
                        .collect(),
                    content: Vec::new(),
                    number: None,
                    offset: self.file_offset(range.start),
                }),
                inlines: Vec::new(),
            },
            Tag::BlockQuote(kind) => Frame::Blocks {
                container: Container::Quote(kind, self.file_offset(range.start)),
                blocks: Vec::new(),
                plain: Vec::new(),
            },
            Tag::CodeBlock(kind) => Frame::Code(CodeBlock {
                info: match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_string(),
                    CodeBlockKind::Indented => String::new(),
                },
                code: String::new(),
                offset: self.file_offset(range.start),
            }),
            Tag::HtmlBlock => Frame::Html(String::new()),
            Tag::List(start) => Frame::List {
                start,
                items: Vec::new(),
            },
            Tag::Item => Frame::Blocks {
                container: Container::Item,
                blocks: Vec::new(),
                plain: Vec::new(),
            },
            Tag::FootnoteDefinition(label) => Frame::Blocks {
                container: Container::Footnote(label.into_string()),
                blocks: Vec::new(),
                plain: Vec::new(),
            },
            Tag::Table(align) => Frame::Table {
                table: Table {
                    align: align.into_iter().map(alignment).collect(),
                    head: Vec::new(),
                    rows: Vec::new(),
                },
                row: Vec::new(),
            },
            Tag::TableHead | Tag::TableRow => return,
            Tag::TableCell => Frame::Inlines {
                kind: InlineKind::Cell,
                inlines: Vec::new(),
            },
            Tag::Emphasis => self.inline_frame(InlineKind::Emphasis),
            Tag::Strong => self.inline_frame(InlineKind::Strong),
            Tag::Strikethrough => self.inline_frame(InlineKind::Strikethrough),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => self.inline_frame(InlineKind::Link(
                self.link(link_type, dest_url, title, &range),
            )),
            Tag::Image {
                link_type,
                dest_url,
                title,
                ..
            } => self.inline_frame(InlineKind::Image(
                self.link(link_type, dest_url, title, &range),
            )),
            // Not enabled in `options()`: treat any such container as plain emphasis-free text.
            Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => return,
        };
        self.stack.push(frame);
    }

    /// Notes a paragraph that starts with what reads as a fence line.
    fn check_missed_fence(&mut self, prepared: usize) {
        let text = &self.prepared.text[prepared..];
        let line = text.split('\n').next().unwrap_or("").trim_end_matches('\r');
        if looks_like_fence(line) {
            let original = self.prepared.to_original(prepared);
            let body = self.prepared.original_body();
            let line_start = body[..original].rfind('\n').map_or(0, |i| i + 1);
            self.missed.push(line_start);
        }
    }

    fn too_deep(&mut self, prepared: usize) {
        let at = self.file_offset(prepared);
        self.assembler.nested_too_deep(
            at,
            format!(
                "quotes, lists and emphasis are nested more than {MAX_DEPTH} levels deep here (a list counts two: the list and its item)"
            ),
        );
    }

    fn inline_frame(&self, kind: InlineKind) -> Frame {
        Frame::Inlines {
            kind,
            inlines: Vec::new(),
        }
    }

    fn link(
        &self,
        link_type: LinkType,
        dest: CowStr<'_>,
        title: CowStr<'_>,
        range: &std::ops::Range<usize>,
    ) -> Link {
        let dest = match link_type {
            LinkType::Email => format!("mailto:{dest}"),
            _ => dest.into_string(),
        };
        Link {
            dest,
            title: title.into_string(),
            content: Vec::new(),
            autolink: matches!(link_type, LinkType::Autolink | LinkType::Email),
            span: self.file_offset(range.start)..self.file_offset(range.end),
        }
    }

    fn end(&mut self, tag: TagEnd, range: std::ops::Range<usize>) {
        match tag {
            TagEnd::TableHead => {
                if let Some(Frame::Table { table, row }) = self.stack.last_mut() {
                    table.head = std::mem::take(row);
                }
                return;
            }
            TagEnd::TableRow => {
                if let Some(Frame::Table { table, row }) = self.stack.last_mut() {
                    table.rows.push(std::mem::take(row));
                }
                return;
            }
            TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::MetadataBlock(_) => return,
            _ => {}
        }
        if self.skipped > 0 {
            self.skipped -= 1;
            return;
        }
        let Some(frame) = self.stack.pop() else {
            return;
        };
        match frame {
            Frame::Blocks {
                container,
                blocks,
                plain,
            } => {
                let blocks = self.assembler.group(flush_plain(blocks, plain));
                match container {
                    Container::Quote(None, _) => self.block(Block::Quote(blocks)),
                    Container::Quote(Some(kind), offset) => {
                        let callout = self.assembler.alert(kind, blocks, offset);
                        self.block(callout);
                    }
                    Container::Item => {
                        if let Some(Frame::List { items, .. }) = self.stack.last_mut() {
                            items.push(blocks);
                        }
                    }
                    Container::Footnote(label) => self.footnotes.push(Footnote { label, blocks }),
                    Container::Document => {}
                }
            }
            Frame::List { start, items } => self.block(Block::List(List { start, items })),
            Frame::Inlines { kind, inlines } => self.end_inlines(kind, inlines, range),
            Frame::Table { table, .. } => self.block(Block::Table(table)),
            Frame::Code(code) => self.block(Block::Code(code)),
            Frame::Html(html) => self.block(Block::Html(html)),
        }
    }

    fn end_inlines(
        &mut self,
        kind: InlineKind,
        inlines: Vec<Inline>,
        range: std::ops::Range<usize>,
    ) {
        match kind {
            InlineKind::Paragraph { fence: Some(fence) } => {
                self.seen[fence] = true;
                self.block(Block::Fence(FenceMarker {
                    fence,
                    title: trim_end(inlines),
                }));
            }
            InlineKind::Paragraph { fence: None } => self.block(Block::Paragraph(inlines)),
            InlineKind::Heading(mut heading) => {
                heading.content = trim_end(inlines);
                self.block(Block::Heading(heading));
            }
            InlineKind::Emphasis => self.inline(Inline::Emphasis(inlines)),
            InlineKind::Strong => self.inline(Inline::Strong(inlines)),
            InlineKind::Strikethrough => self.inline(Inline::Strikethrough(inlines)),
            InlineKind::Link(mut link) => {
                link.content = inlines;
                link.span.end = self.file_offset(range.end);
                self.inline(Inline::Link(link));
            }
            InlineKind::Image(mut link) => {
                link.content = inlines;
                link.span.end = self.file_offset(range.end);
                self.inline(Inline::Image(link));
            }
            InlineKind::Cell => {
                if let Some(Frame::Table { row, .. }) = self.stack.last_mut() {
                    row.push(inlines);
                }
            }
        }
    }

    fn text(&mut self, text: CowStr<'_>, range: std::ops::Range<usize>) {
        match self.stack.last_mut() {
            Some(Frame::Code(code)) => code.code.push_str(&text),
            Some(Frame::Html(html)) => html.push_str(&text),
            Some(Frame::Inlines {
                kind: InlineKind::Paragraph { fence: Some(fence) },
                ..
            }) => {
                // Keep only the title: drop the colons and the kind.
                let title_start = self.prepared.fences[*fence].prepared_title_start;
                if range.end <= title_start {
                    return;
                }
                let text = if range.start < title_start {
                    text.get(title_start - range.start..)
                        .unwrap_or("")
                        .to_string()
                } else {
                    text.into_string()
                };
                if !text.is_empty() {
                    self.inline(Inline::Text(text));
                }
            }
            _ => self.inline(Inline::Text(text.into_string())),
        }
    }

    fn inline(&mut self, inline: Inline) {
        match self.stack.last_mut() {
            Some(Frame::Inlines { inlines, .. }) => inlines.push(inline),
            Some(Frame::Blocks { plain, .. }) => plain.push(inline),
            _ => {}
        }
    }

    fn block(&mut self, block: Block) {
        if let Some(Frame::Blocks { blocks, plain, .. }) = self.stack.last_mut() {
            if !plain.is_empty() {
                blocks.push(Block::Plain(std::mem::take(plain)));
            }
            blocks.push(block);
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn alignment(align: Alignment) -> Align {
    match align {
        Alignment::None => Align::None,
        Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

/// Drops trailing whitespace from the last text node.
fn trim_end(mut inlines: Vec<Inline>) -> Vec<Inline> {
    while let Some(Inline::Text(text)) = inlines.last_mut() {
        let trimmed = text.trim_end().len();
        if trimmed == 0 {
            inlines.pop();
        } else {
            text.truncate(trimmed);
            break;
        }
    }
    inlines
}
