//! The study stage: numbered callouts, index entries and practice questions, in book order.
//!
//! Input: the assembled [`Book`]. Output: each page's [`PageNumbers`] (kinds with
//! `numbered = true` count 1, 2, 3 through the book, each kind on its own) and the book's
//! [`Study`]: for every generated index page its entries (sorted by title, case- and
//! accent-insensitively), and every `:::question` for the practice page. The trees stay as
//! parsed; later stages read these records beside them. Runs before the links stage, which
//! fills empty link text with the numbers; [`seal`] runs after it and adds what the links of
//! the entries and questions resolved to (the text an empty link shows) to the study's
//! fingerprint.

use std::collections::HashMap;
use std::hash::{Hash as _, Hasher as _};
use std::sync::Arc;

use unicode_normalization::UnicodeNormalization as _;
use unicode_normalization::char::is_combining_mark;

use crate::fingerprint::Fingerprint;
use crate::markdown::ast::{
    Block, Document, Inline, child_block_lists, walk_block_inlines, walk_inline_list,
};
use crate::markdown::headings::{AnchorTarget, Slugger, first_paragraph};
use crate::model::links::PageLinks;
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
        let mut paragraphs = None;
        for anchor in &page.parsed.anchors {
            let AnchorTarget::Callout { kind, label } = &anchor.target else {
                continue;
            };
            let Some(settings) = callouts.get(kind) else {
                continue;
            };
            let label = label.as_ref().unwrap_or(&settings.label);
            let mut number = None;
            if settings.numbered {
                let counter = counters.entry(kind.clone()).or_insert(0);
                *counter += 1;
                numbers[index].insert(anchor.id.clone(), *counter);
                number = Some((label.clone(), *counter));
            }
            if settings.index.is_some() {
                contributes = true;
                let titled = !anchor.content.is_empty();
                let title = if titled {
                    anchor.content.clone()
                } else {
                    vec![Inline::Text(label.clone())]
                };
                let title_text = crate::markdown::ast::plain_text(&title).trim().to_string();
                // The paragraph as written, with the places of its links in the file (the
                // anchor keeps it without them).
                let summary = paragraphs
                    .get_or_insert_with(|| callout_paragraphs(&page.parsed.doc))
                    .get(anchor.id.as_str())
                    .map(|inlines| inlines.to_vec())
                    .unwrap_or_default();
                let entry = IndexEntry {
                    page: index,
                    id: anchor.id.clone(),
                    anchor: String::new(),
                    letter: letter(&title_text),
                    title,
                    title_text,
                    titled,
                    number,
                    summary,
                };
                // Without places in the file: an edit above the callout changes none of it.
                own_entries.write_debug(&(
                    &entry.id,
                    &entry.title,
                    &entry.number,
                    &anchor.summary_content,
                ));
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
            // (not the rest of its text, so an edit elsewhere in a chapter reuses them); what
            // their links resolve to is added by `seal`, after the links stage.
            (index, own.fingerprint).hash(&mut hasher);
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
            (entry.page, &entry.id, &entry.title_text).hash(&mut hasher);
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

/// Adds to the study's fingerprint what the generated pages read through links: what each
/// link of an index entry's sentence, a question or a note an answer references resolved to
/// (the text an empty link shows comes from its target's page). Runs after the links stage,
/// which records those resolutions; the rest of the fingerprint is made by [`collect`].
pub(crate) fn seal(book: &mut Book) {
    let mut hasher = Fingerprint::new();
    book.study.fingerprint.hash(&mut hasher);
    let study = &book.study;
    for list in &study.indexes {
        for entry in &list.entries {
            let links = &book.pages[entry.page].links;
            walk_inline_list(&entry.summary, &mut |inline| {
                hash_resolution(links, inline, &mut hasher);
            });
        }
    }
    let mut with_notes = Vec::new();
    for question in &study.questions {
        let links = &book.pages[question.page].links;
        let mut notes = false;
        let mut visit = |inline: &Inline| {
            notes |= matches!(inline, Inline::FootnoteRef(_));
            hash_resolution(links, inline, &mut hasher);
        };
        walk_inline_list(&question.prompt, &mut visit);
        walk_block_inlines(&question.answer, &mut visit);
        if notes && with_notes.last() != Some(&question.page) {
            with_notes.push(question.page);
        }
    }
    // The notes are written with the answers that reference them.
    for page in with_notes {
        let page = &book.pages[page];
        hasher.write_debug(&page.parsed.doc.footnotes);
        for footnote in &page.parsed.doc.footnotes {
            walk_block_inlines(&footnote.blocks, &mut |inline| {
                hash_resolution(&page.links, inline, &mut hasher);
            });
        }
    }
    let fingerprint = hasher.finish();
    Arc::make_mut(&mut book.study).fingerprint = fingerprint;
}

fn hash_resolution(links: &PageLinks, inline: &Inline, hasher: &mut Fingerprint) {
    if let Inline::Link(link) | Inline::Image(link) = inline {
        links.get(link).hash(hasher);
    }
}

/// The first paragraph of each callout of `doc` that has an id, by id, as written.
fn callout_paragraphs(doc: &Document) -> HashMap<&str, &[Inline]> {
    fn walk<'d>(blocks: &'d [Block], out: &mut HashMap<&'d str, &'d [Inline]>) {
        for block in blocks {
            if let Block::Callout(callout) = block
                && !callout.id.value.is_empty()
            {
                out.entry(callout.id.value.as_str())
                    .or_insert_with(|| first_paragraph(&callout.body));
            }
            for children in child_block_lists(block) {
                walk(children, out);
            }
        }
    }
    let mut out = HashMap::new();
    walk(&doc.blocks, &mut out);
    for footnote in &doc.footnotes {
        walk(&footnote.blocks, &mut out);
    }
    out
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
            titled: true,
            number: None,
            summary: Vec::new(),
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
}
