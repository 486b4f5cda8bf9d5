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
