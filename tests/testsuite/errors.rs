//! Bad input that cannot live in a fixture folder.

use crate::harness::{BookTest, assert_with};

#[test]
fn a_file_that_is_not_utf8() {
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"Guide\"\n")
        .file("content/01-ok.md", "# Fine\n")
        .file("content/02-latin1.md", b"# Caf\xe9 au lait\n\nBody.\n");
    let run = test.build();
    assert_eq!(run.code, 1);
    assert_with(&test.root).eq(
        run.stderr,
        snapbox::str![[r#"
error: the file is not valid UTF-8
 --> content/02-latin1.md:1:6
  |
1 | # Caf� au lait
  |      ^ byte 0xE9 cannot start a UTF-8 character
  |
  = help: save the file as UTF-8 (in most editors: "Save with encoding" → UTF-8)

Build failed: 1 error

"#]],
    );
}

#[test]
#[cfg(unix)]
fn a_file_name_that_cannot_be_a_url() {
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"Guide\"\n")
        .file("content/01-q&a: basics.md", "# Basics\n");
    let run = test.build();
    assert_eq!(run.code, 1);
    assert_with(&test.root).eq(
        run.stderr,
        snapbox::str![[r#"
error: the file name `01-q&a: basics` cannot be part of a URL: it contains `:`
 --> content/01-q&a: basics.md:1:1
  |
1 | # Basics
  | ^
  |
  = help: rename the file, or set `slug = "q&a--basics"` in the front matter of the page

Build failed: 1 error

"#]],
    );
}

#[test]
fn a_folder_name_that_cannot_be_a_url_names_the_folder() {
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"Guide\"\n")
        .file("content/02-c#sharp/01-a.md", "# A\n");
    let run = test.build();
    assert_eq!(run.code, 1);
    assert_with(&test.root).eq(
        run.stderr,
        snapbox::str![[r#"
error: the folder name `02-c#sharp` cannot be part of a URL: it contains `#`
--> content/02-c#sharp
 = help: rename the folder, or set `slug = "c-sharp"` in the front matter of its `_index.md`

Build failed: 1 error

"#]],
    );
}

#[test]
fn content_files_cannot_take_the_sites_own_paths() {
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"Guide\"\n")
        .file("content/01-a.md", "# A\n")
        .file("content/llms.txt", "mine")
        .file("content/pagefind/pagefind.js", "mine")
        .file("static/__guidebook/live.js", "mine");
    let run = test.build();
    assert_eq!(run.code, 1);
    assert_with(&test.root).eq(run.stderr, snapbox::str![[r#"
error: two files are written to `llms.txt`: a file guidebook generates and `content/llms.txt`
--> content/llms.txt
 = help: rename or move `content/llms.txt`: guidebook writes that path itself

error: `content/pagefind/pagefind.js` would be written inside `/pagefind/`, which the site reserves for its search index
--> content/pagefind/pagefind.js
 = help: move it out of a folder named `pagefind`

error: `static/__guidebook/live.js` would be written inside `/__guidebook/`, which the site reserves for the live preview
--> static/__guidebook/live.js
 = help: move it out of a folder named `__guidebook`

Build failed: 3 errors

"#]]);
    assert!(!test.site().exists(), "nothing is written");
}

#[test]
fn templates_without_the_search_marker_are_reported() {
    let page = "{% extends \"builtin/base.html\" %}{% block main %}<article>{{ page.content | safe }}</article>{% endblock main %}";
    // Only chapters lose the marker: they would be missing from search.
    let some = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"Guide\"\n")
        .file("content/01-a.md", "# A\n")
        .file("content/02-b.md", "# B\n")
        .file("templates/page.html", page);
    let run = some.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_with(&some.root).eq(run.stderr, snapbox::str![[r#"
warning: 2 page(s) cannot be found by search (`/a/` among them): their HTML has no `data-pagefind-body`
 = help: put `data-pagefind-body` on the element that holds the page's text in your templates (the built-in ones put it on `<article>`)


"#]]);
    // No page has it: Pagefind indexes them whole, chrome and all (regression: this was
    // reported as pages missing from search).
    let none = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"Guide\"\n")
        .file("content/01-a.md", "# A\n")
        .file("templates/page.html", page)
        .file("templates/home.html", page);
    let run = none.run(&["build"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_with(&none.root).eq(run.stderr, snapbox::str![[r#"
warning: no page's HTML has `data-pagefind-body`, so search indexes every page whole: its navigation and header match queries too
 = help: put `data-pagefind-body` on the element that holds the page's text in your templates (the built-in ones put it on `<article>`)


"#]]);
}
