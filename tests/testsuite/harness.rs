//! A small harness modelled on mdBook's `BookTest`: copy a fixture book into a temporary
//! folder, run the `guidebook` binary on it, and compare results with expected files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use snapbox::{Assert, Redactions};

/// The repository root.
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixtures folder.
pub(crate) fn fixtures() -> PathBuf {
    repo_root().join("tests/fixtures")
}

/// A book in a temporary folder.
pub(crate) struct BookTest {
    _dir: tempfile::TempDir,
    /// The book folder.
    pub root: PathBuf,
}

/// The result of one run of the binary.
#[derive(Debug)]
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl BookTest {
    /// An empty book folder.
    pub(crate) fn empty() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let root = dir.path().join("book");
        std::fs::create_dir_all(&root).unwrap();
        Self { _dir: dir, root }
    }

    /// A copy of `tests/fixtures/<name>` (without its `expected/` folder).
    pub(crate) fn fixture(name: &str) -> Self {
        let test = Self::empty();
        copy_tree(&fixtures().join(name), &test.root, true);
        test
    }

    /// A copy of the bundled sample guide (`book.toml`, `content/`, and the theme folders
    /// when it has them).
    pub(crate) fn sample_guide() -> Self {
        Self::copy_of(
            &repo_root(),
            &["book.toml", "content", "templates", "static"],
        )
    }

    /// A copy of a folder of the repository (for the sample guide).
    pub(crate) fn copy_of(path: &Path, entries: &[&str]) -> Self {
        let test = Self::empty();
        for entry in entries {
            let from = path.join(entry);
            if from.is_dir() {
                copy_tree(&from, &test.root.join(entry), false);
            } else if from.exists() {
                std::fs::copy(&from, test.root.join(entry)).unwrap();
            }
        }
        test
    }

    /// Writes (or replaces) a file of the book.
    pub(crate) fn file(self, path: &str, contents: impl AsRef<[u8]>) -> Self {
        self.write(path, contents);
        self
    }

    /// Writes (or replaces) a file of the book, without moving the test.
    pub(crate) fn write(&self, path: &str, contents: impl AsRef<[u8]>) {
        let target = self.root.join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, contents).unwrap();
    }

    /// Runs `guidebook <args>` in the book folder.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_guidebook"))
            .args(args)
            .current_dir(&self.root)
            .env("NO_COLOR", "1")
            .output()
            .expect("the guidebook binary runs");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// `guidebook build` into `site/`.
    pub(crate) fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// The site folder.
    pub(crate) fn site(&self) -> PathBuf {
        self.root.join("site")
    }

    /// A file of the built site, as text.
    pub(crate) fn site_file(&self, path: &str) -> String {
        let file = self.site().join(path);
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    }
}

/// Every file under `dir`, by `/`-separated relative path, with its bytes.
pub(crate) fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Asserts that a build succeeded with `pages` pages (which shows what it read as content).
#[track_caller]
pub(crate) fn assert_built(run: &Run, pages: usize) {
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = format!("Built {pages} pages");
    assert!(run.stdout.starts_with(&expected), "{}", run.stdout);
}

/// The `<main …>…</main>` part of a page.
pub(crate) fn main_element(html: &str) -> String {
    let start = html.find("<main").expect("the page has a <main>");
    let end = html.rfind("</main>").expect("the page has a </main>") + "</main>".len();
    format!("{}\n", &html[start..end])
}

fn copy_tree(from: &Path, to: &Path, skip_expected: bool) {
    for entry in walkdir::WalkDir::new(from).min_depth(1) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        if skip_expected && rel.starts_with("expected") {
            continue;
        }
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// An `Assert` that rewrites snapshots under `SNAPSHOTS=overwrite` and hides temp paths.
pub(crate) fn assert_with(root: &Path) -> Assert {
    let mut redactions = Redactions::new();
    redactions
        .insert("[ROOT]", root.display().to_string())
        .expect("valid redaction");
    Assert::new()
        .action_env("SNAPSHOTS")
        .redact_with(redactions)
}

/// Options for a fixture case, from its optional `case.toml`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    exit: i32,
}

/// Builds fixture `name` and compares everything in its `expected/` folder.
pub(crate) fn check_fixture(name: &str) {
    let test = BookTest::fixture(name);
    let case_file = fixtures().join(name).join("case.toml");
    let case: Case = std::fs::read_to_string(&case_file)
        .map(|text| toml::from_str(&text).expect("case.toml is valid"))
        .unwrap_or_default();
    let mut args = vec!["build".to_string()];
    args.extend(case.args.iter().cloned());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = test.run(&args);
    assert_eq!(
        run.code,
        case.exit,
        "exit code of `guidebook {}` on {name}\nstderr:\n{}",
        args.join(" "),
        run.stderr
    );
    let expected = fixtures().join(name).join("expected");
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(&expected)
        .sort_by_file_name()
        .min_depth(1)
    {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&expected).unwrap();
        let rel_text = rel.to_string_lossy().replace('\\', "/");
        let actual = if rel_text == "stderr.txt" {
            run.stderr.clone()
        } else {
            let site_path = test.site().join(rel);
            assert!(
                site_path.exists(),
                "{name}: expected/{rel_text} has no matching file in the built site"
            );
            let text = std::fs::read_to_string(&site_path).unwrap();
            // A page is compared by its `<main>`; a redirect page has none and is compared whole.
            if rel_text.ends_with(".html") && text.contains("<main") {
                main_element(&text)
            } else {
                text
            }
        };
        expect_file(entry.path(), &redact(&actual, &test.root));
        checked += 1;
    }
    assert!(checked > 0, "{name}: the expected/ folder is empty");
}

/// `text` with the temporary book folder replaced by `[ROOT]`.
pub(crate) fn redact(text: &str, root: &Path) -> String {
    text.replace(&root.display().to_string(), "[ROOT]")
}

/// Compares `actual` with the file at `path` byte for byte; `SNAPSHOTS=overwrite` rewrites it.
#[track_caller]
pub(crate) fn expect_file(path: &Path, actual: &str) {
    let expected = std::fs::read_to_string(path).unwrap_or_default();
    if expected == actual {
        return;
    }
    if std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite") {
        std::fs::write(path, actual).unwrap();
        return;
    }
    panic!(
        "{} differs (run with SNAPSHOTS=overwrite to accept):\n{}",
        path.display(),
        line_diff(&expected, actual)
    );
}

/// A minimal line diff: `-` expected, `+` actual, around the first difference.
fn line_diff(expected: &str, actual: &str) -> String {
    let old: Vec<&str> = expected.lines().collect();
    let new: Vec<&str> = actual.lines().collect();
    let first = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let mut out = String::new();
    for line in &old[first.saturating_sub(3)..first] {
        out.push_str(&format!("  {line}\n"));
    }
    for line in old.iter().skip(first).take(12) {
        out.push_str(&format!("- {line}\n"));
    }
    for line in new.iter().skip(first).take(12) {
        out.push_str(&format!("+ {line}\n"));
    }
    out
}
