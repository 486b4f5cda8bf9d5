//! The Markdown twin of a page: clean CommonMark that needs no knowledge of our dialect.
//!
//! Input: a page's tree (the same one the HTML came from, links resolved). Output: Markdown
//! where callouts are blockquotes opened by a bold label line, steps are a numbered list with
//! bold titles, questions are `**Question:**` then the answer, details and tabs are bold lines
//! followed by their content, and internal links point at the targets' twins.

use std::collections::HashMap;

use super::markdown_writer::{MdBlock, MdInline, write_blocks};
use crate::config::CalloutRegistry;
use crate::links::Target;
use crate::markdown::ast::{
    Block, Document, Footnote, Heading, Inline, Link, footnote_key, walk_block_inlines,
    walk_inline_list,
};
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
    let view = PageView::new(book, index, style);
    let lowering = Lowering::for_page(&view);
    let mut blocks = vec![MdBlock::Heading(1, lowering.title(&view))];
    blocks.extend(lowering.body(&view));
    format!(
        "{}\n\n{}",
        index_notice(book, &view.folder),
        finish(&blocks)
    )
}

/// The twin's first line: a quote pointing tools at the book's index, absolute when the
/// book has a base URL, else relative to the twin.
fn index_notice(book: &Book, twin_folder: &str) -> String {
    let index = super::index::LLMS_TXT;
    let href = match &book.config.book.base_url {
        Some(base) => urls::absolute(base, index),
        None => urls::relative(twin_folder, index),
    };
    format!(
        "> An index of every page of this guide, for LLM tools, is at [{index}]({href}): \
         read it first to find the other pages."
    )
}

/// The twin without its `# Title` line (llms-full.txt writes its own).
pub(crate) fn twin_body(book: &Book, index: usize, style: LinkStyle<'_>) -> String {
    let view = PageView::new(book, index, style);
    finish(&Lowering::for_page(&view).body(&view))
}

/// The twin of a bare document, outside any book: links stay as written (for tests that
/// check the writer against what the page means).
#[cfg(test)]
pub(crate) fn document_twin(
    doc: &crate::markdown::ast::Document,
    callouts: &crate::config::CalloutRegistry,
) -> String {
    let lowering = Lowering {
        callouts,
        page: None,
        source: None,
        notes: None,
    };
    let mut blocks = Vec::new();
    if let Some(heading) = &doc.heading {
        blocks.push(lowering.heading(heading));
    }
    blocks.extend(lowering.blocks(&doc.blocks));
    blocks.extend(lowering.footnotes(doc));
    finish(&blocks)
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
    let view = PageView::new(book, at, LinkStyle::Based(base));
    let lowering = Lowering::for_page(&view).for_source(source);
    write_blocks(&lowering.blocks(blocks))
}

fn finish(blocks: &[MdBlock]) -> String {
    let mut out = write_blocks(blocks);
    out.push('\n');
    out
}

/// The page a twin is written for, and where its links point from.
struct PageView<'a> {
    book: &'a Book,
    page: &'a Page,
    index: usize,
    style: LinkStyle<'a>,
    /// The twin's own folder, which relative links start from.
    folder: String,
}

impl<'a> PageView<'a> {
    fn new(book: &'a Book, index: usize, style: LinkStyle<'a>) -> Self {
        let page = &book.pages[index];
        Self {
            book,
            page,
            index,
            style,
            folder: twin_folder(&page.twin_path()),
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

/// Lowers our tree to standard Markdown blocks.
struct Lowering<'a> {
    callouts: &'a CalloutRegistry,
    /// The page being lowered; `None` for a bare document, whose links stay as written.
    page: Option<&'a PageView<'a>>,
    /// The page whose content is being lowered: the twin's own, or on a generated page the
    /// page a question or an index entry comes from (its links and numbers are that page's).
    source: Option<&'a Page>,
    /// For a question copied onto the practice page: the labels its footnotes are written
    /// with there.
    notes: Option<&'a NoteLabels<'a>>,
}

/// The footnotes a question copied onto the practice page references (in its prompt, its
/// answer, or those notes), each with a label unique on that page.
struct NoteLabels<'a> {
    /// By label as written (matched as footnote labels are): the label on the page.
    labels: HashMap<String, String>,
    /// The label on the page and the note, in the order they are first referenced.
    notes: Vec<(String, &'a Footnote)>,
}

impl<'a> NoteLabels<'a> {
    /// The notes of a question with `prompt` and `answer`, among its page's `footnotes`,
    /// labelled from `before + 1` on.
    fn of(prompt: &[Inline], answer: &[Block], footnotes: &'a [Footnote], before: usize) -> Self {
        let mut found = Self {
            labels: HashMap::new(),
            notes: Vec::new(),
        };
        let mut visit = |inline: &Inline, pending: &mut Vec<&'a Footnote>| {
            let Inline::FootnoteRef(label) = inline else {
                return;
            };
            let key = footnote_key(label);
            if found.labels.contains_key(&key) {
                return;
            }
            let Some(note) = footnotes.iter().find(|f| footnote_key(&f.label) == key) else {
                return;
            };
            let new = (before + found.notes.len() + 1).to_string();
            found.labels.insert(key, new.clone());
            found.notes.push((new, note));
            pending.push(note);
        };
        let mut pending = Vec::new();
        walk_inline_list(prompt, &mut |inline| visit(inline, &mut pending));
        walk_block_inlines(answer, &mut |inline| visit(inline, &mut pending));
        while let Some(note) = pending.pop() {
            let mut more = Vec::new();
            walk_block_inlines(&note.blocks, &mut |inline| visit(inline, &mut more));
            pending.extend(more);
        }
        found
    }
}

fn text(value: impl Into<String>) -> MdInline {
    Inline::Text(value.into())
}

fn strong(content: Vec<MdInline>) -> MdInline {
    Inline::Strong(content)
}

impl<'a> Lowering<'a> {
    fn for_page(view: &'a PageView<'a>) -> Self {
        Self {
            callouts: &view.book.config.callouts,
            page: Some(view),
            source: Some(view.page),
            notes: None,
        }
    }

