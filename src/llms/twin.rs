//! The Markdown twin of a page: clean CommonMark that needs no knowledge of our dialect.
//!
//! Input: a page's tree (the same one the HTML came from, links resolved). Output: Markdown
//! where callouts are blockquotes opened by a bold label line, steps are a numbered list with
//! bold titles, questions are `**Question:**` then the answer, details and tabs are bold lines
//! followed by their content, and internal links point at the targets' twins.

use super::markdown_writer::{MdBlock, MdInline, write_blocks};
use crate::links::Target;
use crate::markdown::ast::{Block, Heading, Inline, Link};
use crate::model::{Book, Page, PageKind};
use crate::urls;

/// How links between twins are written.
#[derive(Debug, Clone, Copy)]
pub(crate) enum LinkStyle<'a> {
    /// Relative to the twin's own folder (for the `.md` files next to the pages).
    Relative,
    /// Prefixed with a base: the book's base URL, or `/` (for llms-full.txt).
    Based(&'a str),
}

/// The twin of page `index`.
pub(crate) fn twin(book: &Book, index: usize, style: LinkStyle<'_>) -> String {
    let lowering = Lowering::new(book, index, style);
    let mut blocks = vec![MdBlock::Heading(1, lowering.title())];
    blocks.extend(lowering.body());
    finish(&blocks)
}

/// The twin without its `# Title` line (llms-full.txt writes its own).
pub(crate) fn twin_body(book: &Book, index: usize, style: LinkStyle<'_>) -> String {
    finish(&Lowering::new(book, index, style).body())
}

/// Blocks of page `source` as Markdown written for the generated page `at`, links starting
/// from `base` (an answer in `questions.json`).
pub(crate) fn blocks_markdown(
    book: &Book,
    at: usize,
    source: usize,
    blocks: &[Block],
    base: &str,
) -> String {
    let lowering = Lowering::new(book, at, LinkStyle::Based(base)).lowering_page(source);
    write_blocks(&lowering.blocks(blocks))
}

fn finish(blocks: &[MdBlock]) -> String {
    let mut out = write_blocks(blocks);
    out.push('\n');
    out
}

struct Lowering<'a> {
    book: &'a Book,
    page: &'a Page,
    index: usize,
    style: LinkStyle<'a>,
    /// The twin's own folder, which relative links start from.
    folder: String,
    /// The page whose content is being lowered: the twin's own, or on a generated page the
    /// page a question comes from (its links and numbers are that page's).
    source: &'a Page,
}

fn text(value: impl Into<String>) -> MdInline {
    Inline::Text(value.into())
}

fn strong(content: Vec<MdInline>) -> MdInline {
    Inline::Strong(content)
}

impl<'a> Lowering<'a> {
    fn new(book: &'a Book, index: usize, style: LinkStyle<'a>) -> Self {
        let page = &book.pages[index];
        Self {
            book,
            page,
            index,
            style,
            folder: twin_folder(&page.twin_path()),
            source: page,
        }
    }

    /// The same twin, lowering content of page `source`.
    fn lowering_page(&self, source: usize) -> Self {
        Self {
            book: self.book,
            page: self.page,
            index: self.index,
            style: self.style,
            folder: self.folder.clone(),
            source: &self.book.pages[source],
        }
    }

    fn title(&self) -> Vec<MdInline> {
        match &self.page.parsed.doc.heading {
            Some(heading) => self.inlines(&heading.content),
            None => vec![text(self.page.title.clone())],
        }
    }

    fn body(&self) -> Vec<MdBlock> {
        let mut blocks = Vec::new();
        if let Some(description) = self.page.description(&self.book.config) {
            blocks.push(MdBlock::Quote(vec![MdBlock::Paragraph(vec![text(
                super::one_line(description),
            )])]));
        }
        let doc = &self.page.parsed.doc;
        blocks.extend(self.blocks(&doc.blocks));
        match self.page.kind {
            PageKind::Index => blocks.extend(self.index_entries()),
            PageKind::Practice => blocks.extend(self.practice()),
            _ => {}
        }
        if matches!(self.page.kind, PageKind::Home | PageKind::Part)
            && !self.page.children.is_empty()
        {
            if self.page.source.is_some() {
                blocks.push(MdBlock::Heading(2, vec![text("Contents")]));
            }
            blocks.push(self.contents(&self.page.children));
        }
        for footnote in &doc.footnotes {
            blocks.push(MdBlock::Footnote(
                footnote.label.clone(),
                self.blocks(&footnote.blocks),
            ));
        }
        blocks
    }

