//! `guidebook build`, `check` and `init` as a user runs them.

use crate::harness::{BookTest, assert_built, files_under};

#[test]
fn the_sample_guide_builds_every_page_404_and_sitemap() {
    let test = BookTest::sample_guide();
    let run = test.run(&["build", "--base-url", "https://example.com/guide/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("Built "),
        "summary line: {}",
        run.stdout
    );
    assert!(test.site().join("404.html").exists());
    assert!(test.site().join("robots.txt").exists());
    let sitemap = test.site_file("sitemap.xml");
    let urls: Vec<&str> = sitemap
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<url><loc>"))
        .map(|l| l.trim_end_matches("</loc></url>"))
        .collect();
    let chapters = walkdir::WalkDir::new(test.root.join("content"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter(|e| {
            !std::fs::read_to_string(e.path())
                .unwrap()
                .contains("draft = true")
        })
        .count();
    assert!(
        urls.len() >= chapters,
        "{} URLs for {chapters} pages",
        urls.len()
    );
    for url in urls {
        let path = url
            .strip_prefix("https://example.com/guide/")
            .expect("absolute URL");
        let file = test.site().join(path).join("index.html");
        assert!(file.exists(), "{url} has no page at {}", file.display());
    }
}

#[test]
fn the_sample_guide_has_no_warnings() {
    let run = BookTest::sample_guide().run(&["check", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn two_builds_are_byte_identical() {
    let test = BookTest::sample_guide();
    assert_eq!(test.build().code, 0);
    let first = files_under(&test.site());
    assert_eq!(test.build().code, 0);
    let second = files_under(&test.site());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between two builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_site() {
    let test = BookTest::fixture("build/book-layout");
    assert_eq!(test.build().code, 0);
    let before = files_under(&test.site());
    test.write("content/99-broken.md", "+++\ntitle = \"Broken\n+++\n");
    let run = test.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        files_under(&test.site()),
        before,
        "the old site is untouched"
    );
    let leftovers: Vec<String> = std::fs::read_dir(&test.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary folders left: {leftovers:?}"
    );
}

#[test]
fn check_writes_nothing() {
    let test = BookTest::fixture("build/book-layout");
    let run = test.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("Checked "), "{}", run.stdout);
    assert!(!test.site().exists());
}

#[test]
fn init_then_build_works() {
    let test = BookTest::empty();
    let init = test.run(&["init", "new-book"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    let run = test.run(&["build", "new-book", "--strict"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(test.root.join("new-book/site/index.html").exists());
    // A second init keeps every file.
    std::fs::write(
        test.root.join("new-book/book.toml"),
        "[book]\ntitle = \"Mine\"\n",
    )
    .unwrap();
    let again = test.run(&["init", "new-book"]);
    assert_eq!(again.code, 0);
    assert!(
        again.stdout.contains("kept    book.toml"),
        "{}",
        again.stdout
    );
    assert_eq!(
        std::fs::read_to_string(test.root.join("new-book/book.toml")).unwrap(),
        "[book]\ntitle = \"Mine\"\n"
    );
}

#[test]
fn titles_are_escaped_in_title_nav_and_page() {
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"Guide <b>&</b>\"\n")
        .file(
            "content/01-x.md",
            "+++\ntitle = \"<script>alert(1)</script>\"\ndescription = \"say \\\"hi\\\" <img src=x onerror=alert(1)>\"\n+++\n\nBody.\n",
        )
        .file("content/02-y.md", "# Next\n");
    let run = test.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in ["x/index.html", "y/index.html", "index.html"] {
        let html = test.site_file(page);
        assert!(
            !html.contains("<script>alert(1)</script>"),
            "{page} has a raw script tag"
        );
        assert!(!html.contains("<img src=x"), "{page} has a raw img tag");
        assert!(!html.contains("Guide <b>"), "{page} has a raw book title");
    }
    let html = test.site_file("x/index.html");
    assert!(html.contains("<title>&lt;script&gt;alert(1)&lt;&#x2F;script&gt; · Guide &lt;b&gt;&amp;&lt;&#x2F;b&gt;</title>")
        || html.contains("<title>&lt;script&gt;alert(1)&lt;/script&gt; · Guide &lt;b&gt;&amp;&lt;/b&gt;</title>"),
        "escaped <title>: {}", html.lines().find(|l| l.contains("<title>")).unwrap_or(""));
    assert!(
        html.contains("aria-current=\"page\">&lt;script&gt;alert(1)"),
        "escaped in the nav"
    );
    assert!(
        html.contains("<h1 data-pagefind-meta=\"title\">&lt;script&gt;alert(1)"),
        "escaped in the heading"
    );
    let nav = test.site_file("assets/nav.js");
    assert!(
        nav.contains(r#""t":"<script>alert(1)</script>""#),
        "the nav script holds the title as JSON data: {nav}"
    );
}

#[test]
fn the_sidebar_marks_the_current_page_and_the_toc_lists_sections() {
    let test = BookTest::fixture("build/book-layout");
    assert_eq!(test.build().code, 0);
    let html = test.site_file("apis/rest-vs-graphql/index.html");
    let nav = &html[html.find("<nav class=\"sidebar\"").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(
        nav.contains("<a href=\"index.html\" aria-current=\"page\">REST or GraphQL</a>"),
        "{nav}"
    );
    assert_eq!(nav.matches("aria-current").count(), 1);
    let toc = &html[html.find("data-toc").unwrap()..];
    assert!(toc.contains("href=\"#when-rest-fits\""), "{toc}");
    assert!(html.contains("rel=\"prev\""));
    assert!(html.contains("rel=\"next\""));
}

#[test]
fn base_url_adds_canonical_links_and_sitemap() {
    let test = BookTest::fixture("build/book-layout");
    let without = test.build();
    assert_eq!(without.code, 0);
    assert!(!test.site().join("sitemap.xml").exists());
    assert!(!test.site_file("index.html").contains("rel=\"canonical\""));
    let with = test.run(&["build", "--base-url", "https://example.org/docs"]);
    assert_eq!(with.code, 0, "{}", with.stderr);
    assert!(
        test.site_file("apis/index.html")
            .contains("<link rel=\"canonical\" href=\"https://example.org/docs/apis/\">")
    );
    assert!(
        test.site_file("robots.txt")
            .contains("Sitemap: https://example.org/docs/sitemap.xml")
    );
}

#[test]
fn pages_work_from_disk_with_relative_links_only() {
    let test = BookTest::fixture("build/book-layout");
    assert_eq!(test.build().code, 0);
    for entry in walkdir::WalkDir::new(test.site()) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "html") || entry.file_name() == "404.html" {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).unwrap();
        for attr in [
            "href=\"/",
            "src=\"/",
            "href=\"http://",
            "src=\"http",
            "//cdn",
            "fonts.googleapis",
        ] {
            assert!(
                !html.contains(attr),
                "{} contains {attr}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn unknown_book_folder_is_a_usage_error() {
    let test = BookTest::empty();
    let run = test.run(&["build", "nowhere"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not a book"), "{}", run.stderr);
}

#[test]
fn help_and_version() {
    let test = BookTest::empty();
    for command in [
        &["--help"][..],
        &["build", "--help"],
        &["check", "--help"],
        &["init", "--help"],
    ] {
        let run = test.run(command);
        assert_eq!(run.code, 0, "{command:?}");
        assert!(
            run.stdout.contains("Usage: guidebook"),
            "{command:?}: {}",
            run.stdout
        );
    }
    let version = test.run(&["--version"]);
    assert_eq!(
        version.stdout.trim(),
        format!("guidebook {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(test.run(&["build", "--no-such-flag"]).code, 2);
}

#[test]
fn the_404_page_links_from_the_site_root() {
    let test = BookTest::fixture("build/book-layout");
    assert_eq!(test.build().code, 0);
    let html = test.site_file("404.html");
    assert!(
        html.contains("href=\"/assets/guidebook.css?v="),
        "root-relative without a base URL"
    );
    assert!(
        html.contains("href=\"/apis/\""),
        "nav links start at the root"
    );
    assert!(
        html.contains("<a class=\"skip-link\" href=\"#content\">"),
        "the skip link stays on the page"
    );
    assert!(!html.contains("<base"), "no <base> element");
    assert_eq!(
        test.run(&["build", "--base-url", "https://example.org/docs/"])
            .code,
        0
    );
    let html = test.site_file("404.html");
    assert!(
        html.contains("href=\"https://example.org/docs/apis/\""),
        "absolute with a base URL"
    );
}

#[test]
fn a_late_first_heading_is_the_title_and_is_not_repeated() {
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"G\"\n")
        .file("content/01-a.md", "Intro first.\n\n# Late title\n\nBody.\n");
    assert_eq!(test.build().code, 0);
    let html = test.site_file("a/index.html");
    assert_eq!(html.matches("<h1").count(), 1, "one h1");
    assert!(html.contains("<title>Late title · G</title>"));
}

#[test]
fn home_page_slug_and_draft_are_reported() {
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"G\"\n")
        .file(
            "content/_index.md",
            "+++\nslug = \"start\"\ndraft = true\n+++\n",
        )
        .file("content/01-a.md", "# A\n");
    let run = test.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("warning: `slug` has no effect on the home page"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("warning: `draft` has no effect on the home page"),
        "{}",
        run.stderr
    );
}

#[test]
fn query_strings_on_chapter_links_are_kept() {
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"G\"\n")
        .file("content/01-a.md", "# A\n\n[B](02-b.md?tab=go#usage)\n")
        .file("content/02-b.md", "# B\n\n## Usage\n");
    assert_eq!(test.build().code, 0);
    assert!(
        test.site_file("a/index.html")
            .contains("href=\"../b/index.html?tab=go#usage\"")
    );
}

#[test]
fn chapters_show_only_their_own_description() {
    let test = BookTest::fixture("build/book-layout");
    assert_eq!(test.build().code, 0);
    let intro = test.site_file("introduction/index.html");
    assert!(
        !intro.contains("class=\"page-description\""),
        "no book description under a chapter title"
    );
    assert!(
        intro.contains(
            "<meta name=\"description\" content=\"A book that uses every layout rule.\">"
        )
    );
}

#[test]
fn the_page_heading_has_an_id_and_its_links_are_checked() {
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"G\"\n")
        .file(
            "content/01-a.md",
            "# Intro to [Other](02-b.md)\n\n[Top](#) and [again](#intro-to-other).\n",
        )
        .file(
            "content/02-b.md",
            "# Other\n\n[Back to the intro](01-a.md#intro-to-other)\n",
        );
    let run = test.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = test.site_file("a/index.html");
    assert!(html.contains("<h1 data-pagefind-meta=\"title\" id=\"intro-to-other\">Intro to <a href=\"../b/index.html\">Other</a></h1>"), "{html}");
    assert!(html.contains("<a href=\"#\">Top</a>"));
    assert!(html.contains("<a href=\"#intro-to-other\">again</a>"));

    test.write("content/01-a.md", "# Intro to [Nothing](nope.md)\n");
    let run = test.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("link to a missing page `nope.md`"),
        "{}",
        run.stderr
    );
}

#[test]
#[cfg(unix)]
fn pages_linked_from_outside_the_book_are_left_out() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.md"),
        "# Secret\n\nPrivate notes.\n",
    )
    .unwrap();
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"G\"\n")
        .file("content/01-a.md", "# A\n");
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        test.root.join("content/02-secret.md"),
    )
    .unwrap();
    let run = test.run(&["build", "--no-search"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("links to a file outside the book; it is left out"),
        "{}",
        run.stderr
    );
    assert!(!test.site().join("secret").exists());
    assert!(!test.site_file("llms-full.txt").contains("Private notes"));
    assert_eq!(
        test.run(&["check", "--strict"]).code,
        1,
        "--strict fails on the warning"
    );
}

/// A one-chapter book titled "G" with these `[build]` settings.
fn one_chapter_book(build: &str, chapter: &str) -> BookTest {
    BookTest::empty()
        .file(
            "book.toml",
            format!("[book]\ntitle = \"G\"\n\n[build]\n{build}"),
        )
        .file(chapter, "# A\n")
}

#[test]
fn content_dir_dot_skips_the_site_and_theme_folders() {
    let test = one_chapter_book("content-dir = \".\"\n", "01-a.md")
        .file("static/notes.md", "# Not a page\n");
    assert_eq!(test.build().code, 0);
    // The site is not read back as content.
    assert_built(&test.build(), 2);
}

#[test]
fn the_configured_build_folder_is_never_read_as_content() {
    let test = one_chapter_book("content-dir = \".\"\nbuild-dir = \"out\"\n", "01-a.md");
    assert_eq!(test.build().code, 0);
    assert!(test.root.join("out/index.html").exists());
    // Building elsewhere still skips `out/` (regression: it was read as chapters).
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("site");
    assert_built(&test.run(&["build", "--out", target.to_str().unwrap()]), 2);
}

#[test]
fn a_site_inside_the_content_folder_must_be_the_build_dir() {
    let test = one_chapter_book("", "content/01-a.md");
    let run = test.run(&["build", "--out", "content/site"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "it is inside the content folder, so the next build would read the site as chapters"
        ),
        "{}",
        run.stderr
    );
    assert!(!test.root.join("content/site").exists());
    let inside = one_chapter_book("build-dir = \"content/site\"\n", "content/01-a.md");
    assert_eq!(inside.build().code, 0);
    assert_built(&inside.build(), 2);
}

#[test]
fn the_build_folder_is_recognised_however_it_is_spelt() {
    // The book folder of a BookTest is called `book`.
    let test = one_chapter_book(
        "content-dir = \".\"\nbuild-dir = \"../book/out\"\n",
        "01-a.md",
    );
    assert_eq!(test.build().code, 0);
    assert_built(&test.build(), 2);
}

#[test]
fn a_hidden_folder_inside_the_content_folder_can_hold_the_site() {
    let test = one_chapter_book("content-dir = \".\"\n", "01-a.md");
    for _ in 0..2 {
        assert_built(&test.run(&["build", "--out", "_site"]), 2);
    }
}

#[test]
fn a_file_may_take_a_path_the_build_leaves_free() {
    // With `full = false` there is no generated llms-full.txt to collide with (regression:
    // this was reported as two files written to the same path).
    let test = BookTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"G\"\n\n[llms]\nfull = false\n",
        )
        .file("content/01-a.md", "# A\n")
        .file("content/llms-full.txt", "mine");
    assert_built(&test.build(), 2);
    assert_eq!(test.site_file("llms-full.txt"), "mine");
}

#[test]
fn a_page_at_print_keeps_its_place_and_the_print_page_steps_aside() {
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"Taken\"\n")
        .file("content/01-one.md", "# One\n\nText.\n")
        .file("content/02-print.md", "# Printing tips\n\nMine.\n");
    let run = test.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/02-print.md") && run.stderr.contains("no print page"),
        "{}",
        run.stderr
    );
    assert!(test.site_file("print/index.html").contains("Mine."));
    assert!(!test.site_file("one/index.html").contains("print-link"));
}

#[test]
fn the_print_page_holds_every_page_and_is_linked_from_the_header() {
    let test = BookTest::sample_guide();
    let run = test.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let print = test.site_file("print/index.html");
    assert!(print.contains(r#"<meta name="robots" content="noindex">"#));
    let sections = print.matches(r#"<section class="print-section"#).count();
    let pages = walkdir::WalkDir::new(test.site())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .filter(|e| {
            let html = std::fs::read_to_string(e.path()).unwrap();
            ["chapter", "part", "home"]
                .iter()
                .any(|kind| html.contains(&format!("data-page-kind=\"{kind}\"")))
        })
        .count();
    // Every chapter and part, and the home page the sample guide writes (not the glossary
    // or the drill, which repeat the chapters).
    assert_eq!(sections, pages, "{sections} sections for {pages} pages");
    let chapter = test.site_file("systems/caching/index.html");
    assert!(chapter.contains(r#"class="icon-button print-link" href="../../print/index.html""#));
}
