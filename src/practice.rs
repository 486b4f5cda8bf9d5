//! The practice files: every question of the book for other tools.
//!
//! Input: the book's questions (the study stage) and the theme that renders answers.
//! Output: `<practice>/flashcards.txt`, in Anki's plain-text import format (the
//! `#separator:tab`, `#html:true` and `#tags column:3` header lines, then one card per line:
//! the question and the answer as HTML and the tags, tab-separated, with tabs and line breaks
//! inside fields written as character references so that the HTML means the same), and
//! `<practice>/questions.json` (title, answer HTML and Markdown, page URL, id, part,
//! chapter). Links in both start from the book's base URL (else `/`): the files are read
//! outside the site.

use serde::Serialize;

use crate::markdown::ast::plain_text;
use crate::model::study::QuestionEntry;
use crate::model::{Book, PageKind};
use crate::render::Theme;
use crate::render::html::HtmlRenderer;
use crate::render::study::scope;
use crate::site::SiteFile;
use crate::urls::Linker;

/// The header lines of the flashcard file.
pub(crate) const FLASHCARD_HEADER: &str = "#separator:tab\n#html:true\n#tags column:3\n";

/// The practice files of an earlier run (the preview) and the key they were made from.
#[derive(Debug, Default)]
pub(crate) struct PracticeMemo {
    earlier: Option<(u64, Vec<SiteFile>)>,
}

/// The practice files, reusing `memo`'s when nothing they are made from changed: the
/// questions and what their pages link to (the study fingerprint), the configuration, the
/// book's skeleton and the templates.
pub(crate) fn files_remembered(
    book: &Book,
    theme: &Theme,
    memo: Option<&mut PracticeMemo>,
) -> Vec<SiteFile> {
    let Some(memo) = memo else {
        return files(book, theme);
    };
    let mut hasher = crate::fingerprint::Fingerprint::new();
    std::hash::Hash::hash(&book.study.fingerprint, &mut hasher);
    std::hash::Hash::hash(&book.config.fingerprint(), &mut hasher);
    std::hash::Hash::hash(&book.skeleton_fingerprint(), &mut hasher);
    std::hash::Hash::hash(&theme.templates.fingerprint(), &mut hasher);
    let key = std::hash::Hasher::finish(&hasher);
    if let Some((earlier, files)) = &memo.earlier
        && *earlier == key
    {
        return files.clone();
    }
    let made = files(book, theme);
    memo.earlier = Some((key, made.clone()));
    made
}

/// The practice files, when the book has a practice page.
pub(crate) fn files(book: &Book, theme: &Theme) -> Vec<SiteFile> {
    let Some(at) = book.pages.iter().position(|p| p.kind == PageKind::Practice) else {
        return Vec::new();
    };
    let folder = book.pages[at].url.clone();
    let base = book.config.book.base_or_root();
    let renderer = HtmlRenderer {
        highlighter: &theme.highlighter,
        callouts: &book.config.callouts,
        templates: &*theme.templates,
    };
    let mut cards = Vec::new();
    let mut entries = Vec::new();
    for question in &book.study.questions {
        let card = Card::new(book, &renderer, question, base);
        entries.push(JsonQuestion {
            title: plain_text(&question.prompt).trim().to_string(),
            title_html: card.question.clone(),
            answer_html: card.answer.clone(),
            answer_markdown: crate::llms::blocks_markdown(
                book,
                at,
                question.page,
                &question.answer,
                base,
            ),
            url: Linker::Base(base).href(&book.pages[question.page].url),
            id: question.id.clone(),
            part: part_title(book, question.page),
            chapter: book.pages[question.page].title.clone(),
        });
        cards.push(card);
    }
    let json = serde_json::to_string_pretty(&entries).unwrap_or_else(|_| "[]".into());
    vec![
        SiteFile::new(format!("{folder}flashcards.txt"), flashcards(&cards)),
        SiteFile::new(format!("{folder}questions.json"), format!("{json}\n")),
    ]
}

/// One flashcard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Card {
    /// The question, as HTML.
    pub(crate) question: String,
    /// The answer, as HTML.
    pub(crate) answer: String,
    /// The slugs of the question's parts and chapter.
    pub(crate) tags: Vec<String>,
}

