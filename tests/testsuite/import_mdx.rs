//! `guidebook import` of MDX guides (Mintlify, Docusaurus): after the import and a build, no
//! page shows a component's tag, a JSX attribute or an `import` line as text, and every
//! component of the fixtures became our construct.

use std::path::Path;
use std::process::Command;

use crate::harness::{files_under, fixtures, main_element};

/// Imports a fixture guide and builds it; returns the new book's folder (kept alive by the
/// returned temporary folder).
fn import_and_build(case: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("book");
    let source = fixtures().join("import").join(case).join("source");
    let run = |dir: &Path, args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_guidebook"))
            .args(args)
            .current_dir(dir)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run(
        out.path(),
        &["import", &source.to_string_lossy(), &dest.to_string_lossy()],
    );
    run(&dest, &["build"]);
    (out, dest)
}

/// The text a reader sees in a page's `<main>`, code left out: tags removed, entities read.
fn visible_text(html: &str) -> String {
    let main = main_element(html);
    let mut text = String::new();
    let mut rest = main.as_str();
    // Code shows syntax on purpose.
    while let Some(at) = rest.find("<pre") {
        text.push_str(&rest[..at]);
        rest = rest[at..]
            .find("</pre>")
            .map_or("", |end| &rest[at + end + 6..]);
    }
    text.push_str(rest);
    let mut plain = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => plain.push(c),
            _ => {}
        }
    }
    plain
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Asserts that no built page shows MDX as text.
fn assert_no_visible_mdx(book: &Path) {
    let mut pages = 0;
    for (path, bytes) in files_under(&book.join("site")) {
        if !path.ends_with(".html") || path.starts_with("pagefind") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        if !html.contains("<main") {
            // A redirect page.
            continue;
        }
        pages += 1;
        let text = visible_text(&html);
        for line in text.lines() {
            let tag = line.match_indices('<').any(|(i, _)| {
                line[i + 1..]
                    .trim_start_matches('/')
                    .starts_with(|c: char| c.is_ascii_uppercase())
            });
            assert!(!tag, "{path}: a component's tag is visible: {line}");
            assert!(
                !line.contains("={"),
                "{path}: a JSX attribute is visible: {line}"
            );
            let trimmed = line.trim_start();
            assert!(
                !trimmed.starts_with("import ") && !trimmed.starts_with("export "),
                "{path}: an ESM line is visible: {line}"
            );
        }
    }
    assert!(pages >= 8, "only {pages} pages were built");
}

#[test]
fn mintlify_pages_show_no_mdx_and_use_our_constructs() {
    let (_out, book) = import_and_build("mintlify");
    assert_no_visible_mdx(&book);
    let quickstart =
        std::fs::read_to_string(book.join("site/guides/start/quickstart/index.html")).unwrap();
    let main = main_element(&quickstart);
    for hook in [
        "data-steps",
        "data-step",
        "data-tabs",
        "data-details",
        "data-callout=\"tip\"",
        "data-callout=\"warning\"",
        "data-callout=\"danger\"",
    ] {
        assert!(main.contains(hook), "quickstart has no `{hook}`:\n{main}");
    }
    // The snippet was inlined with its prop.
    assert!(
        main.contains("Keep your lantern away from curtains."),
        "{main}"
    );
    let setup = std::fs::read_to_string(book.join("site/guides/start/setup/index.html")).unwrap();
    assert!(main_element(&setup).contains("data-callout=\"check\""));
}

#[test]
fn docusaurus_pages_show_no_mdx_and_use_our_constructs() {
    let (_out, book) = import_and_build("docusaurus");
    assert_no_visible_mdx(&book);
    let intro = main_element(&std::fs::read_to_string(book.join("site/intro/index.html")).unwrap());
    for hook in [
        "data-tabs",
        "data-tab=\"Electric\"",
        "data-details",
        "data-callout=\"note\"",
        "data-callout=\"tip\"",
        "id=\"pick\"",
    ] {
        assert!(intro.contains(hook), "intro has no `{hook}`:\n{intro}");
    }
    // The absolute slug and the client redirect became redirect pages.
    assert!(
        book.join("site/docs/welcome/index.html").is_file()
            || book.join("site/welcome/index.html").is_file()
    );
}
