//! The generated study pages as a whole: ids that stay unique when content of many chapters
//! stands on one page, and index entries as search finds them.

use std::collections::{BTreeMap, BTreeSet};

use crate::harness::BookTest;

/// The values of every `name="…"` attribute in `html`, in order.
fn attribute_values<'h>(html: &'h str, name: &str) -> Vec<&'h str> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(at, _)| {
            let rest = &html[at + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// The ids `#fragment` links of `html` point at, decoded.
fn in_page_targets(html: &str) -> Vec<String> {
    attribute_values(html, "href")
        .into_iter()
        .filter_map(|href| href.strip_prefix('#'))
        .map(|fragment| {
            percent_encoding::percent_decode_str(fragment)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}

/// Fails when an id repeats in `html` or a `#fragment` link of it has no target there.
fn assert_ids_unique_and_links_land(page: &str, html: &str) {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for id in attribute_values(html, "id") {
        *seen.entry(id).or_default() += 1;
    }
    let repeated: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        repeated.is_empty(),
        "{page}: ids used more than once: {repeated:?}"
    );
    for target in in_page_targets(html) {
        assert!(
            seen.contains_key(target.as_str()),
            "{page}: `#{target}` points at no id of the page"
        );
    }
}

#[test]
fn answers_and_terms_from_several_chapters_keep_ids_unique_on_generated_pages() {
    let test = BookTest::fixture("study/duplicate-ids");
    let run = test.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in [
        "practice/index.html",
        "glossary/index.html",
        "print/index.html",
    ] {
        assert_ids_unique_and_links_land(page, &test.site_file(page));
    }
    // Links inside an answer (to its heading, its footnotes and back) stay inside its card.
    let practice = test.site_file("practice/index.html");
    let cards: Vec<&str> = practice
        .split("<section class=\"practice-card\"")
        .skip(1)
        .map(|card| card.split("</section>\n</section>").next().unwrap_or(card))
        .collect();
    assert_eq!(cards.len(), 3, "{practice}");
    let mut local_links = 0;
    for card in cards {
        let ids: BTreeSet<&str> = attribute_values(card, "id").into_iter().collect();
        for target in in_page_targets(card) {
            assert!(
                ids.contains(target.as_str()),
                "`#{target}` leaves its card:\n{card}"
            );
            local_links += 1;
        }
    }
    // Two links to "Example" and its two anchors, four footnote references and their four
    // ways back.
    assert_eq!(local_links, 12, "{practice}");
}

/// The text of every search record and page fragment of the built site.
fn search_fragments(test: &BookTest) -> String {
    let mut text = String::new();
    for entry in walkdir::WalkDir::new(test.site().join("pagefind/fragment")) {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        let mut decoder = flate2::read::GzDecoder::new(&bytes[..]);
        std::io::Read::read_to_string(&mut decoder, &mut text).unwrap();
        text.push('\n');
    }
    text
}

#[test]
fn entries_of_a_numbered_kind_are_found_with_their_numbers() {
    let numbered = BookTest::fixture("study/index-numbered");
    assert_eq!(numbered.build().code, 0);
    let records = search_fragments(&numbered);
    for title in [
        "War Story 1 — Mongo audit",
        "War Story 2",
        "War Story 3 — Cache stampede",
    ] {
        assert!(
            records.contains(&format!("\"title\":\"{title}\"")),
            "no record titled {title:?}:\n{records}"
        );
    }
}

#[test]
fn index_entries_are_found_with_the_text_of_their_empty_links() {
    let filled = BookTest::fixture("study/index-filled-links");
    assert_eq!(filled.build().code, 0);
    let records = search_fragments(&filled);
    assert!(
        records.contains(
            "Doing it twice is like doing it once, as Safe retries shows in Retries in practice."
        ),
        "{records}"
    );
    assert!(
        records.contains("which Idempotence makes safe."),
        "{records}"
    );
}
