//! The generated study pages as template data: index pages and the practice page.
//!
//! Input: the book's [`Study`](crate::model::study::Study) records and the page being
//! rendered. Output: an [`IndexView`] (entries grouped by letter, with a jump bar past
//! [`JUMP_BAR_AFTER`] entries) or a [`PracticeView`] (questions grouped by part and
//! chapter, each answer rendered as HTML from its own page's tree and links).

use std::collections::HashSet;

use serde::Serialize;

use super::html::{Excerpt, HtmlRenderer, LinkScope, ids_within};
use crate::model::Book;
use crate::model::study::QuestionEntry;
use crate::urls::{self, Linker};

/// An index page shows its A–Z jump bar when it has more entries than this.
pub(crate) const JUMP_BAR_AFTER: usize = 30;

/// An index page's entries.
#[derive(Debug, Serialize)]
pub(crate) struct IndexView {
    /// The callout kind listed.
    pub(crate) kind: String,
    /// How many entries there are.
    pub(crate) count: usize,
    /// The jump bar's letters (empty when the page has no bar).
    pub(crate) letters: Vec<LetterLink>,
    /// The entries by letter (one group, without a letter, when there is no bar).
    pub(crate) groups: Vec<IndexGroup>,
}

/// A letter of the jump bar.
#[derive(Debug, Serialize)]
pub(crate) struct LetterLink {
    /// "A", or "#" for entries that start with anything but a letter.
    pub(crate) letter: String,
    /// The group's id.
    pub(crate) id: String,
}

/// Entries filed under one letter.
#[derive(Debug, Serialize)]
pub(crate) struct IndexGroup {
    /// The letter (`None` when the page is not split by letter).
    pub(crate) letter: Option<String>,
    /// The group's id, for the jump bar.
    pub(crate) id: String,
    /// Its entries, in order.
    pub(crate) entries: Vec<IndexEntryView>,
}

/// One entry of an index page.
#[derive(Debug, Serialize)]
pub(crate) struct IndexEntryView {
    /// Its id on the index page.
    pub(crate) id: String,
    /// The term as HTML (empty for an untitled callout of a numbered kind, shown by its
    /// label and number alone).
    pub(crate) title_html: String,
    /// The whole entry's heading as plain text ("War Story 3 — Mongo audit" for a numbered
    /// kind).
    pub(crate) title: String,
    /// For a numbered kind: the callout's label ("War Story"), shown before the number.
    pub(crate) label: Option<String>,
    /// For a numbered kind: the callout's number in the book, as its title line shows it.
    pub(crate) number: Option<u32>,
    /// The first sentence of its body (plain text, escaped by the template).
    pub(crate) sentence: String,
    /// The link back to the callout.
    pub(crate) href: String,
    /// The title of the chapter that holds it.
    pub(crate) chapter: String,
}

/// The practice page's questions.
#[derive(Debug, Serialize)]
pub(crate) struct PracticeView {
    /// How many questions there are.
    pub(crate) count: usize,
    /// What the browser stores the reader's marks under (one key per book).
    pub(crate) storage_key: String,
    /// The questions grouped by part (top-level chapters in a group without a part).
    pub(crate) parts: Vec<PracticePart>,
}

/// The questions of one part.
#[derive(Debug, Serialize)]
pub(crate) struct PracticePart {
    /// The part's title and link (`None` for chapters outside any part).
    pub(crate) part: Option<super::context::LinkItem>,
    /// Its chapters with questions, in book order.
    pub(crate) chapters: Vec<PracticeChapter>,
}

/// The questions of one chapter.
#[derive(Debug, Serialize)]
pub(crate) struct PracticeChapter {
    /// The chapter's title.
    pub(crate) title: String,
    /// The chapter, relative to the practice page.
    pub(crate) href: String,
    /// Its questions, in order.
    pub(crate) questions: Vec<PracticeQuestion>,
}

/// One question of the practice page.
#[derive(Debug, Serialize)]
pub(crate) struct PracticeQuestion {
    /// What the reader's mark is stored under: the question's page and id (`apis/rest/#id`).
    pub(crate) key: String,
    /// Its id on the practice page.
    pub(crate) id: String,
    /// The question as HTML.
    pub(crate) prompt_html: String,
    /// The answer as HTML.
    pub(crate) answer_html: String,
    /// The question where it stands, relative to the practice page.
    pub(crate) href: String,
}

