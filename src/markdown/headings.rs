//! Heading ids, section numbers and the page's anchors.
//!
//! Input: a page's tree. Output: every heading with its final id (GitHub's slug rules,
//! de-duplicated with `-1`, `-2`; `{#id}` wins), top-level `##`/`###` numbered when the page
//! asks for it, and the list of [`Anchor`]s that the table of contents, link checking,
//! filled-in link text and search all read.

use std::collections::HashMap;

use super::ast::{Document, Inline, plain_text, walk_headings_mut};
use super::directives::SourceRef;
use crate::diagnostics::Diagnostic;

/// A place on a page that a link can point at.
#[derive(Debug, Clone)]
pub(crate) struct Anchor {
    /// The heading id.
    pub id: String,
    /// Heading level, 1 to 6.
    pub level: u8,
    /// The heading as plain text (without its number).
    pub text: String,
    /// The heading's inline content, for filled-in link text.
    pub content: Vec<Inline>,
    /// "1.2" when numbered.
    pub number: Option<String>,
    /// Whether it belongs in the table of contents (top-level `##` and `###`).
    pub in_toc: bool,
}

/// GitHub's heading slug: lowercase; letters, digits, `-` and `_` kept (any script); spaces
/// become `-`; all other punctuation and symbols removed.
pub(crate) fn slugify(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c)
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

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

/// Gives every heading its id and number, and returns the page's anchors.
pub(crate) fn assign(
    doc: &mut Document,
    number_sections: bool,
    source: &SourceRef<'_>,
) -> (Vec<Anchor>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut slugger = Slugger::default();
    let mut custom: HashMap<String, usize> = HashMap::new();
    let lines = std::cell::OnceCell::new();
    walk_headings_mut(doc, &mut |heading, _| {
        if !heading.custom_id {
            return;
        }
        if let Some(first) = custom.get(&heading.id) {
            let (line, _) = lines
                .get_or_init(|| crate::diagnostics::LineIndex::new(source.text))
                .line_col(source.text, *first);
            diagnostics.push(
                Diagnostic::error(format!("duplicate heading id `{}`", heading.id))
                    .in_file(source.file)
                    .at(source.text, heading.offset..heading.offset + 1)
                    .label(format!("also set on line {line}"))
                    .hint("ids must be unique on a page: change one of them"),
            );
        } else {
            custom.insert(heading.id.clone(), heading.offset);
        }
        slugger.reserve(&heading.id);
    });

    let mut anchors = Vec::new();
    let (mut major, mut minor) = (0u32, 0u32);
    walk_headings_mut(doc, &mut |heading, top_level| {
        if !heading.custom_id {
            heading.id = slugger.slug(&plain_text(&heading.content));
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
            level: heading.level,
            text: plain_text(&heading.content).trim().to_string(),
            content: heading.content.clone(),
            number: heading.number.clone(),
            in_toc,
        });
    });
    (anchors, diagnostics)
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
