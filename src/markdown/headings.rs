//! The page's one id space: heading ids, callout and question ids, section numbers, anchors.
//!
//! Input: a page's tree. Output: every heading with its final id (GitHub's slug rules,
//! de-duplicated with `-1`, `-2`; `{#id}` wins), top-level `##`/`###` numbered when the page
//! asks for it, every callout and question with its id (`{#id}`, else `<kind>-<slug of
//! title>`), and the list of [`Anchor`]s that the table of contents, link checking,
//! filled-in link text and search all read.
//!
//! Headings come first: their ids never change because of a callout. An automatic callout id
//! yields to every heading id, and an explicit one that a heading already has is an error.

use std::collections::HashMap;
use std::ops::Range;

use super::ast::{
    Block, BlockId, Document, Inline, plain_text, walk_blocks_mut, walk_headings_mut,
};
use super::directives::SourceRef;
use crate::diagnostics::Diagnostic;

/// A place on a page that a link can point at.
#[derive(Debug, Clone, Hash)]
pub(crate) struct Anchor {
    /// The id.
    pub id: String,
    /// What carries it.
    pub target: AnchorTarget,
    /// Its text as plain text (without a number): a heading's text, a callout's title, a
    /// question's prompt.
    pub text: String,
    /// That text's inline content, for filled-in link text (empty for an untitled callout,
    /// which links show by its label).
    pub content: Vec<Inline>,
    /// "1.2" when numbered.
    pub number: Option<String>,
    /// Whether it belongs in the table of contents (top-level `##` and `###`).
    pub in_toc: bool,
    /// A callout's first paragraph as plain text, on one line (empty for other anchors):
    /// what a link's preview and an index entry show of it.
    pub summary: String,
    /// That paragraph's inline content, whose empty links the links stage fills in for
    /// previews (empty for other anchors).
    pub summary_content: Vec<Inline>,
}

/// What an anchor's id belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum AnchorTarget {
    /// A heading of this level, 1 to 6.
    Heading {
        /// The level.
        level: u8,
    },
    /// A callout.
    Callout {
        /// The kind it renders as (a key of the callout registry).
        kind: String,
        /// Its own label, when it replaces the kind's (aliases, GitHub alerts).
        label: Option<String>,
    },
    /// A `:::question`.
    Question,
    /// A `:::details` given an id.
    Details,
}

impl Anchor {
    /// The heading level, for a heading's anchor.
    pub(crate) fn heading_level(&self) -> Option<u8> {
        match self.target {
            AnchorTarget::Heading { level } => Some(level),
            _ => None,
        }
    }
}

/// Inline content as an anchor keeps it: for link text on other pages, where its places in
/// this file mean nothing (and would make an edit above a heading look like a change to it).
fn without_spans(inlines: &[Inline]) -> Vec<Inline> {
    inlines
        .iter()
        .map(|inline| match inline {
            Inline::Emphasis(c) => Inline::Emphasis(without_spans(c)),
            Inline::Strong(c) => Inline::Strong(without_spans(c)),
            Inline::Strikethrough(c) => Inline::Strikethrough(without_spans(c)),
            Inline::Link(link) | Inline::Image(link) => {
                let bare = crate::markdown::ast::Link {
                    span: 0..0,
                    content: without_spans(&link.content),
                    ..link.clone()
                };
                if matches!(inline, Inline::Link(_)) {
                    Inline::Link(bare)
                } else {
                    Inline::Image(bare)
                }
            }
            other => other.clone(),
        })
        .collect()
}

pub(crate) use crate::urls::slugify;

/// Hands out unique ids the way GitHub does: `x`, `x-1`, `x-2`, …
#[derive(Debug, Default)]
pub(crate) struct Slugger {
    seen: HashMap<String, usize>,
}

impl Slugger {
    /// Marks an id as taken (a custom `{#id}`).
    pub(crate) fn reserve(&mut self, id: &str) {
        self.seen.entry(id.to_string()).or_insert(0);
    }

