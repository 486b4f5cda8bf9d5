//! The study stage: numbered callouts, index entries and practice questions, in book order.
//!
//! Input: the assembled [`Book`]. Output: each page's [`PageNumbers`] (kinds with
//! `numbered = true` count 1, 2, 3 through the book, each kind on its own) and the book's
//! [`Study`]: for every generated index page its entries (sorted by title, case- and
//! accent-insensitively), and every `:::question` for the practice page. The trees stay as
//! parsed; later stages read these records beside them. Runs before the links stage, which
//! fills empty link text with the numbers.

use std::collections::HashMap;
use std::hash::{Hash as _, Hasher as _};
use std::sync::Arc;

use unicode_normalization::UnicodeNormalization as _;
use unicode_normalization::char::is_combining_mark;

use crate::fingerprint::Fingerprint;
use crate::markdown::ast::Inline;
use crate::markdown::headings::{AnchorTarget, Slugger};
pub(crate) use crate::model::study::{IndexEntry, IndexList, PageNumbers, QuestionEntry, Study};
use crate::model::{Book, PageKind};

/// Numbers the book's numbered callouts and collects its index entries and questions.
pub(crate) fn collect(book: &mut Book) {
    let config = Arc::clone(&book.config);
    let callouts = &config.callouts;
    let mut counters: HashMap<String, u32> = HashMap::new();
    let mut numbers: Vec<HashMap<String, u32>> = vec![HashMap::new(); book.pages.len()];
    let mut entries: HashMap<String, Vec<IndexEntry>> = HashMap::new();
    let mut questions = Vec::new();
    let mut hasher = Fingerprint::new();
    book.skeleton_fingerprint().hash(&mut hasher);
    for (index, page) in book.pages.iter().enumerate() {
        if page.source.is_none() {
            continue;
        }
        let mut contributes = false;
        let mut own_entries = Fingerprint::new();
        for anchor in &page.parsed.anchors {
            let AnchorTarget::Callout { kind, label } = &anchor.target else {
                continue;
            };
            let Some(settings) = callouts.get(kind) else {
                continue;
            };
            if settings.numbered {
                let counter = counters.entry(kind.clone()).or_insert(0);
                *counter += 1;
                numbers[index].insert(anchor.id.clone(), *counter);
            }
            if settings.index.is_some() {
                contributes = true;
                let title = if anchor.content.is_empty() {
                    vec![Inline::Text(
                        label.clone().unwrap_or_else(|| settings.label.clone()),
                    )]
                } else {
                    anchor.content.clone()
                };
                let title_text = crate::markdown::ast::plain_text(&title).trim().to_string();
                let entry = IndexEntry {
                    page: index,
                    id: anchor.id.clone(),
                    anchor: String::new(),
                    letter: letter(&title_text),
                    title,
                    title_text,
                    sentence: first_sentence(&anchor.summary),
                };
                own_entries.write_debug(&entry);
                entries.entry(kind.clone()).or_default().push(entry);
            }
        }
        let own = page.parsed.questions();
        questions.extend(own.list.iter().map(|question| QuestionEntry {
            page: index,
            id: question.id.clone(),
            prompt: Arc::clone(&question.prompt),
            answer: Arc::clone(&question.answer),
        }));
        if contributes || !own.list.is_empty() {
            // What the generated pages show of this page: its questions and index entries
            // (not the rest of its text, so an edit elsewhere in a chapter reuses them).
            (index, page.links.fingerprint(), own.fingerprint).hash(&mut hasher);
            own_entries.finish().hash(&mut hasher);
        }
    }
    for (page, numbers) in book.pages.iter_mut().zip(numbers) {
        page.numbers = Arc::new(PageNumbers::new(numbers));
    }
    // The numbers of every page: text filled in from them can stand in any entry or answer.
    for page in &book.pages {
        page.numbers.fingerprint().hash(&mut hasher);
    }
    let mut indexes = Vec::new();
    for (index, page) in book.pages.iter().enumerate() {
        if page.kind != PageKind::Index {
            continue;
        }
        let Some((kind, _)) = callouts.kinds().find(|(_, settings)| {
            settings
                .index
                .as_ref()
                .is_some_and(|i| format!("{}/", i.slug) == page.url)
        }) else {
            continue;
        };
        let mut list = entries.remove(kind).unwrap_or_default();
        sort_entries(&mut list);
        // Entries step around the ids of the page's own groups.
        let mut slugger = Slugger::default();
        for id in ["entries", "letter-other"] {
            slugger.reserve(id);
        }
        for entry in &list {
            slugger.reserve(&format!("letter-{}", entry.letter.to_lowercase()));
        }
        for entry in &mut list {
            entry.anchor = slugger.slug(&entry.id);
            (entry.page, &entry.id, &entry.title, &entry.sentence).hash(&mut hasher);
        }
        (index, kind).hash(&mut hasher);
        indexes.push(IndexList {
            page: index,
            kind: kind.to_string(),
            entries: list,
        });
    }
    questions.len().hash(&mut hasher);
    book.study = Arc::new(Study {
        indexes,
        questions,
        fingerprint: hasher.finish(),
    });
}

/// Sorts index entries by title without regard to case or accents ("écho" between "Echo"
/// and "Eden"), then as written, then in book order.
pub(crate) fn sort_entries(entries: &mut [IndexEntry]) {
    entries.sort_by_cached_key(|entry| (fold(&entry.title_text), entry.title_text.clone()));
}

/// A title folded for sorting: decomposed, accents dropped, lowercased.
pub(crate) fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The letter a title is filed under: its first letter without accents, uppercased; `#`
/// when it starts with anything else.
fn letter(title: &str) -> char {
    fold(title)
        .chars()
        .find(|c| !c.is_whitespace())
        .filter(|c| c.is_alphabetic())
        .and_then(|c| c.to_uppercase().next())
        .unwrap_or('#')
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("Élan"), "elan");
        assert_eq!(fold("ÆON"), "æon");
        assert_eq!(fold("Zürich"), "zurich");
    }

    #[test]
    fn entries_sort_without_case_or_accents() {
        let entry = |title: &str| IndexEntry {
            page: 0,
            id: String::new(),
            anchor: String::new(),
            title: Vec::new(),
            title_text: title.into(),
            sentence: String::new(),
            letter: letter(title),
        };
        let mut entries: Vec<IndexEntry> = ["eden", "Zebra", "écho", "Echo", "apple", "Ärger"]
            .into_iter()
            .map(entry)
            .collect();
        sort_entries(&mut entries);
        let titles: Vec<&str> = entries.iter().map(|e| e.title_text.as_str()).collect();
        assert_eq!(titles, ["apple", "Ärger", "Echo", "écho", "eden", "Zebra"]);
        assert_eq!(entries[1].letter, 'A');
        assert_eq!(letter("42 things"), '#');
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
