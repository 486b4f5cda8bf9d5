//! Links between pages: regressions from books moved over from other tools, `broken-links`,
//! and hints for other tools' link forms.

use crate::harness::{BookTest, assert_built, assert_with};

fn book() -> BookTest {
    BookTest::empty().file("book.toml", "[book]\ntitle = \"Guide\"\n")
}

#[test]
fn a_front_matter_error_does_not_make_links_to_its_page_missing() {
    // One bad key in `routing.md` used to turn every link to it into "a missing page".
    let test = book()
        .file(
            "content/01-intro.md",
            "# Intro\n\nSee [routing](02-routing.md), [](02-routing.md#paths) and [](03-broken.md).\n",
        )
        .file(
            "content/02-routing.md",
            "---\ntitle: Routing\nsidebar_position: 2\n---\n\n## Paths\n",
        )
        .file("content/03-broken.md", "+++\ntitle = \n+++\n");
    let run = test.build();
    assert_eq!(run.code, 1);
    assert_with(&test.root).eq(
        run.stderr,
        snapbox::str![[r#"
error: unknown key `sidebar_position`
 --> content/02-routing.md:3:1
  |
3 | sidebar_position: 2
  | ^^^^^^^^^^^^^^^^
  |
  = help: guidebook calls this `weight`: an integer, lower first (`weight: 2`)

error: invalid TOML front matter: string values must be quoted, expected literal string
 --> content/03-broken.md:2:9
  |
2 | title = 
  |         ^
  |
  = help: check the TOML syntax here: text in double quotes, tables as `[name]`, one `key = value` per line

Build failed: 2 errors

"#]],
    );
}

#[test]
fn a_folder_link_reaches_a_part_without_an_index_file() {
    let test = book()
        .file("content/01-intro.md", "# Intro\n\n[The part](02-part/)\n")
        .file("content/02-part/01-a.md", "# A\n\n[Up](../02-part/)\n")
        .file("content/02-part/02-b.md", "# B\n\n[Up](./)\n");
    assert_built(&test.build(), 5);
    let intro = test.site_file("intro/index.html");
    assert!(
        intro.contains("<a href=\"../part/index.html\">The part</a>"),
        "{intro}"
    );
    let a = test.site_file("part/a/index.html");
    assert!(a.contains("<a href=\"../index.html\">Up</a>"), "{a}");
    let b = test.site_file("part/b/index.html");
    assert!(b.contains("<a href=\"../index.html\">Up</a>"), "{b}");
}

#[test]
fn id_lists_in_hints_say_how_many_more() {
    let headings: String = (1..=9).map(|i| format!("## Section {i}\n\n")).collect();
    let test = book().file(
        "content/01-a.md",
        format!("# A\n\n[](#zzzzzz)\n\n{headings}"),
    );
    let run = test.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "help: ids on this page: `#a`, `#section-1`, `#section-2`, `#section-3`, `#section-4`, `#section-5`, … and 4 more"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn suggestions_never_name_the_linking_page() {
    // `cache.md` is closer to `caches.md` than `cash.md` is, but a page never suggests itself.
    let test = book()
        .file("content/cache.md", "# Cache\n\n[](caches.md)\n")
        .file("content/cash.md", "# Cash\n");
    let run = test.build();
    assert_eq!(run.code, 1);
    assert!(
        !run.stderr.contains("did you mean `cache.md`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `cash.md`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn broken_links_can_be_warnings_and_are_left_as_written() {
    let test = BookTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"Guide\"\n\n[build]\nbroken-links = \"warn\"\n",
        )
        .file(
            "content/01-a.md",
            "# A\n\n[gone](gone.md), [](#nope) and ![img](missing.png)\n",
        );
    let run = test.build();
    assert_built(&run, 2);
    assert_with(&test.root).eq(
        run.stderr,
        snapbox::str![[r#"
warning: link to a missing page `gone.md`
 --> content/01-a.md:3:8
  |
3 | [gone](gone.md), [](#nope) and ![img](missing.png)
  |        ^^^^^^^ no such file in the content folder
  |
  = help: write the path of a `.md` file in the content folder, relative to this file

warning: `#nope` is not an id on this page
 --> content/01-a.md:3:21
  |
3 | [gone](gone.md), [](#nope) and ![img](missing.png)
  |                     ^^^^^ no heading, callout or question with this id
  |
  = help: ids on this page: `#a`

warning: image `missing.png` not found
 --> content/01-a.md:3:39
  |
3 | [gone](gone.md), [](#nope) and ![img](missing.png)
  |                                       ^^^^^^^^^^^ no such file in the content folder
  |
  = help: put the file at `missing.png` in the content folder, or fix the path


"#]],
    );
    let page = test.site_file("a/index.html");
    assert!(
        page.contains(
            "<a href=\"gone.md\">gone</a>, <a href=\"#nope\">#nope</a> and <img src=\"missing.png\""
        ),
        "{page}"
    );
    // `--strict` still fails on them.
    assert_eq!(test.run(&["build", "--strict"]).code, 1);
}

#[test]
fn broken_links_setting_is_checked() {
    let test = BookTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"Guide\"\n\n[build]\nbroken-links = \"warning\"\n",
        )
        .file("content/01-a.md", "# A\n");
    let run = test.build();
    assert_eq!(run.code, 1);
    assert_with(&test.root).eq(
        run.stderr,
        snapbox::str![[r#"
error: unknown `broken-links` setting `warning`
 --> book.toml:5:16
  |
5 | broken-links = "warning"
  |                ^^^^^^^^^
  |
  = help: did you mean `warn`?

Build failed: 1 error

"#]],
    );
}

#[test]
fn other_tools_link_forms_get_hints() {
    let test = book()
        .file(
            "content/01-intro.md",
            "# Intro\n\n[a](./routing), [b](routing.mdx), [c](routing/), [d](02-part)\n",
        )
        .file("content/routing.md", "# Routing\n")
        .file("content/02-part/01-x.md", "# X\n");
    let run = test.build();
    assert_eq!(run.code, 1);
    let hints: Vec<&str> = run
        .stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix("= help: "))
        .collect();
    assert_eq!(
        hints,
        [
            "did you mean `./routing.md`?",
            "did you mean `routing.md`?",
            "did you mean `routing.md`?",
            "did you mean `02-part/`?",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn links_reach_callouts_and_questions_by_id() {
    let test = BookTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"Guide\"\n\n[callouts.war-story]\nlabel = \"War Story\"\n",
        )
        .file(
            "content/01-a.md",
            "# A\n\n:::war-story Mongo *audit* {#mongo-audit}\nStory.\n:::\n\n:::question What is a [cache](02-b.md)?\nA store.\n:::\n\n:::caution\nCareful.\n:::\n",
        )
        .file(
            "content/02-b.md",
            "# B\n\n[](01-a.md#mongo-audit), [](01-a.md#question-what-is-a-cache), [](01-a.md#caution), [](01-a.md#mongo-adit)\n",
        );
    let run = test.build();
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: `#mongo-adit` is not an id on `01-a.md`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help: did you mean `#mongo-audit`?"),
        "{}",
        run.stderr
    );
    test.write(
        "content/02-b.md",
        "# B\n\n[](01-a.md#mongo-audit), [](01-a.md#question-what-is-a-cache), [](01-a.md#caution)\n",
    );
    // The fourth page is the generated practice page.
    assert_built(&test.build(), 4);
    let b = test.site_file("b/index.html");
    assert!(
        b.contains("<a href=\"../a/index.html#mongo-audit\" data-preview=\"Story.\">Mongo <em>audit</em></a>, <a href=\"../a/index.html#question-what-is-a-cache\">What is a cache?</a>, <a href=\"../a/index.html#caution\" data-preview=\"Careful.\">Caution</a>"),
        "{b}"
    );
}
