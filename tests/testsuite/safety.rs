//! Issue 9: a build never deletes or writes outside its site, and no input crashes it.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::harness::{BookTest, assert_built, files_under};

fn book() -> BookTest {
    BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"Safe\"\n")
        .file("content/01-a.md", "# A\n\nText.\n")
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_folder_of_hidden_files_is_never_replaced() {
    // Regression: `--out ~` deleted a home folder holding only dot files, exit 0.
    let test = book();
    let home = test.root.join("home");
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    std::fs::write(home.join(".ssh/id_ed25519"), "secret").unwrap();
    std::fs::write(home.join(".bashrc"), "alias ll='ls -l'").unwrap();
    let run = test.run(&["build", "--out", "home"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("refusing to replace `home`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("`.bashrc`, `.ssh`"), "{}", run.stderr);
    assert!(
        run.stderr.contains(".guidebook-site"),
        "the way out: {}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(home.join(".ssh/id_ed25519")).unwrap(),
        "secret"
    );
    assert_eq!(entries(&home), [".bashrc", ".ssh"]);
    // Neither is a folder of someone else's files, nor a file.
    std::fs::write(test.root.join("notes.txt"), "mine").unwrap();
    for target in ["notes.txt", "content"] {
        let run = test.run(&["build", "--out", target]);
        assert_eq!(run.code, 2, "{target}: {}", run.stderr);
    }
    assert_eq!(
        std::fs::read_to_string(test.root.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn a_rebuild_keeps_the_sites_dot_files_and_cname() {
    // Regression: rebuilding a GitHub Pages worktree deleted its `.git`, `.nojekyll` and
    // `CNAME`.
    let test = book();
    assert_built(&test.build(), 2);
    let site = test.site();
    assert!(site.join(".guidebook-site").is_file(), "the site is marked");
    std::fs::create_dir_all(site.join(".git/refs")).unwrap();
    std::fs::write(site.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    std::fs::write(site.join(".nojekyll"), "").unwrap();
    std::fs::write(site.join("CNAME"), "guide.example.com\n").unwrap();
    std::fs::write(site.join("stale.html"), "from an old build").unwrap();
    assert_built(&test.build(), 2);
    assert_eq!(
        std::fs::read_to_string(site.join(".git/HEAD")).unwrap(),
        "ref: refs/heads/gh-pages\n"
    );
    assert!(site.join(".git/refs").is_dir());
    assert!(site.join(".nojekyll").exists());
    assert_eq!(
        std::fs::read_to_string(site.join("CNAME")).unwrap(),
        "guide.example.com\n"
    );
    assert!(!site.join("stale.html").exists(), "other old files go");
    // A name the build writes itself (from static/) wins over the old one.
    test.write("static/CNAME", "new.example.com\n");
    assert_built(&test.build(), 2);
    assert_eq!(
        std::fs::read_to_string(site.join("CNAME")).unwrap(),
        "new.example.com\n"
    );
    assert!(site.join(".git/HEAD").exists());
    assert_eq!(
        entries(&test.root),
        ["book.toml", "content", "site", "static"],
        "no temporary folders beside the site"
    );
}

#[test]
fn a_pages_checkout_marked_for_guidebook_is_managed() {
    let test = book();
    let site = test.site();
    std::fs::create_dir_all(site.join(".git")).unwrap();
    std::fs::write(site.join("CNAME"), "guide.example.com\n").unwrap();
    assert_eq!(test.build().code, 2, "not marked yet");
    std::fs::write(site.join(".guidebook-site"), "").unwrap();
    assert_built(&test.build(), 2);
    assert!(site.join(".git").is_dir());
    assert!(site.join("CNAME").is_file());
    assert!(site.join("index.html").is_file());
}

#[test]
fn the_language_cannot_name_files_outside_the_site() {
    for language in [
        "en/../../../../x",
        "abcdefghijklmnopqrstuvwxyzabcdefghijklmn",
    ] {
        let test = BookTest::empty()
            .file(
                "book.toml",
                format!("[book]\ntitle = \"Safe\"\nlanguage = \"{language}\"\n"),
            )
            .file("content/01-a.md", "# A\n");
        let run = test.build();
        // Regression: the first wrote `.pf_*` files outside the site, the second panicked
        // inside the search indexer (exit 101).
        assert_eq!(run.code, 1, "{language}: {}", run.stderr);
        assert!(run.stderr.contains("book.toml:3:12"), "{}", run.stderr);
        assert!(
            run.stderr.contains("is not a language tag"),
            "{}",
            run.stderr
        );
        assert!(!test.site().exists());
        let parent = test.root.parent().unwrap();
        assert_eq!(entries(parent), ["book"], "nothing written beside the book");
    }
}

#[test]
fn stale_temporary_folders_of_a_killed_build_are_removed() {
    let test = book();
    assert_built(&test.build(), 2);
    // What `kill -9` during a write leaves: a staging folder holding the (unlocked) marker.
    let stale = test.root.join(".site.tmp-AbC123");
    std::fs::create_dir_all(stale.join("a")).unwrap();
    std::fs::write(stale.join(".guidebook-site"), "").unwrap();
    std::fs::write(stale.join("a/index.html"), "half").unwrap();
    // Not ours to touch: no marker, or another target's.
    let notes = test.root.join(".site.tmp-notes");
    std::fs::create_dir_all(&notes).unwrap();
    std::fs::write(notes.join("todo.txt"), "mine").unwrap();
    let other = test.root.join(".docs.tmp-xyz");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join(".guidebook-site"), "").unwrap();
    assert_built(&test.build(), 2);
    assert!(!stale.exists(), "the abandoned staging folder is gone");
    assert!(notes.join("todo.txt").exists());
    assert!(other.exists());
}

#[cfg(unix)]
#[test]
fn a_signal_during_the_write_leaves_the_old_site_and_no_temporary_folder() {
    // A book big enough that writing it takes a moment.
    let test = book();
    for i in 0..1500 {
        test.write(
            &format!("content/{i:04}-p{i}.md"),
            format!("# Page {i}\n\n{}\n", "Some words to write. ".repeat(40)),
        );
    }
    let first = test.run(&["build", "--no-search"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let before = files_under(&test.site());
    test.write("content/0000-p0.md", "# Page 0\n\nChanged.\n");
    // Stop the build once its temporary folder appears; a build that finished first is
    // run again (the machine was faster than the poll).
    for signal in ["TERM", "INT"] {
        let mut caught = false;
        for _ in 0..20 {
            let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_guidebook"))
                .args(["build", "--no-search"])
                .current_dir(&test.root)
                .env("NO_COLOR", "1")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            let started = Instant::now();
            let staging = loop {
                if let Some(name) = entries(&test.root)
                    .into_iter()
                    .find(|n| n.starts_with(".site.tmp-"))
                {
                    break Some(name);
                }
                if child.try_wait().unwrap().is_some()
                    || started.elapsed() > Duration::from_secs(60)
                {
                    break None;
                }
                std::thread::sleep(Duration::from_micros(200));
            };
            if staging.is_none() {
                let _ = child.wait();
                // It finished: put the old site back for the next attempt.
                test.write("content/0000-p0.md", "# Page 0\n\nChanged again.\n");
                continue;
            }
            let status = std::process::Command::new("kill")
                .args([&format!("-{signal}"), &child.id().to_string()])
                .status()
                .unwrap();
            assert!(status.success());
            let output = child.wait_with_output().unwrap();
            if output.status.code() == Some(0) {
                continue; // the signal came during the final swap: the new site is whole
            }
            assert_eq!(
                output.status.code(),
                Some(130),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            caught = true;
            break;
        }
        assert!(caught, "SIG{signal} never arrived during a write");
        let left: Vec<String> = entries(&test.root)
            .into_iter()
            .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
            .collect();
        assert!(left.is_empty(), "SIG{signal} left {left:?}");
        let now = files_under(&test.site());
        assert_eq!(now.len(), before.len().max(now.len()));
        assert!(now.contains_key("index.html"), "a whole site is there");
    }
}

#[test]
fn nul_bytes_and_old_mac_line_ends_are_read_as_commonmark_says() {
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"Safe\"\n")
        .file(
            "content/01-a.md",
            "+++\rtitle = \"Carriage\"\r+++\r:::tip Kept\rInside\x00.\r:::\r",
        );
    assert_built(&test.build(), 2);
    let html = test.site_file("a/index.html");
    assert!(html.contains("data-callout=\"tip\""), "the fence is found");
    assert!(html.contains("Inside\u{fffd}."), "NUL became U+FFFD");
    assert!(!html.contains('\0'));
    let twin = test.site_file("a.md");
    assert!(twin.contains("Inside\u{fffd}."), "{twin}");
    assert!(!twin.contains('\0'));
}

#[test]
fn check_finds_a_slug_too_long_for_a_file_name() {
    let slug = "s".repeat(300);
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"Safe\"\n")
        .file(
            "content/01-a.md",
            format!("+++\ntitle = \"A\"\nslug = \"{slug}\"\n+++\nText.\n"),
        );
    // Regression: `check` passed and `build` failed with "File name too long".
    let run = test.run(&["check"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("content/01-a.md:3:1"), "{}", run.stderr);
    assert!(run.stderr.contains("at most 250"), "{}", run.stderr);
}

#[test]
fn control_characters_in_file_names_are_escaped_in_messages() {
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"Safe\"\n")
        .file("content/01-a\x1b[2J\x07.md", "# A\n\n[x](missing.md)\n");
    let run = test.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains('\x1b'), "{:?}", run.stderr);
    assert!(!run.stderr.contains('\x07'), "{:?}", run.stderr);
    assert!(
        run.stderr.contains("01-a\\u{1b}[2J\\u{7}.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn parts_nested_too_deep_are_refused_with_the_folder_named() {
    let mut folder = String::from("content");
    for level in 1..=20 {
        folder.push_str(&format!("/d{level}"));
    }
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"Safe\"\n")
        .file("content/01-top.md", "# Top\n")
        .file(&format!("{folder}/leaf.md"), "# Leaf\n");
    let run = test.build();
    // Regression: every page failed with a template recursion error and no location.
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("template error"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("d16/d17` makes parts nested 17 deep; guidebook allows 16"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("error:").count(), 1, "{}", run.stderr);
}

#[test]
fn names_differing_only_in_case_or_normalisation_are_an_error() {
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"Safe\"\n")
        .file("content/FAQ.md", "# Questions\n")
        .file("content/faq/01-first.md", "# First\n")
        .file("content/caf\u{e9}.md", "# One\n")
        .file("content/cafe\u{301}.md", "# Two\n");
    let run = test.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("`content/FAQ.md` and the generated page `/faq/`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("`content/cafe\\u{301}.md` and `content/caf\u{e9}.md`")
            || run
                .stderr
                .contains("`content/caf\u{e9}.md` and `content/cafe\\u{301}.md`"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("error:").count(),
        2,
        "one error per pair: {}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn dangling_symbolic_links_are_left_out_with_a_warning() {
    let test = book();
    std::fs::create_dir_all(test.root.join("static")).unwrap();
    std::os::unix::fs::symlink("nowhere.md", test.root.join("content/02-gone.md")).unwrap();
    std::os::unix::fs::symlink("nowhere.png", test.root.join("static/logo.png")).unwrap();
    let run = test.build();
    // Regression: the build aborted (exit 2) without naming the link.
    assert_built(&run, 2);
    assert!(
        run.stderr
            .contains("the symbolic link `content/02-gone.md` leads to nothing"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("the symbolic link `static/logo.png` leads to nothing"),
        "{}",
        run.stderr
    );
}

#[test]
fn reader_links_must_be_web_addresses() {
    let test = BookTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"Safe\"\nrepository-url = \"javascript:alert(1)\"\nedit-url-template = \"javascript:alert('{path}')\"\n",
        )
        .file("content/01-a.md", "# A\n");
    let run = test.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("book.toml:3:18"), "{}", run.stderr);
    assert!(run.stderr.contains("book.toml:4:21"), "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("http:// or https://").count(),
        2,
        "{}",
        run.stderr
    );
}