    /// An index page: one item per entry, the term in bold, its first sentence, then a link
    /// back labelled with its chapter.
    fn index_entries(&self) -> Vec<MdBlock> {
        let Some(list) = self.book.study.index_of(self.index) else {
            return Vec::new();
        };
        let items: Vec<Vec<MdBlock>> = list
            .entries
            .iter()
            .map(|entry| {
                let source = self.lowering_page(entry.page);
                let mut line = vec![strong(source.inlines(&entry.title))];
                if !entry.sentence.is_empty() {
                    line.push(text(format!(": {}", entry.sentence)));
                }
                line.push(text(" ("));
                line.push(self.link_to(
                    entry.page,
                    Some(&entry.id),
                    &self.book.pages[entry.page].title,
                ));
                line.push(text(")"));
                vec![MdBlock::Plain(line)]
            })
            .collect();
        if items.is_empty() {
            return Vec::new();
        }
        vec![MdBlock::List(None, true, items)]
    }

    /// The practice page: a `##` per part, a `###` per chapter (a `##` outside parts) linking
    /// to it, then each question and its answer.
    fn practice(&self) -> Vec<MdBlock> {
        let mut blocks = Vec::new();
        for group in self
            .book
            .study
            .question_groups(|page| self.book.part_of(page))
        {
            if let Some(part) = group.part {
                let title = &self.book.pages[part].title;
                blocks.push(MdBlock::Heading(2, vec![text(title.clone())]));
            }
            let level = if group.part.is_some() { 3 } else { 2 };
            for (page, questions) in group.pages {
                let title = &self.book.pages[page].title;
                blocks.push(MdBlock::Heading(
                    level,
                    vec![self.link_to(page, None, title)],
                ));
                let source = self.lowering_page(page);
                for question in questions {
                    let mut line = vec![strong(vec![text("Question:")]), text(" ")];
                    line.extend(source.inlines(&question.prompt));
                    line.push(text(" ("));
                    line.push(self.link_to(page, Some(&question.id), "in context"));
                    line.push(text(")"));
                    blocks.push(MdBlock::Paragraph(line));
                    blocks.push(MdBlock::Paragraph(vec![strong(vec![text("Answer:")])]));
                    blocks.extend(source.blocks(&question.answer));
                }
            }
        }
        blocks
    }

    /// A link to page `page` (at `id`) with the text `label`.
    fn link_to(&self, page: usize, id: Option<&str>, label: &str) -> MdInline {
        Inline::Link(Link {
            dest: self.page_href(page, id),
            title: String::new(),
            content: vec![text(label.to_string())],
            autolink: false,
            span: 0..0,
        })
    }

    /// A list of links to the entries of a part or of the whole book.
    fn contents(&self, entries: &[usize]) -> MdBlock {
        let items = entries
            .iter()
            .map(|&entry| {
                let target = &self.book.pages[entry];
                let mut line = vec![Inline::Link(Link {
                    dest: self.page_href(entry, None),
                    title: String::new(),
                    content: vec![text(target.title.clone())],
                    autolink: false,
                    span: 0..0,
                })];
                if let Some(description) = &target.front.description {
                    line.push(text(format!(": {}", super::one_line(description))));
                }
                let mut item = vec![MdBlock::Plain(line)];
                if !target.children.is_empty() {
                    item.push(self.contents(&target.children));
                }
                item
            })
            .collect();
        MdBlock::List(None, true, items)
    }

    fn blocks(&self, blocks: &[Block]) -> Vec<MdBlock> {
        let mut out = Vec::with_capacity(blocks.len());
        for block in blocks {
            self.block(block, &mut out);
        }
        out
    }