/// The index list shown at page `index`, as template data.
pub(crate) fn index_view(book: &Book, body: &HtmlRenderer<'_>, index: usize) -> Option<IndexView> {
    let list = book.study.index_of(index)?;
    let from = &book.pages[index].url;
    let split = list.entries.len() > JUMP_BAR_AFTER;
    let mut groups: Vec<IndexGroup> = Vec::new();
    for entry in &list.entries {
        let source = &book.pages[entry.page];
        let ids = HashSet::new();
        let scope = LinkScope {
            // A copy of the title: its footnote references are left out (their notes are
            // not on this page).
            excerpt: Some(Excerpt {
                prefix: &entry.anchor,
                ids: &ids,
                footnotes: None,
            }),
            ..scope(book, entry.page, Linker::From(from))
        };
        let title_html = if entry.number.is_some() && !entry.titled {
            String::new()
        } else {
            body.inline_html(&entry.title, scope)
        };
        let view = IndexEntryView {
            id: entry.anchor.clone(),
            title_html,
            title: entry.heading_text(),
            label: entry.number.as_ref().map(|(label, _)| label.clone()),
            number: entry.number.as_ref().map(|(_, number)| *number),
            sentence: entry.sentence(&source.links),
            href: format!(
                "{}#{}",
                urls::relative(from, &source.url),
                urls::encode_fragment(&entry.id)
            ),
            chapter: source.title.clone(),
        };
        let letter = split.then(|| entry.letter.to_string());
        match groups.last_mut() {
            Some(group) if group.letter == letter => group.entries.push(view),
            _ => groups.push(IndexGroup {
                id: letter.as_deref().map_or_else(
                    || "entries".to_string(),
                    |l| match l {
                        "#" => "letter-other".to_string(),
                        l => format!("letter-{}", l.to_lowercase()),
                    },
                ),
                letter,
                entries: vec![view],
            }),
        }
    }
    let letters = groups
        .iter()
        .filter_map(|group| {
            Some(LetterLink {
                letter: group.letter.clone()?,
                id: group.id.clone(),
            })
        })
        .collect();
    Some(IndexView {
        kind: list.kind.clone(),
        count: list.entries.len(),
        letters,
        groups,
    })
}

/// The practice page at `index`, as template data. What rendering the answers notices
/// (unknown code languages, template errors) their own pages report already.
pub(crate) fn practice_view(book: &Book, body: &HtmlRenderer<'_>, index: usize) -> PracticeView {
    let from = &book.pages[index].url;
    let mut seen_ids = crate::markdown::headings::Slugger::default();
    let groups = book.study.question_groups(|page| book.part_of(page));
    let parts = groups
        .into_iter()
        .map(|group| PracticePart {
            part: group.part.map(|p| super::context::LinkItem {
                title: book.pages[p].title.clone(),
                href: urls::relative(from, &book.pages[p].url),
            }),
            chapters: group
                .pages
                .into_iter()
                .map(|(page, questions)| {
                    let source = &book.pages[page];
                    PracticeChapter {
                        title: source.title.clone(),
                        href: urls::relative(from, &source.url),
                        questions: questions
                            .into_iter()
                            .map(|question| {
                                let id = seen_ids.slug(&format!(
                                    "{}-{}",
                                    slug_of(&source.url),
                                    question.id
                                ));
                                practice_question(book, body, question, from, id)
                            })
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect();
    PracticeView {
        count: book.study.questions.len(),
        storage_key: storage_key(book),
        parts,
    }
}

/// What the browser keeps the marks of this book under: one key per book, so books served
/// from one site keep theirs apart.
pub(crate) fn storage_key(book: &Book) -> String {
    let name = book
        .config
        .book
        .base_url
        .clone()
        .unwrap_or_else(|| book.config.book.title.clone());
    format!("guidebook-practice:{name}")
}

fn practice_question(
    book: &Book,
    body: &HtmlRenderer<'_>,
    question: &QuestionEntry,
    from: &str,
    id: String,
) -> PracticeQuestion {
    let source = &book.pages[question.page];
    // Answers from every chapter stand side by side: each is a copy with ids of its own.
    let ids = ids_within(&question.answer);
    let scope = LinkScope {
        excerpt: Some(Excerpt {
            prefix: &id,
            ids: &ids,
            footnotes: Some(&source.parsed.doc.footnotes),
        }),
        ..scope(book, question.page, Linker::From(from))
    };
    let (prompt_html, answer_html) =
        body.render_question_copy(&question.prompt, &question.answer, scope);
    PracticeQuestion {
        key: format!("{}#{}", source.url, question.id),
        id,
        prompt_html,
        answer_html,
        href: format!(
            "{}#{}",
            urls::relative(from, &source.url),
            urls::encode_fragment(&question.id)
        ),
    }
}

/// The links and numbers of page `page`, written from `linker`.
pub(crate) fn scope<'a>(book: &'a Book, page: usize, linker: Linker<'a>) -> LinkScope<'a> {
    let source = &book.pages[page];
    LinkScope {
        links: &source.links,
        linker,
        numbers: &source.numbers,
        print: None,
        excerpt: None,
    }
}

/// `apis/rest/` → `apis-rest` (the home page: `home`).
fn slug_of(url: &str) -> String {
    let slug = url.trim_end_matches('/').replace('/', "-");
    if slug.is_empty() { "home".into() } else { slug }
}
