//! The Markdown stage: one parse of each page body into the owned tree, dialect included.
//!
//! Input: a page's text, where its body starts, and the book's callout kinds. Output: a
//! [`Parsed`] page (the tree with directive containers assembled, heading ids and numbers,
//! the page's anchors) and the diagnostics found on the way.
//!
//! The stage is a short pipeline of small passes: [`fences`] finds directive fence lines,
//! [`builder`] runs pulldown-cmark once and builds the tree, handing each block list to
//! [`directives`] as it closes, and [`headings`] assigns ids and numbers.

pub(crate) mod ast;
mod builder;
pub(crate) mod directives;
mod fences;
pub(crate) mod headings;

use std::path::Path;
use std::sync::Arc;

use ast::{Block, Document};
use directives::{Assembler, SourceRef};
use headings::Anchor;

use crate::config::CalloutRegistry;
use crate::diagnostics::Diagnostic;

/// What the Markdown stage needs to know about a page.
pub(crate) struct ParseInput<'a> {
    /// The file, relative to the book (for diagnostics).
    pub file: &'a Path,
    /// The whole file.
    pub text: &'a Arc<str>,
    /// Where the body starts (after the front matter).
    pub body_offset: usize,
    /// The book's callout kinds.
    pub callouts: &'a CalloutRegistry,
    /// Whether to number `##` and `###`.
    pub number_sections: bool,
    /// Whether the front matter sets a title (else the first `#` heading is the title).
    pub has_title: bool,
}

/// One parsed page.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parsed {
    /// The tree.
    pub doc: Document,
    /// Every id on the page: the headings in order, then callouts, questions and details.
    pub anchors: Vec<Anchor>,
    /// A fingerprint of `anchors`: what links on other pages read of this one.
    pub anchors_fingerprint: u64,
    /// The page's questions, listed once per tree (the study stage reads every page's on
    /// every run of the preview).
    questions: std::sync::OnceLock<PageQuestions>,
}

/// A question of the page, its parts shared rather than copied.
#[derive(Debug, Clone)]
pub(crate) struct PageQuestion {
    /// Its id.
    pub id: String,
    /// The question.
    pub prompt: Arc<Vec<ast::Inline>>,
    /// The answer.
    pub answer: Arc<Vec<Block>>,
}

/// The questions of a page in document order (containers included), and a fingerprint of
/// everything they hold.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageQuestions {
    /// The questions.
    pub list: Vec<PageQuestion>,
    /// A fingerprint of them.
    pub fingerprint: u64,
}

impl Parsed {
    /// The page's questions (listed on first use, then kept with the tree).
    pub(crate) fn questions(&self) -> &PageQuestions {
        self.questions.get_or_init(|| {
            let mut list = Vec::new();
            list_questions(&self.doc.blocks, &mut list);
            let mut hasher = crate::fingerprint::Fingerprint::new();
            hasher.write_debug(&list);
            PageQuestions {
                list,
                fingerprint: std::hash::Hasher::finish(&hasher),
            }
        })
    }

    /// The text of the first `#` heading (the page heading, when there is one), the title
    /// when the front matter has none.
    pub(crate) fn first_h1(&self) -> Option<&str> {
        self.anchors
            .iter()
            .find(|a| a.heading_level() == Some(1))
            .map(|a| a.text.as_str())
            .filter(|t| !t.is_empty())
    }
}

/// The pulldown-cmark options of the dialect (for tests that read generated Markdown back).
#[cfg(test)]
pub(crate) fn parser_options() -> pulldown_cmark::Options {
    builder::options()
}

/// How many times the body is prepared again when the scan's guess about a fence line was
/// wrong (a line inside raw HTML or indented code, or after a code block that its quote
/// closed); each round settles at least one line, and almost every page needs just one.
const MAX_ROUNDS: usize = 8;

/// Parses one page body.
pub(crate) fn parse(input: &ParseInput<'_>) -> (Parsed, Vec<Diagnostic>) {
    let body = &input.text[input.body_offset..];
    let mut corrections = fences::Corrections::default();
    let (mut doc, mut diagnostics) = (Document::default(), Vec::new());
    for _ in 0..MAX_ROUNDS {
        let prepared = fences::prepare(body, &corrections);
        let source = SourceRef {
            file: input.file,
            text: input.text,
            body_offset: input.body_offset,
        };
        let mut assembler = Assembler::new(&prepared.fences, input.callouts, source);
        let built = builder::build(&prepared, input.body_offset, &mut assembler);
        doc = built.doc;
        diagnostics = assembler.diagnostics;
        let new_fences: Vec<usize> = built
            .missed_fences
            .into_iter()
            .filter(|line| !corrections.fences.contains(line))
            .collect();
        if built.unseen_fences.is_empty() && new_fences.is_empty() {
            break;
        }
        corrections.not_fences.extend(
            built
                .unseen_fences
                .iter()
                .map(|&i| prepared.fences[i].line_start),
        );
        corrections.fences.extend(new_fences);
    }

    // The page heading: a `#` heading that opens the body, or (when the front matter has no
    // title) the first top-level `#` heading wherever it is, so the page never shows two.
    let lead_position = doc
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading(h) if h.level == 1));
    doc.heading = match lead_position {
        Some(position) if position == 0 || !input.has_title => match doc.blocks.remove(position) {
            Block::Heading(h) => Some(h),
            _ => None,
        },
        _ => None,
    };
    let source = SourceRef {
        file: input.file,
        text: input.text,
        body_offset: input.body_offset,
    };
    let (anchors, heading_diagnostics) = headings::assign(&mut doc, input.number_sections, &source);
    diagnostics.extend(heading_diagnostics);
    let anchors_fingerprint = crate::fingerprint::Fingerprint::of(&anchors);
    (
        Parsed {
            doc,
            anchors,
            anchors_fingerprint,
            questions: std::sync::OnceLock::new(),
        },
        diagnostics,
    )
}

/// Every question in `blocks` (containers included), in document order.
fn list_questions(blocks: &[Block], out: &mut Vec<PageQuestion>) {
    for block in blocks {
        if let Block::Question(question) = block {
            out.push(PageQuestion {
                id: question.id.value.clone(),
                prompt: Arc::new(question.prompt.clone()),
                answer: Arc::new(question.answer.clone()),
            });
        }
        for children in ast::child_block_lists(block) {
            list_questions(children, out);
        }
    }
}

#[cfg(test)]
mod tests;