    /// Lowers one block, appending to `out` (some constructs become several blocks).
    fn block(&self, block: &Block, out: &mut Vec<MdBlock>) {
        match block {
            Block::Paragraph(inlines) => out.push(MdBlock::Paragraph(self.inlines(inlines))),
            Block::Plain(inlines) => out.push(MdBlock::Plain(self.inlines(inlines))),
            Block::Heading(heading) => out.push(self.heading(heading)),
            Block::Quote(blocks) => out.push(MdBlock::Quote(self.blocks(blocks))),
            Block::Code(code) => out.push(MdBlock::Code(code.info.clone(), code.code.clone())),
            Block::Html(html) => out.push(MdBlock::Html(html.clone())),
            Block::List(list) => {
                let tight = list
                    .items
                    .iter()
                    .all(|item| !matches!(item.first(), Some(Block::Paragraph(_))));
                let items = list.items.iter().map(|item| self.blocks(item)).collect();
                out.push(MdBlock::List(list.start, tight, items));
            }
            Block::Table(table) => out.push(MdBlock::Table(
                table.align.clone(),
                table.head.iter().map(|c| self.inlines(c)).collect(),
                table
                    .rows
                    .iter()
                    .map(|row| row.iter().map(|c| self.inlines(c)).collect())
                    .collect(),
            )),
            Block::Rule => out.push(MdBlock::Rule),
            Block::Callout(callout) => {
                let label = callout.label(&self.book.config.callouts);
                let mut line = vec![text(match self.source.numbers.get(&callout.id.value) {
                    Some(number) => format!("{label} {number}"),
                    None => label.to_string(),
                })];
                if !callout.title.is_empty() {
                    line.push(text(" — "));
                    line.extend(self.inlines(&callout.title));
                }
                let mut inner = vec![MdBlock::Paragraph(vec![strong(line)])];
                inner.extend(self.blocks(&callout.body));
                out.push(MdBlock::Quote(inner));
            }
            Block::Steps(steps) => {
                if !steps.title.is_empty() {
                    out.push(MdBlock::Paragraph(vec![strong(self.inlines(&steps.title))]));
                }
                out.extend(self.blocks(&steps.intro));
                let items = steps
                    .steps
                    .iter()
                    .map(|step| {
                        let mut item = vec![MdBlock::Paragraph(vec![strong(
                            self.inlines(&step.heading.content),
                        )])];
                        item.extend(self.blocks(&step.body));
                        item
                    })
                    .collect();
                out.push(MdBlock::List(Some(1), false, items));
            }
            Block::Details(details) => {
                let summary = if details.summary.is_empty() {
                    vec![text("Details")]
                } else {
                    self.inlines(&details.summary)
                };
                out.push(MdBlock::Paragraph(vec![strong(summary)]));
                out.extend(self.blocks(&details.body));
            }
            Block::Question(question) => {
                let mut line = vec![strong(vec![text("Question:")]), text(" ")];
                line.extend(self.inlines(&question.prompt));
                out.push(MdBlock::Paragraph(line));
                out.extend(self.blocks(&question.answer));
            }
            Block::Tabs(tabs) => {
                for tab in &tabs.tabs {
                    out.push(MdBlock::Paragraph(vec![strong(self.inlines(&tab.label))]));
                    out.extend(self.blocks(&tab.body));
                }
            }
            Block::Tab(tab) => {
                out.push(MdBlock::Paragraph(vec![strong(self.inlines(&tab.label))]));
                out.extend(self.blocks(&tab.body));
            }
            Block::Fence(_) => {}
        }
    }

    fn heading(&self, heading: &Heading) -> MdBlock {
        let mut content = Vec::new();
        if let Some(number) = &heading.number {
            content.push(text(format!("{number} ")));
        }
        content.extend(self.inlines(&heading.content));
        MdBlock::Heading(heading.level, content)
    }

    /// Inline content with every internal link pointing at its target's twin.
    fn inlines(&self, inlines: &[Inline]) -> Vec<MdInline> {
        inlines.iter().map(|inline| self.inline(inline)).collect()
    }

    fn inline(&self, inline: &Inline) -> MdInline {
        match inline {
            Inline::Emphasis(c) => Inline::Emphasis(self.inlines(c)),
            Inline::Strong(c) => Inline::Strong(self.inlines(c)),
            Inline::Strikethrough(c) => Inline::Strikethrough(self.inlines(c)),
            Inline::Link(link) => Inline::Link(self.relink(link)),
            Inline::Image(image) => Inline::Image(self.relink(image)),
            other => other.clone(),
        }
    }

    /// A link of the page with the destination and text the links stage found for it.
    fn relink(&self, link: &Link) -> Link {
        let resolution = self.source.links.get(link);
        let dest = match resolution.and_then(|r| r.target.as_ref()) {
            Some(Target::Page { page, fragment, .. }) => {
                urls::with_query_of(self.page_href(*page, fragment.as_deref()), &link.dest)
            }
            Some(Target::File(path)) => self.site_href(path),
            None => link.dest.clone(),
        };
        let content = match resolution.and_then(|r| r.fill.as_ref()) {
            // Copied from another page: kept as it is (it holds no links).
            Some(fill) => fill.clone(),
            None => self.inlines(&link.content),
        };
        Link {
            dest,
            content,
            ..link.clone()
        }
    }

    fn page_href(&self, index: usize, fragment: Option<&str>) -> String {
        let fragment = fragment.map(|f| format!("#{}", urls::encode_fragment(f)));
        if let (true, LinkStyle::Relative, Some(fragment)) =
            (index == self.index, self.style, &fragment)
        {
            return fragment.clone();
        }
        let path = self.book.pages[index].twin_path();
        format!("{}{}", self.site_href(&path), fragment.unwrap_or_default())
    }

    fn site_href(&self, path: &str) -> String {
        let linker = match self.style {
            LinkStyle::Relative => urls::Linker::From(&self.folder),
            LinkStyle::Based(base) => urls::Linker::Base(base),
        };
        linker.href(path)
    }
}

/// The folder of a twin: `apis/rest.md` → `apis/`, `index.md` → ``.
fn twin_folder(twin: &str) -> String {
    match twin.rfind('/') {
        Some(i) => twin[..=i].to_string(),
        None => String::new(),
    }
}
