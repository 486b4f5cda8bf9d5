//! `guidebook import`: guides written in each tool's syntax (`tests/fixtures/import/<case>/`)
//! are imported and then built.
//!
//! A case holds `source/` (the folder a user of the tool works in), `case.toml` (`from`, when
//! the tool is named rather than detected; `pages`, how many pages the build writes; `order`,
//! the titles of the reading order after the home page, which follows the source's
//! navigation), `report.txt` (what the import prints) and `expected/` (every file of the new
//! book). `SNAPSHOTS=overwrite` rewrites `report.txt` and `expected/`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::harness::{Run, expect_file, files_under, fixtures, redact};

/// Declares one test per import case.
macro_rules! import_cases {
    ($($test:ident => $case:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check_import($case);
            }
        )*

        /// Every case folder has a test above.
        #[test]
        fn every_import_fixture_is_tested() {
            let listed = [$($case),*];
            for case in std::fs::read_dir(fixtures().join("import")).unwrap() {
                let name = case.unwrap().file_name().to_string_lossy().into_owned();
                assert!(listed.contains(&name.as_str()), "import fixture {name} has no test in import.rs");
            }
        }
    };
}

import_cases! {
    import_mdbook => "mdbook",
    import_vitepress => "vitepress",
    import_starlight => "starlight",
    import_mintlify => "mintlify",
    import_docusaurus => "docusaurus",
}

/// Runs `guidebook <args>` in `dir`.
fn guidebook(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_guidebook"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the guidebook binary runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn check_import(case: &str) {
    let dir = fixtures().join("import").join(case);
    let source = dir.join("source");
    let settings: toml::Table = std::fs::read_to_string(dir.join("case.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let before = files_under(&source);
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("book");
    let source_arg = source.to_string_lossy().into_owned();
    let dest_arg = dest.to_string_lossy().into_owned();
    let mut args = vec!["import"];
    if let Some(from) = settings.get("from").and_then(|f| f.as_str()) {
        args.extend(["--from", from]);
    }
    args.extend([source_arg.as_str(), dest_arg.as_str()]);
    let run = guidebook(out.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        files_under(&source),
        before,
        "the import changed its source"
    );
    expect_file(
        &dir.join("report.txt"),
        &redact(&run.stdout, &dest).replace(&source_arg, "[SOURCE]"),
    );
    compare_tree(&dir.join("expected"), &dest);
    assert_no_foreign_syntax(&dest.join("content"));

    let built = guidebook(&dest, &["build"]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let pages = settings["pages"].as_integer().unwrap();
    assert!(
        built.stdout.starts_with(&format!("Built {pages} pages")),
        "{}",
        built.stdout
    );
    let order: Vec<String> = settings["order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    assert_eq!(reading_order(&dest.join("site")), order);
}

/// Every file of the new book matches `expected/`, and there are no others.
fn compare_tree(expected: &Path, dest: &Path) {
    let actual = files_under(dest);
    if std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite") {
        let _ = std::fs::remove_dir_all(expected);
        for (path, bytes) in &actual {
            let target = expected.join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(target, bytes).unwrap();
        }
        return;
    }
    let wanted = files_under(expected);
    let names = |files: &BTreeMap<String, Vec<u8>>| files.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&actual), names(&wanted), "the new book's files");
    for (path, bytes) in &actual {
        expect_file(&expected.join(path), &String::from_utf8_lossy(bytes));
    }
}

/// No page holds another tool's syntax outside code blocks.
fn assert_no_foreign_syntax(content: &Path) {
    const FOREIGN: [&str; 9] = [
        "[[toc]]",
        "<<<",
        "{{#",
        "<Badge",
        "code-group",
        "<script",
        "```admonish",
        "import ",
        "export ",
    ];
    for (path, bytes) in files_under(content) {
        if !path.ends_with(".md") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        let mut in_code = false;
        for line in text.lines() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
                continue;
            }
            if in_code || line.contains("\\{{#") {
                continue;
            }
            for foreign in FOREIGN {
                assert!(
                    !line.contains(foreign),
                    "{path}: `{foreign}` left in `{line}`"
                );
            }
        }
    }
}

/// The titles of the pages after the home page, following each page's "Next" link.
fn reading_order(site: &Path) -> Vec<String> {
    let mut titles = Vec::new();
    let mut page = site.join("index.html");
    for _ in 0..1000 {
        let html = std::fs::read_to_string(&page).unwrap();
        let Some(at) = html.find("rel=\"next\"") else {
            break;
        };
        let link = &html[..at];
        let href_at = link.rfind("href=\"").unwrap() + "href=\"".len();
        let href = &link[href_at..link[href_at..].find('"').unwrap() + href_at];
        let after = &html[at..];
        let title_at = after.find("pager-title\">").unwrap() + "pager-title\">".len();
        let title = &after[title_at..title_at + after[title_at..].find('<').unwrap()];
        titles.push(title.replace("&amp;", "&"));
        page = page.parent().unwrap().join(href);
    }
    titles
}

#[test]
fn import_refuses_a_folder_that_is_not_empty() {
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("book");
    std::fs::create_dir(&dest).unwrap();
    std::fs::write(dest.join("notes.txt"), "mine").unwrap();
    let source = fixtures().join("import/mdbook/source");
    let run = guidebook(
        out.path(),
        &["import", &source.to_string_lossy(), &dest.to_string_lossy()],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("the folder is not empty"),
        "{}",
        run.stderr
    );
    assert_eq!(files_under(&dest).len(), 1, "DEST was changed");
}

#[test]
fn import_refuses_a_source_of_no_known_tool() {
    let out = tempfile::tempdir().unwrap();
    let source = out.path().join("docs");
    std::fs::create_dir(&source).unwrap();
    std::fs::write(source.join("README.md"), "# Hi\n").unwrap();
    let run = guidebook(out.path(), &["import", "docs", "book"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("does not look like a guide"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("--from"), "{}", run.stderr);
    assert!(!out.path().join("book").exists());
}

#[test]
fn import_never_writes_into_its_source() {
    let out = tempfile::tempdir().unwrap();
    let source = out.path().join("guide");
    copy_tree(&fixtures().join("import/mdbook/source"), &source);
    let run = guidebook(out.path(), &["import", "guide", "guide/book"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("inside the guide"), "{}", run.stderr);
    assert!(!source.join("book").exists());
}

#[test]
fn a_failed_import_leaves_nothing_behind() {
    let out = tempfile::tempdir().unwrap();
    let source = out.path().join("guide");
    std::fs::create_dir(&source).unwrap();
    std::fs::write(source.join("book.toml"), "[book\ntitle = ").unwrap();
    let run = guidebook(out.path(), &["import", "--from", "mdbook", "guide", "book"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("book.toml"), "{}", run.stderr);
    let left: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left, ["guide"], "only the source is there");
}

fn copy_tree(from: &Path, to: &Path) {
    for (path, bytes) in files_under(from) {
        let target = to.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
}
