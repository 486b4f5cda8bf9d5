//! What the study stage found in the book: part of the model, filled in by that stage.
//!
//! Input: nothing (plain data). Output: [`PageNumbers`], kept beside each page (the numbers
//! of its numbered callouts), and [`Study`], kept beside the book (every index entry and
//! every question, in the order the generated pages list them).

use std::collections::HashMap;

use crate::markdown::ast::{Block, Inline};
use crate::model::links::PageLinks;

/// The numbers of a page's numbered callouts, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageNumbers {
    by_id: HashMap<String, u32>,
    /// A fingerprint of every number, in id order.
    fingerprint: u64,
}

impl PageNumbers {
    /// A page's numbers, from each numbered callout's id and number.
    pub(crate) fn new(by_id: HashMap<String, u32>) -> Self {
        let mut in_order: Vec<_> = by_id.iter().collect();
        in_order.sort();
        let fingerprint = crate::fingerprint::Fingerprint::of(&in_order);
        Self { by_id, fingerprint }
    }

    /// The number of the callout with this id, when its kind is numbered.
    pub(crate) fn get(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).copied()
    }

    /// A fingerprint of every number.
    pub(crate) fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
}

/// Every index entry and question of the book.
#[derive(Debug, Clone, Default)]
pub(crate) struct Study {
    /// One list per generated index page.
    pub(crate) indexes: Vec<IndexList>,
    /// Every question, in book order.
    pub(crate) questions: Vec<QuestionEntry>,
    /// A fingerprint of everything the generated pages are made from.
    pub(crate) fingerprint: u64,
}

/// The questions of one part (or of the pages outside parts), by page.
#[derive(Debug)]
pub(crate) struct QuestionGroup<'a> {
    /// The part's page; `None` for pages outside any part.
    pub(crate) part: Option<usize>,
    /// Each page with questions, in book order, with its questions.
    pub(crate) pages: Vec<(usize, Vec<&'a QuestionEntry>)>,
}

impl Study {
    /// The questions grouped as the practice page shows them: by part, then by page.
    /// `part_of` gives the part a page belongs to.
    pub(crate) fn question_groups(
        &self,
        part_of: impl Fn(usize) -> Option<usize>,
    ) -> Vec<QuestionGroup<'_>> {
        let mut groups: Vec<QuestionGroup<'_>> = Vec::new();
        for question in &self.questions {
            let part = part_of(question.page);
            if groups.last().is_none_or(|g| g.part != part) {
                groups.push(QuestionGroup {
                    part,
                    pages: Vec::new(),
                });
            }
            let pages = &mut groups.last_mut().expect("pushed above").pages;
            match pages.last_mut() {
                Some((page, list)) if *page == question.page => list.push(question),
                _ => pages.push((question.page, vec![question])),
            }
        }
        groups
    }

    /// The index list shown by page `page`.
    pub(crate) fn index_of(&self, page: usize) -> Option<&IndexList> {
        self.indexes.iter().find(|list| list.page == page)
    }
}

/// The entries of one generated index page.
#[derive(Debug, Clone)]
pub(crate) struct IndexList {
    /// The index page's place in the book.
    pub(crate) page: usize,
    /// The callout kind it lists.
    pub(crate) kind: String,
    /// Its entries, sorted by title (case- and accent-insensitive).
    pub(crate) entries: Vec<IndexEntry>,
}

/// One callout listed on an index page.
#[derive(Debug, Clone)]
pub(crate) struct IndexEntry {
    /// The page that holds the callout.
    pub(crate) page: usize,
    /// The callout's id on that page.
    pub(crate) id: String,
    /// Its id on the index page (unique there).
    pub(crate) anchor: String,
    /// Its title (the kind's label when it has none).
    pub(crate) title: Vec<Inline>,
    /// The title as plain text.
    pub(crate) title_text: String,
    /// Whether the callout has a title of its own (`title` is the label otherwise).
    pub(crate) titled: bool,
    /// For a kind with `numbered = true`: the callout's label and number, which lead the
    /// entry as they lead the callout's own title line.
    pub(crate) number: Option<(String, u32)>,
    /// The first paragraph of its body as written: its links keep their places in the file,
    /// so that what the links stage recorded for them (the text of an empty link) is found.
    pub(crate) summary: Vec<Inline>,
    /// The letter it is filed under in the A–Z bar (`#` for anything but a letter).
    pub(crate) letter: char,
}

impl IndexEntry {
    /// The entry as a line of plain text: "War Story 3 — Mongo audit" for a numbered kind
    /// ("War Story 3" for an untitled callout), else its title.
    pub(crate) fn heading_text(&self) -> String {
        match &self.number {
            Some((label, number)) if self.titled => {
                format!("{label} {number} — {}", self.title_text)
            }
            Some((label, number)) => format!("{label} {number}"),
            None => self.title_text.clone(),
        }
    }

    /// The first sentence of its body as plain text, its empty links showing the text
    /// `links` (the links of the entry's page) recorded for them.
    pub(crate) fn sentence(&self, links: &PageLinks) -> String {
        first_sentence(&crate::markdown::headings::one_line(
            &links.plain_text(&self.summary),
        ))
    }
}

/// The first sentence of `text`: up to the first `.`, `!` or `?` followed by a space (the
/// whole text when there is none).
pub(crate) fn first_sentence(text: &str) -> String {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?' | '…' | '。')
            && chars.peek().is_none_or(|(_, next)| next.is_whitespace())
        {
            return text[..i + c.len_utf8()].to_string();
        }
    }
    text.to_string()
}

/// One question of the book.
#[derive(Debug, Clone)]
pub(crate) struct QuestionEntry {
    /// The page that holds it.
    pub(crate) page: usize,
    /// Its id on that page.
    pub(crate) id: String,
    /// The question (shared with the page's tree cache).
    pub(crate) prompt: std::sync::Arc<Vec<Inline>>,
    /// The answer.
    pub(crate) answer: std::sync::Arc<Vec<Block>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_entries_read_like_their_title_lines() {
        let entry = |title: &str, titled: bool, number: Option<u32>| IndexEntry {
            page: 0,
            id: String::new(),
            anchor: String::new(),
            title: Vec::new(),
            title_text: title.into(),
            titled,
            number: number.map(|n| ("War Story".to_string(), n)),
            summary: Vec::new(),
            letter: 'M',
        };
        assert_eq!(
            entry("Mongo audit", true, Some(3)).heading_text(),
            "War Story 3 — Mongo audit"
        );
        assert_eq!(
            entry("War Story", false, Some(2)).heading_text(),
            "War Story 2"
        );
        assert_eq!(
            entry("Mongo audit", true, None).heading_text(),
            "Mongo audit"
        );
    }

    #[test]
    fn first_sentences() {
        assert_eq!(
            first_sentence("Copying a practice. Without knowing why."),
            "Copying a practice."
        );
        assert_eq!(first_sentence("Version 1.2 is out"), "Version 1.2 is out");
        assert_eq!(first_sentence("Really? Yes."), "Really?");
        assert_eq!(first_sentence(""), "");
    }
}