impl Card {
    fn new(book: &Book, renderer: &HtmlRenderer<'_>, question: &QuestionEntry, base: &str) -> Self {
        let scope = scope(book, question.page, Linker::Base(base));
        let answer = renderer.render_blocks(&question.answer, scope).html;
        Self {
            question: renderer.inline_html(&question.prompt, scope),
            answer: answer.trim_end().to_string(),
            tags: tags(book, question.page),
        }
    }
}

/// The flashcard file of `cards`.
pub(crate) fn flashcards(cards: &[Card]) -> String {
    let mut out = String::from(FLASHCARD_HEADER);
    for card in cards {
        out.push_str(&field(&card.question));
        out.push('\t');
        out.push_str(&field(&card.answer));
        out.push('\t');
        out.push_str(&card.tags.join(" "));
        out.push('\n');
    }
    out
}

/// An HTML field of the flashcard file: tabs and line breaks become character references
/// (the same HTML to the browser that shows the card, and one line to the importer), and a
/// leading `"` or `#` is escaped too (Anki would read a quoted field, or a comment).
fn field(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    for (i, c) in html.char_indices() {
        match c {
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '"' if i == 0 => out.push_str("&quot;"),
            '#' if i == 0 => out.push_str("&#35;"),
            c => out.push(c),
        }
    }
    out
}

/// The tags of a question on page `page`: the slugs of its parts, then its page's.
fn tags(book: &Book, page: usize) -> Vec<String> {
    let url = &book.pages[page].url;
    let segments: Vec<String> = url
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join("-"))
        .collect();
    if segments.is_empty() {
        vec!["home".into()]
    } else {
        segments
    }
}

/// The title of the part page `page` belongs to (itself, for a part).
fn part_title(book: &Book, page: usize) -> Option<String> {
    book.part_of(page).map(|p| book.pages[p].title.clone())
}

/// One question in `questions.json`.
#[derive(Debug, Serialize)]
struct JsonQuestion {
    /// The question as plain text.
    title: String,
    /// The question as HTML.
    title_html: String,
    /// The answer as HTML.
    answer_html: String,
    /// The answer as Markdown.
    answer_markdown: String,
    /// The page that holds it.
    url: String,
    /// Its id on that page.
    id: String,
    /// The part's title, if the page is in one.
    part: Option<String>,
    /// The page's title.
    chapter: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a flashcard file the way Anki's importer does: header lines, then one card a
    /// line, fields split at tabs, character references for tabs and line breaks decoded.
    fn parse(file: &str) -> (Vec<&str>, Vec<Card>) {
        let mut headers = Vec::new();
        let mut cards = Vec::new();
        for line in file.lines() {
            if let Some(header) = line.strip_prefix('#') {
                headers.push(header);
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 3, "{line:?}");
            let decode = |f: &str| {
                f.replace("&#9;", "\t")
                    .replace("&#10;", "\n")
                    .replace("&#13;", "\r")
            };
            cards.push(Card {
                question: decode(fields[0]),
                answer: decode(fields[1]),
                tags: fields[2].split(' ').map(str::to_string).collect(),
            });
        }
        (headers, cards)
    }

    #[test]
    fn flashcards_parse_back() {
        let cards = vec![
            Card {
                question: "What is <code>a\tb</code>?".into(),
                answer: "<p>One.</p>\n<pre><code>line 1\n\tline 2\n</code></pre>".into(),
                tags: vec!["systems".into(), "caching".into()],
            },
            Card {
                question: "Plain".into(),
                answer: "<p>Two</p>".into(),
                tags: vec!["home".into()],
            },
        ];
        let file = flashcards(&cards);
        assert!(file.starts_with("#separator:tab\n#html:true\n#tags column:3\n"));
        assert_eq!(file.lines().count(), 5, "{file}");
        let (headers, parsed) = parse(&file);
        assert_eq!(headers, ["separator:tab", "html:true", "tags column:3"]);
        assert_eq!(parsed, cards);
    }

    #[test]
    fn leading_quotes_and_hashes_are_escaped() {
        assert_eq!(field("\"Why\" not?"), "&quot;Why\" not?");
        assert_eq!(field("#1 rule"), "&#35;1 rule");
    }
}
