//! llms.txt, llms-full.txt and the Markdown twins, checked on the sample guide.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::harness::BookTest;

fn sample_guide(args: &[&str]) -> BookTest {
    let test = BookTest::sample_guide();
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let run = test.run(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    test
}

/// The link destinations of a Markdown text.
fn link_targets(markdown: &str) -> Vec<String> {
    Parser::new(markdown)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.into_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn llms_txt_has_the_llmstxt_org_structure() {
    let test = sample_guide(&[]);
    let text = test.site_file("llms.txt");
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with("# "), "an H1 first");
    assert_eq!(lines.next(), Some(""));
    assert!(
        lines.next().unwrap().starts_with("> "),
        "then the description as a quote"
    );
    // Under every `##`, only a list of links.
    let mut in_section = false;
    for line in text.lines() {
        if line.starts_with("## ") {
            in_section = true;
            continue;
        }
        if in_section && !line.is_empty() {
            assert!(
                line.starts_with("- [") && line.contains("]("),
                "only link lists under ## headings, found: {line}"
            );
        }
    }
    assert!(
        text.contains("\n## Optional\n"),
        "the sample guide marks a page optional"
    );
    assert_eq!(text.matches("\n# ").count(), 0, "a single H1");
}

#[test]
fn every_url_in_llms_txt_resolves_to_a_written_file() {
    for (args, prefix) in [
        (&[][..], "/"),
        (
            &["--base-url", "https://example.com/guide/"][..],
            "https://example.com/guide/",
        ),
    ] {
        let test = sample_guide(args);
        let text = test.site_file("llms.txt");
        let targets = link_targets(&text);
        assert!(targets.len() >= 10, "{text}");
        for url in targets {
            let path = url
                .strip_prefix(prefix)
                .unwrap_or_else(|| panic!("{url} starts with {prefix}"));
            assert!(path.ends_with(".md"), "{url} points at a Markdown twin");
            assert!(test.site().join(path).is_file(), "{url} has no file");
        }
    }
}

#[test]
fn twins_have_no_dialect_left_and_links_resolve() {
    let test = sample_guide(&[]);
    let mut twins = 0;
    for entry in walkdir::WalkDir::new(test.site()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        twins += 1;
        let markdown = std::fs::read_to_string(entry.path()).unwrap();
        assert!(
            markdown.starts_with("# "),
            "{} opens with its title",
            entry.path().display()
        );
        let mut in_code = false;
        for event in Parser::new(&markdown) {
            match event {
                Event::Start(Tag::CodeBlock(_)) => in_code = true,
                Event::End(TagEnd::CodeBlock) => in_code = false,
                Event::Text(text) if !in_code => assert!(
                    !text.contains(":::"),
                    "{}: `:::` outside a code block: {text}",
                    entry.path().display()
                ),
                _ => {}
            }
        }
        for target in link_targets(&markdown) {
            if target.starts_with("http") || target.starts_with('#') {
                continue;
            }
            let file = target.split('#').next().unwrap();
            let resolved = entry.path().parent().unwrap().join(file);
            assert!(
                resolved.is_file(),
                "{}: link {target} does not resolve",
                entry.path().display()
            );
        }
    }
    assert!(twins >= 11, "a twin for every page, found {twins}");
}

#[test]
fn every_page_links_its_twin() {
    let test = sample_guide(&[]);
    for entry in walkdir::WalkDir::new(test.site()) {
        let entry = entry.unwrap();
        if entry.file_name() != "index.html" {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        let marker = "<link rel=\"alternate\" type=\"text/markdown\" href=\"";
        let start = html
            .find(marker)
            .unwrap_or_else(|| panic!("{} links no twin", entry.path().display()))
            + marker.len();
        let href = &html[start..start + html[start..].find('"').unwrap()];
        assert!(
            entry.path().parent().unwrap().join(href).is_file(),
            "{href} from {}",
            entry.path().display()
        );
        assert!(
            html.contains("data-copy-page="),
            "a Copy page as Markdown button"
        );
    }
}

#[test]
fn llms_full_txt_holds_every_twin_in_order() {
    let test = sample_guide(&["--base-url", "https://example.com/guide/"]);
    let full = test.site_file("llms-full.txt");
    let titles: Vec<&str> = full.lines().filter(|l| l.starts_with("# ")).collect();
    let sources: Vec<&str> = full.lines().filter(|l| l.starts_with("Source: ")).collect();
    assert_eq!(titles.len(), sources.len());
    assert!(titles.len() >= 11);
    assert!(
        sources
            .iter()
            .all(|s| s.starts_with("Source: https://example.com/guide/"))
    );
    let nav = test.site_file("assets/nav.js");
    let first_chapter = "How to use this guide";
    assert!(nav.contains(first_chapter));
    let pos = |needle: &str| {
        full.find(needle)
            .unwrap_or_else(|| panic!("{needle} in llms-full.txt"))
    };
    assert!(
        pos("# How to use this guide") < pos("# Foundations"),
        "navigation order"
    );
}

#[test]
fn llms_exports_can_be_turned_off() {
    let test = BookTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"G\"\n[llms]\nenabled = false\n",
        )
        .file("content/01-a.md", "# A\n");
    assert_eq!(test.build().code, 0);
    assert!(!test.site().join("llms.txt").exists());
    assert!(!test.site().join("a.md").exists());
    let html = test.site_file("a/index.html");
    assert!(!html.contains("text/markdown"));
    assert!(!html.contains("data-copy-page"));

    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"G\"\n[llms]\nfull = false\n")
        .file("content/01-a.md", "# A\n");
    assert_eq!(test.build().code, 0);
    assert!(test.site().join("llms.txt").exists());
    assert!(!test.site().join("llms-full.txt").exists());
}

/// HTML of Markdown, as a reader of the twin would render it.
fn rendered(markdown: &str) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(
        &mut html,
        Parser::new_ext(markdown, pulldown_cmark::Options::all()),
    );
    html
}

#[test]
fn escaped_markup_stays_text_in_twins_and_llms_full() {
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"G\"\n")
        .file(
            "content/01-a.md",
            "# A\n\nSay &lt;script&gt;alert(1)&lt;/script&gt; and &amp;lt; here.\n\n\
             | Input | Shown |\n| --- | --- |\n| &lt;script&gt;x&lt;/script&gt; | as text |\n\n\
             It costs ~$45/month.\n",
        );
    assert_eq!(test.build().code, 0);
    let page = test.site_file("a/index.html");
    assert!(page.contains("&lt;script&gt;alert(1)"), "{page}");
    for text in [test.site_file("a.md"), test.site_file("llms-full.txt")] {
        let html = rendered(&text);
        assert!(!html.contains("<script"), "{text}\n{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(
            html.contains("<td>&lt;script&gt;x&lt;/script&gt;</td>"),
            "{html}"
        );
        assert!(
            html.contains("&amp;lt;"),
            "&amp;lt; stays an ampersand: {html}"
        );
        assert!(text.contains("~$45/month"), "no needless escape: {text}");
    }
}