    /// The same lowering, for content of page `source`.
    fn for_source(&self, source: usize) -> Self {
        Self {
            callouts: self.callouts,
            page: self.page,
            source: self.page.map(|view| &view.book.pages[source]),
            notes: self.notes,
        }
    }

    fn title(&self, view: &PageView<'_>) -> Vec<MdInline> {
        match &view.page.parsed.doc.heading {
            Some(heading) => self.inlines(&heading.content),
            None => vec![text(view.page.title.clone())],
        }
    }

    fn body(&self, view: &PageView<'_>) -> Vec<MdBlock> {
        let (book, page) = (view.book, view.page);
        let mut blocks = Vec::new();
        if let Some(description) = page.description(&book.config) {
            blocks.push(MdBlock::Quote(vec![MdBlock::Paragraph(vec![text(
                super::one_line(description),
            )])]));
        }
        let doc = &page.parsed.doc;
        blocks.extend(self.blocks(&doc.blocks));
        match page.kind {
            PageKind::Index => blocks.extend(self.index_entries(view)),
            PageKind::Practice => blocks.extend(self.practice(view)),
            _ => {}
        }
        if matches!(page.kind, PageKind::Home | PageKind::Part) && !page.children.is_empty() {
            if page.source.is_some() {
                blocks.push(MdBlock::Heading(2, vec![text("Contents")]));
            }
            blocks.push(contents(view, &page.children));
        }
        blocks.extend(self.footnotes(doc));
        blocks
    }