    /// A unique id for a heading with this text.
    pub(crate) fn slug(&mut self, text: &str) -> String {
        let mut base = slugify(text);
        if base.is_empty() {
            base = "section".into();
        }
        let mut candidate = base.clone();
        while self.seen.contains_key(&candidate) {
            // The first pass found `base` itself, so it has a counter.
            let count = self.seen.entry(base.clone()).or_insert(0);
            *count += 1;
            candidate = format!("{base}-{count}");
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

/// Who holds an id, for messages about a duplicate.
struct Holder {
    /// Byte offset in the file.
    offset: usize,
    /// "the heading", "the callout".
    what: &'static str,
}

/// Gives every heading, callout and question its id (and headings their numbers), and
/// returns the page's anchors: the headings in order, then the other constructs in order.
pub(crate) fn assign(
    doc: &mut Document,
    number_sections: bool,
    source: &SourceRef<'_>,
) -> (Vec<Anchor>, Vec<Diagnostic>) {
    let mut ids = Ids {
        slugger: Slugger::default(),
        holders: HashMap::new(),
        diagnostics: Vec::new(),
        source,
        lines: std::cell::OnceCell::new(),
    };
    walk_headings_mut(doc, &mut |heading, _| {
        if heading.custom_id {
            let offset = heading.offset;
            ids.claim(&heading.id, offset..offset + 1, "the heading");
        }
    });
    let mut anchors = Vec::new();
    let (mut major, mut minor) = (0u32, 0u32);
    walk_headings_mut(doc, &mut |heading, top_level| {
        if !heading.custom_id {
            heading.id = ids.slugger.slug(&plain_text(&heading.content));
            ids.holders.entry(heading.id.clone()).or_insert(Holder {
                offset: heading.offset,
                what: "the heading",
            });
        }
        let in_toc = top_level && matches!(heading.level, 2 | 3);
        if number_sections && in_toc {
            if heading.level == 2 {
                major += 1;
                minor = 0;
                heading.number = Some(major.to_string());
            } else if major > 0 {
                // `###` headings before the first `##` have no section to number under.
                minor += 1;
                heading.number = Some(format!("{major}.{minor}"));
            }
        }
        anchors.push(Anchor {
            id: heading.id.clone(),
            target: AnchorTarget::Heading {
                level: heading.level,
            },
            text: plain_text(&heading.content).trim().to_string(),
            content: without_spans(&heading.content),
            number: heading.number.clone(),
            in_toc,
            summary: String::new(),
            summary_content: Vec::new(),
        });
    });
    // Ids the author gave first, so automatic ones step around them wherever they stand.
    walk_blocks_mut(doc, &mut |block| {
        if let Some((id, what, _)) = block_id(block)
            && let Some(written) = id.written.clone()
        {
            ids.claim(&id.value, written, what);
        }
    });
    walk_blocks_mut(doc, &mut |block| {
        let Some((id, _, base)) = block_id(block) else {
            return;
        };
        if id.written.is_none()
            && let Some(base) = base
        {
            id.value = ids.slugger.slug(&base);
        }
        if let Some(anchor) = block_anchor(block) {
            anchors.push(anchor);
        }
    });
    (anchors, ids.diagnostics)
}

/// The page's id space while ids are handed out.
struct Ids<'a, 'b> {
    slugger: Slugger,
    holders: HashMap<String, Holder>,
    diagnostics: Vec<Diagnostic>,
    source: &'a SourceRef<'b>,
    /// The page's lines, indexed when a duplicate first needs a line number.
    lines: std::cell::OnceCell<crate::diagnostics::LineIndex>,
}

impl Ids<'_, '_> {
    /// Takes an id the author wrote at `range`; a duplicate is an error.
    fn claim(&mut self, id: &str, range: Range<usize>, what: &'static str) {
        let source = self.source;
        if let Some(first) = self.holders.get(id) {
            let (line, _) = self
                .lines
                .get_or_init(|| crate::diagnostics::LineIndex::new(source.text))
                .line_col(source.text, first.offset);
            let hint = if first.what == "the heading" && what != "the heading" {
                "ids must be unique on a page, and heading ids never change for a callout: choose another id here"
            } else {
                "ids must be unique on a page: change one of them"
            };
            self.diagnostics.push(
                Diagnostic::error(format!("duplicate id `{id}`"))
                    .in_file(source.file)
                    .at(source.text, range)
                    .label(format!("also the id of {} on line {line}", first.what))
                    .hint(hint),
            );
            return;
        }
        self.holders.insert(
            id.to_string(),
            Holder {
                offset: range.start,
                what,
            },
        );
        self.slugger.reserve(id);
    }
}

/// The id of a block that has one, what the block is, and the text its automatic id is made
/// from (`None`: the block has no automatic id).
fn block_id(block: &mut Block) -> Option<(&mut BlockId, &'static str, Option<String>)> {
    match block {
        Block::Callout(c) => {
            let base = format!("{} {}", c.written_kind, plain_text(&c.title));
            Some((&mut c.id, "the callout", Some(base)))
        }
        Block::Question(q) => {
            let base = format!("question {}", plain_text(&q.prompt));
            Some((&mut q.id, "the question", Some(base)))
        }
        Block::Details(d) => Some((&mut d.id, "the details block", None)),
        _ => None,
    }
}

/// The anchor of a block with an id.
fn block_anchor(block: &Block) -> Option<Anchor> {
    let (id, target, content, summary) = match block {
        Block::Callout(c) => (
            &c.id,
            AnchorTarget::Callout {
                kind: c.kind.clone(),
                label: c.label.clone(),
            },
            &c.title,
            first_paragraph(&c.body),
        ),
        Block::Question(q) => (&q.id, AnchorTarget::Question, &q.prompt, &[][..]),
        Block::Details(d) => (&d.id, AnchorTarget::Details, &d.summary, &[][..]),
        _ => return None,
    };
    (!id.value.is_empty()).then(|| Anchor {
        id: id.value.clone(),
        target,
        text: plain_text(content).trim().to_string(),
        content: without_spans(content),
        number: None,
        in_toc: false,
        summary: one_line(&plain_text(summary)),
        summary_content: without_spans(summary),
    })
}

/// The first paragraph among `blocks` (not inside a nested container); empty when there is
/// none. A callout's first paragraph is what its index entry and link previews show.
pub(crate) fn first_paragraph(blocks: &[Block]) -> &[Inline] {
    blocks
        .iter()
        .find_map(|block| match block {
            Block::Paragraph(inlines) | Block::Plain(inlines) => Some(inlines.as_slice()),
            _ => None,
        })
        .unwrap_or_default()
}

/// Text on one line: runs of white space become one space.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_slugs() {
        assert_eq!(slugify("Trade-off Thinking"), "trade-off-thinking");
        assert_eq!(slugify("What's `Arc<T>`?"), "whats-arct");
        assert_eq!(slugify("snake_case stays"), "snake_case-stays");
        assert_eq!(slugify("Ünïcödé Überschrift"), "ünïcödé-überschrift");
        assert_eq!(slugify("缓存 策略"), "缓存-策略");
        assert_eq!(slugify("  C++ & Rust  "), "c--rust");
        assert_eq!(slugify("1.2 Step"), "12-step");
    }

    #[test]
    fn duplicates_get_suffixes() {
        let mut s = Slugger::default();
        assert_eq!(s.slug("Example"), "example");
        assert_eq!(s.slug("Example"), "example-1");
        assert_eq!(s.slug("Example"), "example-2");
        assert_eq!(s.slug("Example 1"), "example-1-1");
    }

    #[test]
    fn reserved_ids_push_slugs_aside() {
        let mut s = Slugger::default();
        s.reserve("summary");
        assert_eq!(s.slug("Summary"), "summary-1");
    }

    #[test]
    fn empty_slug_falls_back() {
        let mut s = Slugger::default();
        assert_eq!(s.slug("🎉"), "section");
    }
}