    /// An index page: one item per entry, the term in bold, its first sentence, then a link
    /// back labelled with its chapter.
    fn index_entries(&self, view: &PageView<'_>) -> Vec<MdBlock> {
        let book = view.book;
        let Some(list) = book.study.index_of(view.index) else {
            return Vec::new();
        };
        let items: Vec<Vec<MdBlock>> = list
            .entries
            .iter()
            .map(|entry| {
                let source = self.for_source(entry.page);
                let mut term = Vec::new();
                if let Some((label, number)) = &entry.number {
                    term.push(text(format!("{label} {number}")));
                    if entry.titled {
                        term.push(text(" — "));
                    }
                }
                if entry.number.is_none() || entry.titled {
                    term.extend(source.inlines(&without_footnote_refs(&entry.title)));
                }
                let mut line = vec![strong(term)];
                let sentence = entry.sentence(&book.pages[entry.page].links);
                if !sentence.is_empty() {
                    line.push(text(format!(": {sentence}")));
                }
                line.push(text(" ("));
                line.push(link_to(
                    view,
                    entry.page,
                    Some(&entry.id),
                    &book.pages[entry.page].title,
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
    fn practice(&self, view: &PageView<'_>) -> Vec<MdBlock> {
        let book = view.book;
        let mut blocks = Vec::new();
        let mut labels = 0;
        for group in book.study.question_groups(|page| book.part_of(page)) {
            if let Some(part) = group.part {
                let title = &book.pages[part].title;
                blocks.push(MdBlock::Heading(2, vec![text(title.clone())]));
            }
            let level = if group.part.is_some() { 3 } else { 2 };
            for (page, questions) in group.pages {
                let title = &book.pages[page].title;
                blocks.push(MdBlock::Heading(
                    level,
                    vec![link_to(view, page, None, title)],
                ));
                let footnotes = &book.pages[page].parsed.doc.footnotes;
                for question in questions {
                    // Answers from every chapter share one page: each question's notes get
                    // labels of their own and follow its answer.
                    let notes =
                        NoteLabels::of(&question.prompt, &question.answer, footnotes, labels);
                    labels += notes.notes.len();
                    let source = Lowering {
                        notes: Some(&notes),
                        ..self.for_source(page)
                    };
                    let mut line = vec![strong(vec![text("Question:")]), text(" ")];
                    line.extend(source.inlines(&question.prompt));
                    line.push(text(" ("));
                    line.push(link_to(view, page, Some(&question.id), "in context"));
                    line.push(text(")"));
                    blocks.push(MdBlock::Paragraph(line));
                    blocks.push(MdBlock::Paragraph(vec![strong(vec![text("Answer:")])]));
                    blocks.extend(source.blocks(&question.answer));
                    for (label, footnote) in &notes.notes {
                        blocks.push(MdBlock::Footnote(
                            label.clone(),
                            source.blocks(&footnote.blocks),
                        ));
                    }
                }
            }
        }
        blocks
    }

    fn footnotes(&self, doc: &Document) -> Vec<MdBlock> {
        doc.footnotes
            .iter()
            .map(|footnote| {
                MdBlock::Footnote(footnote.label.clone(), self.blocks(&footnote.blocks))
            })
            .collect()
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
                // Only a loose list holds paragraphs (a tight item's text is `Plain`),
                // whatever its items start with.
                let tight = !list
                    .items
                    .iter()
                    .flatten()
                    .any(|block| matches!(block, Block::Paragraph(_)));
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
                let label = callout.label(self.callouts);
                let number = self
                    .source
                    .and_then(|page| page.numbers.get(&callout.id.value));
                let mut line = vec![text(match number {
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
            Inline::FootnoteRef(label) => Inline::FootnoteRef(
                self.notes
                    .and_then(|notes| notes.labels.get(&footnote_key(label)))
                    .unwrap_or(label)
                    .clone(),
            ),
            other => other.clone(),
        }
    }

    /// A link of the page with the destination and text the links stage found for it.
    fn relink(&self, link: &Link) -> Link {
        let (Some(view), Some(source)) = (self.page, self.source) else {
            return Link {
                content: self.inlines(&link.content),
                ..link.clone()
            };
        };
        let resolution = source.links.get(link);
        let dest = match resolution.and_then(|r| r.target.as_ref()) {
            Some(Target::Page { page, fragment, .. }) => {
                urls::with_query_of(view.page_href(*page, fragment.as_deref()), &link.dest)
            }
            Some(Target::File(path)) => view.site_href(path),
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
}

/// A copy of inline content without its footnote references: a term on an index page,
/// where the notes are not.
fn without_footnote_refs(inlines: &[Inline]) -> Vec<Inline> {
    inlines
        .iter()
        .filter(|inline| !matches!(inline, Inline::FootnoteRef(_)))
        .map(|inline| match inline {
            Inline::Emphasis(c) => Inline::Emphasis(without_footnote_refs(c)),
            Inline::Strong(c) => Inline::Strong(without_footnote_refs(c)),
            Inline::Strikethrough(c) => Inline::Strikethrough(without_footnote_refs(c)),
            Inline::Link(link) => Inline::Link(Link {
                content: without_footnote_refs(&link.content),
                ..link.clone()
            }),
            other => other.clone(),
        })
        .collect()
}

/// A link to page `page` (at `id`) with the text `label`.
fn link_to(view: &PageView<'_>, page: usize, id: Option<&str>, label: &str) -> MdInline {
    Inline::Link(Link {
        dest: view.page_href(page, id),
        title: String::new(),
        content: vec![text(label.to_string())],
        autolink: false,
        span: 0..0,
    })
}

/// A list of links to the entries of a part or of the whole book.
fn contents(view: &PageView<'_>, entries: &[usize]) -> MdBlock {
    let items = entries
        .iter()
        .map(|&entry| {
            let target = &view.book.pages[entry];
            let mut line = vec![Inline::Link(Link {
                dest: view.page_href(entry, None),
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
                item.push(contents(view, &target.children));
            }
            item
        })
        .collect();
    MdBlock::List(None, true, items)
}

/// The folder of a twin: `apis/rest.md` → `apis/`, `index.md` → ``.
fn twin_folder(twin: &str) -> String {
    match twin.rfind('/') {
        Some(i) => twin[..=i].to_string(),
        None => String::new(),
    }
}
